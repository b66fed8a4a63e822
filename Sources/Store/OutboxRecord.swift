import Foundation
import GRDB

/// A mail to send, written in the same transaction as the ticket change that calls for it.
///
/// The row holds what to render (`kind` and a JSON `context`), not the rendered mail, so that an
/// admin's template fix applies to mail still waiting. `messageId` is fixed when the row is written:
/// a retry after a crash sends the same Message-ID, which mail clients fold together.
public struct OutboxRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"

    public enum Kind: String, Codable, Sendable {
        case confirmation, agentReply = "agent-reply", resolution, magicLink = "magic-link", agentNotice = "agent-notice"
        /// To one agent: their mail was quarantined, and why (rendered with the agent-notice templates).
        case agentRefusal = "agent-refusal"

        /// Mail to agents: it carries agent tokens, and no customer ever receives it.
        public var isForAgents: Bool { self == .agentNotice || self == .agentRefusal }
    }
    /// `sending`: claimed by the worker, which is talking to the server about it until `leaseUntil`;
    /// a row still `sending` when the worker starts was interrupted and may have been sent.
    /// `suppressed`: an automated mail the gate stopped (a cap, a robot, a bounced address); never
    /// sent, kept with its reason in `lastError` so that agents see it.
    public enum State: String, Codable, Sendable { case queued, sending, sent, dead, suppressed }

    public var id: Int64?
    public var kind: Kind
    public var ticketId: Int64?
    public var recipient: String
    public var messageId: String
    public var inReplyTo: String?
    public var context: String
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?
    /// The References ids of the mail, space-separated, oldest first.
    public var references: String?
    /// Automated mail (confirmations, notices) is held to the gate's rules; a person's reply is not.
    public var automated: Bool
    /// Further recipients in Cc (the ticket's other participants, for an agent's answer), one a line.
    public var cc: String?
    /// While `sending`: until when the claim holds.
    public var leaseUntil: Date?

    /// The Cc recipients as a list.
    public var ccAddresses: [String] {
        (cc ?? "").split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }

    public enum Columns {
        static let ticketId = Column(CodingKeys.ticketId)
        static let messageId = Column(CodingKeys.messageId)
        static let state = Column(CodingKeys.state)
    }


    public init(
        id: Int64? = nil, kind: Kind, ticketId: Int64? = nil, recipient: String, messageId: String,
        inReplyTo: String? = nil, context: String, state: State, attempts: Int = 0, nextAttemptAt: Date,
        lastError: String? = nil, createdAt: Date, sentAt: Date? = nil, references: String? = nil,
        automated: Bool = true, cc: [String] = []
    ) {
        self.id = id
        self.kind = kind
        self.ticketId = ticketId
        self.recipient = recipient
        self.messageId = messageId
        self.inReplyTo = inReplyTo
        self.context = context
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.references = references
        self.automated = automated
        self.cc = cc.isEmpty ? nil : cc.joined(separator: "\n")
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
