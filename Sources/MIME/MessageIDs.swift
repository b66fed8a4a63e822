/// Message identifier lists: `Message-ID`, `In-Reply-To`, `References` (RFC 5322 section 3.6.4) and
/// `Content-ID` (RFC 2045 section 7), returned without angle brackets.
///
/// ```
/// References: <1234@local.machine.example> (comment)
///  <3456@example.net>
/// ```
/// gives `["1234@local.machine.example", "3456@example.net"]`. Without any angle brackets the value
/// is split at white space and commas (a common breakage). White space inside brackets is removed.
public enum MessageIDs {
    public static func parse(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        var ids: [String] = []
        var index = 0
        var sawBracket = false
        var commentDepth = 0
        var inQuote = false
        while index < bytes.count {
            let byte = bytes[index]
            if inQuote {
                if byte == UInt8(ascii: "\"") { inQuote = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "(") {
                commentDepth += 1
            } else if byte == UInt8(ascii: ")") && commentDepth > 0 {
                commentDepth -= 1
            } else if commentDepth == 0 && byte == UInt8(ascii: "\"") {
                inQuote = true
            } else if commentDepth == 0 && byte == UInt8(ascii: "<") {
                sawBracket = true
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: ">"), bytes[end] != UInt8(ascii: "<") { end += 1 }
                let inner = bytes[(index + 1)..<end].filter { !ByteScan.isWhitespace($0) }
                if !inner.isEmpty { ids.append(String(decoding: inner, as: UTF8.self)) }
                index = end < bytes.count && bytes[end] == UInt8(ascii: ">") ? end + 1 : end
                continue
            }
            index += 1
        }
        if sawBracket { return ids }
        let plain = HeaderParameters.stripComments(value)
        return plain.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r\n" || $0 == "\n" })
            .map(String.init)
            .filter { !$0.isEmpty }
    }
}
