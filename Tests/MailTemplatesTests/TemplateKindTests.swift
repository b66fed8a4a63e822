import Testing

@testable import MailTemplates

@Suite struct TemplateKindTests {
    @Test func folders() { #expect(TemplateKind.allCases.map(\.rawValue).contains("agent-reply")) }
}
