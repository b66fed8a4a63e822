/// One SMTP reply (RFC 5321 section 4.2): a three-digit code and its text, perhaps over several lines.
///
/// ```
/// 550-5.1.1 The email account that you tried to reach does not exist.
/// 550 5.1.1 Please check the address.
/// ```
/// `NNN-` continues a reply and `NNN ` (or a bare `NNN`) ends it. libcurl hands every reply line of a
/// transfer to the header callback, which is where these come from.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    /// The text of every line of the reply, joined by single spaces.
    var text: String

    /// The reply on one line, `550 5.1.1 <x@example.test>: Recipient address rejected`.
    var line: String { text.isEmpty ? String(code) : "\(code) \(text)" }

    var isPermanent: Bool { code >= 500 }

    /// The first 4xx or 5xx reply among a transfer's protocol lines: the one that made it fail.
    static func firstError(in lines: [String]) -> SMTPReply? {
        guard let start = lines.firstIndex(where: { (400..<600).contains(Self.parse($0)?.code ?? 0) }),
            let first = Self.parse(lines[start])
        else { return nil }
        var texts = [first.text]
        var index = start
        var continues = first.continues
        while continues, index + 1 < lines.count, let next = Self.parse(lines[index + 1]), next.code == first.code {
            index += 1
            texts.append(next.text)
            continues = next.continues
        }
        return SMTPReply(code: first.code, text: texts.filter { !$0.isEmpty }.joined(separator: " "))
    }

    /// The last reply line of a transfer, e.g. `250 2.0.0 Ok: queued as 4F1A2` after a send.
    static func last(in lines: [String]) -> SMTPReply? {
        guard let line = lines.last(where: { Self.parse($0) != nil }), let parsed = Self.parse(line) else { return nil }
        return SMTPReply(code: parsed.code, text: parsed.text)
    }

    /// Code, text and whether another line follows, for one reply line; nil for anything else.
    static func parse(_ line: String) -> (code: Int, text: String, continues: Bool)? {
        let bytes = Array(line.utf8)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count >= 3, digits.contains(bytes[0]), digits.contains(bytes[1]), digits.contains(bytes[2])
        else { return nil }
        let code =
            Int(bytes[0] - digits.lowerBound) * 100 + Int(bytes[1] - digits.lowerBound) * 10
            + Int(bytes[2] - digits.lowerBound)
        guard bytes.count > 3 else { return (code, "", false) }
        guard bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else { return nil }
        let text = String(decoding: bytes[4...], as: UTF8.self)
        return (code, text.trimmingSpaces, bytes[3] == UInt8(ascii: "-"))
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
