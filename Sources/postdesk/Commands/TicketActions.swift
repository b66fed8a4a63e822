import ArgumentParser
import Foundation
import Gateway
import Logging
import MailModel
import Store
import Triage

/// `postdesk ticket reply|note|resolve|close|assign REF ...`: what an agent does by mail, from the
/// command line. Mail the action calls for is queued and sent by the running daemon.
struct TicketAction: ParsableArguments {
    @OptionGroup var options: ConfigOption
    @Option(name: .customLong("as"), help: "Who acts (an agent's address; default: the first configured agent).")
    var actor: String?
    @Argument(help: "The ticket reference, e.g. TKT-7F3KQ9.")
    var ref: String

    /// Runs `body` on the ticket in one transaction and prints its state afterwards.
    func perform(_ body: (TicketDesk, Ticket, EmailAddress) throws -> Ticket) throws {
        let config = try options.load()
        let app = try PostdeskApp(config: config, logger: Logger(label: "postdesk.ticket"))
        let address = actor?.lowercased() ?? config.agents.addresses.first ?? config.helpdesk.supportAddress
        guard ConfigLoader.isPlausibleAddress(address) else { throw ValidationError("--as needs an email address") }
        let done = try app.database.transaction { tx -> (Ticket, [String])? in
            guard let ticket = try tx.ticket(ref: ref.uppercased()) else { return nil }
            let desk = TicketDesk(tx: tx, settings: app.ingestor.settings, now: Date())
            return (try body(desk, ticket, EmailAddress(address: address)), desk.suppressed)
        }
        guard let (ticket, suppressed) = done else { throw ValidationError("no ticket \(ref)") }
        print("\(ticket.ref): \(ticket.status.rawValue), priority \(ticket.priority.rawValue), assignee \(ticket.assignee ?? "-")")
        for line in suppressed { print("suppressed: \(line)") }
    }
}

extension TicketCommand {
    struct Reply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer the customer (the mail is queued).")
        @OptionGroup var action: TicketAction
        @Argument(help: "The reply's text.")
        var text: String

        func run() throws {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("the reply is empty")
            }
            try action.perform { desk, ticket, agent in try desk.reply(text, on: ticket, by: agent) }
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an internal note (never sent to the customer).")
        @OptionGroup var action: TicketAction
        @Argument(help: "The note's text.")
        var text: String

        func run() throws {
            try action.perform { desk, ticket, agent in
                try desk.addNote(text, on: ticket, by: agent)
                return ticket
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve the ticket and send the resolution notice.")
        @OptionGroup var action: TicketAction
        @Argument(help: "The resolution, shown to the customer.")
        var text: String?

        func run() throws {
            try action.perform { desk, ticket, agent in try desk.apply(.resolve(text), to: ticket, by: agent) }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close the ticket.")
        @OptionGroup var action: TicketAction

        func run() throws {
            try action.perform { desk, ticket, agent in try desk.apply(.close, to: ticket, by: agent) }
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign the ticket to an agent (or to yourself: me).")
        @OptionGroup var action: TicketAction
        @Argument(help: "An agent's address, or me.")
        var assignee: String

        func run() throws {
            let target = assignee.lowercased() == "me" ? nil : assignee.lowercased()
            if let target, !ConfigLoader.isPlausibleAddress(target) {
                throw ValidationError("\(assignee.debugDescription) is not an address")
            }
            try action.perform { desk, ticket, agent in try desk.apply(.assign(target), to: ticket, by: agent) }
        }
    }
}
