#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// iconv(3) conversion to UTF-8. A descriptor is opened and closed per call, so the type needs no
/// shared mutable state and is safe to use from any thread.
enum CharsetConverter {
    /// Converts `buf` from the iconv charset `name` to a String, replacing invalid or truncated
    /// sequences with U+FFFD. Returns nil when iconv does not know the charset.
    static func convert(_ buf: UnsafeBufferPointer<UInt8>, from name: String) -> String? {
        let descriptor = iconv_open("UTF-8", name)
        guard let descriptor, Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        guard let base = buf.baseAddress, buf.count > 0 else { return "" }

        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        var result: [UInt8] = []
        result.reserveCapacity(buf.count * 2)
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var input = UnsafeMutablePointer(mutating: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
        var inputLeft = buf.count
        var finished = false
        while !finished {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                guard let outBase = out.baseAddress else { return 0 }
                var output: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                    .assumingMemoryBound(to: CChar.self)
                var outputLeft = chunkSize
                var inputPointer: UnsafeMutablePointer<CChar>? = input
                let status: Int
                if inputLeft > 0 {
                    status = iconv(descriptor, &inputPointer, &inputLeft, &output, &outputLeft)
                } else {
                    status = iconv(descriptor, nil, nil, &output, &outputLeft)
                    finished = true
                }
                let failure = status == -1 ? errno : 0
                if let inputPointer { input = inputPointer }
                let count = chunkSize - outputLeft
                if failure == EILSEQ {
                    // Skip one byte of the invalid sequence.
                    result.append(contentsOf: UnsafeBufferPointer(start: outBase, count: count))
                    result.append(contentsOf: replacement)
                    input += 1
                    inputLeft -= 1
                    return -1
                } else if failure == EINVAL {
                    // Truncated sequence at the end of the input.
                    result.append(contentsOf: UnsafeBufferPointer(start: outBase, count: count))
                    result.append(contentsOf: replacement)
                    inputLeft = 0
                    return -1
                } else if failure != 0 && failure != E2BIG {
                    finished = true
                }
                return count
            }
            if produced > 0 { result.append(contentsOf: chunk[0..<produced]) }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
