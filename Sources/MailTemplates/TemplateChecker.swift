/// Checks the names a template uses against the variables of its kind, following partials.
///
/// Partials are checked where they are used, with the sections open around the `{{>name}}` tag,
/// so a partial shared by several kinds must only use what each of them has.
struct TemplateChecker {
    /// How a template's output is used, which decides what escaping it needs.
    enum Mode: Sendable {
        /// Subjects and text bodies: nothing is escaped.
        case text
        /// HTML bodies: everything is escaped except the `.html` variables.
        case html
    }

    /// The tags of every file that parsed, by file.
    let tags: [String: [TemplateTag]]
    /// The file of every partial, by the name templates include it with.
    let partials: [String: String]

    /// The most partial inclusions one template may make, counting those inside partials.
    static let maximumInclusions = 1000

    /// The problems of `file`, rendered for `kind` as `mode`, including the partials it uses.
    func check(_ file: String, kind: TemplateKind, mode: Mode) -> [TemplateProblem] {
        var walk = Walk(checker: self, schema: TemplateSchema(kind: kind), mode: mode)
        walk.scopes = [walk.schema.root]
        walk.visit(file, chain: [])
        return walk.problems
    }

    private struct Walk {
        let checker: TemplateChecker
        let schema: TemplateSchema
        let mode: TemplateChecker.Mode
        var scopes: [TemplateSchema.Node] = []
        var listDepth = 0
        var problems: [TemplateProblem] = []
        /// Partial inclusions left before the mail counts as too big (partials that include each
        /// other several times multiply).
        var inclusionsLeft = TemplateChecker.maximumInclusions

        /// One open section, block or parent, and what it added to the scopes.
        struct Open {
            var pushedScope: Bool
            var isList: Bool
        }

        mutating func visit(_ file: String, chain: [String]) {
            guard let tags = checker.tags[file] else { return }
            var open: [Open] = []
            for tag in tags {
                switch tag.kind {
                case .variable, .unescaped:
                    checkValue(tag, in: file)
                case .section, .inverted:
                    open.append(openSection(tag, in: file))
                case .block:
                    open.append(Open(pushedScope: false, isList: false))
                case .parent:
                    include(tag, from: file, chain: chain)
                    open.append(Open(pushedScope: false, isList: false))
                case .close:
                    guard let last = open.popLast() else { continue }
                    if last.pushedScope { scopes.removeLast() }
                    if last.isList { listDepth -= 1 }
                case .partial:
                    include(tag, from: file, chain: chain)
                case .pragma:
                    checkPragma(tag, in: file)
                case .other:
                    continue
                }
            }
            // An unclosed section is a syntax error, reported by the parser; keep the scopes balanced.
            for last in open.reversed() {
                if last.pushedScope { scopes.removeLast() }
                if last.isList { listDepth -= 1 }
            }
        }

        private mutating func checkValue(_ tag: TemplateTag, in file: String) {
            let (name, transforms) = tag.nameAndTransforms
            let node: TemplateSchema.Node
            switch schema.resolve(name, transforms: transforms, scopes: scopes, inList: listDepth > 0) {
            case .problem(let reason):
                return report(reason, tag, file)
            case .sequenceContext:
                return
            case .found(let found):
                node = found
            }
            guard transforms.isEmpty else { return }
            let shown = name == "." ? (node.path.isEmpty ? "." : node.path) : name
            if node.isList {
                return report("`\(shown)` is a list: write {{#\(shown)}}…{{/\(shown)}}", tag, file)
            }
            let isHTML = node.shape == .html
            switch (mode, tag.kind, isHTML) {
            case (.html, .unescaped, false):
                report(
                    "{{{\(tag.content)}}} would insert `\(shown)` without HTML escaping: write {{\(tag.content)}}",
                    tag, file)
            case (.html, .variable, true):
                report("`\(shown)` is HTML: insert it with triple braces, {{{\(tag.content)}}}", tag, file)
            case (.text, _, true):
                let textName = shown.hasSuffix(".html") ? String(shown.dropLast(5)) + ".text" : "the text variable"
                report("`\(shown)` is HTML: text and subject templates use `\(textName)`", tag, file)
            default:
                break
            }
        }

        private mutating func openSection(_ tag: TemplateTag, in file: String) -> Open {
            let (name, transforms) = tag.nameAndTransforms
            switch schema.resolve(name, transforms: transforms, scopes: scopes, inList: listDepth > 0) {
            case .problem(let reason):
                report(reason, tag, file)
                // Check the inside anyway, in the scope the section would have.
                return Open(pushedScope: false, isList: false)
            case .sequenceContext:
                return Open(pushedScope: false, isList: false)
            case .found(let node):
                let keepsList = transforms.allSatisfy { $0 == "reversed" || $0 == "sorted" }
                guard tag.kind == .section, keepsList, node.shape != .flag else {
                    return Open(pushedScope: false, isList: false)
                }
                scopes.append(node)
                if node.isList { listDepth += 1 }
                return Open(pushedScope: true, isList: node.isList)
            }
        }

        private mutating func include(_ tag: TemplateTag, from file: String, chain: [String]) {
            let name = tag.content
            if name.hasPrefix("*") {
                return report("dynamic partials ({{>*name}}) are not supported", tag, file)
            }
            guard let partialFile = checker.partials[name] else {
                return report("unknown partial `\(name)`: there is no partials/\(name).mustache", tag, file)
            }
            if chain.contains(name) {
                return report("partial `\(name)` includes itself", tag, file)
            }
            inclusionsLeft -= 1
            if inclusionsLeft == 0 {
                report(
                    "partials are included more than \(TemplateChecker.maximumInclusions) times in one mail", tag, file)
            }
            guard inclusionsLeft > 0 else { return }
            visit(partialFile, chain: chain + [name])
        }

        private mutating func checkPragma(_ tag: TemplateTag, in file: String) {
            let value = tag.content.split(separator: ":").last.map { String($0).trimmingWhitespace } ?? ""
            switch (mode, value) {
            case (.html, "TEXT"):
                report("CONTENT_TYPE TEXT in an HTML template would turn off HTML escaping", tag, file)
            case (.text, "HTML"):
                report("CONTENT_TYPE HTML in a text template would HTML-escape the text", tag, file)
            default:
                break
            }
        }

        private mutating func report(_ reason: String, _ tag: TemplateTag, _ file: String) {
            problems.append(TemplateProblem(file: file, line: tag.line, reason: reason))
        }
    }
}
