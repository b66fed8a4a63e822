import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The data folder's lock: one process at a time sends its outbox and polls its mailboxes.
///
/// `postdesk run` and the demo hold an exclusive `flock(2)` on `DATA/postdesk.lock` for as long as
/// they run (the kernel drops it when the process ends, however it ends). Holding it is what lets the
/// outbox worker treat every row still `sending` at start as interrupted: no other worker can be
/// talking to the server about it. A second daemon on the same folder refuses to start.
final class DataFolderLock: Sendable {
    static let name = "postdesk.lock"
    private let descriptor: Int32

    /// Takes the lock, or throws naming the folder and the process that holds it.
    init(folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent(Self.name)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LockError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw LockError(
                "another postdesk (process \(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")) runs on the data folder \(folder): stop it first")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    struct LockError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
