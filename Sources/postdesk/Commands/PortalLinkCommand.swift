import ArgumentParser
import Foundation
import Gateway
import Logging
import Store

/// `postdesk portal-link EMAIL [--ticket REF]`: mails a customer a sign-in link to the portal (the
/// "send portal link" button of other helpdesks). The running daemon sends it.
struct PortalLinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal-link", abstract: "Mail a customer a sign-in link to the portal.")

    @OptionGroup var options: ConfigOption
    @Argument(help: "The customer's address.")
    var email: String
    @Option(help: "Link to this ticket of the customer's.")
    var ticket: String?

    func run() throws {
        let config = try options.load()
        let app = try PostdeskApp(config: config, logger: Logger(label: "postdesk.portal-link"))
        let refusal = try app.database.transaction { tx -> String? in
            let desk = TicketDesk(tx: tx, settings: app.ingestor.settings, now: Date())
            var found: Ticket?
            if let ticket {
                guard let match = try tx.ticket(ref: ticket.uppercased()) else { throw ValidationError("no ticket \(ticket)") }
                found = match
            }
            do { return try desk.queuePortalLink(to: email, ticket: found) } catch let error as StoreError {
                throw ValidationError(error.description)
            }
        }
        if let refusal { throw ValidationError("not sent: \(refusal)") }
        print("a sign-in link for \(email) is queued; the daemon sends it within a second")
    }
}
