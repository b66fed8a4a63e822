import Foundation
import Store
import Testing

@testable import postdesk

@Suite("ticket show")
struct TicketFormatTests {
    func detail() -> TicketDetail {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let ticket = Ticket(
            id: 1, ref: "TKT-7F3KQ9", customerId: 1, subject: "Printer on fire", status: .pending, priority: .normal,
            source: .email, createdAt: now, updatedAt: now, relatedTo: "TKT-AAAAAA")
        let answer = MessageRecord(
            id: 1, ticketId: 1, kind: .agent, visibility: .public, authorEmail: "alice@example.test", authorName: "Alice",
            text: "Please restart it.", visibleText: "Please restart it.", createdAt: now,
            fullText: "#priority high\nPlease restart it.\n\n> New ticket TKT-7F3KQ9")
        return TicketDetail(
            ticket: ticket, customer: Customer(id: 1, email: "ada@example.org", name: "Ada", createdAt: now),
            messages: [answer],
            attachments: [
                1: [AttachmentRecord(id: 1, messageId: 1, filename: "log.txt", contentType: "text/plain", size: 3, sha256: "x",
                    isInline: false, isInternal: true)]
            ],
            participants: [
                ParticipantRecord(ticketId: 1, email: "ada@example.org", name: "Ada", role: .customer, createdAt: now),
                ParticipantRecord(ticketId: 1, email: "carol@example.org", role: .cc, createdAt: now),
            ],
            outbox: [
                OutboxRecord(
                    kind: .agentReply, ticketId: 1, recipient: "ada@example.org", messageId: "a@x", context: "{}",
                    state: .sent, nextAttemptAt: now, createdAt: now, cc: ["carol@example.org"]),
                OutboxRecord(
                    kind: .confirmation, ticketId: 1, recipient: "ada@example.org", messageId: "b@x", context: "{}",
                    state: .suppressed, nextAttemptAt: now, lastError: "ada@example.org is undeliverable", createdAt: now),
            ])
    }

    @Test("lists participants, the cited ticket, internal files and every mail, suppressed ones with why")
    func text() {
        let out = TicketFormat.text(detail())
        #expect(out.contains("participants: Ada <ada@example.org> (customer), carol@example.org (cc)"))
        #expect(out.contains("refers to: TKT-AAAAAA"))
        #expect(out.contains("log.txt  text/plain  3 bytes  (internal: not sent to the customer)"))
        #expect(out.contains("sent  agent-reply to ada@example.org (cc carol@example.org)"))
        #expect(out.contains("suppressed  confirmation to ada@example.org: ada@example.org is undeliverable"))
        #expect(!out.contains("#priority"), "without --full, what the customer got")
    }

    @Test("--full shows the agent's whole mail")
    func full() throws {
        #expect(TicketFormat.text(detail(), full: true).contains("#priority high"))
        #expect(try TicketFormat.json(detail()).contains("\"fullText\""))
    }
}
