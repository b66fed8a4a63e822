/// Why `MessageWriter` refused to write a mail: a value that cannot be put in a header safely.
///
/// Addresses, message ids and field names are structured: they are checked, never repaired, since a
/// repaired address would reach someone else. `field` names the header at fault (`To`, `Message-ID`,
/// `References`, an extra field's name); `reason` quotes the bad value with control characters
/// shown as escapes (`\r`), so the error never carries a raw CR or LF into a log line.
public struct MessageWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not `local@domain` with a printable ASCII local part and an ASCII domain.
        case invalidAddress
        /// Not a message id that fits between angle brackets (RFC 5322 section 3.6.4).
        case invalidMessageID
        /// Not a field name (RFC 5322 section 2.2: printable ASCII, no colon, no space).
        case invalidFieldName
        /// An extra field the writer sets itself (`From`, `Content-Type`, ...).
        case reservedFieldName
    }

    public var kind: Kind
    /// The header field at fault, printable.
    public var field: String
    /// One line saying what is wrong.
    public var reason: String

    public init(_ kind: Kind, field: String, reason: String) {
        self.kind = kind
        self.field = Self.printable(field)
        self.reason = Self.printable(reason)
    }

    public var description: String { "\(field): \(reason)" }

    /// A value for an error message: control characters escaped, cut after `limit` characters.
    static func printable(_ value: String, limit: Int = 200) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if out.unicodeScalars.count >= limit {
                out += "..."
                break
            }
            switch scalar {
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if EncodedWord.isControl(scalar) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
