public import MailModel

/// Address lists (RFC 5322 section 3.4) with the obsolete forms of section 4.4 and real-world
/// breakage:
///
/// ```
/// To: "Lovelace, Ada" <ada@example.org>, bob@example.org (Bob),
///  Team: carol@example.org, <dan@example.org>;, Eve Example eve@example.org
/// ```
/// Groups are flattened into their members, comments give a name when there is no phrase, routes
/// (`<@relay:ada@example.org>`) are dropped, a missing pair of angle brackets is tolerated, and
/// display names are RFC 2047 decoded (also inside quoted strings). Entries without any address
/// are left out.
public enum AddressParser {
    enum Token: Equatable {
        case word(String, quoted: Bool)
        case comment(String)
        case angle(String)
        case special(UInt8)
    }

    public static func parse(_ value: String) -> [EmailAddress] {
        let tokens = tokenize(Array(value.utf8))
        var result: [EmailAddress] = []
        var current: [(token: Token, spaced: Bool)] = []
        for item in tokens {
            switch item.token {
            case .special(UInt8(ascii: ",")), .special(UInt8(ascii: ";")):
                if let address = mailbox(current) { result.append(address) }
                current.removeAll()
            case .special(UInt8(ascii: ":")):
                // A group name ends here (section 3.4); its members follow.
                if current.contains(where: { if case .angle = $0.token { return true } else { return false } }) {
                    current.append(item)
                } else {
                    current.removeAll()
                }
            default:
                current.append(item)
            }
        }
        if let address = mailbox(current) { result.append(address) }
        return result
    }

    /// One mailbox from its tokens: `phrase <addr>`, `addr (comment)` or `phrase addr`.
    static func mailbox(_ items: [(token: Token, spaced: Bool)]) -> EmailAddress? {
        guard !items.isEmpty else { return nil }
        var phrase: [String] = []
        var comments: [String] = []
        var angle: String?
        var plain: [(token: Token, spaced: Bool)] = []
        for item in items {
            switch item.token {
            case .angle(let address): if angle == nil || angle?.isEmpty == true { angle = address }
            case .comment(let text): comments.append(text)
            case .word(let text, _):
                phrase.append(text)
                plain.append(item)
            case .special: plain.append(item)
            }
        }
        if let angle {
            let name = displayName(phrase.joined(separator: " ")) ?? displayName(comments.joined(separator: " "))
            return angle.isEmpty ? nil : EmailAddress(name: name, address: angle)
        }
        guard let at = plain.lastIndex(where: { $0.token == .special(UInt8(ascii: "@")) }) else { return nil }
        // The local part: words before `@` joined by dots or written without white space.
        var localStart = at
        if at > 0, case .word = plain[at - 1].token { localStart = at - 1 }
        while localStart > 0, localStart < at, case .word(let previous, _) = plain[localStart - 1].token,
            case .word(let text, _) = plain[localStart].token
        {
            if plain[localStart].spaced && !previous.hasSuffix(".") && !text.hasPrefix(".") { break }
            localStart -= 1
        }
        var domainEnd = at + 1
        while domainEnd < plain.count {
            guard case .word(let text, _) = plain[domainEnd].token else { break }
            if domainEnd > at + 1, case .word(let previous, _) = plain[domainEnd - 1].token,
                plain[domainEnd].spaced && !previous.hasSuffix(".") && !text.hasPrefix(".")
            {
                break
            }
            domainEnd += 1
        }
        var address = ""
        for item in plain[localStart..<domainEnd] {
            switch item.token {
            case .word(let text, let quoted): address += quoted ? "\"\(text)\"" : text
            case .special(let byte): address.unicodeScalars.append(Unicode.Scalar(byte))
            default: break
            }
        }
        let nameWords = plain[..<localStart].compactMap { item -> String? in
            if case .word(let text, _) = item.token { return text }
            return nil
        }
        let name = displayName(nameWords.joined(separator: " ")) ?? displayName(comments.joined(separator: " "))
        guard address.count > 1, address.contains("@") else { return nil }
        return EmailAddress(name: name, address: address)
    }

    static func displayName(_ raw: String) -> String? {
        let decoded = ByteScan.trimmed(EncodedWord.decode(raw))
        return decoded.isEmpty ? nil : decoded
    }
}
