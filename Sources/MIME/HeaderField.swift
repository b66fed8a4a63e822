/// One header field (RFC 5322 section 2.2): a name and its value as written.
///
/// ```
/// Subject: =?utf-8?q?Caf=C3=A9?=
///  order
/// ```
/// `name` is `Subject`, `rawValue` keeps the folding (`=?utf-8?q?Caf=C3=A9?=\r\n order`),
/// `unfoldedValue` removes it (section 2.2.3) and `value` also decodes RFC 2047 encoded words.
/// Bytes outside ASCII are read as UTF-8 (RFC 6532) or, when that fails, as windows-1252.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var rawValue: String

    public init(name: String, rawValue: String) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The value with folding removed and outer whitespace trimmed (RFC 5322 section 2.2.3).
    public var unfoldedValue: String { HeaderField.unfold(rawValue) }

    /// The unfolded value with RFC 2047 encoded words decoded.
    public var value: String { EncodedWord.decode(unfoldedValue) }

    /// Removes CR and LF, keeping the whitespace that follows them, and trims the result.
    static func unfold(_ raw: String) -> String {
        var utf8 = Array(raw.utf8)
        if utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            utf8.removeAll { $0 == 13 || $0 == 10 }
        }
        var start = 0
        var end = utf8.count
        while start < end, utf8[start] == 32 || utf8[start] == 9 { start += 1 }
        while end > start, utf8[end - 1] == 32 || utf8[end - 1] == 9 { end -= 1 }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}
