/// Chooses the text and HTML bodies of a MIME tree and lists everything else as attachments,
/// following the body-part algorithm of RFC 8621 section 4.1.4 (JMAP `textBody`/`htmlBody`):
/// in a multipart/alternative the text/plain and text/html alternatives go to their own body; in
/// multipart/mixed every inline text part belongs to both, in order; in multipart/related only
/// the first part is body. A text part with `Content-Disposition: attachment` or a file name is
/// an attachment. When there is no text/plain body the text is derived from the HTML.
enum BodySelector {
    struct Selection {
        var text: String
        var html: String?
        var attachments: [Attachment]
    }

    private struct Walk {
        var leaves: [MIMEPart] = []
        var textBody: [Int] = []
        var htmlBody: [Int] = []
    }

    static func select(_ root: MIMEPart) -> Selection {
        var walk = Walk()
        if root.isMultipart {
            let subtype = subtypeOf(root.mimeType)
            visit(root.children, multipartType: subtype, inAlternative: subtype == "alternative", walk: &walk)
        } else {
            visit([root], multipartType: "mixed", inAlternative: false, walk: &walk)
        }
        var used: Set<Int> = []
        var textPieces: [String] = []
        var extracted: [Attachment] = []
        for id in walk.textBody {
            let part = walk.leaves[id]
            if part.mimeType == "text/plain" {
                used.insert(id)
                var bytes = part.data
                if let uu = UUEncode.extract(bytes) {
                    bytes = uu.text
                    extracted += uu.blocks.map {
                        Attachment(
                            filename: $0.filename, contentType: MediaTypes.guess(filename: $0.filename),
                            size: $0.data.count, isInline: false, contentID: nil, data: $0.data)
                    }
                }
                let text = TextBody.normalize(
                    Charset.decode(bytes, charset: part.charset), parameters: part.contentType)
                textPieces.append(text)
            } else if part.mimeType == "text/html" {
                used.insert(id)
                textPieces.append(HTMLText.plainText(fromHTML: part.text))
            }
        }
        var htmlPieces: [String] = []
        let htmlIDs = walk.htmlBody
        if htmlIDs.contains(where: { walk.leaves[$0].mimeType == "text/html" }) {
            for id in htmlIDs {
                let part = walk.leaves[id]
                if part.mimeType == "text/html" {
                    used.insert(id)
                    htmlPieces.append(part.text)
                } else if part.mimeType == "text/plain" {
                    used.insert(id)
                    htmlPieces.append("<pre>" + HTMLText.escape(part.text) + "</pre>")
                }
            }
        }
        var attachments: [Attachment] = []
        for (id, part) in walk.leaves.enumerated() where !used.contains(id) {
            attachments.append(attachment(part))
            attachments += filesInside(part)
        }
        attachments += extracted
        return Selection(
            text: TextBody.join(textPieces), html: htmlPieces.isEmpty ? nil : htmlPieces.joined(),
            attachments: attachments)
    }

    /// One level of the RFC 8621 walk. `textOn`/`htmlOn` are this level's view of whether the text
    /// and HTML bodies still collect parts (a level inside an alternative stops one of them).
    private static func visit(
        _ parts: [MIMEPart], multipartType: String, inAlternative: Bool, textOn: Bool = true, htmlOn: Bool = true,
        walk: inout Walk
    ) {
        var textOn = textOn
        var htmlOn = htmlOn
        let textLength = textOn ? walk.textBody.count : -1
        let htmlLength = htmlOn ? walk.htmlBody.count : -1
        for (index, part) in parts.enumerated() {
            if part.isMultipart {
                let subtype = subtypeOf(part.mimeType)
                visit(
                    part.children, multipartType: subtype, inAlternative: inAlternative || subtype == "alternative",
                    textOn: textOn, htmlOn: htmlOn, walk: &walk)
                continue
            }
            let id = walk.leaves.count
            walk.leaves.append(part)
            let type = part.mimeType
            let isText = type == "text/plain" || type == "text/html"
            let media = isInlineMedia(type)
            let isInline =
                part.dispositionType != "attachment" && (isText || media)
                && !(isText && part.filename != nil)
                && (index == 0 || (multipartType != "related" && (media || part.filename == nil)))
            guard isInline else { continue }
            if multipartType == "alternative" {
                if type == "text/plain" && textOn {
                    walk.textBody.append(id)
                } else if type == "text/html" && htmlOn {
                    walk.htmlBody.append(id)
                }
                continue
            }
            if inAlternative {
                if type == "text/plain" { htmlOn = false }
                if type == "text/html" { textOn = false }
            }
            if textOn { walk.textBody.append(id) }
            if htmlOn { walk.htmlBody.append(id) }
        }
        if multipartType == "alternative" && textOn && htmlOn {
            if textLength == walk.textBody.count && htmlLength != walk.htmlBody.count {
                walk.textBody.append(contentsOf: walk.htmlBody[htmlLength...])
            }
            if htmlLength == walk.htmlBody.count && textLength != walk.textBody.count {
                walk.htmlBody.append(contentsOf: walk.textBody[textLength...])
            }
        }
    }

    static func isInlineMedia(_ type: String) -> Bool {
        type.hasPrefix("image/") || type.hasPrefix("audio/") || type.hasPrefix("video/")
    }

    static func subtypeOf(_ type: String) -> String {
        guard let slash = type.firstIndex(of: "/") else { return type }
        return String(type[type.index(after: slash)...])
    }

    /// The files carried by a message forwarded as an attachment (message/rfc822 with a file name),
    /// listed after it so that the invoice in a forwarded mail is at hand without opening the forward:
    /// every part at any depth with a file name or `Content-Disposition: attachment`.
    static func filesInside(_ part: MIMEPart) -> [Attachment] {
        // Only a forward sent as a file: a message shown inline is read as part of the body.
        guard let inner = part.message, part.filename != nil || part.dispositionType == "attachment" else { return [] }
        return inner.allParts.filter { candidate in
            !candidate.isMultipart && candidate.message == nil
                && (candidate.filename != nil || candidate.dispositionType == "attachment")
        }.map(attachment)
    }

    static func attachment(_ part: MIMEPart) -> Attachment {
        let data = part.data
        let contentID = part.contentID
        let disposition = part.dispositionType
        let isInline =
            disposition == "inline"
            || (disposition == nil && contentID != nil && part.mimeType.hasPrefix("image/"))
        return Attachment(
            filename: part.filename, contentType: part.mimeType, size: data.count, isInline: isInline,
            contentID: contentID, data: data)
    }
}
