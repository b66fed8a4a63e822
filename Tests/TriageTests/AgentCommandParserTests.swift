import Testing

@testable import Triage

@Suite("Agent commands")
struct AgentCommandParserTests {
    @Test("commands at the top are read, the rest is the reply", arguments: [
        ("#note\nCalled the customer, waiting for logs.", [AgentCommand.note], "Called the customer, waiting for logs."),
        ("#resolve Fixed in 2.4\n\nThe update is out.", [.resolve("Fixed in 2.4")], "The update is out."),
        ("#resolve", [.resolve(nil)], ""),
        ("#close", [.close], ""),
        ("#REOPEN\nback again", [.reopen], "back again"),
        ("#assign me\n#priority urgent\nOn it.", [.assign(nil), .priority("urgent")], "On it."),
        ("#assign Bob@Example.test", [.assign("bob@example.test")], ""),
        ("\n\n#note\nleading blank lines", [.note], "leading blank lines"),
        ("Hello,\n#close is not a command here", [], "Hello,\n#close is not a command here"),
    ])
    func parse(_ text: String, _ commands: [AgentCommand], _ rest: String) {
        let parsed = AgentCommandParser.parse(text)
        #expect(parsed.commands == commands)
        #expect(parsed.text == rest)
        #expect(parsed.unknown.isEmpty)
    }

    @Test("unknown or malformed commands are kept apart, never applied")
    func unknown() {
        let parsed = AgentCommandParser.parse("#priority extreme\n#assign not an address\n#frobnicate\nHi")
        #expect(parsed.commands.isEmpty)
        #expect(parsed.unknown == ["#priority extreme", "#assign not an address", "#frobnicate"])
        #expect(parsed.text == "Hi")
        #expect(AgentCommandParser.parse("#1 priority for us\nthanks").commands.isEmpty)
    }
}
