import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files kept by content: raw mails and attachments, named by the SHA-256 of their bytes under
/// `root/<kind>/ab/<hash>` (256 folders per kind). Writing the same bytes twice changes nothing.
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
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where the blob with this hash lives, relative to `root`.
    public func relativePath(_ sha256: String, kind: Kind) -> String {
        "\(kind.rawValue)/\(sha256.prefix(2))/\(sha256)"
    }

    public func url(_ sha256: String, kind: Kind) -> URL {
        root.appendingPathComponent(relativePath(sha256, kind: kind))
    }

    /// Stores `bytes` whose hash the caller already computed; returns the relative path.
    ///
    /// Plain POSIX calls: a folder is created only when the first open says it is missing, and an
    /// existing blob is simply replaced by the same bytes, so the common case is open, write, rename.
    @discardableResult
    @available(*, noasync, message: "blocking file I/O: run it on NIOThreadPool")
    public func put(_ bytes: [UInt8], sha256: String, kind: Kind) throws -> String {
        let relative = relativePath(sha256, kind: kind)
        let target = root.path + "/" + relative
        let folder = String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)])
        let temporary = "\(folder)/.\(sha256).\(UInt64.random(in: 0...UInt64.max)).tmp"
        var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw Self.failure("cannot create", relative) }
        var written = 0
        let complete = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count, let base = buffer.baseAddress {
                let count = write(fd, base + written, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return true
        }
        let writeError = complete ? nil : Self.failure("cannot write", relative)
        close(fd)
        if let writeError {
            unlink(temporary)
            throw writeError
        }
        guard rename(temporary, target) == 0 else {
            let renameError = Self.failure("cannot store", relative)
            unlink(temporary)
            throw renameError
        }
        return relative
    }

    private static func failure(_ what: String, _ relative: String) -> StoreError {
        StoreError("\(what) blob \(relative): \(String(cString: strerror(errno)))")
    }

    @available(*, noasync, message: "blocking file I/O: run it on NIOThreadPool")
    public func read(_ sha256: String, kind: Kind) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(sha256, kind: kind)))
    }

    /// Flushes every file written so far to disk: one `syncfs(2)` for the file system holding `root`.
    @available(*, noasync, message: "blocking file I/O: run it on NIOThreadPool")
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
