import MailModel

/// Lenient base64 decoding (RFC 2045 section 6.8): characters outside the alphabet (line breaks,
/// spaces, garbage) are skipped, `=` ends a quantum wherever it appears (so concatenated encodings
/// decode), and missing padding at the end is tolerated.
public enum Base64 {
    public static func decode(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    static func decode(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: buf.count / 4 * 3 + 3)
        let written = out.withUnsafeMutableBufferPointer { dst -> Int in
            decode(buf, into: dst)
        }
        out.removeLast(out.count - written)
        return out
    }

    /// Decodes into `dst`, which holds at least `buf.count / 4 * 3 + 3` bytes; returns the count.
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let src = buf.baseAddress, let out = dst.baseAddress else { return 0 }
        let count = buf.count
        var written = 0
        var accumulator: UInt32 = 0
        var pending = 0
        var index = 0
        table.withUnsafeBufferPointer { table in
            // Fast path: four valid characters in a row.
            while index < count {
                if pending == 0 && index + 4 <= count {
                    let a = table[Int(src[index])]
                    let b = table[Int(src[index + 1])]
                    let c = table[Int(src[index + 2])]
                    let d = table[Int(src[index + 3])]
                    if (a | b | c | d) < 64 {
                        let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        out[written] = UInt8(truncatingIfNeeded: value >> 16)
                        out[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                        out[written + 2] = UInt8(truncatingIfNeeded: value)
                        written += 3
                        index += 4
                        continue
                    }
                }
                let byte = src[index]
                index += 1
                let value = table[Int(byte)]
                if value < 64 {
                    accumulator = accumulator << 6 | UInt32(value)
                    pending += 1
                    if pending == 4 {
                        out[written] = UInt8(truncatingIfNeeded: accumulator >> 16)
                        out[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
                        out[written + 2] = UInt8(truncatingIfNeeded: accumulator)
                        written += 3
                        accumulator = 0
                        pending = 0
                    }
                } else if byte == UInt8(ascii: "=") {
                    written += flushPartial(accumulator, pending, into: out + written)
                    accumulator = 0
                    pending = 0
                }
            }
            written += flushPartial(accumulator, pending, into: out + written)
        }
        return written
    }

    @inline(__always)
    private static func flushPartial(_ accumulator: UInt32, _ pending: Int, into out: UnsafeMutablePointer<UInt8>)
        -> Int
    {
        switch pending {
        case 2:
            out[0] = UInt8(truncatingIfNeeded: accumulator >> 4)
            return 1
        case 3:
            out[0] = UInt8(truncatingIfNeeded: accumulator >> 10)
            out[1] = UInt8(truncatingIfNeeded: accumulator >> 2)
            return 2
        default:
            return 0
        }
    }

    /// 0-63 for the alphabet (also the URL-safe `-` and `_`), 0xFF otherwise.
    static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Standard base64 with `=` padding, in lines of 76 characters when `lineLength` is given.
    public static func encode(_ bytes: [UInt8], lineLength: Int? = nil) -> String {
        Base64Encoding.standard.encode(bytes, lineLength: lineLength)
    }
}
