/// One mailbox of an address list (RFC 5322 section 3.4), e.g. `"Ada Lovelace" <ada@example.org>`.
///
/// `name` is the decoded display name (RFC 2047 words already decoded) or nil when there was none.
/// `address` is the addr-spec as written, without angle brackets.
public struct EmailAddress: Sendable, Hashable, Codable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Whether `text` looks like a bare address someone could receive mail at: one `@`, a dotted
    /// domain, no spaces or brackets. For forms and configuration, not for parsing headers.
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasSuffix(".")
            && !parts[1].hasPrefix(".") && text.utf8.count <= 254
            && !text.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\"" })
            && !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
    }

    /// The address folded for comparisons: the whole address lowercased.
    ///
    /// RFC 5321 lets the local part be case-sensitive, but no mail system in use treats it so and
    /// customers do not type it consistently; a helpdesk must see `Ada@X` and `ada@x` as one person.
    public var normalized: String { address.lowercased() }

    /// The domain part, lowercased, or nil when the address has no `@`.
    public var domain: String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        return String(address[address.index(after: at)...]).lowercased()
    }

    /// `Name <address>` for people to read (not for a header: no quoting or encoding is done).
    public var display: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}
