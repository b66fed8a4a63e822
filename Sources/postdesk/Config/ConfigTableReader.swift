import TOMLKit

/// Reads typed values from one TOML table, noting every problem (wrong type, bad value, unknown key)
/// with its dotted key and line instead of stopping at the first.
final class ConfigTableReader {
    let table: TOMLTable
    let path: String
    let report: ConfigReport
    private var read = Set<String>()

    init(table: TOMLTable, path: String, report: ConfigReport) {
        self.table = table
        self.path = path
        self.report = report
    }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func string(_ name: String) -> String? {
        guard let value = value(name) else { return nil }
        guard let string = value.string else { return wrongType(name, "a string") }
        return string
    }

    func int(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(name) else { return nil }
        guard let int = value.int else { return wrongType(name, "a whole number") }
        guard range.contains(int) else {
            report.problem(key(name), "must be between \(range.lowerBound) and \(range.upperBound), not \(int)")
            return nil
        }
        return int
    }

    func bool(_ name: String) -> Bool? {
        guard let value = value(name) else { return nil }
        guard let bool = value.bool else { return wrongType(name, "true or false") }
        return bool
    }

    func strings(_ name: String) -> [String]? {
        guard let value = value(name) else { return nil }
        guard let array = value.array else { return wrongType(name, "a list of strings") }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else { return wrongType(name, "a list of strings") }
            strings.append(string)
        }
        return strings
    }

    func table(_ name: String) -> ConfigTableReader? {
        guard let value = value(name) else { return nil }
        guard let table = value.table else { return wrongType(name, "a table ([\(key(name))])") }
        return ConfigTableReader(table: table, path: key(name), report: report)
    }

    func tables(_ name: String) -> [ConfigTableReader] {
        guard let value = value(name) else { return [] }
        guard let array = value.array else { return wrongType(name, "a list of tables ([[\(key(name))]])") ?? [] }
        var readers: [ConfigTableReader] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else { return wrongType(name, "a list of tables ([[\(key(name))]])") ?? [] }
            readers.append(ConfigTableReader(table: table, path: "\(key(name))[\(index)]", report: report))
        }
        return readers
    }

    /// Reports every key of this table that no one asked for.
    func rejectUnknownKeys() {
        for name in table.keys.sorted() where !read.contains(name) {
            report.problem(key(name), "unknown key")
        }
    }

    private func value(_ name: String) -> (any TOMLValueConvertible)? {
        read.insert(name)
        return table[name]
    }

    private func wrongType<T>(_ name: String, _ expected: String) -> T? {
        report.problem(key(name), "must be \(expected)")
        return nil
    }
}

/// The problems found so far, each placed on its line.
final class ConfigReport {
    let lines: ConfigKeyLines
    private(set) var problems: [ConfigProblem] = []

    init(lines: ConfigKeyLines) { self.lines = lines }

    func problem(_ key: String, _ message: String) {
        problems.append(ConfigProblem(key: key, line: lines.line(of: key), message: message))
    }
}
