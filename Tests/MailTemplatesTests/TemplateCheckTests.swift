import Foundation
import Testing

@testable import MailTemplates

/// Broken copies of the shipped templates: each problem names its file, its line and why.
@Suite struct TemplateCheckTests {
    /// Replaces `file` in a scratch copy with `text` and returns what `check(folder:)` finds.
    private func problems(writing text: String, to file: String) throws -> [TemplateProblem] {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        try TemplateFixtures.write(text, to: file, in: folder)
        return TemplateLibrary.check(folder: folder)
    }

    struct SyntaxCase: Sendable, CustomTestStringConvertible {
        var source: String
        var line: Int
        var reasonContains: String
        var testDescription: String { reasonContains }
    }

    @Test(arguments: [
        SyntaxCase(
            source: "Hello\n\n{{#ticket}}\n{{ticket.ref}}\n", line: 3, reasonContains: "`ticket` is never closed"),
        SyntaxCase(source: "a\n{{#ticket}}x\n{{/customer}}\n", line: 3, reasonContains: "does not match"),
        SyntaxCase(source: "a\nb\n{{ticket.ref\n", line: 3, reasonContains: "ends inside a tag"),
        SyntaxCase(source: "{{ticket.ref}}\n{{ticket ref}}\n", line: 2, reasonContains: "not closed"),
        SyntaxCase(source: "one\n{{%CONTENT_TYPE: JSON}}\n", line: 2, reasonContains: "unknown pragma"),
    ])
    func syntaxErrorHasFileAndLine(_ example: SyntaxCase) throws {
        let found = try problems(writing: example.source, to: "confirmation/text.mustache")
        let problem = try #require(found.first)
        #expect(found.count == 1)
        #expect(problem.file == "confirmation/text.mustache")
        #expect(problem.line == example.line)
        #expect(problem.reason.contains(example.reasonContains), "\(problem)")
        #expect(problem.description.hasPrefix("confirmation/text.mustache:\(example.line): "))
    }

    struct NameCase: Sendable, CustomTestStringConvertible {
        var file: String
        var source: String
        var line: Int
        var reasonContains: String
        var testDescription: String { "\(file): \(reasonContains)" }
    }

    @Test(arguments: [
        NameCase(
            file: "confirmation/text.mustache", source: "x\n{{ticket.refx}}\n", line: 2,
            reasonContains: "unknown variable `ticket.refx`"),
        NameCase(
            file: "confirmation/subject.mustache", source: "{{agent.name}}", line: 1,
            reasonContains: "unknown variable `agent.name` for confirmation"),
        NameCase(
            file: "resolution/text.mustache", source: "a\nb\n{{#ratings}}{{scor}}{{/ratings}}\n", line: 3,
            reasonContains: "unknown variable `scor`"),
        NameCase(
            file: "resolution/text.mustache", source: "{{ratings.url}}\n", line: 1,
            reasonContains: "`ratings` is a list"),
        NameCase(
            file: "agent-reply/text.mustache", source: "{{reply.text}}\n{{> footer}}\n", line: 2,
            reasonContains: "unknown partial `footer`"),
        NameCase(
            file: "agent-reply/html.mustache", source: "<p>{{{customer.name}}}</p>\n", line: 1,
            reasonContains: "without HTML escaping"),
        NameCase(
            file: "agent-reply/html.mustache", source: "<p>{{reply.html}}</p>\n", line: 1,
            reasonContains: "triple braces"),
        NameCase(
            file: "agent-reply/text.mustache", source: "x\n\n{{{reply.html}}}\n", line: 3,
            reasonContains: "use `reply.text`"),
        NameCase(
            file: "agent-reply/html.mustache", source: "{{%CONTENT_TYPE: TEXT}}\n{{reply.text}}\n", line: 1,
            reasonContains: "turn off HTML escaping"),
        NameCase(
            file: "magic-link/text.mustache", source: "{{link_url}} {{shout(link_url)}}\n", line: 1,
            reasonContains: "unknown transform `shout()`"),
        NameCase(
            file: "magic-link/text.mustache", source: "{{link_url}}\n{{#first()}}x{{/first()}}\n", line: 2,
            reasonContains: "only inside a list section"),
        NameCase(
            file: "partials/signature.mustache", source: "Bye,\n{{agent.name}}\n", line: 2,
            reasonContains: "unknown variable `agent.name` for confirmation"),
        NameCase(
            file: "partials/greeting.mustache", source: "Hi {{> greeting}}\n", line: 1,
            reasonContains: "partial `greeting` includes itself"),
        NameCase(
            file: "magic-link/text.mustache", source: "{{link_url}}\n{{>*name}}\n", line: 2,
            reasonContains: "dynamic partials"),
    ])
    func unknownOrMisusedNameIsReported(_ example: NameCase) throws {
        let found = try problems(writing: example.source, to: example.file)
        let problem = try #require(found.first { $0.reason.contains(example.reasonContains) }, "\(found)")
        #expect(problem.file == example.file)
        #expect(problem.line == example.line)
    }

    @Test func knownNamesInSectionsAndDelimiterChangesPass() throws {
        let source = """
            {{link_url}} {{#ticket}}{{ref}} {{.ref}} {{subject}}{{/ticket}}
            {{=<% %>=}}
            <%expires_in%> <%#customer.name%><%.%><%/customer.name%> <%uppercased(product_name)%>
            """
        #expect(try problems(writing: source, to: "magic-link/text.mustache") == [])
        let ratings = "{{#ratings}}{{score}} {{url}} {{product_name}}{{^last()}}, {{/last()}}{{/ratings}}"
        #expect(try problems(writing: ratings, to: "resolution/subject.mustache") == [])
    }

    @Test func missingSubjectOrTextIsAProblemButHTMLIsOptional() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        try FileManager.default.removeItem(atPath: "\(folder)/magic-link/html.mustache")
        #expect(TemplateLibrary.check(folder: folder) == [])
        let library = try TemplateLibrary.load(from: folder)
        #expect(try library.preview(.magicLink).html == nil)
        #expect(!library.hasHTML(.magicLink) && library.hasHTML(.confirmation))

        try FileManager.default.removeItem(atPath: "\(folder)/agent-notice/text.mustache")
        try FileManager.default.removeItem(atPath: "\(folder)/resolution/subject.mustache")
        let found = TemplateLibrary.check(folder: folder).map(\.file)
        #expect(found == ["agent-notice/text.mustache", "resolution/subject.mustache"])
    }

    @Test func strayTemplateFilesAndEmptyOutputAreProblems() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        try TemplateFixtures.write("x", to: "confirmation/txt.mustache", in: folder)
        try FileManager.default.createDirectory(atPath: "\(folder)/agent_reply", withIntermediateDirectories: true)
        try TemplateFixtures.write("x", to: "agent_reply/text.mustache", in: folder)
        try TemplateFixtures.write("notes", to: "confirmation/notes.txt", in: folder)
        #expect(
            TemplateLibrary.check(folder: folder).map(\.file) == [
                "agent_reply/text.mustache", "confirmation/txt.mustache",
            ])

        let empty = try problems(
            writing: "{{%CONTENT_TYPE: TEXT}}\n{{#customer_reply}}x{{/customer_reply}}\n",
            to: "agent-notice/subject.mustache")
        #expect(empty.map(\.file) == ["agent-notice/subject.mustache"])
        #expect(empty.first?.reason.contains("empty") == true)
    }

    @Test func partialsThatMultiplyAreRefused() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        for level in 0..<12 {
            let next = "{{> p\(level + 1)}}{{> p\(level + 1)}}"
            try TemplateFixtures.write(level == 11 ? "x" : next, to: "partials/p\(level).mustache", in: folder)
        }
        try TemplateFixtures.write("{{> p0}}\n", to: "magic-link/text.mustache", in: folder)
        let found = TemplateLibrary.check(folder: folder)
        #expect(found.contains { $0.reason.contains("included more than 1000 times") }, "\(found)")
    }

    @Test func problemsNeverCarryLineBreaks() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let name = "bad\r\nname"
        try FileManager.default.createDirectory(atPath: "\(folder)/\(name)", withIntermediateDirectories: true)
        try TemplateFixtures.write("x", to: "\(name)/text.mustache", in: folder)
        let found = TemplateLibrary.check(folder: folder)
        #expect(!found.isEmpty)
        for problem in found {
            #expect(!problem.description.contains("\r") && !problem.description.contains("\n"))
        }
        let missing = TemplateLibrary.check(folder: "\(folder)/nowhere")
        #expect(missing.count == 1 && missing[0].file.isEmpty)
    }

    @Test func loadThrowsEveryProblem() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        try TemplateFixtures.write("{{nope}}", to: "confirmation/subject.mustache", in: folder)
        try TemplateFixtures.write("{{#x}}", to: "agent-reply/subject.mustache", in: folder)
        let error = try #require(throws: TemplateLoadError.self) { try TemplateLibrary.load(from: folder) }
        #expect(error.problems.map(\.file) == ["agent-reply/subject.mustache", "confirmation/subject.mustache"])
    }
}
