import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store
import Testing

@testable import Portal

/// Pages and sessions kept in memory are never shown once the store changed, whoever changed it.
@Suite("Portal: what is kept in memory stays true")
struct PortalCacheTests {
    @Test("a new ticket, an agent's answer and a revocation show on the next request")
    func changesShowAtOnce() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket(subject: "First question")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            #expect(try await browser.get("/portal/tickets").contains("First question"))
            // Mail arriving meanwhile: a new ticket and an agent's public answer.
            try await fixture.openTicket(subject: "Second question")
            try await fixture.answer(ref, body: "We are on it, the part is ordered.")
            let list = try await browser.get("/portal/tickets")
            #expect(list.contains("Second question"))
            #expect(list.contains("We are on it, the part is ordered."))
            // An operator revokes access from another process (its own connection to the file): the
            // session ends at once.
            let customerID = try #require(try await fixture.customer("ada@example.org").id)
            let operatorDatabase = try AppDatabase.open(path: fixture.folder.appendingPathComponent("db.sqlite").path)
            _ = try await operatorDatabase.write { tx in try tx.revokePortalAccess(customerID: customerID) }
            let after = try await browser.get("/portal/tickets")
            #expect(after.status == .seeOther)
            #expect(after.location == "/portal")
        }
    }
}

@Suite struct PortalTextTests {
    @Test func cookiesAreFoundByExactName() {
        var headers: HTTPFields = [:]
        headers.append(HTTPField(name: .cookie, value: "xpd_session=wrong; pd_session=abc=def;pd_csrf=first"))
        headers.append(HTTPField(name: .cookie, value: "other=1;  pd_csrf=second"))
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/portal", headerFields: headers),
            body: .init(buffer: ByteBuffer()))
        #expect(request.cookie("pd_session") == "abc=def")
        #expect(request.cookie("pd_csrf") == "first")
        #expect(request.cookie("other") == "1")
        #expect(request.cookie("session") == nil)
        #expect(request.cookie("missing") == nil)
    }

    @Test func previewsCollapseSpaceAndCutLongText() {
        #expect(PortalController.shortPreview("  Hello\r\n\tworld  ") == "Hello world")
        let long = String(repeating: "é", count: 200)
        let cut = PortalController.shortPreview(long)
        #expect(cut.count == 140 && cut.hasSuffix("…"))
        #expect(PortalController.shortPreview(String(repeating: "a", count: 140)).count == 140)
    }

    @Test func datesAreWrittenInUTC() {
        let date = Date(timeIntervalSince1970: 1_773_324_300)  // 2026-03-12 14:05 UTC
        #expect(PortalClock.day(date) == "2026-03-12")
        #expect(PortalClock.dateTime(date) == "2026-03-12 14:05 UTC")
        #expect(PortalClock.iso(date) == "2026-03-12T14:05:00Z")
        #expect(PortalClock.relative(date, now: date.addingTimeInterval(7_200)) == "2 hours ago")
        #expect(PortalClock.relative(date, now: date.addingTimeInterval(86_400 * 40)) == "2026-03-12")
    }
}
