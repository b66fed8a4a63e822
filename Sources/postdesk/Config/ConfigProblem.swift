/// One thing wrong with a configuration file: which key, on which line, and what.
struct ConfigProblem: Error, Sendable, CustomStringConvertible, Equatable {
    var key: String
    var line: Int?
    var message: String

    var description: String {
        let place = line.map { "line \($0): " } ?? ""
        return key.isEmpty ? "\(place)\(message)" : "\(place)\(key): \(message)"
    }
}

/// All the problems of a configuration file; loading fails with every one of them at once.
struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    var file: String
    var problems: [ConfigProblem]

    var description: String {
        (["\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")"]
            + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
