/// Text body clean-up: line ends to `\n` and `format=flowed` (RFC 3676) unwrapped.
enum TextBody {
    static func normalize(_ text: String, parameters: HeaderParameters) -> String {
        var result = normalizeLineEnds(text)
        if let format = parameters["format"], ByteScan.asciiLowercased(format) == "flowed" {
            let deleteSpace = parameters["delsp"].map { ByteScan.asciiLowercased($0) == "yes" } ?? false
            result = unflow(result, deleteSpace: deleteSpace)
        }
        return result
    }

    static func normalizeLineEnds(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for byte in text.utf8 {
            if byte == 13 {
                out.append(10)
                previousCR = true
                continue
            }
            if byte == 10 && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3676 section 4.2: a line ending in a space continues on the next line of the same quote
    /// depth; space-stuffing is removed; the signature separator `-- ` is never joined.
    static func unflow(_ text: String, deleteSpace: Bool) -> String {
        var lines: [String] = []
        var current: String?
        var currentDepth = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            var depth = 0
            while line.first == ">" {
                depth += 1
                line = line.dropFirst()
            }
            if line.first == " " { line = line.dropFirst() }
            let isSignature = line == "-- "
            let flowed = !isSignature && line.last == " "
            if var open = current, depth == currentDepth {
                open += line
                current = open
            } else {
                if let open = current { lines.append(open) }
                current = String(repeating: ">", count: depth) + (depth > 0 && !line.isEmpty ? " " : "") + line
                currentDepth = depth
            }
            if flowed {
                if deleteSpace, var open = current {
                    open.removeLast()
                    current = open
                }
            } else {
                if let open = current { lines.append(open) }
                current = nil
            }
        }
        if let open = current { lines.append(open) }
        return lines.joined(separator: "\n")
    }

    /// Joins the text of several body parts, one line break between them at least.
    static func join(_ pieces: [String]) -> String {
        guard pieces.count > 1 else { return pieces.first ?? "" }
        var result = ""
        for piece in pieces where !piece.isEmpty {
            if !result.isEmpty && !result.hasSuffix("\n") { result += "\n" }
            result += piece
        }
        return result
    }
}
