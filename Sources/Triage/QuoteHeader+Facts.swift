extension QuoteHeader {
    /// What one attribution line, or several joined, shows.
    struct Facts {
        var hasVerb = false
        var hasDigit = false
        var hasAddress = false
        var hasTime = false
        var startsWithOpener = false
        var startsWithDigit = false
        var endsWithColon = false
        var endsWithAngleColon = false
        var endsSentence = false

        /// True when the first line may be the start of a wrapped attribution.
        var mayContinue: Bool {
            !endsSentence && !endsWithColon && (startsWithOpener || startsWithDigit || hasVerb || hasAddress)
        }

        init(_ line: ReplyBytes.Slice) {
            let dash = UInt8(ascii: "-")
            let space = UInt8(ascii: " ")
            // Zimbra writes `- On ... wrote:`; Zoho wraps it in dashes: `---- On ... wrote ----`.
            var start = line.startIndex
            var end = line.endIndex
            var leadingDash = false
            while start < end, line[start] == dash || line[start] == space {
                leadingDash = leadingDash || line[start] == dash
                start += 1
            }
            var trailingDash = false
            while end > start, line[end - 1] == dash || line[end - 1] == space {
                trailingDash = trailingDash || line[end - 1] == dash
                end -= 1
            }
            let text = line[start..<end]
            let last = text.last
            endsWithColon =
                last == ReplyBytes.colon || ReplyBytes.hasSuffix(text, ReplyBytes.fullwidthColon)
                || (leadingDash && trailingDash && !text.isEmpty)
            endsWithAngleColon = text.count >= 2 && last == ReplyBytes.colon && text[end - 2] == UInt8(ascii: ">")
            endsSentence = last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?")
            startsWithDigit = text.first.map(ReplyBytes.isDigit) ?? false
            scan(text)
        }

        mutating func append(_ other: Facts) {
            hasVerb = hasVerb || other.hasVerb
            hasDigit = hasDigit || other.hasDigit
            hasAddress = hasAddress || other.hasAddress
            hasTime = hasTime || other.hasTime
            endsWithColon = other.endsWithColon
            endsWithAngleColon = other.endsWithAngleColon
            endsSentence = other.endsSentence
        }

        private mutating func scan(_ text: ReplyBytes.Slice) {
            var wordStart: Int?
            var wordIndex = 0
            var index = text.startIndex
            while index < text.endIndex {
                let byte = text[index]
                if ReplyBytes.isWordByte(byte) {
                    if wordStart == nil { wordStart = index }
                    index += 1
                    continue
                }
                if let begin = wordStart {
                    word(text[begin..<index], at: wordIndex)
                    wordIndex += 1
                    wordStart = nil
                }
                if byte == UInt8(ascii: "@") { hasAddress = true }
                if ReplyBytes.isDigit(byte) {
                    hasDigit = true
                    if index + 3 < text.endIndex, text[index + 1] == ReplyBytes.colon,
                        ReplyBytes.isDigit(text[index + 2]), ReplyBytes.isDigit(text[index + 3])
                    {
                        hasTime = true
                    }
                }
                index += 1
            }
            if let begin = wordStart { word(text[begin..<text.endIndex], at: wordIndex) }
            if !hasVerb { hasVerb = QuoteHeaderWords.phraseBytes.contains { ReplyBytes.contains(text, $0) } }
        }

        private mutating func word(_ bytes: ReplyBytes.Slice, at position: Int) {
            if position == 0 && QuoteHeaderWords.openers.contains(bytes) { startsWithOpener = true }
            if QuoteHeaderWords.verbs.contains(bytes) { hasVerb = true }
        }
    }
}
