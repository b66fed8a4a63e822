extension TemplateContext {
    /// `customer.name` and `customer.email`.
    public struct Customer: Sendable, Hashable, Codable {
        /// `customer.name`, absent from templates when nil or empty.
        public var name: String?
        /// `customer.email`.
        public var email: String

        public init(name: String?, email: String) {
            self.name = name
            self.email = email
        }
    }

    /// `ticket.ref`, `ticket.subject` and `ticket.status`.
    public struct Ticket: Sendable, Hashable, Codable {
        /// `ticket.ref`, e.g. `TKT-7F3KQ9`.
        public var ref: String
        /// `ticket.subject`, as the customer wrote it.
        public var subject: String
        /// `ticket.status`: `new`, `open`, `pending`, `resolved` or `closed`.
        public var status: String

        public init(ref: String, subject: String, status: String) {
            self.ref = ref
            self.subject = subject
            self.status = status
        }
    }

    /// `agent.name`.
    public struct Agent: Sendable, Hashable, Codable {
        /// `agent.name`, as customers see it, e.g. "Sam".
        public var name: String

        public init(name: String) { self.name = name }
    }

    /// One one-click rating link: `score`, `label` and `url` inside `{{#ratings}}…{{/ratings}}`.
    public struct Rating: Sendable, Hashable, Codable {
        /// `score`, 1 (worst) to 5 (best).
        public var score: Int
        /// `label`, e.g. "Excellent".
        public var label: String
        /// `url`: opening it records this score.
        public var url: String

        public init(score: Int, label: String, url: String) {
            self.score = score
            self.label = label
            self.url = url
        }

        /// The usual labels for scores 1 to 5.
        public static let standardLabels = ["Very poor", "Poor", "OK", "Good", "Excellent"]

        /// Five links, score 1 to 5 with `standardLabels`; `url` makes the link for a score.
        public static func scale(url: (Int) -> String) -> [Rating] {
            standardLabels.enumerated().map { Rating(score: $0.offset + 1, label: $0.element, url: url($0.offset + 1)) }
        }
    }

    /// `event`: what an agent notice is about.
    public enum Event: String, Sendable, Hashable, Codable, CaseIterable {
        /// A customer opened a ticket (`new_ticket` is true).
        case newTicket = "new-ticket"
        /// A customer replied on a ticket (`customer_reply` is true).
        case customerReply = "customer-reply"
        /// Mail from the agent's address was not taken as theirs and was quarantined (`mail_refused`
        /// is true); `message.text` says why. Sent to that agent only.
        case mailRefused = "mail-refused"
    }

    /// `message.from`, `message.text` and `message.html`.
    public struct Message: Sendable, Hashable, Codable {
        /// `message.from`: who wrote it, e.g. `Dana Fischer <dana@example.com>`.
        public var from: String
        /// `message.text` and `message.html`: the new part of the message.
        public var body: TemplateText

        public init(from: String, body: TemplateText) {
            self.from = from
            self.body = body
        }

        public init(from: String, text: String) {
            self.init(from: from, body: TemplateText(text))
        }

        enum CodingKeys: String, CodingKey {
            case from, text
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            from = try container.decode(String.self, forKey: .from)
            body = TemplateText(try container.decode(String.self, forKey: .text))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(body.text, forKey: .text)
        }
    }
}
