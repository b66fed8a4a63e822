/// Lenient quoted-printable decoding (RFC 2045 section 6.7): `=XX` (either case) is a byte, `=` at
/// the end of a line is a soft line break (also with white space after it), white space at the end
/// of a line is dropped (rule 3), and a bad escape is kept literally.
public enum QuotedPrintable {
    public static func decode(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    static func decode(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: buf.count)
        let written = out.withUnsafeMutableBufferPointer { dst -> Int in
            guard let src = buf.baseAddress, let dest = dst.baseAddress else { return 0 }
            let count = buf.count
            var index = 0
            var written = 0
            while index < count {
                let byte = src[index]
                if byte == UInt8(ascii: "=") {
                    if index + 2 < count, let high = hexValue(src[index + 1]), let low = hexValue(src[index + 2]) {
                        dest[written] = high << 4 | low
                        written += 1
                        index += 3
                        continue
                    }
                    // Soft line break: `=`, optional white space, then CRLF, LF or the end.
                    var probe = index + 1
                    while probe < count, src[probe] == ByteScan.space || src[probe] == ByteScan.tab { probe += 1 }
                    if probe == count {
                        index = probe
                        continue
                    }
                    if src[probe] == ByteScan.lf {
                        index = probe + 1
                        continue
                    }
                    if src[probe] == ByteScan.cr {
                        index = probe + 1 < count && src[probe + 1] == ByteScan.lf ? probe + 2 : probe + 1
                        continue
                    }
                    dest[written] = byte
                    written += 1
                    index += 1
                    continue
                }
                if byte == ByteScan.space || byte == ByteScan.tab {
                    // Trailing white space before a line break is transport padding.
                    var probe = index + 1
                    while probe < count, src[probe] == ByteScan.space || src[probe] == ByteScan.tab { probe += 1 }
                    if probe == count || src[probe] == ByteScan.lf || src[probe] == ByteScan.cr {
                        index = probe
                        continue
                    }
                    while index < probe {
                        dest[written] = src[index]
                        written += 1
                        index += 1
                    }
                    continue
                }
                dest[written] = byte
                written += 1
                index += 1
            }
            return written
        }
        out.removeLast(out.count - written)
        return out
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
