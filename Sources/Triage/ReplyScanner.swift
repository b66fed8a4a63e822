/// Reads the lines of a text once, top to bottom, and sorts them into the author's text, quoted
/// history and the signature.
///
/// - `>` lines are quotes. An attribution followed by quotes goes with them; text between quotes
///   is the author's (an interleaved answer) and stays.
/// - An attribution followed by unquoted text, an `-----Original Message-----` or forward line, a
///   `From:`/`Sent:`/`To:`/`Subject:` block (or a rule above one) and the reply marker end the new part:
///   all below is history.
/// - A signature opening (`-- `, a mobile footer, a dash-signed name) also ends the new part; the
///   signature runs to the next history or quote (a footer is one line).
struct ReplyScanner {
    /// What the scan found.
    struct Result {
        var visible: String
        var signature: String?
    }

    let lines: [ReplyLine]
    /// Where history begins because of a reply marker (or the number of lines).
    let end: Int
    private let fields: [QuoteHeaderBlock.Field?]

    /// The longest signature kept, in lines; a longer run below a delimiter is history.
    static let maxSignatureLines = 20

    /// Reads a text; its bytes are valid for the scanner's whole life, which ends inside this call.
    static func scan(_ text: String) -> Result {
        let bytes = ReplyBytes.normalizedLines(text)
        return bytes.withUnsafeBufferPointer { ReplyScanner(bytes: $0).scan() }
    }

    /// The text without blank lines at the start and white space at the end.
    static func trimmedText(_ text: String) -> String {
        let bytes = ReplyBytes.normalizedLines(text)
        return bytes.withUnsafeBufferPointer { trimBlankLines($0[...]) }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        let lines = ReplyLine.split(bytes)
        self.lines = lines
        end = ReplyMarker.lineIndex(in: bytes).map { min($0, lines.count) } ?? lines.count
        fields = lines.map { $0.isBlank || $0.isQuote ? nil : QuoteHeaderBlock.field(of: $0) }
    }

    /// Sorts the lines and returns the author's text and signature.
    private func scan() -> Result {
        var segments: [ClosedRange<Int>] = []
        var current: ClosedRange<Int>?
        var signature: Range<Int>?
        var index = 0
        var quotedBefore = false
        scan: while index < end {
            let line = lines[index]
            if line.isBlank {
                quotedBefore = false
                index += 1
                continue
            }
            if line.isQuote || (quotedBefore && isWrappedQuote(at: index)) {
                if let open = current { segments.append(open) }
                current = nil
                quotedBefore = true
                index += 1
                continue
            }
            quotedBefore = false
            if let header = QuoteHeader.find(in: lines, at: index, end: end) {
                let next = nextNonBlank(from: header.start + header.lineCount)
                if next < end && lines[next].isQuote {
                    if let open = current { segments.append(open) }
                    current = nil
                    index = next
                    continue
                }
                if header.isStrong || next >= end { break scan }
            }
            if isHistoryStart(at: index) { break scan }
            if let opening = SignatureDetector.opening(line) {
                let stop = opening == .footer ? index + 1 : boundary(after: index)
                signature = index..<stop
                break scan
            }
            // A dash-signed name counts as a sign-off below a paragraph, with nothing of the author's after it.
            if index > 0, lines[index - 1].isBlank, SignatureDetector.isDashedName(line),
                isBoundary(at: nextNonBlank(from: index + 1))
            {
                signature = index..<boundary(after: index)
                break scan
            }
            current = current.map { $0.lowerBound...index } ?? index...index
            index += 1
        }
        if let open = current { segments.append(open) }
        return Result(visible: join(segments), signature: signature.flatMap(text(of:)))
    }

    /// True for an unquoted line that belongs to the quote above it: a client wrapped a long quoted
    /// line after quoting it (`> ... Nullam pharetra d` then `ignissim odio?`). Such a line starts in
    /// lowercase and either continues an unfinished long line or sits right between two quote lines.
    func isWrappedQuote(at index: Int) -> Bool {
        guard index > 0, let first = lines[index].trimmed.first else { return false }
        let lowercase = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")
        guard lowercase || first == UInt8(ascii: "\"") || first == UInt8(ascii: "(") else { return false }
        if index + 1 < end, lines[index + 1].isQuote, lowercase { return true }
        let above = lines[index - 1]
        guard let last = above.trimmed.last, !Array(".!?:".utf8).contains(last) else { return false }
        return above.byteCount > 60
    }

    /// True when a line opens history: a forward or original-message line, a header block, or a
    /// rule with a header block or attribution below it.
    func isHistoryStart(at index: Int) -> Bool {
        let line = lines[index]
        if ReplyDelimiter.kind(of: line) != nil { return true }
        if fields[index] != nil && QuoteHeaderBlock.starts(in: lines, fields: fields, at: index, end: end) {
            return true
        }
        guard ReplyDelimiter.isSeparator(line) else { return false }
        var cursor = index + 1
        var seen = 0
        while cursor < end, cursor <= index + 6, seen < 3 {
            if !lines[cursor].isBlank {
                if fields[cursor] != nil && QuoteHeaderBlock.starts(in: lines, fields: fields, at: cursor, end: end) {
                    return true
                }
                if QuoteHeader.find(in: lines, at: cursor, end: end)?.isStrong == true { return true }
                seen += 1
            }
            cursor += 1
        }
        return false
    }

    /// True at the end, or where quotes, history or a signature begin.
    func isBoundary(at index: Int) -> Bool {
        guard index < end else { return true }
        let line = lines[index]
        return line.isQuote || isHistoryStart(at: index) || SignatureDetector.opening(line) != nil
            || QuoteHeader.find(in: lines, at: index, end: end) != nil
    }

    /// The end of a signature that starts at `index`: the next quote or history, or the size limit.
    func boundary(after index: Int) -> Int {
        var cursor = index + 1
        while cursor < end, cursor < index + Self.maxSignatureLines {
            let line = lines[cursor]
            if !line.isBlank {
                if line.isQuote || isHistoryStart(at: cursor) { break }
                if let header = QuoteHeader.find(in: lines, at: cursor, end: end) {
                    let next = nextNonBlank(from: cursor + header.lineCount)
                    if header.isStrong || (next < end && lines[next].isQuote) { break }
                }
            }
            cursor += 1
        }
        return cursor
    }

    func nextNonBlank(from index: Int) -> Int {
        var cursor = index
        while cursor < end, lines[cursor].isBlank { cursor += 1 }
        return cursor
    }

    /// The kept segments, each verbatim; where history was cut out between two of them, a blank
    /// line stays only when there was one on both sides.
    private func join(_ segments: [ClosedRange<Int>]) -> String {
        var out: [UInt8] = []
        var previous: ClosedRange<Int>?
        for segment in segments {
            if let previous {
                var blankAfter = previous.upperBound + 1
                while blankAfter < segment.lowerBound, lines[blankAfter].isBlank { blankAfter += 1 }
                var blankBefore = segment.lowerBound - 1
                while blankBefore > previous.upperBound, lines[blankBefore].isBlank { blankBefore -= 1 }
                let both = blankAfter > previous.upperBound + 1 && blankBefore < segment.lowerBound - 1
                out.append(contentsOf: both ? [10, 10] : [10])
            }
            for index in segment {
                if index > segment.lowerBound { out.append(10) }
                out.append(contentsOf: lines[index].raw)
            }
            previous = segment
        }
        return out.withUnsafeBufferPointer { Self.trimBlankLines($0[...]) }
    }

    private func text(of range: Range<Int>) -> String? {
        var out: [UInt8] = []
        for index in range {
            if index > range.lowerBound { out.append(10) }
            out.append(contentsOf: lines[index].raw)
        }
        let trimmed = out.withUnsafeBufferPointer { Self.trimBlankLines($0[...]) }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The text without blank lines at the start and white space at the end.
    static func trimBlankLines(_ bytes: ReplyBytes.Slice) -> String {
        var start = bytes.startIndex
        var cursor = bytes.startIndex
        while cursor < bytes.endIndex {
            if bytes[cursor] == 10 {
                cursor += 1
                start = cursor
                continue
            }
            let length = ReplyBytes.spaceLength(bytes, at: cursor)
            if length == 0 { break }
            cursor += length
        }
        // The first line keeps its indentation; only the end is trimmed.
        let end = ReplyBytes.trimEnd(bytes[start...], newlines: true).endIndex
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
