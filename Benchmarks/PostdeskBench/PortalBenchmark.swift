// postdesk-bench portal PORT [DIR]
//
// Seeds a fresh SQLite file database (in DIR, or a temporary folder) with one customer who has 1,000
// tickets (1 to 4 public messages each from the customer and the agents, some internal notes, a few
// assignees and every status), starts a session for that customer, and serves the real portal (the
// controller and router the daemon serves, with the gateway's PortalIntake behind it) on 127.0.0.1:PORT.
// Once it answers it prints one line for Benchmarks/run.py:
//
//   ready port=PORT cookie=pd_session=TOKEN stylesheet=/portal/static/portal-HASH.css tickets=1000 seed_seconds=S
//
// and serves until SIGTERM or SIGINT.
import Foundation
import Gateway
import Hummingbird
import Logging
import MailModel
import Portal
import Store

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension PortalIntake: PortalDesk {}

enum PortalBenchmark {
    static let usage = "       postdesk-bench portal PORT [DIR]\n"
    static let ticketCount = 1_000

    static func run(_ arguments: [String]) async -> Int32 {
        guard let port = arguments.first.flatMap({ Int($0) }), (1...65_535).contains(port) else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        let temporary = arguments.count < 2
        let folder =
            temporary
            ? FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-portal-bench-\(UUID().uuidString)")
            : URL(fileURLWithPath: arguments[1])
        defer { if temporary { try? FileManager.default.removeItem(at: folder) } }
        do {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("postdesk.sqlite"))
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("postdesk.sqlite-wal"))
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("postdesk.sqlite-shm"))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let database = try AppDatabase.open(path: folder.appendingPathComponent("postdesk.sqlite").path)
            let blobs = try BlobStore(root: folder.appendingPathComponent("blobs"))
            let secretKey = (0..<32).map { _ in UInt8.random(in: 0...255) }
            let settings = PortalSettings(
                supportAddress: "support@example.test", publicURL: "http://127.0.0.1:\(port)", secretKey: secretKey)

            let start = ContinuousClock.now
            let cookie = try seed(database, sessionLifetime: settings.sessionLifetime)
            let elapsed = ContinuousClock.now - start
            let seedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

            var logger = Logger(label: "postdesk.portal")
            logger.logLevel = .warning
            let ingestor = Ingestor(
                database: database, blobs: blobs,
                settings: IngestSettings(supportAddress: settings.supportAddress, secretKey: secretKey), logger: logger)
            let controller = PortalController(
                database: database, blobs: blobs, desk: PortalIntake(ingestor: ingestor), settings: settings,
                logger: logger)
            let app = Application(
                router: controller.buildRouter(),
                configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                onServerRunning: { _ in
                    // The server accepts connections once this returns, so the page is read in a task of
                    // its own. The stylesheet's path carries a hash of its content; the page names it.
                    Task {
                        let stylesheet = await stylesheetPath(port: port, cookie: cookie) ?? "unknown"
                        let line =
                            "ready port=\(port) cookie=\(cookie) stylesheet=\(stylesheet) tickets=\(ticketCount)"
                            + " seed_seconds=\(String(format: "%.3f", seedSeconds))\n"
                        FileHandle.standardOutput.write(Data(line.utf8))  // unbuffered: run.py waits for it
                    }
                },
                logger: logger)
            try await app.runService()
            return 0
        } catch {
            FileHandle.standardError.write(Data("postdesk-bench portal: \(error)\n".utf8))
            return 1
        }
    }

    /// The stylesheet the ticket list links to, read from the page as a browser would.
    static func stylesheetPath(port: Int, cookie: String) async -> String? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/portal/tickets")!)
        request.setValue(cookie, forHTTPHeaderField: "Cookie")
        guard let (data, _) = try? await URLSession.shared.data(for: request),
            let page = String(data: data, encoding: .utf8),
            let link = page.range(of: "<link rel=\"stylesheet\" href=\"")
        else { return nil }
        let rest = page[link.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    // MARK: The data

    /// One customer with `ticketCount` tickets, in one transaction; returns the session's cookie.
    static func seed(_ database: AppDatabase, sessionLifetime: Duration) throws -> String {
        var random = SplitMix(seed: 2026)
        let now = Date()
        return try database.transaction { tx in
            let customer = try tx.customer(email: "zoe.martin@example.org", name: "Zoë Martin", at: now.addingTimeInterval(-800 * 86_400))
            guard let customerID = customer.id else { throw StoreError("the customer has no id") }
            for index in 0..<ticketCount {
                try seedTicket(index, customer: customer, now: now, random: &random, tx: tx)
            }
            return "pd_session="
                + (try tx.startSession(
                    customerID: customerID, ticketID: nil, lifetime: sessionLifetime.timeInterval, at: now))
        }
    }

    static func seedTicket(
        _ index: Int, customer: Customer, now: Date, random: inout SplitMix, tx: StoreTransaction
    ) throws {
        // Last activity spread over two years, more of it recent; the first few within the last hour.
        let ageSeconds = index < 10 ? Double(index * 240 + 45) : pow(random.unit(), 2) * 730 * 86_400 + 3_600
        let publicCount = 1 + random.below(4)
        let gaps = (0..<publicCount).map { $0 == 0 ? 0 : Double(300 + random.below(30 * 3_600)) }
        let latest = now.addingTimeInterval(-ageSeconds)
        let opened = latest.addingTimeInterval(-gaps.reduce(0, +))
        let order = 100_000 + random.below(900_000)
        let subject = subjects[random.below(subjects.count)].replacingOccurrences(of: "#N", with: "#\(order)")
        var ticket = try tx.openTicket(
            customer: customer, subject: subject, source: random.below(4) == 0 ? .portal : .email, prefix: "TKT",
            at: opened)
        guard let ticketID = ticket.id else { throw StoreError("the ticket has no id") }

        var moment = opened
        var last: MessageRecord.Kind = .customer
        for position in 0..<publicCount {
            moment = moment.addingTimeInterval(gaps[position])
            let kind: MessageRecord.Kind = position % 2 == 0 ? .customer : .agent
            let agent = agents[random.below(agents.count)]
            let visible =
                kind == .customer
                ? (position == 0
                    ? openings[random.below(openings.count)].replacingOccurrences(of: "#N", with: "#\(order)")
                    : followUps[random.below(followUps.count)])
                : replies[random.below(replies.count)].replacingOccurrences(of: "#N", with: "#\(order)")
                    + "\n\nBest regards,\n\(agent.name)\nCustomer Support"
            let text =
                position == 0
                ? visible
                : visible + "\n\nOn \(PortalDate.day(moment)) Support wrote:\n> Thank you for your message.\n> We will get back to you."
            _ = try tx.addMessage(
                MessageRecord(
                    ticketId: ticketID, kind: kind, visibility: .public,
                    authorEmail: kind == .customer ? customer.email : agent.email,
                    authorName: kind == .customer ? customer.name : agent.name, text: text, visibleText: visible,
                    messageId: "bench-\(index)-\(position)@example.org", createdAt: moment))
            last = kind
            if position + 1 < publicCount, random.below(3) == 0 {
                // An internal note before the next public message: never shown in the portal.
                let note = notes[random.below(notes.count)]
                _ = try tx.addMessage(
                    MessageRecord(
                        ticketId: ticketID, kind: .note, visibility: .internal, authorEmail: agent.email,
                        authorName: agent.name, text: note, visibleText: note,
                        createdAt: moment.addingTimeInterval(gaps[position + 1] / 2)))
            }
        }

        // Status follows the conversation: new until someone answers, then pending, open or finished.
        let roll = random.below(10)
        if publicCount == 1 && last == .customer && roll < 6 {
            ticket.status = .new
        } else if last == .agent {
            ticket.status = roll < 4 ? .pending : (roll < 8 ? .resolved : .closed)
        } else {
            ticket.status = roll < 7 ? .open : .resolved
        }
        if ticket.status != .new || roll == 0 {
            ticket.assignee = agents[random.below(agents.count)].name
        }
        ticket.priority = [.low, .normal, .normal, .normal, .high, .urgent][random.below(6)]
        ticket.updatedAt = moment
        if ticket.status.isFinished {
            ticket.resolvedAt = moment
            ticket.resolution = "Answered"
        }
        try tx.save(ticket)
    }

    static let agents: [(name: String, email: String)] = [
        ("Priya Natarajan", "priya@example.test"), ("Jonas Bergström", "jonas@example.test"),
        ("Amélie Durand", "amelie@example.test"), ("Sam O'Connor", "sam@example.test"),
    ]

    static let subjects = [
        "Order #N has not arrived", "Invoice for order #N shows the wrong VAT number",
        "Refund for order #N not received yet", "Wrong size delivered (order #N)",
        "Can I change the delivery address for #N?", "Password reset link doesn't work",
        "Charged twice for order #N", "Parcel marked \"delivered\" but not here", "Discount code SPRING25 rejected",
        "Question about the warranty of my kettle", "Cancel subscription & delete my account",
        "Damaged item in order #N – photos attached", "Missing accessories <cable + adapter> in #N",
        "Exchange: blue → green jacket (order #N)", "Invoice needed as PDF for accounting",
        "Tracking number for #N shows no updates", "How do I return a gift?", "Payment failed but money was taken",
        "Product page says 2–3 days, it's been 10", "Can't log in after changing my email address",
        "Gutschein für Bestellung #N funktioniert nicht", "Bulk order for our office (25 chairs)",
        "Customs fees charged on delivery of #N", "Battery drains overnight after update",
        "Request: copy of my data (GDPR)", "Late delivery – need it before Friday!",
    ]

    static let openings = [
        "Hello,\n\nI ordered on the 3rd and order #N still hasn't arrived. The tracking page has said \"in transit\" for a week now. Could you please check where it is?\n\nThanks,\nZoë",
        "Hi there,\n\nthe invoice for #N lists an old VAT number & the wrong company name (it should be \"Martin & Söhne GmbH\"). Can you send a corrected one?\n\nKind regards,\nZoë Martin",
        "Hi,\n\nI returned #N three weeks ago (the courier confirmed pickup) but the refund of €89.90 hasn't shown up on my card. When can I expect it?\n\nZoë",
        "Good morning,\n\nthe jacket in order #N is a size M but I ordered L. I'd like to exchange it; what's the easiest way? I still have the original packaging.\n\nBest,\nZoë",
        "Hello,\n\nmy card was charged twice (2 × €42.00) for #N. Screenshot of the statement attached. Please refund the duplicate charge.\n\nThanks in advance,\nZoë Martin",
        "Hi support,\n\nthe reset link in your mail says \"token expired\" even when I click it right away. I've tried Firefox and Safari. Any idea?\n\nZoë",
    ]

    static let followUps = [
        "Thanks for the quick answer! It arrived this morning, all good.",
        "Hi again, it's been 5 days and nothing has changed. Could you escalate this please?",
        "Here are the photos you asked for: the box was crushed on one side and the handle is broken.",
        "That worked, thank you. One more question: can I still use my voucher on the replacement?",
        "Sorry, I don't see the label in my inbox — could you send it again to this address?",
        "OK, I've sent the item back today. Tracking: 1Z999AA10123456784.",
    ]

    static let replies = [
        "Hello Zoë,\n\nthank you for getting in touch. I've checked with the carrier: your parcel for order #N was delayed at the hub and is now out for delivery. You should receive it within 1–2 working days.",
        "Hi Zoë,\n\nsorry for the trouble! I've issued a corrected invoice for #N and attached it to this reply. The old one is cancelled, so you can discard it.",
        "Hello,\n\nthe refund was processed on our side today. Depending on your bank it can take 3–5 working days to appear on your statement.",
        "Hi Zoë,\n\nI've arranged an exchange for #N. You'll get a prepaid return label by mail; once the courier picks up the jacket we'll ship size L straight away.",
        "Hello,\n\nyou're right, the second charge was a duplicate authorisation. I've released it and you'll see the amount back on your card shortly. Apologies for the confusion!",
        "Hi,\n\ncould you tell us which browser version you're using, and whether you clicked the newest link? Each new request makes the older links stop working.",
    ]

    static let notes = [
        "Carrier ticket opened: DHL case 4471-223. Follow up Thursday.",
        "Customer is a repeat buyer (12 orders). OK to refund shipping as goodwill.",
        "Checked Stripe: duplicate auth, not a capture. Released.",
        "Warehouse confirms the size mix-up on batch 2024-11; more tickets likely.",
        "Escalated to finance for the VAT correction <do not promise a date>.",
    ]
}

/// Deterministic random numbers, so every run seeds the same data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// "2026-03-12", for the quoted history of seeded replies.
enum PortalDate {
    static func day(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
    }
}
