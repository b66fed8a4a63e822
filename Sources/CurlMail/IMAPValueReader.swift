/// One value of an IMAP response (RFC 9051 section 4): a parenthesised list, a string (quoted or a
/// literal `{n}` CRLF followed by n bytes), or an atom (`NIL`, a number, anything else).
enum IMAPValue: Sendable, Equatable {
    case list([IMAPValue])
    case string(String)
    case atom(String)

    var list: [IMAPValue]? {
        if case .list(let values) = self { return values }
        return nil
    }

    /// A string's text; nil for NIL, atoms and lists.
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var number: Int? {
        if case .atom(let text) = self, text.utf8.count <= 18 { return Int(text) }
        return nil
    }
}

/// Reads IMAP values from bytes. Pure; every malformed input (unbalanced parentheses, an unterminated
/// string, a literal longer than the bytes that follow, nesting deeper than `maxDepth`) gives nil.
struct IMAPValueReader {
    let bytes: [UInt8]
    var position: Int
    let maxDepth: Int

    mutating func value(depth: Int = 0) -> IMAPValue? {
        skipSpaces()
        guard position < bytes.count, depth <= maxDepth else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "("):
            position += 1
            var values: [IMAPValue] = []
            while true {
                skipSpaces()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ")") {
                    position += 1
                    return .list(values)
                }
                guard let next = value(depth: depth + 1) else { return nil }
                values.append(next)
            }
        case UInt8(ascii: "\""):
            return quoted()
        case UInt8(ascii: "{"):
            return literal()
        case UInt8(ascii: ")"):
            return nil
        default:
            return atom()
        }
    }

    private mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
    }

    private mutating func quoted() -> IMAPValue? {
        position += 1
        var text: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                text.append(bytes[position])
                position += 1
            case UInt8(ascii: "\""):
                return .string(String(decoding: text, as: UTF8.self))
            case 0x0D, 0x0A:
                return nil
            default:
                text.append(byte)
            }
        }
        return nil
    }

    /// `{n}` CRLF and n bytes; n must fit in what is left.
    private mutating func literal() -> IMAPValue? {
        position += 1
        var count = 0
        var digits = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            count = count * 10 + Int(bytes[position] - UInt8(ascii: "0"))
            digits += 1
            position += 1
            guard digits <= 9 else { return nil }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "+") { position += 1 }
        guard digits > 0, position < bytes.count, bytes[position] == UInt8(ascii: "}") else { return nil }
        position += 1
        guard position + 1 < bytes.count, bytes[position] == 0x0D, bytes[position + 1] == 0x0A else { return nil }
        position += 2
        guard count <= bytes.count - position else { return nil }
        let text = String(decoding: bytes[position..<position + count], as: UTF8.self)
        position += count
        return .string(text)
    }

    private mutating func atom() -> IMAPValue? {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == 0x0D
                || byte == 0x0A || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{")
            {
                break
            }
            position += 1
        }
        guard position > start else { return nil }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return text.uppercased() == "NIL" ? .atom("NIL") : .atom(text)
    }
}
