import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The signing key kept in the data folder when the configuration names none: 32 random bytes,
/// written once (readable by its owner only) and read on every start, so that tokens in mail
/// already sent keep verifying.
enum SecretKeyFile {
    static let name = "secret.key"

    static func loadOrCreate(in folder: String) throws -> [UInt8] {
        let path = (folder as NSString).appendingPathComponent(name)
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count >= 32 else { throw KeyFileError("\(path) holds fewer than 32 bytes: remove it to make a new key") }
            return [UInt8](data)
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyFileError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == key.count, fsync(fd) == 0 else { throw KeyFileError("cannot write \(path)") }
        return key
    }

    struct KeyFileError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
