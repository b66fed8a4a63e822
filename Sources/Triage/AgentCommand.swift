import MailModel

/// What an agent asks for in the first lines of a mail about a ticket, e.g. `#resolve Fixed in 2.4`.
public enum AgentCommand: Sendable, Hashable {
    /// The mail is an internal note: never sent, never shown to the customer.
    case note
    case resolve(String?)
    case close
    case reopen
    /// `#assign me` (nil) or `#assign ADDRESS`.
    case assign(String?)
    case priority(String)
    /// `#cc ADDRESS`: the address takes part in the ticket and gets agents' answers in Cc.
    case addParticipant(String)
    /// `#uncc ADDRESS`: it no longer does.
    case removeParticipant(String)

    /// `#cc` and `#uncc`: they change who takes part.
    public var changesParticipants: Bool {
        switch self {
        case .addParticipant, .removeParticipant: true
        default: false
        }
    }

    /// The priorities `#priority` accepts.
    public static let priorities: Set<String> = ["low", "normal", "high", "urgent"]
}

/// The commands at the top of an agent's mail and the text that remains for the customer.
public struct AgentInstructions: Sendable, Hashable {
    public var commands: [AgentCommand]
    /// The mail's text without the command lines.
    public var text: String
    /// Command lines that were not understood, for a reply to the agent or the log.
    public var unknown: [String]

    public var isNote: Bool { commands.contains(.note) }
}

/// Reads agents' commands: lines starting with `#` at the very top of the text, before anything else.
/// The first line that is not a command ends them, so a `#` later in the mail is just text.
public enum AgentCommandParser {
    public static func parse(_ text: String) -> AgentInstructions {
        var commands: [AgentCommand] = []
        var unknown: [String] = []
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[...]
        while let first = lines.first {
            let line = first.trimmingWhitespace()
            if line.isEmpty, commands.isEmpty, unknown.isEmpty {
                lines = lines.dropFirst()
                continue
            }
            guard line.hasPrefix("#"), line.count > 1, line.dropFirst().first?.isLetter == true else { break }
            if let command = command(line) { commands.append(command) } else { unknown.append(String(line)) }
            lines = lines.dropFirst()
        }
        let rest = Substring(lines.joined(separator: "\n")).trimmingWhitespace()
        return AgentInstructions(commands: commands, text: String(rest), unknown: unknown)
    }

    static func command(_ line: Substring) -> AgentCommand? {
        let words = line.dropFirst().split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let name = words.first?.lowercased() else { return nil }
        let argument = words.count > 1 ? String(words[1].trimmingWhitespace()) : nil
        switch name {
        case "note", "internal": return argument == nil ? .note : nil
        case "resolve", "resolved", "solve": return .resolve(argument.flatMap { $0.isEmpty ? nil : $0 })
        case "close", "closed": return .close
        case "reopen", "open": return .reopen
        case "assign":
            guard let target = argument?.lowercased() else { return nil }
            if target == "me" { return .assign(nil) }
            return target.contains("@") && !target.contains(" ") ? .assign(target) : nil
        case "cc", "uncc":
            guard let target = argument?.lowercased(), EmailAddress.isPlausible(target) else { return nil }
            return name == "cc" ? .addParticipant(target) : .removeParticipant(target)
        case "priority":
            guard let level = argument?.lowercased(), AgentCommand.priorities.contains(level) else { return nil }
            return .priority(level)
        default: return nil
        }
    }
}
