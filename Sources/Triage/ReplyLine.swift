/// One line of a mail body, as bytes of the whole text, with the cheap facts the reply rules ask.
///
/// Lines are cut from a text whose line ends are `\n` only. Rules that read words look at a line
/// only after a constant-time test on its ends or its length, which keeps a scan linear however
/// long or numerous the lines are.
struct ReplyLine {
    /// The line without its line end.
    var raw: ReplyBytes.Slice
    /// The line without surrounding white space (also no-break, zero-width spaces and byte order marks).
    var trimmed: ReplyBytes.Slice

    init(_ raw: ReplyBytes.Slice) {
        self.raw = raw
        trimmed = ReplyBytes.trim(raw)
    }

    /// True when the line holds only white space.
    var isBlank: Bool { trimmed.isEmpty }

    /// True for a line quoted with `>` (any depth), as mail clients quote plain text.
    var isQuote: Bool { trimmed.first == UInt8(ascii: ">") }

    /// The size of the trimmed line in bytes.
    var byteCount: Int { trimmed.count }

    /// The trimmed line as text.
    var trimmedText: String { String(decoding: trimmed, as: UTF8.self) }

    /// True when the trimmed line ends with `:` or `：`.
    var endsWithColon: Bool {
        trimmed.last == ReplyBytes.colon || ReplyBytes.hasSuffix(trimmed, ReplyBytes.fullwidthColon)
    }

    /// Splits normalized text bytes (`\n` line ends) into lines.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [ReplyLine] {
        var lines: [ReplyLine] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 10 {
            lines.append(ReplyLine(bytes[start..<index]))
            start = index + 1
        }
        lines.append(ReplyLine(bytes[start..<bytes.count]))
        return lines
    }
}
