/// Lines that open quoted or forwarded history without an attribution: `-----Original Message-----`,
/// `---------- Forwarded message ---------`, `Begin forwarded message:` and their translations, and
/// separator rules (`________________________________`) that stand above a header block.
enum ReplyDelimiter {
    /// What a delimiter line opens.
    enum Kind {
        case original, forward
    }

    /// The delimiter a line is, or nil.
    static func kind(of line: ReplyLine) -> Kind? {
        let text = line.trimmed
        guard let first = text.first, let last = text.last, text.count <= 160 else { return nil }
        // Delimiters are decorated on both sides or end with a colon (`Begin forwarded message:`).
        let decorated = decorationLength(text, at: text.startIndex) > 0 && (isDecoration(last) || last >= 0x80)
        guard decorated || line.endsWithColon else { return nil }
        var start = text.startIndex
        var end = text.endIndex
        var decorations = 0
        while start < end {
            let length = decorationLength(text, at: start)
            if length > 0 {
                decorations += 1
                start += length
            } else if text[start] == UInt8(ascii: " ") {
                start += 1
            } else {
                break
            }
        }
        while end > start {
            let byte = text[end - 1]
            if byte == UInt8(ascii: " ") || byte == ReplyBytes.colon || isDecoration(byte) {
                if isDecoration(byte) { decorations += 1 }
                end -= 1
            } else if end - start >= 3,
                ReplyBytes.hasSuffix(text[start..<end], ReplyBytes.fullwidthColon)
                    || ReplyBytes.hasSuffix(text[start..<end], emDash)
                    || ReplyBytes.hasSuffix(text[start..<end], enDash)
            {
                end -= 3
            } else {
                break
            }
        }
        guard start < end else { return nil }
        let phrase = text[start..<end]
        if forwardPhrases.contains(phrase) { return .forward }
        // "Original message" alone could be prose; require the usual dashes around it.
        if decorations >= 2 || isDecoration(first), originalPhrases.contains(phrase) { return .original }
        return nil
    }

    /// A rule of at least eight `-`, `_`, `=`, `*` or dashes, alone on its line.
    static func isSeparator(_ line: ReplyLine) -> Bool {
        let text = line.trimmed
        guard text.count >= 8 else { return false }
        var count = 0
        var index = text.startIndex
        while index < text.endIndex {
            let length = decorationLength(text, at: index)
            if length > 0 {
                count += 1
                index += length
            } else if text[index] == UInt8(ascii: " ") {
                index += 1
            } else {
                return false
            }
        }
        return count >= 8
    }

    /// True for a rule made of underscores only, which often opens a signature or a list footer.
    static func isUnderscoreRule(_ line: ReplyLine) -> Bool {
        line.trimmed.count >= 2 && line.trimmed.allSatisfy { $0 == UInt8(ascii: "_") }
    }

    static let emDash: [UInt8] = Array("—".utf8)
    static let enDash: [UInt8] = Array("–".utf8)

    static func isDecoration(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "*")
    }

    /// The length of a decoration character (`-`, `_`, `=`, `*`, em or en dash) at `index`, or 0.
    static func decorationLength(_ text: ReplyBytes.Slice, at index: Int) -> Int {
        if isDecoration(text[index]) { return 1 }
        let rest = text[index...]
        return ReplyBytes.hasPrefix(rest, emDash) || ReplyBytes.hasPrefix(rest, enDash) ? 3 : 0
    }

    static let originalPhrases = ReplyWordSet([
        "original message", "original e-mail", "original email", "ursprüngliche nachricht", "original-nachricht",
        "originalnachricht", "message d'origine", "message d’origine", "message original", "mensaje original",
        "messaggio originale", "oorspronkelijk bericht", "origineel bericht", "oorspronkelijk e-mailbericht",
        "mensagem original", "ursprungligt meddelande", "opprinnelig melding", "oprindelig meddelelse",
        "oryginalna wiadomość", "wiadomość oryginalna", "исходное сообщение", "původní zpráva", "pôvodná správa",
        "alkuperäinen viesti", "eredeti üzenet", "orijinal mesaj", "原始邮件", "原始郵件", "元のメッセージ",
        "원본 메시지", "reply message", "αρχικό μήνυμα", "mesaj original",
    ])

    static let forwardPhrases = ReplyWordSet([
        "forwarded message", "forwarded message follows", "begin forwarded message", "forwarded e-mail",
        "forwarded email", "weitergeleitete nachricht", "anfang der weitergeleiteten nachricht",
        "anfang der weitergeleiteten e-mail", "message transféré", "début du message transféré",
        "début du message réexpédié", "message réexpédié", "mensaje reenviado", "inicio del mensaje reenviado",
        "comienzo del mensaje reenviado", "messaggio inoltrato", "inizio messaggio inoltrato",
        "doorgestuurd bericht", "begin doorgestuurd bericht", "doorgestuurd e-mailbericht", "mensagem encaminhada",
        "início da mensagem reencaminhada", "mensagem reencaminhada", "vidarebefordrat meddelande",
        "vidarebefordrat brev", "början på vidarebefordrat brev", "videresendt meddelelse", "videresendt melding",
        "videresendt besked", "przekazana wiadomość", "wiadomość przekazana", "początek przekazywanej wiadomości",
        "пересылаемое сообщение", "пересланное сообщение", "начало переадресованного сообщения",
        "přeposlaná zpráva", "preposlaná správa", "välitetty viesti", "továbbított üzenet", "iletilen mesaj",
        "転送されたメッセージ", "転送メッセージ", "转发的邮件", "已转发邮件", "轉寄的郵件", "전달된 메시지",
        "προωθημένο μήνυμα", "mesaj redirecționat",
    ])
}
