/// The attribution line a mail client writes above quoted history: `On Tue, 1 Mar 2011 at 18:02,
/// Ada <ada@example.org> wrote:` and its translations, also wrapped over up to three lines.
///
/// A line is an attribution when it ends with a colon and names the act of writing in one of the
/// languages of `QuoteHeaderWords` (`wrote`, `schrieb`, `a écrit`, `escribió`, `написал`, `写道`, ...),
/// or when it has the verb-less Gmail shape `<date> <name> <address>:`. Lines followed by `>` quotes
/// need no more proof; a line followed by unquoted text ends the new part only when it is clearly an
/// attribution (an address, or an opening word or a date together with a digit), so `Something
/// wrote:` in the middle of a text is kept.
struct QuoteHeader {
    /// Index of the first line of the attribution.
    var start: Int
    /// Number of lines it spans (1 to 3).
    var lineCount: Int
    /// True when the attribution stands on its own, without quoted lines after it.
    var isStrong: Bool

    /// Longest line, in bytes, considered part of an attribution.
    static let maxLineBytes = 600

    /// Finds an attribution that starts at `index`.
    static func find(in lines: [ReplyLine], at index: Int, end: Int) -> QuoteHeader? {
        let first = lines[index]
        guard !first.isBlank, !first.isQuote, first.byteCount <= maxLineBytes else { return nil }
        // Cheap test first: one of the next three lines must end like an attribution.
        var span = 0
        var closes = false
        while span < 3, index + span < end {
            let line = lines[index + span]
            guard !line.isBlank, line.byteCount <= maxLineBytes else { break }
            span += 1
            if endsLikeAttribution(line) {
                closes = true
                break
            }
            if span > 1 && line.isQuote { break }
        }
        guard closes else { return nil }
        // Wrapped attributions: the first line starts like one (a digit, an opening word or an
        // address) and does not end a sentence.
        if span > 1 && !mayOpen(first.trimmed) { return nil }
        var facts = Facts(first.trimmed)
        if span > 1 {
            guard facts.mayContinue else { return nil }
            for offset in 1..<span { facts.append(Facts(lines[index + offset].trimmed)) }
        }
        return judge(facts, start: index, count: span)
    }

    /// A cheap test for the first line of a wrapped attribution.
    static func mayOpen(_ line: ReplyBytes.Slice) -> Bool {
        guard let first = line.first else { return false }
        if ReplyBytes.isDigit(first) || line.contains(UInt8(ascii: "@")) { return true }
        var end = line.startIndex
        while end < line.endIndex, ReplyBytes.isWordByte(line[end]), end - line.startIndex < 8 { end += 1 }
        return QuoteHeaderWords.openers.contains(line[..<end])
    }

    /// A colon at the end, or a line wrapped in dashes (`---- On ... wrote ----`).
    static func endsLikeAttribution(_ line: ReplyLine) -> Bool {
        if line.endsWithColon { return true }
        return line.trimmed.last == UInt8(ascii: "-") && line.trimmed.first == UInt8(ascii: "-")
    }

    private static func judge(_ facts: Facts, start: Int, count: Int) -> QuoteHeader? {
        if facts.hasVerb {
            let strong = facts.hasAddress || (facts.hasDigit && (facts.startsWithOpener || facts.startsWithDigit))
            return QuoteHeader(start: start, lineCount: count, isStrong: strong)
        }
        // Gmail without a verb (older English, Japanese, Russian): `<date> <name> <address>:`.
        if facts.hasAddress, facts.hasTime, facts.endsWithAngleColon {
            return QuoteHeader(start: start, lineCount: count, isStrong: true)
        }
        return nil
    }
}
