import MIME

/// A block of plain text written by a person (an agent's reply, a customer's message), shown in
/// templates as `NAME.text` (the text as written) and `NAME.html` (the same text as safe HTML).
///
/// `html` is built here from the text: every character escaped, blank lines starting paragraphs
/// and other line breaks kept as `<br>`. It is the one kind of variable an HTML template may insert
/// unescaped, with triple braces: `{{{reply.html}}}`.
public struct TemplateText: Sendable, Hashable, Codable {
    /// The text as written, with `\n` line ends.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The text as HTML paragraphs; empty for empty text.
    public var html: String {
        var paragraphs: [[Substring]] = []
        var current: [Substring] = []
        for line in Self.lines(of: text) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs.map { lines in
            "<p style=\"margin:0 0 16px 0;\">" + lines.map { HTMLText.escape(String($0)) }.joined(separator: "<br>\n") + "</p>"
        }.joined(separator: "\n")
    }

    /// Lines without their ends; CR LF, CR and LF all end a line.
    static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    }

    enum CodingKeys: String, CodingKey {
        case text
    }
}
