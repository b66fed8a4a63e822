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
    func people(_ address: String) async throws {
        #expect(!AutomatedMailGate.isRobotAddress(address))
        let database = try AppDatabase.inMemory()
        #expect(try await database.read { try gate.refusal(to: address, ticketID: 1, tx: $0, at: now) } == nil)
    }

    @Test("our own and bounced addresses are refused")
    func ownAndBounced() async throws {
        let database = try AppDatabase.inMemory()
        try await database.write {
            try $0.markUndeliverable("gone@example.org", reason: "5.1.1", until: now.addingTimeInterval(60), at: now)
        }
        try await database.read { (tx: StoreTransaction) throws in
            #expect(try gate.refusal(to: "Support@Example.test", ticketID: nil, tx: tx, at: now) != nil)
            #expect(try gate.refusal(to: "gone@example.org", ticketID: nil, tx: tx, at: now) != nil)
            #expect(try gate.refusal(to: "gone@example.org", ticketID: nil, tx: tx, at: now.addingTimeInterval(61)) == nil)
        }
    }

    @Test("ten automated mails in ten minutes on one ticket is the cap; thirty across tickets")
    func caps() async throws {
        let database = try AppDatabase.inMemory()
        let (first, second) = try await database.write { tx in
            let customer = try tx.customer(email: "ada@example.org", name: nil, at: now)
            return (
                try tx.openTicket(customer: customer, subject: "a", source: .email, prefix: "TKT", at: now).id,
                try tx.openTicket(customer: customer, subject: "b", source: .email, prefix: "TKT", at: now).id
            )
        }
        func queue(_ count: Int, ticket: Int64?, minutesAgo: Double) async throws {
            try await database.write { tx in
                for index in 0..<count {
                    try tx.enqueue(
                        OutboxRecord(
                            kind: .confirmation, ticketId: ticket, recipient: "ada@example.org",
                            messageId: "\(UUID().uuidString)-\(index)@x", context: "{}", state: .sent,
                            nextAttemptAt: now, createdAt: now.addingTimeInterval(-minutesAgo * 60)))
                }
            }
        }
        let check = { (ticket: Int64?) in try await database.read { try gate.refusal(to: "ada@example.org", ticketID: ticket, tx: $0, at: now) } }
        try await queue(9, ticket: nil, minutesAgo: 5)
        #expect(try await check(nil) == nil)
        try await queue(10, ticket: first, minutesAgo: 5)
        #expect(try await check(first)?.contains("on this ticket") == true)
        #expect(try await check(second) == nil, "another ticket has its own per-ticket window")
        try await queue(11, ticket: nil, minutesAgo: 5)
        #expect(try await check(second) != nil, "30 in 10 minutes across tickets")
        #expect(try await database.read { try gate.refusal(to: "bob@example.org", ticketID: second, tx: $0, at: now) } == nil)
        let team = AutomatedMailGate(ownAddresses: [], teamAddresses: ["ADA@example.org"])
        #expect(try await database.read { try team.refusal(to: "ada@example.org", ticketID: second, tx: $0, at: now) } == nil)
        try await queue(20, ticket: nil, minutesAgo: 700)
        #expect(try await database.read { try $0.automatedMailTimes(to: "ADA@example.org", ticketID: nil, since: now.addingTimeInterval(-600)) }.count == 30)
    }
}
