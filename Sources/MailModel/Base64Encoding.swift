/// Base64 encoding (RFC 4648): the standard alphabet with `=` padding for mail bodies and encoded
/// words, or the URL-safe alphabet without padding (section 5) for tokens in links and cookies.
public enum Base64Encoding: Sendable {
    case standard
    case urlSafe

    /// `bytes` encoded, in lines of `lineLength` characters separated by CRLF when one is given.
    public func encode(_ bytes: [UInt8], lineLength: Int? = nil) -> String {
        let alphabet = self == .standard ? Self.standardAlphabet : Self.urlSafeAlphabet
        let padded = self == .standard
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4 / 3 + 4 + (lineLength.map { bytes.count / max($0, 1) * 2 } ?? 0))
        var index = 0
        var lineCount = 0
        while index < bytes.count {
            let a = UInt32(bytes[index])
            let b = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let c = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let value = a << 16 | b << 8 | c
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            if index + 1 < bytes.count {
                out.append(alphabet[Int(value >> 6 & 63)])
            } else if padded {
                out.append(UInt8(ascii: "="))
            }
            if index + 2 < bytes.count {
                out.append(alphabet[Int(value & 63)])
            } else if padded {
                out.append(UInt8(ascii: "="))
            }
            index += 3
            lineCount += 4
            if let lineLength, lineCount >= lineLength, index < bytes.count {
                out.append(contentsOf: [13, 10])
                lineCount = 0
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlSafeAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
}
