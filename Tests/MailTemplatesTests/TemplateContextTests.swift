import Foundation
import Testing

@testable import MailTemplates

@Suite struct TemplateContextTests {
    /// The names a context gives templates: `a.b` for fields, `list` and `list.field` for lists.
    private func names(_ values: [String: Any], of kind: TemplateKind, prefix: String = "") -> Set<String> {
        var names: Set<String> = []
        for (key, value) in values {
            let name = prefix + key
            if let fields = value as? [String: Any] {
                names.formUnion(self.names(fields, of: kind, prefix: name + "."))
                if TemplateVariable.variables(for: kind).contains(where: { $0.name == name }) { names.insert(name) }
            } else if let items = value as? [[String: Any]] {
                names.insert(name)
                for item in items { names.formUnion(self.names(item, of: kind, prefix: name + ".")) }
            } else {
                names.insert(name)
            }
        }
        return names
    }

    @Test(arguments: TemplateKind.allCases)
    func sampleHasExactlyTheCataloguedVariables(_ kind: TemplateKind) {
        let given = names(TemplateContext.sample(for: kind).mustacheValues, of: kind)
        var expected = Set(TemplateVariable.variables(for: kind).map(\.name))
        if kind != .resolution { expected.insert("ratings") }  // always given, empty outside resolution
        #expect(given == expected)
    }

    @Test(arguments: TemplateKind.allCases)
    func sampleIsComplete(_ kind: TemplateKind) {
        #expect(TemplateContext.sample(for: kind).missingSections(for: kind) == [])
    }

    @Test func readmeDocumentsEveryKindAndVariable() throws {
        let readme = try TemplateFixtures.read("README.md", in: TemplateFixtures.shippedFolder)
        for kind in TemplateKind.allCases {
            #expect(
                readme.contains("### `\(kind.rawValue)`") || kind == .confirmation && readme.contains("`confirmation`"))
        }
        for variable in TemplateVariable.catalog {
            #expect(readme.contains("| `\(variable.name)` |"), "README lacks \(variable.name)")
        }
        #expect(readme.contains("postdesk templates check"))
        #expect(readme.contains("-- reply above this line --"))
    }

    @Test func codableUsesTemplateNamesAndRoundTrips() throws {
        for kind in TemplateKind.allCases {
            let context = TemplateContext.sample(for: kind)
            let json = try JSONEncoder().encode(context)
            #expect(try JSONDecoder().decode(TemplateContext.self, from: json) == context)
        }
        let json = String(decoding: try JSONEncoder().encode(TemplateContext.sample(for: .magicLink)), as: UTF8.self)
        #expect(json.contains("\"link_url\"") && json.contains("\"expires_in\"") && json.contains("\"product_name\""))
        let minimal =
            #"{"product_name":"P","support_address":"s@p.example","portal_url":"https://p.example/","#
            + #""customer":{"email":"c@p.example"},"event":"customer-reply","message":{"from":"C","text":"Hi"}}"#
        let decoded = try JSONDecoder().decode(TemplateContext.self, from: Data(minimal.utf8))
        #expect(decoded.event == .customerReply && decoded.message?.body.text == "Hi" && decoded.ratings == [])
    }

    @Test func textBecomesEscapedHTMLParagraphs() {
        let text = TemplateText("Hi <Dana> & \"Co\",\r\nline two\n\n\n  \nNew 'para'")
        #expect(
            text.html == """
                <p style="margin:0 0 16px 0;">Hi &lt;Dana&gt; &amp; &quot;Co&quot;,<br>
                line two</p>
                <p style="margin:0 0 16px 0;">New &#39;para&#39;</p>
                """)
        #expect(TemplateText("").html == "")
    }

    @Test func ratingScaleHasFiveLabelledLinks() {
        let ratings = TemplateContext.Rating.scale { "https://r.example/\($0)" }
        #expect(ratings.map(\.score) == [1, 2, 3, 4, 5])
        #expect(ratings.last?.label == "Excellent" && ratings.first?.url == "https://r.example/1")
    }

    @Test func scannerFollowsDelimitersAndLines() {
        let tags = TemplateTagScanner.scan("a {{x}}\r\n{{! note\n spans }}\n{{=<% %>=}}<%{y}%> <%#z%>\n<%/z%>{{w}}")
        #expect(tags.map(\.content) == ["x", "note\n spans", "<% %>=", "y", "z", "z"])
        #expect(tags.map(\.line) == [1, 2, 4, 4, 4, 5])
        #expect(tags[3].kind == .variable || tags[3].kind == .unescaped)
    }

    @Test func windowsLineEndsWork() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let shipped = try TemplateLibrary.load(from: TemplateFixtures.shippedFolder)
        for kind in TemplateKind.allCases {
            for role in ["subject", "text", "html"] {
                let file = "\(kind.folder)/\(role).mustache"
                let source = try TemplateFixtures.read(file, in: folder)
                try TemplateFixtures.write(source.replacingOccurrences(of: "\n", with: "\r\n"), to: file, in: folder)
            }
        }
        #expect(TemplateLibrary.check(folder: folder) == [])
        let crlf = try TemplateLibrary.load(from: folder)
        for kind in TemplateKind.allCases {
            let mail = try crlf.preview(kind)
            let expected = try shipped.preview(kind)
            #expect(mail.subject == expected.subject)
            #expect(mail.text == expected.text)
        }
    }
}
