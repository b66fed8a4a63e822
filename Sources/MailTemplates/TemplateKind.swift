/// The kinds of mail Postdesk sends, each a folder of templates under `mail-templates/`.
public enum TemplateKind: String, Sendable, CaseIterable, Codable {
    case confirmation
    case agentReply = "agent-reply"
    case resolution
    case magicLink = "magic-link"
    case agentNotice = "agent-notice"
}
