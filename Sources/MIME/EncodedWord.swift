/// RFC 2047 encoded words: `=?charset?B?base64?=` and `=?charset?Q?quoted_printable?=`.
///
/// ```
/// Subject: =?utf-8?B?w4lsw6h2ZQ==?= =?utf-8?Q?_r=C3=A9ponse?=
/// ```
/// decodes to `Élève réponse`: white space between adjacent encoded words is dropped (section 6.2),
/// and adjacent words in the same charset are joined before charset decoding, so a multi-byte
/// character split across two words survives. Real-world breakage is tolerated: words inside
/// quoted strings or glued to text, a missing `?=`, spaces inside a Q word, RFC 2231 language
/// suffixes (`utf-8*en`), and unknown charsets (decoded as UTF-8 if valid, else windows-1252).
public enum EncodedWord {
    /// Decodes every encoded word in an unfolded header value.
    public static func decode(_ text: String) -> String {
        guard text.utf8.count >= 8, text.contains("=?") else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingCharset: String?
        var pending: [UInt8] = []
        var heldSpace: Range<Int>?
        var lastWasWord = false

        func flush() {
            guard let charset = pendingCharset else { return }
            out.append(contentsOf: Charset.decode(pending, charset: charset).utf8)
            pending.removeAll(keepingCapacity: true)
            pendingCharset = nil
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?"),
                let word = parseWord(bytes, at: index)
            {
                // White space between two encoded words is dropped (RFC 2047 section 6.2).
                heldSpace = nil
                let charsetKey = ByteScan.asciiLowercased(word.charset)
                if let current = pendingCharset, ByteScan.asciiLowercased(current) != charsetKey { flush() }
                pendingCharset = word.charset
                pending.append(contentsOf: word.decoded)
                index = word.end
                lastWasWord = true
                continue
            }
            if byte == ByteScan.space || byte == ByteScan.tab || byte == ByteScan.cr || byte == ByteScan.lf {
                var end = index
                while end < bytes.count, ByteScan.isWhitespace(bytes[end]) { end += 1 }
                if lastWasWord {
                    heldSpace = index..<end
                } else {
                    out.append(contentsOf: bytes[index..<end])
                }
                index = end
                continue
            }
            flush()
            if let space = heldSpace { out.append(contentsOf: bytes[space]) }
            heldSpace = nil
            lastWasWord = false
            out.append(byte)
            index += 1
        }
        flush()
        if let space = heldSpace { out.append(contentsOf: bytes[space]) }
        return String(decoding: out, as: UTF8.self)
    }

    struct Word {
        var charset: String
        var decoded: [UInt8]
        var end: Int
    }

    /// Parses the encoded word starting at `start` (which holds `=?`).
    static func parseWord(_ bytes: [UInt8], at start: Int) -> Word? {
        var index = start + 2
        let charsetStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "?") {
            let byte = bytes[index]
            if byte <= 32 || byte >= 127 || index - charsetStart > 40 { return nil }
            index += 1
        }
        guard index + 2 < bytes.count, index > charsetStart, bytes[index + 2] == UInt8(ascii: "?") else { return nil }
        let charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self)
        let encoding = bytes[index + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        let textStart = index + 3
        var textEnd = textStart
        var end = bytes.count
        var found = false
        var scan = textStart
        while scan + 1 < bytes.count {
            if bytes[scan] == UInt8(ascii: "?") && bytes[scan + 1] == UInt8(ascii: "=") {
                textEnd = scan
                end = scan + 2
                found = true
                break
            }
            if bytes[scan] == UInt8(ascii: "=") && bytes[scan + 1] == UInt8(ascii: "?") && scan > textStart
                && scan + 2 < bytes.count && bytes[scan + 2] != UInt8(ascii: "=")
            {
                break  // The next word starts: this one lacks its `?=`.
            }
            scan += 1
        }
        if !found {
            // Missing `?=`: the word runs to the next white space.
            textEnd = textStart
            while textEnd < bytes.count, !ByteScan.isWhitespace(bytes[textEnd]) {
                if textEnd + 1 < bytes.count, bytes[textEnd] == UInt8(ascii: "="),
                    bytes[textEnd + 1] == UInt8(ascii: "?"),
                    textEnd > textStart
                {
                    break
                }
                textEnd += 1
            }
            end = textEnd
            if textEnd < bytes.count, bytes[textEnd] == UInt8(ascii: "?") { end += 1 }
        }
        let text = bytes[textStart..<textEnd]
        let isBase64 = encoding == UInt8(ascii: "b")
        guard text.contains(where: { $0 >= 0x80 }) else {
            let decoded = isBase64 ? text.withUnsafeBufferPointer { Base64.decode($0) } : decodeQ(text)
            return Word(charset: charset, decoded: decoded, end: end)
        }
        // Raw 8-bit text inside the word was already read as characters: decode the ASCII runs in
        // the declared charset and keep the rest.
        var decoded: [UInt8] = []
        var runStart = text.startIndex
        while runStart < text.endIndex {
            let ascii = text[runStart] < 0x80
            var runEnd = runStart
            while runEnd < text.endIndex, (text[runEnd] < 0x80) == ascii { runEnd += 1 }
            let run = text[runStart..<runEnd]
            if ascii {
                let raw = isBase64 ? run.withUnsafeBufferPointer { Base64.decode($0) } : decodeQ(run)
                decoded.append(contentsOf: Charset.decode(raw, charset: charset).utf8)
            } else {
                decoded.append(contentsOf: run)
            }
            runStart = runEnd
        }
        return Word(charset: "utf-8", decoded: decoded, end: end)
    }

    /// The Q encoding (section 4.2): `_` is a space, `=XX` a byte.
    static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "_") {
                out.append(32)
            } else if byte == UInt8(ascii: "="), index + 2 < text.endIndex,
                let high = QuotedPrintable.hexValue(text[index + 1]),
                let low = QuotedPrintable.hexValue(text[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
                continue
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}
