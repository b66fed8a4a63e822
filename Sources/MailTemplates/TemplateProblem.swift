/// Something wrong with the templates: which file, which line, and why, on one line.
///
/// `description` reads like a compiler message: `agent-reply/text.mustache:4: unknown variable …`.
/// CR, LF and other control characters never get through: they are shown as spaces.
public struct TemplateProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file, relative to the template folder (e.g. `partials/layout.mustache`); empty for the
    /// folder itself.
    public let file: String
    /// The line, counted from 1, when the problem has one.
    public let line: Int?
    /// Why, in words for the admin who edits the file.
    public let reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = Self.oneLine(file)
        self.line = line
        self.reason = Self.oneLine(reason)
    }

    public var description: String {
        let place = file.isEmpty ? "mail-templates" : file
        return line.map { "\(place):\($0): \(reason)" } ?? "\(place): \(reason)"
    }

    public static func < (lhs: TemplateProblem, rhs: TemplateProblem) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.reason) < (rhs.file, rhs.line ?? 0, rhs.reason)
    }

    /// `text` with every control character (CR, LF, tab, NEL, line and paragraph separators) as a space.
    static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
                        ? " " : scalar
                }))
    }
}

/// Thrown by `TemplateLibrary.load(from:)` when the templates cannot be used.
public struct TemplateLoadError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, sorted by file and line.
    public let problems: [TemplateProblem]

    public init(problems: [TemplateProblem]) {
        self.problems = problems
    }

    public var description: String {
        "mail templates have \(problems.count) problem(s): "
            + problems.map(\.description).joined(separator: "; ")
    }
}

/// Thrown by `TemplateLibrary.render(_:context:)`.
public enum TemplateRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The context lacks sections that this kind of mail needs (by their template names).
    case missingContext(kind: TemplateKind, sections: [String])
    /// The library holds no templates for this kind (it was never loaded).
    case noTemplates(kind: TemplateKind)

    public var description: String {
        switch self {
        case .missingContext(let kind, let sections):
            "\(kind.rawValue) mail needs \(sections.joined(separator: ", ")) in its context"
        case .noTemplates(let kind):
            "no templates are loaded for \(kind.rawValue) mail"
        }
    }
}
