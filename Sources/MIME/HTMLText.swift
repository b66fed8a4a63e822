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
        // The five are ASCII, so a byte scan finds them; most text has none and is returned as it is.
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
            case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
            case 0x27: out += [0x26, 0x23, 0x33, 0x39, 0x3B]  // &#39;
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
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
