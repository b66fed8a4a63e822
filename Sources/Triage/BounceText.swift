import MIME

/// The human-readable part of a bounce, split into the notification (what the mail system says)
/// and the returned copy of the original mail that many formats quote below it.
///
/// Non-standard bounces (Postfix, qmail, Exim, Exchange, Domino, ...) put the notification in the
/// first text parts and mark where the returned mail starts with a line such as
/// `--- Below this line is a copy of the message.` or `------ This is a copy of the message,
/// including all the headers. ------`. Everything is bounded so that a huge mail costs little.
struct BounceText: Sendable {
    /// Lines of the notification, before the returned mail; untrimmed.
    var notification: [String]
    /// Lines after the cut: the returned mail or its headers, when quoted inline.
    var returned: [String]

    /// The most notification text read, in bytes of UTF-8.
    static let maxCharacters = 64 * 1024
    /// The most lines kept on each side of the cut.
    static let maxLines = 400

    init(notification: [String], returned: [String]) {
        self.notification = notification
        self.returned = returned
    }

    /// Reads the text parts of a mail that are not inside a returned message or report part.
    init(_ mail: ParsedMail) {
        var plain: [String] = []
        var html: [String] = []
        BounceText.collect(mail.root, plain: &plain, html: &html, depth: 0)
        var text = plain.joined(separator: "\n")
        if text.allSatisfy(\.isWhitespace) {
            text = html.map(HTMLText.plainText(fromHTML:)).joined(separator: "\n")
        }
        self.init(text: text)
    }

    /// Splits plain text at the first line that starts the returned mail.
    init(text: String) {
        var notification: [String] = []
        var returned: [String] = []
        var cut = false
        let head = String(decoding: text.utf8.prefix(BounceText.maxCharacters), as: UTF8.self)
        for rawLine in head.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            if !cut && BounceText.startsReturnedMail(line) { cut = true }
            if cut {
                guard returned.count < BounceText.maxLines else { break }
                returned.append(line)
            } else if notification.count < BounceText.maxLines {
                notification.append(line)
            }
        }
        self.init(notification: notification, returned: returned)
    }

    private static func collect(_ part: MIMEPart, plain: inout [String], html: inout [String], depth: Int) {
        guard depth < 8 else { return }
        if part.isMultipart {
            for child in part.children.prefix(16) { collect(child, plain: &plain, html: &html, depth: depth + 1) }
            return
        }
        guard part.dispositionType != "attachment" else { return }
        switch part.mimeType {
        case "text/plain": plain.append(Charset.decode(Array(part.data.prefix(maxCharacters)), charset: part.charset))
        case "text/html": html.append(Charset.decode(Array(part.data.prefix(4 * maxCharacters)), charset: part.charset))
        default: break
        }
    }

    /// Sentences that introduce the returned mail wherever they appear.
    private static let markers: [String] = [
        "below this line", "below the next line", "original message follows", "original message attached",
        "original message as received", "original message headers", "original message is attached",
        "is a copy of the message", "is a copy of your message", "a copy of the original message",
        "copy of the message header", "message header follows", "message headers follow",
        "header of the original message", "headers of the original message", "lines of your original message",
        "lines of the message follow", "unsent message below", "unsent message follows",
        "undelivered message you sent follows", "returned mail follows", "returned message follows",
        "included is a copy", "message text follows", "text of the returned message",
    ]

    /// Words that introduce the returned mail on a line set off with `---`, `===` or `***`.
    private static let decoratedMarkers: [String] = [
        "copy of", "original message", "returned message", "returned mail", "message header", "unsent message",
        "source mail", "mensaje original", "message follows", "headers follow", "original mail",
    ]

    /// True for a line that introduces the returned mail, or is its first header field.
    static func startsReturnedMail(_ line: String) -> Bool {
        let text = normalizedMarker(line)
        guard !text.isEmpty else { return false }
        if text == "original message" || text == "returned mail" || text == "returned message"
            || text.hasPrefix("your message reads")
        {
            return true
        }
        if text.containsAny(markers) { return true }
        if isDecorated(line), text.containsAny(decoratedMarkers) { return true }
        return startsHeaderBlock(line)
    }

    /// The line starts or ends with a run of at least two of `-`, `=`, `*`, `|`.
    private static func isDecorated(_ line: String) -> Bool {
        let rules: Set<Character> = ["-", "=", "*", "|"]
        let trimmed = line.trimmed()
        return (trimmed.prefix(2).count == 2 && trimmed.prefix(2).allSatisfy(rules.contains))
            || (trimmed.suffix(2).count == 2 && trimmed.suffix(2).allSatisfy(rules.contains))
    }

    /// `Received:` or `Return-Path:` at the start of a line (optionally after `>`): a quoted header block.
    static func startsHeaderBlock(_ line: String) -> Bool {
        var view = Substring(line)
        if view.first == ">" { view = view.dropFirst() }
        let lower = view.prefix(13).lowercased()
        return lower.hasPrefix("received: ") || lower.hasPrefix("return-path:")
    }

    /// Lower-cased, with decoration (`-`, `=`, `*`, `|`, `_`, spaces, dots, colons) cut from both ends.
    private static func normalizedMarker(_ line: String) -> String {
        guard line.utf8.count < 200 else { return "" }
        let decoration: Set<Character> = ["-", "=", "*", "|", "_", ".", ":", " ", "\t", "<", ">", "[", "]"]
        var view = Substring(line)
        while let first = view.first, decoration.contains(first) { view = view.dropFirst() }
        while let last = view.last, decoration.contains(last) { view = view.dropLast() }
        return view.lowercased()
    }
}
