import Mustache

extension TemplateProblem {
    /// The problem for a file that swift-mustache could not parse, at the line where it stopped.
    static func syntax(_ error: any Error, file: String, source: String) -> TemplateProblem {
        guard let parserError = error as? MustacheTemplate.ParserError else {
            return TemplateProblem(file: file, reason: "syntax error")
        }
        let context = parserError.context
        guard let known = parserError.error as? MustacheTemplate.Error else {
            // swift-mustache's reader ran out of text inside a tag: point at where that tag starts.
            let start = TemplateTagScanner.scan(source).last { !$0.terminated }
            return TemplateProblem(
                file: file, line: start?.line ?? context.lineNumber,
                reason: "the file ends inside a tag: a {{ without its }}")
        }
        if case .expectedSectionEnd = known, let unclosed = unclosedSection(in: source) {
            return TemplateProblem(
                file: file, line: unclosed.line,
                reason: "section `\(unclosed.content)` is never closed: add {{/\(unclosed.content)}}")
        }
        return TemplateProblem(
            file: file, line: context.lineNumber, reason: "\(reason(for: known)) (column \(context.columnNumber))")
    }

    private static func reason(for error: MustacheTemplate.Error) -> String {
        switch error {
        case .sectionCloseNameIncorrect: "this closing tag does not match the section opened before it"
        case .unfinishedName: "a tag is not closed with }}, or its name has a character names cannot have"
        case .expectedSectionEnd: "a section is opened but never closed"
        case .invalidSetDelimiter: "bad delimiter change: write it like {{=<% %>=}}"
        case .transformAppliedToInheritanceSection: "a block ({{$name}}) cannot use a transform"
        case .illegalTokenInsideInheritSection: "only blocks ({{$name}}…{{/name}}) may stand inside {{<parent}}"
        case .textInsideInheritSection: "text inside {{<parent}}…{{/parent}} must stand inside a block"
        case .invalidConfigVariableSyntax: "bad pragma: write it like {{%CONTENT_TYPE: TEXT}}"
        case .unrecognisedConfigVariable: "unknown pragma: only CONTENT_TYPE with TEXT or HTML exists"
        }
    }

    /// The innermost section (or block, or parent) that is opened and never closed.
    private static func unclosedSection(in source: String) -> TemplateTag? {
        var open: [TemplateTag] = []
        for tag in TemplateTagScanner.scan(source) {
            switch tag.kind {
            case .section, .inverted, .parent, .block: open.append(tag)
            case .close: _ = open.popLast()
            default: continue
            }
        }
        return open.last
    }
}
