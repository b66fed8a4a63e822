/// Plain text from HTML mail bodies, for the text of HTML-only mail and for display as text.
///
/// `script`, `style`, `head` and comments are dropped; block elements and `<br>` become line
/// breaks (paragraphs a blank line), list items start with `- `, table cells are separated by a
/// space; other white space collapses to one space except inside `<pre>`; character references
/// are decoded; link text is kept.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String {
        var writer = Writer()
        let bytes = Array(html.utf8)
        var index = 0
        var skipUntil: String?
        var preDepth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), let tag = Tag.read(bytes, at: index) {
                index = tag.end
                if let closing = skipUntil {
                    if tag.isClosing && tag.name == closing
                        || (closing == "head" && tag.name == "body" && !tag.isClosing)
                    {
                        skipUntil = nil
                    }
                    continue
                }
                if tag.isComment || tag.name.isEmpty { continue }
                if !tag.isClosing && skippedElements.contains(tag.name) && !tag.selfClosing {
                    skipUntil = tag.name
                    continue
                }
                handle(tag, writer: &writer, preDepth: &preDepth)
                continue
            }
            if skipUntil != nil {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "&") {
                let entity = HTMLEntities.decode(bytes, at: index)
                writer.text(entity.value, preformatted: preDepth > 0)
                index = entity.end
                continue
            }
            // Copy a run of text up to the next markup.
            let start = index
            index += 1  // Also a `<` that starts no markup.
            while index < bytes.count, bytes[index] != UInt8(ascii: "<"), bytes[index] != UInt8(ascii: "&") {
                index += 1
            }
            writer.text(bytes[start..<index], preformatted: preDepth > 0)
        }
        return writer.finish()
    }

    /// Escapes `& < > " '` for HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static let skippedElements: Set<String> = ["script", "style", "head", "title", "template", "noscript", "xml"]
    static let paragraphElements: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl", "pre", "hr",
    ]
    static let lineElements: Set<String> = [
        "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "address",
        "center", "form", "fieldset", "figure", "main", "tbody", "thead", "tfoot", "caption", "body", "html",
    ]

    private static func handle(_ tag: Tag, writer: inout Writer, preDepth: inout Int) {
        let name = tag.name
        if name == "br" {
            writer.lineBreak()
        } else if name == "pre" {
            preDepth = max(0, preDepth + (tag.isClosing ? -1 : 1))
            writer.ensureNewlines(2)
        } else if paragraphElements.contains(name) {
            writer.ensureNewlines(2)
        } else if name == "li" && !tag.isClosing {
            writer.ensureNewlines(1)
            writer.text(Array("- ".utf8)[...], preformatted: true)
        } else if lineElements.contains(name) {
            writer.ensureNewlines(1)
        } else if name == "td" || name == "th" {
            if !tag.isClosing { writer.space() }
        } else if name == "img", !tag.isClosing, let alt = tag.alt, !alt.isEmpty {
            writer.text(Array(alt.utf8)[...], preformatted: false)
        }
    }
}
