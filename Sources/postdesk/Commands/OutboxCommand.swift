import ArgumentParser
import Foundation
import Store

/// `postdesk outbox list|retry`: the mail waiting, sent and dead, for operators.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "List outgoing mail and send dead letters again.",
        subcommands: [List.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outgoing mail, oldest first.")
        @OptionGroup var location: TicketCommand.Location
        @Option(help: "Only mail in this state: queued, sent, dead or suppressed.")
        var state: String?
        @Flag(help: "JSON instead of a table.")
        var json = false

        func run() throws {
            var wanted: OutboxRecord.State?
            if let state {
                guard let parsed = OutboxRecord.State(rawValue: state) else {
                    throw ValidationError("unknown state \(state.debugDescription): queued, sent, dead or suppressed")
                }
                wanted = parsed
            }
            let mails = try location.open().read { try $0.outboxMails(state: wanted) }
            if json {
                print(try TicketFormat.json(mails))
                return
            }
            guard !mails.isEmpty else { return print("no mail") }
            for mail in mails {
                let error = mail.lastError.map { "  (\($0))" } ?? ""
                print("\(mail.id ?? 0)\t\(mail.state.rawValue)\t\(mail.kind.rawValue)\t\(mail.recipient)\tattempts \(mail.attempts)\(error)")
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a dead letter again, due now.")
        @OptionGroup var location: TicketCommand.Location
        @Argument(help: "The outbox id (see outbox list).")
        var id: Int64

        func run() throws {
            guard try location.open().transaction({ try $0.requeue(id, at: Date()) }) else {
                throw ValidationError("no dead letter with id \(id)")
            }
            print("mail \(id) queued again; the daemon sends it within a second")
        }
    }
}
