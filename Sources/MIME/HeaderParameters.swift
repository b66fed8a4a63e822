/// A structured field value with parameters, as in `Content-Type` (RFC 2045 section 5.1) and
/// `Content-Disposition` (RFC 2183):
///
/// ```
/// Content-Type: text/plain; charset="utf-8"; format=flowed
/// Content-Disposition: attachment;
///  filename*0*=utf-8''R%C3%A9sum%C3%A9;
///  filename*1=".pdf"
/// ```
/// Parameter names are lowercased. RFC 2231 extended values and continuations are joined and
/// decoded; RFC 2047 encoded words in quoted values (common in file names) are decoded too.
/// Lenient with real mail: missing semicolons, unquoted values with spaces, unterminated quotes.
public struct HeaderParameters: Sendable, Hashable {
    /// The lowercased main value, e.g. `text/plain` or `attachment`.
    public var value: String
    public var parameters: [String: String]

    public init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    public subscript(name: String) -> String? { parameters[ByteScan.asciiLowercased(name)] }

    /// Parses an unfolded field value.
    public init(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") {
            if ByteScan.isWhitespace(bytes[index]), HeaderParameters.startsParameter(bytes, at: index) { break }
            index += 1
        }
        let main = String(decoding: bytes[0..<index], as: UTF8.self)
        value = ByteScan.asciiLowercased(ByteScan.trimmed(HeaderParameters.stripComments(main)))
        var raw: [(name: String, value: String)] = []
        while index < bytes.count {
            while index < bytes.count, bytes[index] == UInt8(ascii: ";") || ByteScan.isWhitespace(bytes[index]) {
                index += 1
            }
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";"),
                !ByteScan.isWhitespace(bytes[index])
            {
                index += 1
            }
            let name = ByteScan.asciiLowercased(String(decoding: bytes[nameStart..<index], as: UTF8.self))
            while index < bytes.count, ByteScan.isWhitespace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                if index == nameStart { index += 1 }
                continue
            }
            index += 1
            while index < bytes.count, ByteScan.isWhitespace(bytes[index]) { index += 1 }
            var valueBytes: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                valueBytes = ByteScan.quotedString(bytes, at: &index)
            } else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") {
                    if ByteScan.isWhitespace(bytes[index]), HeaderParameters.startsParameter(bytes, at: index) { break }
                    index += 1
                }
                var end = index
                while end > start, ByteScan.isWhitespace(bytes[end - 1]) { end -= 1 }
                valueBytes = Array(bytes[start..<end])
                if valueBytes.contains(UInt8(ascii: "(")) {
                    // A comment after an unquoted value (RFC 5322 section 3.2.2).
                    let stripped = HeaderParameters.stripComments(String(decoding: valueBytes, as: UTF8.self))
                    valueBytes = Array(ByteScan.trimmed(stripped).utf8)
                }
            }
            if !name.isEmpty { raw.append((name, String(decoding: valueBytes, as: UTF8.self))) }
        }
        parameters = HeaderParameters.combine(raw)
    }

    /// True when white space at `index` is followed by `token=` (a parameter after a missing `;`).
    static func startsParameter(_ bytes: [UInt8], at index: Int) -> Bool {
        var probe = index
        while probe < bytes.count, ByteScan.isWhitespace(bytes[probe]) { probe += 1 }
        let start = probe
        while probe < bytes.count {
            let byte = bytes[probe]
            if byte == UInt8(ascii: "=") { return probe > start }
            let isToken =
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "_")
            if !isToken { return false }
            probe += 1
        }
        return false
    }

    static func stripComments(_ text: String) -> String {
        guard text.contains("(") else { return text }
        var out = ""
        var depth = 0
        for character in text {
            if character == "(" {
                depth += 1
            } else if character == ")" && depth > 0 {
                depth -= 1
            } else if depth == 0 {
                out.append(character)
            }
        }
        return out
    }
}
