import Foundation
import Logging
import MailModel
import ServiceLifecycle
import Store
import Synchronization
import Testing

@testable import Gateway

/// An in-memory database, blobs in a temporary folder, and an ingestor whose clock the test sets.
private final class HousekeepingFixture: Sendable {
    static let day: TimeInterval = 86_400
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-hk-\(UUID().uuidString)")
    let database: AppDatabase
    let blobs: BlobStore
    let ingestor: Ingestor
    let moment: Shared<Date>

    init() throws {
        let moment = Shared(start)
        self.moment = moment
        database = try AppDatabase.inMemory()
        blobs = try BlobStore(root: folder.appendingPathComponent("files"))
        ingestor = Ingestor(
            database: database, blobs: blobs,
            settings: IngestSettings(supportAddress: "support@example.test", secretKey: GatewayFixture.key),
            logger: Logger(label: "test"), now: { moment.value })
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The ingestor's clock, `days` after the start.
    func at(days: Double) -> Date {
        let date = start.addingTimeInterval(days * Self.day)
        moment.value = date
        return date
    }

    func ingest(_ text: String) async throws -> IngestResult {
        let raw = RawMail(locator: MailLocator(source: "test", uidValidity: 1, key: UUID().uuidString), bytes: Array(text.utf8))
        return try #require(try await ingestor.ingest([raw]).first)
    }

    func housekeeper(keepRawDays: Int? = nil, rawBatch: Int = 500) -> Housekeeper<ContinuousClock> {
        let moment = moment
        return Housekeeper(
            database: database, blobs: blobs, policy: HousekeepingPolicy(keepRawDays: keepRawDays), rawBatch: rawBatch,
            clock: ContinuousClock(), logger: Logger(label: "test"), now: { moment.value })
    }

    func prune(at now: Date, keepRawDays: Int? = nil) throws -> Housekeeper<ContinuousClock>.Report {
        try database.transaction { tx in try housekeeper(keepRawDays: keepRawDays).prune(tx, at: now) }
    }

    func rawFileExists(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: blobs.url(sha256, kind: .raw).path)
    }
}

/// A value shared between a test and the closures it hands out.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

@Suite("Housekeeping")
struct HousekeeperTests {
    @Test("expired sessions go; live ones stay")
    func sessions() throws {
        let fixture = try HousekeepingFixture()
        let now = fixture.start
        let (expired, live) = try fixture.database.transaction { tx -> (String, String) in
            let id = try #require(try tx.customer(email: "ada@example.org", name: nil, at: now).id)
            let expired = try tx.startSession(customerID: id, ticketID: nil, lifetime: 60, at: now.addingTimeInterval(-120))
            let live = try tx.startSession(customerID: id, ticketID: nil, lifetime: 3_600, at: now)
            return (expired, live)
        }
        let report = try fixture.prune(at: now)
        #expect(report.sessions == 1)
        let (kept, gone) = try fixture.database.read { tx in
            (try tx.session(live, at: now), try tx.session(expired, at: now.addingTimeInterval(-200)))
        }
        #expect(kept != nil)
        #expect(gone == nil, "gone, whatever the time")
    }

    @Test("links go 30 days after they expire, so an old link still gets its expired page until then")
    func accessTokens() throws {
        let fixture = try HousekeepingFixture()
        let now = fixture.start
        let day = HousekeepingFixture.day
        let (old, recent, valid) = try fixture.database.transaction { tx -> (String, String, String) in
            let id = try #require(try tx.customer(email: "ada@example.org", name: nil, at: now).id)
            func token(expiring expiry: TimeInterval) throws -> String {
                try tx.issueToken(customerID: id, ticketID: nil, purpose: .login, lifetime: 1_800,
                                  at: now.addingTimeInterval(expiry - 1_800))
            }
            return (try token(expiring: -31 * day), try token(expiring: -29 * day), try token(expiring: day))
        }
        let report = try fixture.prune(at: now)
        #expect(report.accessTokens == 1)
        let tokens = try fixture.database.read { tx in [try tx.accessToken(old), try tx.accessToken(recent), try tx.accessToken(valid)] }
        #expect(tokens[0] == nil)
        #expect(tokens[1]?.state(at: now) == .expired)
        #expect(tokens[2]?.state(at: now) == .valid)
    }

    @Test("requests made without signing in go with their link; recent or still linked ones stay")
    func portalRequests() throws {
        let fixture = try HousekeepingFixture()
        let now = fixture.start
        let day = HousekeepingFixture.day
        let ids = try fixture.database.transaction { tx -> [Int64] in
            let customer = try #require(try tx.customer(email: "ada@example.org", name: nil, at: now).id)
            func request(madeDaysAgo days: Double, linkLifetime: TimeInterval?) throws -> Int64 {
                let made = now.addingTimeInterval(-days * day)
                let request = try tx.addPortalRequest(
                    PortalRequestRecord(customerId: customer, subject: "Help", text: "Please", priority: .normal, createdAt: made))
                let id = try #require(request.id)
                if let linkLifetime {
                    _ = try tx.issueToken(
                        customerID: customer, ticketID: nil, purpose: .login, lifetime: linkLifetime, at: made, requestID: id)
                }
                return id
            }
            return [
                try request(madeDaysAgo: 40, linkLifetime: 1_800),  // its link expired 40 days ago: both go
                try request(madeDaysAgo: 40, linkLifetime: nil),  // no link left at all: goes
                try request(madeDaysAgo: 40, linkLifetime: 50 * day),  // its link still works: stays
                try request(madeDaysAgo: 2, linkLifetime: 1_800),  // recent: stays
            ]
        }
        let report = try fixture.prune(at: now)
        #expect(report.accessTokens == 1)
        #expect(report.portalRequests == 2)
        let requests = try fixture.database.read { tx in try ids.map { try tx.portalRequest(id: $0) } }
        #expect(requests.map { $0 != nil } == [false, false, true, true])
    }

    @Test("suppressions whose period is over go; those in force stay")
    func suppressions() throws {
        let fixture = try HousekeepingFixture()
        let now = fixture.start
        try fixture.database.transaction { tx in
            try tx.markUndeliverable("gone@example.org", reason: "5.1.1", until: now.addingTimeInterval(-1), at: now)
            try tx.markUndeliverable("full@example.org", reason: "5.2.2", until: now.addingTimeInterval(86_400), at: now)
        }
        #expect(try fixture.prune(at: now).suppressions == 1)
        let (full, gone) = try fixture.database.read { tx in
            (
                try tx.suppression(of: "full@example.org", at: now),
                try tx.suppression(of: "gone@example.org", at: now.addingTimeInterval(-3_600))
            )
        }
        #expect(full != nil)
        #expect(gone == nil)
        #expect(try fixture.prune(at: now).isEmpty, "a second pass finds nothing")
    }

    @Test("raw mail is kept forever unless keep_raw_days is set")
    func rawKeptByDefault() async throws {
        let fixture = try HousekeepingFixture()
        let result = try await fixture.ingest(testMail())
        let report = try fixture.prune(at: fixture.at(days: 10_000))
        #expect(report.rawMails == 0)
        let record = try #require(try await fixture.database.read { try $0.inboundMailRecords() }.first)
        #expect(record.rawPrunedAt == nil)
        #expect(fixture.rawFileExists(record.sha256))
        #expect(result.outcome == .ticket)
    }

    @Test("raw mail older than keep_raw_days is removed and recorded; recent, quarantined mail and attachments stay")
    func rawPruned() async throws {
        let fixture = try HousekeepingFixture()
        _ = fixture.at(days: 0)
        let old = testMail(
            id: "old@example.org",
            headers: ["MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\""],
            body: "--b\nContent-Type: text/plain\n\nSee attached.\n--b\nContent-Type: application/pdf; name=\"a.pdf\"\n"
                + "Content-Disposition: attachment; filename=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + "JVBERi0xLjQKJcfsj6IK\n--b--")
        let oldResult = try await fixture.ingest(old)
        let quarantined = try await fixture.ingest("Subject: who am I\r\n\r\nno From header\r\n")
        #expect(quarantined.outcome == .quarantined)
        _ = fixture.at(days: 25)
        let recentResult = try await fixture.ingest(testMail(subject: "Another", id: "recent@example.org"))

        let now = fixture.at(days: 31)
        let report = try await fixture.housekeeper(keepRawDays: 30).passOnce()
        #expect(report.rawMails == 1)

        let records = try await fixture.database.read { try $0.inboundMailRecords() }
        let byOutcome = Dictionary(grouping: records, by: \.outcome)
        let pruned = try #require(records.first { $0.messageId == "old@example.org" })
        #expect(pruned.rawPrunedAt != nil)
        #expect(pruned.rawPrunedAt.map { abs($0.timeIntervalSince(now)) < 1 } == true)
        #expect(!fixture.rawFileExists(pruned.sha256))
        for kept in records where kept.id != pruned.id {
            #expect(kept.rawPrunedAt == nil)
            #expect(fixture.rawFileExists(kept.sha256))
        }
        #expect(byOutcome[.quarantined]?.count == 1)

        // The ticket reads as before, attachment included.
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: oldResult.ticketRef ?? "") })
        #expect(detail.messages.first?.visibleText.contains("See attached.") == true)
        let attachment = try #require(detail.attachments.values.flatMap { $0 }.first)
        let attachmentFile = fixture.blobs.url(attachment.sha256, kind: .attachment).path
        #expect((try FileManager.default.attributesOfItem(atPath: attachmentFile)[.size] as? NSNumber)?.intValue == 15)
        #expect(recentResult.outcome == .ticket)

        // The same mail fetched again is still known: nothing doubles.
        let again = try await fixture.ingest(old)
        #expect(again.alreadyKnown)
        #expect(try await fixture.database.read { try $0.counts() }.tickets == 2)
        #expect(!fixture.rawFileExists(pruned.sha256))
    }

    @Test("a backlog of raw mail is pruned in batches within one pass")
    func rawBatches() async throws {
        let fixture = try HousekeepingFixture()
        _ = fixture.at(days: 0)
        for index in 0..<5 { _ = try await fixture.ingest(testMail(subject: "Mail \(index)", id: "m\(index)@example.org")) }
        _ = fixture.at(days: 400)
        let report = try await fixture.housekeeper(keepRawDays: 365, rawBatch: 2).passOnce()
        #expect(report.rawMails == 5)
        let records = try await fixture.database.read { try $0.inboundMailRecords() }
        #expect(records.allSatisfy { $0.rawPrunedAt != nil && !fixture.rawFileExists($0.sha256) })
        #expect(try await fixture.housekeeper(keepRawDays: 365, rawBatch: 2).passOnce().isEmpty)
    }

    @Test("the policy's cutoffs")
    func policy() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(HousekeepingPolicy().cutoffs(at: now).raw == nil)
        let cutoffs = HousekeepingPolicy(linkGrace: 100, keepRawDays: 2).cutoffs(at: now)
        #expect(cutoffs.ended == now)
        #expect(cutoffs.links == now.addingTimeInterval(-100))
        #expect(cutoffs.raw == now.addingTimeInterval(-2 * 86_400))
    }

    @Test("the service passes at start, then every interval, and stops at once on graceful shutdown")
    func runLoop() async throws {
        let fixture = try HousekeepingFixture()
        let clock = ManualClock()
        let passes = Shared(0)
        let start = fixture.start
        let housekeeper = Housekeeper(
            database: fixture.database, blobs: fixture.blobs, interval: .seconds(600), clock: clock,
            logger: Logger(label: "test"),
            now: {
                passes.value += 1
                return start
            })
        let group = ServiceGroup(services: [housekeeper], logger: Logger(label: "test"))
        let running = Task { try await group.run() }

        #expect(await eventually { passes.value == 1 && clock.sleeperCount == 1 }, "a first pass at start")
        clock.advance(by: .seconds(599))
        try await Task.sleep(for: .milliseconds(50))
        #expect(passes.value == 1, "not before the interval")
        clock.advance(by: .seconds(1))
        #expect(await eventually { passes.value == 2 && clock.sleeperCount == 1 }, "a pass when it is up")

        await group.triggerGracefulShutdown()
        let stopped = Task {
            try await running.value
            return true
        }
        #expect(await eventually { clock.sleeperCount == 0 }, "the pause ends on shutdown")
        #expect(try await stopped.value)
        #expect(passes.value == 2, "no pass after shutdown began")
    }
}
