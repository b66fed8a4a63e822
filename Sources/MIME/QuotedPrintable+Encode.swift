/// Quoted-printable encoding of text (RFC 2045 section 6.7) with CRLF line breaks.
///
/// ```
/// Café = 3 €␠␠⏎        →  Caf=C3=A9 =3D 3 =E2=82=AC =20⏎
/// From the desk⏎       →  =46rom the desk⏎
/// .⏎                   →  =2E⏎
/// ```
/// Line breaks in the input (CRLF, a lone LF or a lone CR) become CRLF (rule 4). Printable ASCII
/// other than `=` is written as is (rule 2); `=`, control characters and every byte of a non-ASCII
/// character are `=XX` with upper-case hex (rule 1); a space or tab at the end of a line is encoded
/// (rule 3). Encoded lines hold at most 76 characters, a soft line break `=` ending those that
/// continue (rule 5); the bytes of one UTF-8 character are never split across two lines. A `.` or the `F` of `From ` at the start of an encoded line is encoded too,
/// so neither SMTP dot-stuffing nor mbox `>From ` quoting can change the body.
extension QuotedPrintable {
    /// The longest encoded line, soft break included.
    static let maxLineLength = 76

    /// Encodes UTF-8 text; the output ends with CRLF exactly when the text ends with a line break.
    public static func encode(_ text: String) -> [UInt8] {
        encode(Array(text.utf8))
    }

    /// Encodes text bytes (line breaks are normalised as for `encode(_: String)`).
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4 + 16)
        var lineLength = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == ByteScan.cr || byte == ByteScan.lf {
                out += [ByteScan.cr, ByteScan.lf]
                lineLength = 0
                index += byte == ByteScan.cr && index + 1 < count && bytes[index + 1] == ByteScan.lf ? 2 : 1
                continue
            }
            // A UTF-8 character is kept on one encoded line: its bytes are fitted as one group.
            let groupEnd = index + continuationBytes(bytes, after: index)
            let next = groupEnd + 1
            let endsLine = next == count || bytes[next] == ByteScan.cr || bytes[next] == ByteScan.lf
            var literal: Bool
            switch byte {
            case 33...60, 62...126: literal = true
            case ByteScan.space, ByteScan.tab: literal = !endsLine
            default: literal = false
            }
            let width = literal ? 1 : 3 * (groupEnd - index + 1)
            if lineLength + width > (endsLine ? maxLineLength : maxLineLength - 1) {
                out += [UInt8(ascii: "="), ByteScan.cr, ByteScan.lf]
                lineLength = 0
            }
            if lineLength == 0, literal, startsUnsafeLine(bytes, at: index) { literal = false }
            if literal {
                out.append(byte)
                lineLength += 1
            } else {
                for groupByte in bytes[index...groupEnd] { out += hexEscape(groupByte) }
                lineLength += 3 * (groupEnd - index + 1)
            }
            index = groupEnd + 1
        }
        return out
    }

    /// How many UTF-8 continuation bytes follow a lead byte at `index` (0 for anything else).
    static func continuationBytes(_ bytes: [UInt8], after index: Int) -> Int {
        let lead = bytes[index]
        guard lead >= 0xC2, lead <= 0xF4 else { return 0 }
        let expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1
        var found = 0
        while found < expected, index + found + 1 < bytes.count, bytes[index + found + 1] & 0xC0 == 0x80 {
            found += 1
        }
        return found
    }

    /// True when a line starting at `index` would begin with `.` or `From `.
    static func startsUnsafeLine(_ bytes: [UInt8], at index: Int) -> Bool {
        let byte = bytes[index]
        if byte == UInt8(ascii: ".") { return true }
        guard byte == UInt8(ascii: "F"), index + 4 < bytes.count else { return false }
        return bytes[index + 1] == UInt8(ascii: "r") && bytes[index + 2] == UInt8(ascii: "o")
            && bytes[index + 3] == UInt8(ascii: "m") && bytes[index + 4] == ByteScan.space
    }

    /// `=XX` with upper-case hex digits.
    static func hexEscape(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
