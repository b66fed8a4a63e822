import Foundation
import MailTemplates
import Store

/// What an outbox row carries besides its ticket, one shape per kind of mail, stored as JSON in the
/// row's `context` (the keys of earlier versions, so rows queued before an upgrade still decode).
///
/// Decoding is strict: a missing or mistyped field is an error, which the outbox worker turns into a
/// dead letter with its reason. No mail ever goes out with a field silently empty.
public enum OutboxPayload: Sendable, Equatable {
    case confirmation(Person)
    case agentReply(AgentReply)
    case resolution(Resolution)
    case magicLink(SignInLink)
    case agentNotice(Notice)
    case agentRefusal(Notice)

    /// The customer a mail is about, as they were when it was queued.
    public struct Person: Codable, Sendable, Equatable {
        public var customerEmail: String
        public var customerName: String?

        enum CodingKeys: String, CodingKey {
            case customerEmail = "customer_email", customerName = "customer_name"
        }

        public init(customerEmail: String, customerName: String?) {
            self.customerEmail = customerEmail
            self.customerName = customerName
        }
    }

    public struct AgentReply: Codable, Sendable, Equatable {
        public var agentName: String
        public var agentEmail: String?
        public var replyText: String

        enum CodingKeys: String, CodingKey {
            case agentName = "agent_name", agentEmail = "agent_email", replyText = "reply_text"
        }

        public init(agentName: String, agentEmail: String? = nil, replyText: String) {
            self.agentName = agentName
            self.agentEmail = agentEmail
            self.replyText = replyText
        }
    }

    public struct Resolution: Codable, Sendable, Equatable {
        /// Empty when the agent gave none.
        public var resolutionText: String

        enum CodingKeys: String, CodingKey { case resolutionText = "resolution_text" }

        public init(resolutionText: String) { self.resolutionText = resolutionText }
    }

    /// A sign-in link; with a request, the link that confirms a ticket asked for without signing in.
    public struct SignInLink: Codable, Sendable, Equatable {
        public var customerEmail: String
        public var customerName: String?
        public var requestID: Int64?
        public var requestSubject: String?

        enum CodingKeys: String, CodingKey {
            case customerEmail = "customer_email", customerName = "customer_name", requestID = "request_id"
            case requestSubject = "request_subject"
        }

        public init(customerEmail: String, customerName: String?, requestID: Int64? = nil, requestSubject: String? = nil) {
            self.customerEmail = customerEmail
            self.customerName = customerName
            self.requestID = requestID
            self.requestSubject = requestSubject
        }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            customerEmail = try values.decode(String.self, forKey: .customerEmail)
            customerName = try values.decodeIfPresent(String.self, forKey: .customerName)
            requestID = try values.numberInText(forKey: .requestID)
            requestSubject = try values.decodeIfPresent(String.self, forKey: .requestSubject)
        }

        public func encode(to encoder: any Encoder) throws {
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(customerEmail, forKey: .customerEmail)
            try values.encodeIfPresent(customerName, forKey: .customerName)
            try values.encodeIfPresent(requestID.map(String.init), forKey: .requestID)
            try values.encodeIfPresent(requestSubject, forKey: .requestSubject)
        }
    }

    /// What agents are told: what happened, who wrote, their words, and how many more were gathered.
    public struct Notice: Codable, Sendable, Equatable {
        public var event: TemplateContext.Event
        public var messageFrom: String
        public var messageText: String
        public var moreMessages: Int?

        enum CodingKeys: String, CodingKey {
            case event, messageFrom = "message_from", messageText = "message_text", moreMessages = "more_messages"
        }

        public init(event: TemplateContext.Event, messageFrom: String, messageText: String, moreMessages: Int? = nil) {
            self.event = event
            self.messageFrom = messageFrom
            self.messageText = messageText
            self.moreMessages = moreMessages
        }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            let name = try values.decode(String.self, forKey: .event)
            guard let event = TemplateContext.Event(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .event, in: values, debugDescription: "unknown event \(name.debugDescription)")
            }
            self.event = event
            messageFrom = try values.decode(String.self, forKey: .messageFrom)
            messageText = try values.decode(String.self, forKey: .messageText)
            moreMessages = try values.numberInText(forKey: .moreMessages).map { Int($0) }
        }

        public func encode(to encoder: any Encoder) throws {
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(event.rawValue, forKey: .event)
            try values.encode(messageFrom, forKey: .messageFrom)
            try values.encode(messageText, forKey: .messageText)
            try values.encodeIfPresent(moreMessages.map(String.init), forKey: .moreMessages)
        }
    }

    public var kind: OutboxRecord.Kind {
        switch self {
        case .confirmation: .confirmation
        case .agentReply: .agentReply
        case .resolution: .resolution
        case .magicLink: .magicLink
        case .agentNotice: .agentNotice
        case .agentRefusal: .agentRefusal
        }
    }

    /// The payload stored in `row`, read strictly as the shape of the row's kind.
    public init(_ row: OutboxRecord) throws(OutboxPayloadError) {
        let data = Data(row.context.utf8)
        let decoder = JSONDecoder()
        do {
            switch row.kind {
            case .confirmation: self = .confirmation(try decoder.decode(Person.self, from: data))
            case .agentReply: self = .agentReply(try decoder.decode(AgentReply.self, from: data))
            case .resolution: self = .resolution(try decoder.decode(Resolution.self, from: data))
            case .magicLink: self = .magicLink(try decoder.decode(SignInLink.self, from: data))
            case .agentNotice: self = .agentNotice(try decoder.decode(Notice.self, from: data))
            case .agentRefusal: self = .agentRefusal(try decoder.decode(Notice.self, from: data))
            }
        } catch {
            throw OutboxPayloadError(kind: row.kind, error: error)
        }
    }

    /// The JSON stored in a row's `context`.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data: Data =
            switch self {
            case .confirmation(let value): try encoder.encode(value)
            case .agentReply(let value): try encoder.encode(value)
            case .resolution(let value): try encoder.encode(value)
            case .magicLink(let value): try encoder.encode(value)
            case .agentNotice(let value), .agentRefusal(let value): try encoder.encode(value)
            }
        return String(decoding: data, as: UTF8.self)
    }
}

/// An outbox row that cannot make a mail: its stored payload is not the shape its kind needs, or the
/// ticket it is about is gone.
public struct OutboxPayloadError: Error, CustomStringConvertible {
    public let description: String

    init(kind: OutboxRecord.Kind, error: any Error) {
        let detail: String =
            switch error as? DecodingError {
            case .keyNotFound(let key, _)?: "the field \(key.stringValue) is missing"
            case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
                (context.codingPath.last.map { "the field \($0.stringValue): " } ?? "") + context.debugDescription
            default: "\(error)"
            }
        description = "the stored \(kind.rawValue) payload cannot be read: \(detail)"
    }

    private init(_ description: String) { self.description = description }

    static func noTicket(_ kind: OutboxRecord.Kind) -> OutboxPayloadError {
        OutboxPayloadError("a \(kind.rawValue) mail needs its ticket, which is gone")
    }
}

extension KeyedDecodingContainer {
    /// A whole number stored as text (the payloads' form since their first version), or nil when absent.
    fileprivate func numberInText(forKey key: Key) throws -> Int64? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let number = Int64(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(text.debugDescription) is not a whole number")
        }
        return number
    }
}
