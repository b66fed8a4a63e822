import Foundation
import Store
import Testing

@testable import Gateway

@Suite("The gate for automated mail")
struct AutomatedMailGateTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let gate = AutomatedMailGate(ownAddresses: ["support@example.test"])

    @Test("robots' addresses are refused", arguments: [
        "MAILER-DAEMON@example.org", "postmaster@example.org", "noreply@example.org", "no-reply@example.org",
        "noreply-billing@example.org", "do-not-reply@example.org", "donotreply+x@example.org", "bounces@example.org",
        "root@example.org", "not an address",
    ])
    func robots(_ address: String) {
        #expect(AutomatedMailGate.isRobotAddress(address.lowercased()))
    }

    @Test("people's addresses pass", arguments: ["ada@example.org", "noah@example.org", "reply@example.org"])
    func people(_ address: String) throws {
        #expect(!AutomatedMailGate.isRobotAddress(address))
        let database = try AppDatabase.inMemory()
        #expect(try database.read { try gate.refusal(to: address, ticketID: 1, tx: $0, at: now) } == nil)
    }

    @Test("our own and bounced addresses are refused")
    func ownAndBounced() throws {
        let database = try AppDatabase.inMemory()
        try database.transaction {
            try $0.markUndeliverable("gone@example.org", reason: "5.1.1", until: now.addingTimeInterval(60), at: now)
        }
        try database.read { (tx: StoreTransaction) throws in
            #expect(try gate.refusal(to: "Support@Example.test", ticketID: nil, tx: tx, at: now) != nil)
            #expect(try gate.refusal(to: "gone@example.org", ticketID: nil, tx: tx, at: now) != nil)
            #expect(try gate.refusal(to: "gone@example.org", ticketID: nil, tx: tx, at: now.addingTimeInterval(61)) == nil)
        }
    }

    @Test("ten automated mails in ten minutes on one ticket is the cap; thirty across tickets")
    func caps() throws {
        let database = try AppDatabase.inMemory()
        let (first, second) = try database.transaction { tx in
            let customer = try tx.customer(email: "ada@example.org", name: nil, at: now)
            return (
                try tx.openTicket(customer: customer, subject: "a", source: .email, prefix: "TKT", at: now).id,
                try tx.openTicket(customer: customer, subject: "b", source: .email, prefix: "TKT", at: now).id
            )
        }
        func queue(_ count: Int, ticket: Int64?, minutesAgo: Double) throws {
            try database.transaction { tx in
                for index in 0..<count {
                    try tx.enqueue(
                        OutboxRecord(
                            kind: .confirmation, ticketId: ticket, recipient: "ada@example.org",
                            messageId: "\(UUID().uuidString)-\(index)@x", context: "{}", state: .sent,
                            nextAttemptAt: now, createdAt: now.addingTimeInterval(-minutesAgo * 60)))
                }
            }
        }
        let check = { (ticket: Int64?) in try database.read { try gate.refusal(to: "ada@example.org", ticketID: ticket, tx: $0, at: now) } }
        try queue(9, ticket: nil, minutesAgo: 5)
        #expect(try check(nil) == nil)
        try queue(10, ticket: first, minutesAgo: 5)
        #expect(try check(first)?.contains("on this ticket") == true)
        #expect(try check(second) == nil, "another ticket has its own per-ticket window")
        try queue(11, ticket: nil, minutesAgo: 5)
        #expect(try check(second) != nil, "30 in 10 minutes across tickets")
        #expect(try database.read { try gate.refusal(to: "bob@example.org", ticketID: second, tx: $0, at: now) } == nil)
        let team = AutomatedMailGate(ownAddresses: [], teamAddresses: ["ADA@example.org"])
        #expect(try database.read { try team.refusal(to: "ada@example.org", ticketID: second, tx: $0, at: now) } == nil)
        try queue(20, ticket: nil, minutesAgo: 700)
        #expect(try database.read { try $0.automatedMailTimes(to: "ADA@example.org", ticketID: nil, since: now.addingTimeInterval(-600)) }.count == 30)
    }
}
