import Foundation

/// Finds the line on which each key of a TOML document is written, for error messages.
///
/// The TOML library reports positions only for syntax errors, so this scans the text once: table
/// headers (`[a]`, `[[a]]`, counting repeats) set the current path; `key = ...` lines name a key in it.
/// Keys are dotted paths with array-of-table indices: `helpdesk.support_address`, `imap[1].url`.
struct ConfigKeyLines {
    private(set) var lines: [String: Int] = [:]

    init(text: String) {
        var current = ""
        var arrayCounts: [String: Int] = [:]
        var number = 0
        var inMultiline = false
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            let quotes = line.components(separatedBy: "\"\"\"").count - 1
            if inMultiline {
                if quotes % 2 == 1 { inMultiline = false }
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let name = Self.name(line.dropFirst(2).prefix { $0 != "]" })
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                current = "\(name)[\(index)]"
                lines[current] = number
            } else if line.hasPrefix("[") {
                current = Self.name(line.dropFirst().prefix { $0 != "]" })
                lines[current] = number
            } else if let equals = line.firstIndex(of: "=") {
                let key = Self.name(line[..<equals])
                lines[current.isEmpty ? key : "\(current).\(key)"] = number
                if quotes % 2 == 1 { inMultiline = true }
            }
        }
    }

    func line(of key: String) -> Int? {
        if let line = lines[key] { return line }
        // A missing key is reported on its table's header line.
        guard let dot = key.lastIndex(of: ".") else { return nil }
        return line(of: String(key[..<dot]))
    }

    private static func name(_ text: Substring) -> String {
        text.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.joined(separator: ".")
    }
}
