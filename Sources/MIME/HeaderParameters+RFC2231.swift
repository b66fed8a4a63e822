extension HeaderParameters {
    /// Joins RFC 2231 continuations (`name*0`, `name*1*`, section 3) and decodes extended values
    /// (`name*=charset'language'percent-encoded`, section 4). An extended value wins over a plain one
    /// of the same name; plain values get RFC 2047 decoding.
    static func combine(_ raw: [(name: String, value: String)]) -> [String: String] {
        var plain: [String: String] = [:]
        var segments: [String: [(index: Int, encoded: Bool, value: String)]] = [:]
        for (name, value) in raw {
            guard let star = name.firstIndex(of: "*") else {
                if plain[name] == nil { plain[name] = value }
                continue
            }
            let base = String(name[..<star])
            var rest = name[name.index(after: star)...]
            var encoded = false
            if rest.hasSuffix("*") {
                encoded = true
                rest = rest.dropLast()
            }
            if rest.isEmpty {
                segments[base, default: []].append((0, true, value))
            } else if let number = Int(rest), number >= 0, number < 10_000 {
                segments[base, default: []].append((number, encoded, value))
            }
        }
        var result: [String: String] = [:]
        for (name, value) in plain {
            result[name] = value.contains("=?") ? EncodedWord.decode(value) : value
        }
        for (name, parts) in segments {
            let sorted = parts.sorted { $0.index < $1.index }
            var charset: String?
            var bytes: [UInt8] = []
            for (position, part) in sorted.enumerated() {
                var text = Substring(part.value)
                if part.encoded && position == 0 {
                    // charset'language'value; a missing pair of quotes means none were given.
                    let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if pieces.count == 3 {
                        charset = pieces[0].isEmpty ? nil : String(pieces[0])
                        text = pieces[2]
                    }
                }
                if part.encoded {
                    bytes.append(contentsOf: percentDecode(text))
                } else {
                    bytes.append(contentsOf: text.utf8)
                }
            }
            var decoded = Charset.decode(bytes, charset: charset)
            if decoded.contains("=?") { decoded = EncodedWord.decode(decoded) }
            result[name] = decoded
        }
        return result
    }

    static func percentDecode(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = QuotedPrintable.hexValue(utf8[index + 1]),
                let low = QuotedPrintable.hexValue(utf8[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }
}
