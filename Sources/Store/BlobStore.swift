import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files kept by content: raw mails and attachments, named by the SHA-256 of their bytes under
/// `root/<kind>/ab/cd/<hash>`. Writing the same bytes twice is a no-op.
///
/// Writes go to a temporary file renamed into place, so a reader never sees half a file. They are
/// not synced one by one: `sync()` flushes the whole batch with one `syncfs(2)`, which is what
/// makes a batch of mails cost one disk flush instead of one per file.
public struct BlobStore: Sendable {
    public enum Kind: String, Sendable { case raw, attachment }

    public let root: URL

    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Where the blob with this hash lives, relative to `root`.
    public func relativePath(_ sha256: String, kind: Kind) -> String {
        let a = sha256.prefix(2)
        let b = sha256.dropFirst(2).prefix(2)
        return "\(kind.rawValue)/\(a)/\(b)/\(sha256)"
    }

    public func url(_ sha256: String, kind: Kind) -> URL {
        root.appendingPathComponent(relativePath(sha256, kind: kind))
    }

    /// Stores `bytes` whose hash the caller already computed; returns the relative path.
    @discardableResult
    public func put(_ bytes: [UInt8], sha256: String, kind: Kind) throws -> String {
        let relative = relativePath(sha256, kind: kind)
        let target = root.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: target.path) { return relative }
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(sha256).\(UUID().uuidString).tmp")
        try Data(bytes).write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw StoreError("cannot store blob \(relative): \(String(cString: strerror(code)))")
        }
        return relative
    }

    public func read(_ sha256: String, kind: Kind) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(sha256, kind: kind)))
    }

    /// Flushes every file written so far to disk: one `syncfs(2)` for the file system holding `root`.
    public func sync() throws {
        let fd = open(root.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw StoreError("cannot open \(root.path) to sync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard let syncfs = Self.syncfs else {
            Glibc.sync()  // no syncfs(2) in this libc: flush every file system instead.
            return
        }
        if syncfs(fd) != 0 {
            throw StoreError("syncfs failed for \(root.path): \(String(cString: strerror(errno)))")
        }
    }

    /// glibc's `syncfs`, which the Glibc module does not import (it is a GNU extension).
    private static let syncfs: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
}
