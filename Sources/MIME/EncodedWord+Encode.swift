/// RFC 2047 encoding of header text that is not printable ASCII.
///
/// ```
/// Grüße aus München       →  =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?UTF-8?Q?M=C3=BCnchen?=
/// 東京からのお問い合わせ      →  =?UTF-8?B?5p2x5Lqs44GL44KJ44Gu44GK5ZWP44GE5ZCI44KP44Gb?=
/// ```
/// Words that need encoding (non-ASCII, longer than a line may be, or looking like an encoded word
/// themselves) are encoded together with the white space between them; plain ASCII words stay as
/// they are. Each encoded word is at most 75 characters (section 2) and holds whole UTF-8
/// characters (section 5); Q is used for mostly-Latin text and B otherwise, and the Q alphabet is the
/// one allowed in a phrase (section 5, rule 3), so the same words serve display names.
extension EncodedWord {
    enum Encoding: Sendable {
        case base64
        case quoted
    }

    /// The longest encoded word (RFC 2047 section 2).
    static let maxWordLength = 75
    /// `=?UTF-8?Q?` and `?=`.
    static let wordOverhead = 12
    /// Room for the overhead and one four-byte character in either encoding.
    static let minWordLength = wordOverhead + 12

    /// Encodes unstructured header text (RFC 5322 section 3.2.5, e.g. a Subject) for one line:
    /// printable ASCII is returned unchanged, anything else as encoded words and ASCII words
    /// separated by white space. Control characters (CR, LF, NUL, TAB, ...) become spaces and outer
    /// white space is dropped, so the result never holds a line break.
    public static func encode(_ text: String) -> String {
        if isPlainASCII(text) { return text }
        var value = HeaderFolding.unfolded()
        appendUnstructured(text, to: &value)
        return value.text
    }

    /// Appends unstructured text to a header field, folding at its white space.
    static func appendUnstructured(_ text: String, to field: inout HeaderFolding) {
        let scalars = trimmed(sanitized(text))
        var run: [Unicode.Scalar] = []
        var runSeparator = ""
        var index = 0
        while index < scalars.count {
            var wordStart = index
            while wordStart < scalars.count, scalars[wordStart] == " " { wordStart += 1 }
            var wordEnd = wordStart
            while wordEnd < scalars.count, scalars[wordEnd] != " " { wordEnd += 1 }
            let separator = scalars[index..<wordStart]
            let word = scalars[wordStart..<wordEnd]
            if needsEncoding(word) {
                if run.isEmpty { runSeparator = string(separator) } else { run += separator }
                run += word
            } else {
                if !run.isEmpty { field.appendEncoded(run, separator: runSeparator) }
                run.removeAll()
                field.append(string(word), separator: string(separator))
            }
            index = wordEnd
        }
        if !run.isEmpty { field.appendEncoded(run, separator: runSeparator) }
    }

    /// The text with every control character (C0 including CR, LF, TAB and NUL, DEL, C1, and the
    /// Unicode line and paragraph separators) replaced by a space.
    static func sanitized(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.map { isControl($0) ? " " : $0 }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }

    static func trimmed(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = scalars.firstIndex(where: { $0 != " " }),
            let last = scalars.lastIndex(where: { $0 != " " })
        else { return [] }
        return Array(scalars[first...last])
    }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    /// True for printable ASCII with no word that would be encoded.
    static func isPlainASCII(_ text: String) -> Bool {
        var wordLength = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F else { return false }
            if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return false }
            wordLength = byte == ByteScan.space ? 0 : wordLength + 1
            if wordLength > HeaderFolding.maxTokenLength { return false }
            previous = byte
        }
        return true
    }

    /// A word is encoded when it is not ASCII, too long for a line, or could be read as an encoded word.
    static func needsEncoding(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        guard word.count <= HeaderFolding.maxTokenLength else { return true }
        var previous: Unicode.Scalar = " "
        for scalar in word {
            if scalar.value > 0x7E || (previous == "=" && scalar == "?") { return true }
            previous = scalar
        }
        return false
    }

    /// Bytes written literally in a Q-encoded word: the phrase alphabet of RFC 2047 section 5 rule 3.
    static func isQSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    static func qWidth(_ byte: UInt8) -> Int {
        isQSafe(byte) || byte == ByteScan.space ? 1 : 3
    }

    /// Q for mostly-Latin text (readable, and at most a third longer than B), else B, which is
    /// shorter for most other scripts.
    static func shorterEncoding(for bytes: [UInt8]) -> Encoding {
        let qLength = bytes.reduce(0) { $0 + qWidth($1) }
        let bLength = (bytes.count + 2) / 3 * 4
        return qLength * 3 <= bLength * 4 ? .quoted : .base64
    }

    /// One encoded word holding as many scalars from `start` on as fit in `maxLength` characters
    /// (at least one), and the index after the last scalar taken.
    static func word(
        _ scalars: [Unicode.Scalar], from start: Int, encoding: Encoding, maxLength: Int
    ) -> (text: String, end: Int) {
        let budget = maxLength - wordOverhead
        var bytes: [UInt8] = []
        var width = 0
        var index = start
        while index < scalars.count {
            let scalarBytes = Array(scalars[index].utf8)
            let newWidth: Int
            switch encoding {
            case .quoted: newWidth = width + scalarBytes.reduce(0) { $0 + qWidth($1) }
            case .base64: newWidth = (bytes.count + scalarBytes.count + 2) / 3 * 4
            }
            if newWidth > budget, index > start { break }
            bytes += scalarBytes
            width = newWidth
            index += 1
        }
        switch encoding {
        case .base64:
            return ("=?UTF-8?B?" + Base64.encode(bytes) + "?=", index)
        case .quoted:
            var text: [UInt8] = Array("=?UTF-8?Q?".utf8)
            for byte in bytes {
                if isQSafe(byte) {
                    text.append(byte)
                } else if byte == ByteScan.space {
                    text.append(UInt8(ascii: "_"))
                } else {
                    text += QuotedPrintable.hexEscape(byte)
                }
            }
            text += Array("?=".utf8)
            return (String(decoding: text, as: UTF8.self), index)
        }
    }
}
