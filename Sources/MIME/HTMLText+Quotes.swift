extension HTMLText {
    /// The HTML before the first container of quoted or forwarded history, or nil when there is none.
    ///
    /// Containers, by client: Gmail `class="gmail_quote"`; Apple Mail and Thunderbird
    /// `<blockquote type="cite">` and `class="moz-cite-prefix"`; Outlook `id="divRplyFwdMsg"`,
    /// `id="appendonsend"`, the header `<div style="border-top:solid #E1E1E1 ...">` (`#B5C4DF` in
    /// older versions), `OLK_SRC_BODY_SECTION`, `OutlookMessageHeader` and
    /// `mail-editor-reference-message-container`; Windows Live `<hr id="stopSpelling">`; Yahoo
    /// `yahoo_quoted`; Proton Mail `protonmail_quote`; Zoho `zmail_extra`. The result is cut at the
    /// start tag of the first one; the HTML is otherwise unchanged (open elements stay open).
    public static func htmlBeforeQuotedHistory(_ html: String) -> String? {
        let bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            guard let tag = Tag.read(bytes, at: index) else {
                index += 1
                continue
            }
            if !tag.isClosing, !tag.isComment, containerElements.contains(tag.name),
                isQuoteContainer(name: tag.name, markup: bytes[index..<tag.end])
            {
                return String(decoding: bytes[..<index], as: UTF8.self)
            }
            index = max(tag.end, index + 1)
        }
        return nil
    }

    static let containerElements: Set<String> = ["div", "blockquote", "hr", "span", "section", "table", "p"]

    /// Attribute markers of quote containers, lowercase, white space removed.
    static let quoteMarkers: [[UInt8]] = [
        "gmail_quote", "moz-cite-prefix", "divrplyfwdmsg", "appendonsend", "yahoo_quoted", "stopspelling",
        "olk_src_body_section", "outlookmessageheader", "mail-editor-reference-message-container",
        "protonmail_quote", "zmail_extra", "border-top:solid#e1e1e1", "border-top:solid#b5c4df",
    ].map { Array($0.utf8) }

    static let citeMarkers: [[UInt8]] = ["type=\"cite\"", "type=cite", "type='cite'"].map { Array($0.utf8) }

    static func isQuoteContainer(name: String, markup: ArraySlice<UInt8>) -> Bool {
        // Attributes lowercased without white space, so `border-top: solid #E1E1E1` matches too.
        var squeezed: [UInt8] = []
        squeezed.reserveCapacity(markup.count)
        for byte in markup where byte != 32 && byte != 9 && byte != 10 && byte != 13 {
            squeezed.append(byte >= 65 && byte <= 90 ? byte | 0x20 : byte)
        }
        if name == "blockquote", citeMarkers.contains(where: { contains(squeezed, $0) }) { return true }
        return quoteMarkers.contains { contains(squeezed, $0) }
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let head = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == head {
                var matched = 1
                while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
