import Foundation

extension HTMLText {
    /// One markup item: a start or end tag (name lowercased), a comment, or a declaration.
    struct Tag {
        var name: String
        var isClosing: Bool
        var isComment: Bool
        var selfClosing: Bool
        var alt: String?
        /// Index just past the markup.
        var end: Int

        /// Reads markup at `start` (which holds `<`), or nil when `<` is just text.
        static func read(_ bytes: [UInt8], at start: Int) -> Tag? {
            guard start + 1 < bytes.count else { return nil }
            let next = bytes[start + 1]
            if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                if start + 3 < bytes.count, bytes[start + 2] == UInt8(ascii: "-"), bytes[start + 3] == UInt8(ascii: "-")
                {
                    var index = start + 4
                    while index + 2 < bytes.count {
                        if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"),
                            bytes[index + 2] == UInt8(ascii: ">")
                        {
                            return Tag(name: "", isClosing: false, isComment: true, selfClosing: true, end: index + 3)
                        }
                        index += 1
                    }
                    return Tag(name: "", isClosing: false, isComment: true, selfClosing: true, end: bytes.count)
                }
                var index = start + 2
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                return Tag(
                    name: "", isClosing: false, isComment: true, selfClosing: true, end: min(index + 1, bytes.count))
            }
            var index = start + 1
            var isClosing = false
            if next == UInt8(ascii: "/") {
                isClosing = true
                index += 1
            }
            guard index < bytes.count, isLetter(bytes[index]) else { return nil }
            let nameStart = index
            while index < bytes.count,
                isLetter(bytes[index]) || (bytes[index] >= 48 && bytes[index] <= 57)
                    || bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            let name = String(decoding: bytes[nameStart..<index].map { $0 | 0x20 }, as: UTF8.self)
            // Attributes, quotes respected.
            let attributesStart = index
            var quote: UInt8?
            while index < bytes.count {
                let byte = bytes[index]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    break
                }
                index += 1
            }
            let selfClosing = index > attributesStart && bytes[index - 1] == UInt8(ascii: "/")
            var alt: String?
            if name == "img" { alt = attribute("alt", in: bytes[attributesStart..<index]) }
            return Tag(
                name: name, isClosing: isClosing, isComment: false, selfClosing: selfClosing, alt: alt,
                end: min(index + 1, bytes.count))
        }

        init(name: String, isClosing: Bool, isComment: Bool, selfClosing: Bool, alt: String? = nil, end: Int) {
            self.name = name
            self.isClosing = isClosing
            self.isComment = isComment
            self.selfClosing = selfClosing
            self.alt = alt
            self.end = end
        }

        static func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }

        /// A quoted attribute value, entities decoded.
        static func attribute(_ name: String, in bytes: ArraySlice<UInt8>) -> String? {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let range = text.range(of: name + "=", options: .caseInsensitive) else { return nil }
            var rest = text[range.upperBound...]
            guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return nil }
            return HTMLEntities.decodeAll(String(rest[..<close]))
        }
    }
}
