import ArgumentParser
import Foundation
import Gateway
import Logging
import Store

/// `postdesk portal link|revoke`: what an operator does for a customer's portal access.
struct PortalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal", abstract: "Mail a customer a portal link, or end their portal access.",
        subcommands: [Link.self, Revoke.self])

    /// `postdesk portal link EMAIL [--ticket REF]`: mails a customer a sign-in link (the "send portal
    /// link" button of other helpdesks). The running daemon sends it.
    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mail a customer a sign-in link to the portal.")

        @OptionGroup var options: ConfigOption
        @Argument(help: "The customer's address.")
        var email: String
        @Option(help: "Link to this ticket of the customer's.")
        var ticket: String?

        func run() throws {
            let config = try options.load()
            let app = try PostdeskApp(config: config, logger: Logger(label: "postdesk.portal"))
            let refusal = try app.database.transaction { tx -> String? in
                let desk = TicketDesk(tx: tx, settings: app.ingestor.settings, now: Date())
                var found: Ticket?
                if let ticket {
                    guard let match = try tx.ticket(ref: ticket.uppercased()) else {
                        throw ValidationError("no ticket \(ticket)")
                    }
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

    /// `postdesk portal revoke EMAIL`: ends every session of the customer and voids every link mailed to them.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End all of a customer's portal sessions and void the links mailed to them.")

        @OptionGroup var options: ConfigOption
        @Argument(help: "The customer's address.")
        var email: String

        func run() throws {
            let config = try options.load()
            let database = try DataFolder.open(dataDir: config.dataDir, create: false)
            let (sessions, links) = try database.transaction { tx -> (Int, Int) in
                guard let customer = try tx.customer(email: email), let id = customer.id else {
                    throw ValidationError("no customer with address \(email)")
                }
                let revoked = try tx.revokePortalAccess(customerID: id)
                try tx.log(
                    EventRecord(
                        at: Date(), actor: "operator", action: "portal.revoked",
                        detail: "\(customer.email): \(revoked.sessions) sessions, \(revoked.links) links"))
                return revoked
            }
            print("\(email): ended \(sessions) session\(sessions == 1 ? "" : "s"), voided \(links) link\(links == 1 ? "" : "s")")
        }
    }
}
