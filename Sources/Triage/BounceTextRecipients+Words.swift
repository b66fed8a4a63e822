/// The word lists and line tests behind `BounceTextRecipients`.
extension BounceTextRecipients {
    /// The most recipients read from one notification.
    static let maxFindings = 500

    static let systemLocalParts: Set<String> = [
        "postmaster", "mailer-daemon", "mail-daemon", "mailerdaemon", "mdaemon", "mail.delivery.system",
    ]

    /// Words that, ending the text before an address, say the address is a recipient.
    static let recipientWords: Set<String> = [
        "to", "for", "recipient", "recipients", "address", "addresses", "user", "userid", "addressee", "error-for",
        "mailbox", "attempts", "addressed", "rcpt", "destinataire", "destinatario", "empfänger", "empfaenger",
        "ontvanger", "mottagare", "adresse",
    ]

    /// Header-like labels that name the original mail's recipients or sender, not a failure.
    static let plainLabels: Set<String> = [
        "to", "cc", "bcc", "from", "sender", "reply-to", "sent", "return-path", "an",
    ]

    static func normalizedPrefix(_ text: String) -> String {
        let decoration: Set<Character> = [
            "<", "[", "(", "\"", "'", " ", "\t", ":", ";", "=", ",", "*", "-", ">", "|", "#", "•",
        ]
        var view = Substring(text.lowercased())
        var changed = true
        while changed {
            changed = false
            while let last = view.last, decoration.contains(last) {
                view = view.dropLast()
                changed = true
            }
            for word in ["smtp", "rfc822", "mailto"] where view.hasSuffix(word) {
                view = view.dropLast(word.count)
                changed = true
            }
        }
        while let first = view.first, decoration.contains(first) { view = view.dropFirst() }
        return String(view)
    }

    /// True when what follows an address that starts a line makes it a recipient line: nothing, a
    /// separator (`:`, `>`, `...`, ` - `, `(`, `[`), a date (` on ...`), a reply code or failure
    /// words; not the rest of a sentence that happens to wrap before an address.
    static func endsRecipientLine(_ rest: String) -> Bool {
        let text = rest.trimmed()
        guard let first = text.first else { return true }
        if ":>.-([<\"';=".contains(first) { return true }
        let lower = text.lowercased()
        if lower.hasPrefix("on ") || lower.hasPrefix("is ") || lower.hasPrefix("was ") { return true }
        if first == "4" || first == "5", BounceStatusCode.replyClass(in: String(text.prefix(4))) != nil { return true }
        return speaksOfFailure(text)
    }

    /// True when the (normalized) text before an address says a recipient follows.
    static func namesRecipient(_ prefix: String, labelled: Bool) -> Bool {
        if plainLabels.contains(prefix) || isSenderContext(prefix) { return false }
        let words = prefix.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let last = words.last else { return false }
        let word = String(last).trimmingCharacters(from: ":;,.()[]<>\"'")
        if recipientWords.contains(word) { return true }
        // A short label such as `Receiver not found` or `Invalid final delivery userid`.
        return labelled && words.count <= 5 && words.contains { recipientNouns.contains(String($0)) }
    }

    /// The text holds a letter or digit outside the addresses in it.
    static func hasWordsBesidesAddresses(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var cursor = 0
        for found in BounceAddressScanner.addresses(in: text) + [
            .init(address: "", start: bytes.count, end: bytes.count)
        ] {
            if bytes[cursor..<max(cursor, found.start)].contains(where: { byte in
                byte >= 0x80 || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }) {
                return true
            }
            cursor = max(cursor, found.end)
        }
        return false
    }

    /// Nouns for the person a mail was meant for.
    static let recipientNouns: Set<String> = ["recipient", "receiver", "user", "userid", "addressee", "mailbox"]

    /// The address is the sender's or someone to contact, not a recipient (`generated from` and
    /// `expanded from` name the recipient's alias, and do not count).
    static func isSenderContext(_ prefix: String) -> Bool {
        let words = prefix.split(whereSeparator: { $0 == " " || $0 == "\t" }).suffix(3)
            .map { String($0).trimmingCharacters(from: ":;,.()[]<>\"'") }
        for (offset, word) in words.enumerated() {
            guard ["from", "sender", "reply", "contact", "by", "envelope-from"].contains(word) else { continue }
            if word == "from", offset > 0,
                ["generated", "expanded", "forwarded", "redirected"].contains(words[offset - 1])
            {
                continue
            }
            return true
        }
        return false
    }

    /// A line that announces a list of failed recipients below it.
    static func introducesRecipients(_ line: String) -> Bool {
        guard line.utf8.count < 400 else { return false }
        let lower = line.lowercased()
        if lower.contains("following"),
            ["recipient", "address", "user", "destination", "e-mail", "email"].contains(where: { lower.contains($0) })
        {
            return true
        }
        if ["failed recipient", "failed address", "permanent fatal error", "recipients or groups", "these recipients"]
            .contains(where: { lower.contains($0) })
        {
            return true
        }
        let trimmed = lower.trimmed()
        let endsOpen =
            trimmed.hasSuffix(":") || trimmed.hasSuffix(" to") || trimmed.hasSuffix(" a")
            || trimmed.hasSuffix(" à") || trimmed.hasSuffix(" an")
        return endsOpen && lower.containsAny(BounceSignals.failureVerbs)
    }

    /// A line that speaks of a delivery failure or carries an SMTP error reply.
    static func speaksOfFailure(_ line: String) -> Bool {
        let lower = line.lowercased()
        if lower.containsAny(BounceSignals.failureWords) { return true }
        return BounceStatusCode.replyClass(in: line) != nil
    }
}

extension String {
    /// The string without the given characters at either end.
    fileprivate func trimmingCharacters(from set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
