import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension BlobStore {
    /// Removes the blob at `relativePath` (as `put` returned it). A blob already gone is not an error.
    /// Blocking file I/O: call it off the cooperative pool.
    @available(*, noasync, message: "blocking file I/O: run it on NIOThreadPool")
    public func remove(relativePath: String) throws {
        guard !relativePath.isEmpty, !relativePath.hasPrefix("/"), !relativePath.split(separator: "/").contains("..")
        else { throw StoreError("not a blob path: \(relativePath.debugDescription)") }
        let path = root.path + "/" + relativePath
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StoreError("cannot remove blob \(relativePath): \(String(cString: strerror(errno)))")
        }
    }
}
