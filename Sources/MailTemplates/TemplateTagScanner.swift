/// One Mustache tag found in a template's source, with the line it starts on.
struct TemplateTag: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `{{name}}`: escaped in HTML.
        case variable
        /// `{{{name}}}` or `{{&name}}`: never escaped.
        case unescaped
        /// `{{#name}}`.
        case section
        /// `{{^name}}`.
        case inverted
        /// `{{/name}}`.
        case close
        /// `{{>name}}`.
        case partial
        /// `{{<name}}`: a partial whose blocks the template fills in.
        case parent
        /// `{{$name}}`: a block, defined in a parent or filled in by its child.
        case block
        /// `{{%NAME: value}}`.
        case pragma
        /// `{{!…}}` and `{{=<% %>=}}`.
        case other
    }

    let kind: Kind
    /// The tag's content without its sigil, trimmed: a name (maybe with transforms), a partial's name,
    /// or a pragma's `NAME: value`.
    let content: String
    let line: Int
    /// False when the text ends before the tag's closing delimiter.
    var terminated = true

    /// The variable's name and the transforms applied to it, outermost first:
    /// `uppercased(ticket.subject)` gives (`ticket.subject`, [`uppercased`]), `first()` gives ("", [`first`]).
    var nameAndTransforms: (name: String, transforms: [String]) {
        var rest = Substring(content)
        var transforms: [String] = []
        while let open = rest.firstIndex(of: "(") {
            transforms.append(String(rest[..<open]))
            rest = rest[rest.index(after: open)...]
        }
        return (rest.filter { $0 != ")" }, transforms)
    }
}

/// Lists the tags of a Mustache template, following delimiter changes (`{{=<% %>=}}`).
///
/// It does not judge syntax (swift-mustache's parser does that); it only reads what is there, so
/// that the checker can see every name a template uses and on which line.
enum TemplateTagScanner {
    static func scan(_ source: String) -> [TemplateTag] {
        let characters = Array(source)
        var open: [Character] = ["{", "{"]
        var close: [Character] = ["}", "}"]
        var tags: [TemplateTag] = []
        var line = 1
        var index = 0
        while index < characters.count {
            guard starts(characters, with: open, at: index) else {
                if characters[index] == "\n" || characters[index] == "\r\n" { line += 1 }
                index += 1
                continue
            }
            let tagLine = line
            var start = index + open.count
            var end: [Character] = close
            if start < characters.count, characters[start] == "{" {
                end = ["}"] + close
            }
            var stop = start
            while stop < characters.count, !starts(characters, with: end, at: stop) {
                if characters[stop] == "\n" || characters[stop] == "\r\n" { line += 1 }
                stop += 1
            }
            let terminated = stop < characters.count
            guard start < stop else {
                if !terminated { tags.append(TemplateTag(kind: .other, content: "", line: tagLine, terminated: false)) }
                index = min(stop + end.count, characters.count)
                continue
            }
            let sigil = characters[start]
            let kind = kind(of: sigil)
            if kind != .variable { start += 1 }
            let content = String(characters[start..<stop]).trimmingWhitespace
            if sigil == "=" { setDelimiters(from: content, open: &open, close: &close) }
            tags.append(TemplateTag(kind: kind, content: content, line: tagLine, terminated: terminated))
            index = min(stop + end.count, characters.count)
        }
        return tags
    }

    private static func kind(of sigil: Character) -> TemplateTag.Kind {
        switch sigil {
        case "#": .section
        case "^": .inverted
        case "/": .close
        case "{", "&": .unescaped
        case ">": .partial
        case "<": .parent
        case "$": .block
        case "%": .pragma
        case "!", "=": .other
        default: .variable
        }
    }

    /// `<% %>=` (the content of `{{=<% %>=}}` after its first `=`) sets the delimiters to `<%` and `%>`.
    private static func setDelimiters(from content: String, open: inout [Character], close: inout [Character]) {
        guard content.hasSuffix("=") else { return }
        let parts = content.dropLast().split(whereSeparator: \.isWhitespace)
        guard parts.count == 2 else { return }
        open = Array(parts[0])
        close = Array(parts[1])
    }

    private static func starts(_ characters: [Character], with prefix: [Character], at index: Int) -> Bool {
        guard !prefix.isEmpty, index + prefix.count <= characters.count else { return false }
        for offset in 0..<prefix.count where characters[index + offset] != prefix[offset] { return false }
        return true
    }
}

extension String {
    /// The string without leading and trailing white space (spaces, tabs, line ends).
    var trimmingWhitespace: String {
        let scalars = Substring(self).drop { $0.isWhitespace }
        return String(scalars.reversed().drop { $0.isWhitespace }.reversed())
    }
}
