import Foundation
import Testing

@testable import Store

/// The portal trusts what it keeps in memory only while the generation stands still, so the
/// generation must move on every relevant commit, from this connection's writer or another process.
@Suite("Store: the portal generation")
struct PortalGenerationTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("a file database's generation moves on every commit that matters, from any connection, and only then")
    func generationMovesOnCommits() throws {
        let folder = try TemporaryFolder()
        let database = try AppDatabase.open(path: folder.path("db.sqlite"))
        let start = try database.portalGeneration()
        #expect(try database.portalGeneration() == start)
        #expect(try database.read { try $0.portalGeneration() } == start)

        let customer = try database.transaction { tx in try tx.customer(email: "ada@example.org", name: nil, at: now) }
        let id = try #require(customer.id)
        try database.transaction { tx in
            _ = try tx.openTicket(customer: customer, subject: "First", source: .email, prefix: "TKT", at: now)
        }
        let afterTicket = try database.portalGeneration()
        #expect(afterTicket > start)

        // A commit touching nothing the portal shows leaves it where it was.
        _ = try database.transaction { tx in
            try tx.log(EventRecord(at: now, actor: "test", action: "test.nothing", ticketId: nil, detail: ""))
            return try tx.startSession(customerID: id, ticketID: nil, lifetime: 60, at: now)
        }
        #expect(try database.portalGeneration() == afterTicket)

        // Another process (here: another connection to the same file) opens a ticket, then revokes
        // the customer's sessions.
        let other = try AppDatabase.open(path: folder.path("db.sqlite"))
        try other.transaction { tx in
            _ = try tx.openTicket(customer: customer, subject: "From elsewhere", source: .email, prefix: "TKT", at: now)
        }
        let afterOther = try database.portalGeneration()
        #expect(afterOther > afterTicket)
        _ = try other.transaction { tx in try tx.revokePortalAccess(customerID: id) }
        #expect(try database.portalGeneration() > afterOther)
        #expect(try database.portalGeneration() == other.read { try $0.portalGeneration() })
    }

    @Test("an in-memory database reads its generation in a transaction")
    func inMemoryGeneration() throws {
        let database = try AppDatabase.inMemory()
        let start = try database.portalGeneration()
        try database.transaction { tx in
            let customer = try tx.customer(email: "ada@example.org", name: nil, at: now)
            _ = try tx.openTicket(customer: customer, subject: "First", source: .email, prefix: "TKT", at: now)
        }
        #expect(try database.portalGeneration() > start)
    }

    @Test("tokens are 43 URL-safe characters carrying 256 random bits")
    func tokenShape() {
        let tokens = (0..<200).map { _ in AccessTokenRecord.makeToken() }
        #expect(Set(tokens).count == tokens.count)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for token in tokens {
            #expect(token.count == 43)
            #expect(token.allSatisfy(alphabet.contains))
        }
    }
}
