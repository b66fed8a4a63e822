import Foundation
import MailModel
import Store

/// The one gate every automated mail passes before it is queued (peers.md 3.2): never to robots'
/// addresses, never to our own, never to an address that bounced lately, and never more than
/// sliding-window caps per recipient allow, per ticket and across tickets (Zammad's defaults).
/// A person's reply (an agent answering) is not automated and does not pass here.
public struct AutomatedMailGate: Sendable {
    /// At most `count` automated mails in `window`.
    public struct Cap: Sendable, Hashable {
        public var count: Int
        public var window: Duration

        public init(_ count: Int, per window: Duration) {
            self.count = count
            self.window = window
        }
    }

    public var perTicket: [Cap]
    public var acrossTickets: [Cap]
    public var ownAddresses: Set<String>
    /// Our own team's addresses (the agents' notice list): no caps, a busy day must not silence them.
    public var teamAddresses: Set<String>

    public init(
        ownAddresses: Set<String>, teamAddresses: Set<String> = [],
        perTicket: [Cap] = [
            Cap(10, per: .seconds(600)), Cap(15, per: .seconds(1800)), Cap(25, per: .seconds(3600)),
            Cap(50, per: .seconds(10_800)), Cap(100, per: .seconds(36_000)),
        ],
        acrossTickets: [Cap] = [
            Cap(30, per: .seconds(600)), Cap(60, per: .seconds(1800)), Cap(120, per: .seconds(3600)),
            Cap(240, per: .seconds(10_800)), Cap(360, per: .seconds(36_000)),
        ]
    ) {
        self.ownAddresses = Set(ownAddresses.map { $0.lowercased() })
        self.teamAddresses = Set(teamAddresses.map { $0.lowercased() })
        self.perTicket = perTicket
        self.acrossTickets = acrossTickets
    }

    /// Why an automated mail to `recipient` must not be queued now, or nil when it may.
    public func refusal(to recipient: String, ticketID: Int64?, tx: StoreTransaction, at now: Date) throws -> String? {
        let address = recipient.lowercased()
        if Self.isRobotAddress(address) { return "\(address) is a robot's address" }
        if ownAddresses.contains(address) { return "\(address) is our own address" }
        if let suppression = try tx.suppression(of: address, at: now) {
            return "\(address) is undeliverable until \(suppression.until.formatted(.iso8601)) (\(suppression.reason))"
        }
        if teamAddresses.contains(address) { return nil }
        if let ticketID, let cap = try firstReached(perTicket, to: address, ticketID: ticketID, tx: tx, at: now) {
            return "cap of \(cap.count) automated mails per \(Int(cap.window.timeInterval / 60)) min on this ticket reached"
        }
        if let cap = try firstReached(acrossTickets, to: address, ticketID: nil, tx: tx, at: now) {
            return "cap of \(cap.count) automated mails per \(Int(cap.window.timeInterval / 60)) min reached"
        }
        return nil
    }

    /// The first of `caps` that the mails already queued to `address` reach.
    private func firstReached(
        _ caps: [Cap], to address: String, ticketID: Int64?, tx: StoreTransaction, at now: Date
    ) throws -> Cap? {
        guard let longest = caps.map(\.window).max() else { return nil }
        let times = try tx.automatedMailTimes(to: address, ticketID: ticketID, since: now.addingTimeInterval(-longest.timeInterval))
        return caps.first { cap in
            let since = now.addingTimeInterval(-cap.window.timeInterval)
            return times.count(where: { $0 >= since }) >= cap.count
        }
    }

    /// Addresses no automatic answer should go to: mailer daemons, postmasters and the like, and the
    /// many spellings of "no reply" (Zammad's list, with donotreply and bounce added).
    public static func isRobotAddress(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return true }
        var local = address[..<at].lowercased()
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        let exact: Set<String> = [
            "mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "abuse", "root", "bounce", "bounces",
        ]
        if exact.contains(local) { return true }
        let prefixes = ["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply"]
        return prefixes.contains { local.hasPrefix($0) }
    }
}
