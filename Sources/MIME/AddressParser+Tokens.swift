extension AddressParser {
    /// Splits an unfolded address field into words, quoted strings, comments, angle addresses and
    /// the specials `@ , ; :` (RFC 5322 section 3.2). `spaced` tells whether white space preceded.
    static func tokenize(_ bytes: [UInt8]) -> [(token: Token, spaced: Bool)] {
        var tokens: [(token: Token, spaced: Bool)] = []
        var index = 0
        var spaced = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0...32:
                spaced = true
                index += 1
                continue
            case UInt8(ascii: "\""):
                let text = ByteScan.quotedString(bytes, at: &index)
                tokens.append((.word(String(decoding: text, as: UTF8.self), quoted: true), spaced))
            case UInt8(ascii: "("):
                var depth = 0
                var text: [UInt8] = []
                while index < bytes.count {
                    let current = bytes[index]
                    if current == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        text.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    if current == UInt8(ascii: "(") {
                        depth += 1
                        if depth > 1 { text.append(current) }
                    } else if current == UInt8(ascii: ")") {
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            break
                        }
                        text.append(current)
                    } else {
                        text.append(current)
                    }
                    index += 1
                }
                tokens.append((.comment(String(decoding: text, as: UTF8.self)), spaced))
            case UInt8(ascii: "<"):
                var text: [UInt8] = []
                index += 1
                var inQuote = false
                while index < bytes.count {
                    let current = bytes[index]
                    if current == UInt8(ascii: "\"") { inQuote.toggle() }
                    if !inQuote && current == UInt8(ascii: ">") { break }
                    if !inQuote && current == UInt8(ascii: "(") {
                        // A comment inside the address: skip it.
                        while index < bytes.count, bytes[index] != UInt8(ascii: ")") { index += 1 }
                    } else if inQuote || !ByteScan.isWhitespace(current) {
                        text.append(current)
                    }
                    index += 1
                }
                index += 1
                tokens.append((.angle(angleAddress(text)), spaced))
            case UInt8(ascii: "@"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"):
                tokens.append((.special(byte), spaced))
                index += 1
            case UInt8(ascii: ">"), UInt8(ascii: ")"):
                index += 1
            default:
                let start = index
                while index < bytes.count {
                    let current = bytes[index]
                    if current <= 32 || current == UInt8(ascii: "\"") || current == UInt8(ascii: "(")
                        || current == UInt8(ascii: "<") || current == UInt8(ascii: "@") || current == UInt8(ascii: ",")
                        || current == UInt8(ascii: ";") || current == UInt8(ascii: ":") || current == UInt8(ascii: ">")
                        || current == UInt8(ascii: ")")
                    {
                        break
                    }
                    index += 1
                }
                tokens.append((.word(String(decoding: bytes[start..<index], as: UTF8.self), quoted: false), spaced))
            }
            spaced = false
        }
        return tokens
    }

    /// The address inside angle brackets without an obsolete route (`@relay1,@relay2:`) or `mailto:`.
    static func angleAddress(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("@"), let colon = text.lastIndex(of: ":") {
            text = String(text[text.index(after: colon)...])
        }
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        return text
    }
}
