import Mustache

/// A complete, checked set of templates, parsed and ready to render. Immutable: a reload builds a
/// new one and swaps it in.
struct TemplateSet: Sendable {
    /// The parsed templates of one kind.
    struct KindTemplates: Sendable {
        var subject: MustacheTemplate
        var text: MustacheTemplate
        var html: MustacheTemplate?
    }

    let kinds: [TemplateKind: KindTemplates]
    /// The partials for subjects and text bodies: nothing escaped.
    let textLibrary: MustacheLibrary
    /// The partials for HTML bodies: escaped.
    let htmlLibrary: MustacheLibrary

    /// Put before a subject, a text body and each partial used by them: partials start in HTML mode
    /// in swift-mustache, so the pragma must be in each. A standalone line, so it adds nothing.
    static let textPragma = "{{%CONTENT_TYPE: TEXT}}\n"

    /// Checks `contents` and builds a set from it, or returns every problem found.
    static func build(_ contents: TemplateFolder.Contents) -> (set: TemplateSet?, problems: [TemplateProblem]) {
        if contents.unreadable { return (nil, contents.problems) }
        var problems = contents.problems
        var tags: [String: [TemplateTag]] = [:]
        for (file, source) in contents.files {
            do {
                _ = try MustacheTemplate(string: source)
                tags[file] = TemplateTagScanner.scan(source)
            } catch {
                problems.append(.syntax(error, file: file, source: source))
            }
        }
        let partialPrefix = TemplateFolder.partialsFolder + "/"
        var partials: [String: String] = [:]
        for file in contents.files.keys where file.hasPrefix(partialPrefix) {
            partials[String(file.dropFirst(partialPrefix.count).dropLast(TemplateFolder.fileExtension.count))] = file
        }
        let checker = TemplateChecker(tags: tags, partials: partials)
        for kind in TemplateKind.allCases {
            for role in TemplateFolder.FileRole.allCases {
                let file = TemplateFolder.path(of: role, for: kind)
                guard contents.files[file] != nil else {
                    if role != .html {
                        problems.append(
                            TemplateProblem(file: file, reason: "missing: every kind needs a subject and a text body"))
                    }
                    continue
                }
                problems += checker.check(file, kind: kind, mode: role == .html ? .html : .text)
            }
        }
        guard problems.isEmpty else { return (nil, Array(Set(problems)).sorted()) }
        do {
            let set = try assemble(contents.files, partials: partials)
            let renderProblems = set.renderSamples()
            return renderProblems.isEmpty ? (set, []) : (nil, renderProblems)
        } catch {
            return (nil, [TemplateProblem(file: "", reason: "cannot prepare the templates: \(error)")])
        }
    }

    /// Parses the checked files into libraries; the text ones get the TEXT pragma.
    private static func assemble(_ files: [String: String], partials: [String: String]) throws -> TemplateSet {
        var textLibrary = MustacheLibrary()
        var htmlLibrary = MustacheLibrary()
        for (name, file) in partials {
            guard let source = files[file] else { continue }
            try textLibrary.register(textPragma + source, named: name)
            try htmlLibrary.register(source, named: name)
        }
        var kinds: [TemplateKind: KindTemplates] = [:]
        for kind in TemplateKind.allCases {
            guard let subject = files[TemplateFolder.path(of: .subject, for: kind)],
                let text = files[TemplateFolder.path(of: .text, for: kind)]
            else { continue }
            let html = try files[TemplateFolder.path(of: .html, for: kind)].map { try MustacheTemplate(string: $0) }
            kinds[kind] = KindTemplates(
                subject: try MustacheTemplate(string: textPragma + subject),
                text: try MustacheTemplate(string: textPragma + text), html: html)
        }
        return TemplateSet(kinds: kinds, textLibrary: textLibrary, htmlLibrary: htmlLibrary)
    }

    /// Renders every kind against its sample context: the subject and text must not come out empty.
    private func renderSamples() -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        for kind in TemplateKind.allCases {
            do {
                let rendered = try render(kind, context: .sample(for: kind))
                if rendered.subject.isEmpty {
                    problems.append(
                        TemplateProblem(
                            file: TemplateFolder.path(of: .subject, for: kind),
                            reason: "the subject comes out empty for the sample \(kind.rawValue) mail"))
                }
                if rendered.text.trimmingWhitespace.isEmpty {
                    problems.append(
                        TemplateProblem(
                            file: TemplateFolder.path(of: .text, for: kind),
                            reason: "the text comes out empty for the sample \(kind.rawValue) mail"))
                }
            } catch {
                problems.append(TemplateProblem(file: kind.folder, reason: "cannot render the sample: \(error)"))
            }
        }
        return problems
    }

    func render(_ kind: TemplateKind, context: TemplateContext) throws -> RenderedTemplate {
        let missing = context.missingSections(for: kind)
        guard missing.isEmpty else { throw TemplateRenderError.missingContext(kind: kind, sections: missing) }
        guard let templates = kinds[kind] else {
            throw TemplateRenderError.noTemplates(kind: kind)
        }
        let values = context.mustacheValues
        let subject = templates.subject.render(values, library: textLibrary)
        let text = templates.text.render(values, library: textLibrary)
        let html = templates.html.map { $0.render(values, library: htmlLibrary) }
        return RenderedTemplate(
            subject: Self.oneLine(subject), text: Self.tidy(text), html: html.map(Self.tidy))
    }

    /// One line: control characters and line ends become spaces, runs of white space one space.
    static func oneLine(_ text: String) -> String {
        TemplateProblem.oneLine(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `\n` line ends, no blank lines at the start, no white space at the end but one newline.
    static func tidy(_ text: String) -> String {
        let lines = TemplateText.lines(of: text).map { $0.last == "\r" ? $0.dropLast() : $0 }
        let body = lines.drop { $0.allSatisfy(\.isWhitespace) }.joined(separator: "\n")
        guard let last = body.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return body[...last] + "\n"
    }
}
