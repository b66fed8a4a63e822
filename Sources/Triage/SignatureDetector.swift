/// Where a signature starts: the RFC 3676 delimiter `-- `, a rule of underscores, a dash-signed name
/// (`-Ada`), or the footer a mobile client appends (`Sent from my iPhone`, `Get Outlook for iOS`,
/// `Von meinem iPhone gesendet`, `Envoyé de mon iPhone`, ...).
enum SignatureDetector {
    /// What opens a signature.
    enum Opening {
        /// A delimiter line; the signature runs on below it.
        case delimiter
        /// A one-line client footer; what follows it is no longer the author's text.
        case footer
    }

    /// How a line opens a signature, or nil.
    static func opening(_ line: ReplyLine) -> Opening? {
        let text = line.trimmed
        if text.elementsEqual("--".utf8) || text.elementsEqual(ReplyDelimiter.emDash) { return .delimiter }
        if ReplyDelimiter.isUnderscoreRule(line) { return .delimiter }
        if isFooter(line) { return .footer }
        return nil
    }

    /// A short name signed with a dash and no space: `-Ada`, `-Abhishek Kona`, `--Ada`.
    static func isDashedName(_ line: ReplyLine) -> Bool {
        var text = line.trimmed
        var dashes = 0
        while text.first == UInt8(ascii: "-") {
            dashes += 1
            text = text.dropFirst()
        }
        guard dashes >= 1, dashes <= 2, let first = text.first, ReplyBytes.isWordByte(first), text.count <= 60
        else { return false }
        var words = 1
        for byte in text {
            if byte == UInt8(ascii: " ") {
                words += 1
            } else if !ReplyBytes.isWordByte(byte) && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "'") {
                return false
            }
        }
        return words <= 4
    }

    /// True for a mobile or web client footer such as `Sent from my iPhone`.
    static func isFooter(_ line: ReplyLine) -> Bool {
        var text = line.trimmed
        guard text.count <= 120, let first = text.first, footerHeads[Int(ReplyBytes.lower(first))] else { return false }
        while let head = text.first, head == UInt8(ascii: "-") || head == UInt8(ascii: " ") { text = text.dropFirst() }
        // A link after the name (`Get Outlook for iOS<https://aka.ms/o0ukef>`) and end punctuation go.
        if let link = text.firstIndex(of: UInt8(ascii: "<")) { text = text[..<link] }
        while let tail = text.last, tail == UInt8(ascii: " ") || tail == UInt8(ascii: ".") || tail == UInt8(ascii: "!")
        {
            text = text.dropLast()
        }
        for phrase in wholeLineBytes where text.count == phrase.count && ReplyBytes.hasPrefix(text, phrase) {
            return true
        }
        for suffix in suffixBytes
        where text.last.map({ $0 >= 0x80 }) == true && text.count <= suffix.count + 40
            && ReplyBytes.hasSuffix(text, suffix)
        {
            return true
        }
        for prefix in prefixBytes where ReplyBytes.hasPrefix(text, prefix) {
            let rest = text.dropFirst(prefix.count)
            let words = rest.split(separator: UInt8(ascii: " ")).count
            if words >= 1 && words <= 6 { return true }
        }
        return false
    }

    /// The first bytes a footer can start with: those of the prefixes and phrases, any non-ASCII byte
    /// (device names before a suffix) and the dash some clients put first.
    static let footerHeads: [Bool] = {
        var heads = [Bool](repeating: false, count: 256)
        for phrase in prefixes + wholeLines {
            if let head = phrase.utf8.first { heads[Int(head)] = true }
        }
        for byte in 0x80...0xFF { heads[byte] = true }
        heads[Int(UInt8(ascii: "-"))] = true
        heads[Int(UInt8(ascii: "i"))] = true
        return heads
    }()

    static let prefixBytes: [[UInt8]] = prefixes.map { Array($0.utf8) }
    static let suffixBytes: [[UInt8]] = suffixes.map { Array($0.utf8) }
    static let wholeLineBytes: [[UInt8]] = wholeLines.map { Array($0.utf8) }

    /// Prefixes followed by a device or app name of a few words.
    static let prefixes: [String] = [
        "sent from my ", "sent from ", "sent via ", "sent with ", "sent using ", "sent on the go with ",
        "get outlook for ", "envoyé de mon ", "envoyé depuis mon ", "envoyé à partir de ", "envoyé avec ",
        "von meinem ", "gesendet von meinem ", "gesendet von ", "gesendet mit ", "enviado desde mi ", "enviado desde ",
        "enviado do meu ", "enviado de meu ", "enviado de mi ", "enviado a partir do ", "enviado com ",
        "inviato da ", "inviato dal mio ", "inviato con ", "verzonden vanaf mijn ", "verstuurd vanaf mijn ",
        "verzonden met ", "verstuurd met ", "skickat från min ", "skickat från ", "sendt fra min ", "sendt fra ",
        "wysłane z mojego ", "wysłane z ", "wysłano z ", "отправлено с ", "отправлено из ", "надіслано з ",
        "Отправлено с ", "Отправлено из ", "Надіслано з ",
        "odesláno z ", "lähetetty ", "发自我的", "从我的", "來自我的", "從我的",
    ]

    /// Endings of footers whose device name comes first.
    static let suffixes: [String] = ["から送信", "에서 보냄"]

    /// Footers that are a fixed sentence.
    static let wholeLines: [String] = [
        "sent from my iphone", "sent from my ipad", "sent from mobile", "sent from a mobile device",
        "von meinem iphone gesendet", "von meinem ipad gesendet", "von meinem mobiltelefon gesendet",
    ]
}
