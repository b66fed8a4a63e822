import Foundation
import MailModel
import Testing

@testable import MIME

/// Every file in `samples/` parsed, with its expected fields.
@Suite("Sample mails")
struct SampleTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        var file: String
        var messageID: String
        var from: String
        var fromName: String?
        var subject: String
        var date: String?
        var textContains: [String] = []
        var textLacks: [String] = []
        var hasHTML = false
        var attachments: [String?] = []
        var inReplyTo: [String] = []
        var testDescription: String { file }
    }

    static let expectations: [Expectation] = [
        Expectation(
            file: "01-plain-new-ticket.eml", messageID: "20240304091500.1A2B3C@mail.example.org",
            from: "ada@example.org", fromName: "Ada Lovelace", subject: "Cannot export my invoices to PDF",
            date: "2024-03-04T09:15:00+01:00", textContains: ["Invoice numbers 2024-0113"]),
        Expectation(
            file: "02-reply-in-reply-to.eml", messageID: "CAF9x7Qm2kP0@mail.example.org",
            from: "ada@example.org", fromName: "Ada Lovelace",
            subject: "Re: Cannot export my invoices to PDF", date: "2024-03-05T17:40:12+01:00",
            textContains: ["It works again", "> nothing."],
            inReplyTo: ["20240304091500.1A2B3C@mail.example.org"]),
        Expectation(
            file: "03-multipart-alternative-qp.eml", messageID: "a1b2c3d4@laptop.example.org",
            from: "grace@example.org", fromName: "Grace Hopper", subject: "Wrong amount on order nº 4711",
            date: "2024-03-06T08:01:30-05:00",
            textContains: ["charged 42,00 € instead", "need a soft line break."], textLacks: ["<p>", "=\n"],
            hasHTML: true),
        Expectation(
            file: "04-base64-attachment-pdf.eml", messageID: "invoice-0113.77@mail.example.org",
            from: "ada@example.org", subject: "Invoice 2024-0113 attached", date: "2024-03-07T11:20:00Z",
            textContains: ["wrong total"], attachments: ["invoice-2024-0113.pdf"]),
        Expectation(
            file: "05-iso-8859-1-encoded-subject.eml", messageID: "5F3A.2024.0308@example.org",
            from: "andre@example.org", fromName: "André Müller",
            subject: "Problème de connexion après la mise à jour", date: "2024-03-08T14:03:59+01:00",
            textContains: ["mise à jour", "« mot de passe incorrect »", "Merci d’avance"]),
        Expectation(
            file: "06-html-only.eml", messageID: "html-only.1709999110@webmail.example.org",
            from: "carol@example.org", fromName: "Carol Example", subject: "Where is my parcel?",
            date: "2024-03-09T19:45:10Z",
            textContains: ["order #5521 has not", "\"in transit\"", "Example Post", "Thanks & regards,\nCarol"],
            textLacks: ["tracking = 1", "color", "<", "Mail\n"], hasHTML: true),
        Expectation(
            file: "07-rfc2231-filename.eml", messageID: "rfc2231-sample-10@example.org",
            from: "juergen@example.org", fromName: "Jürgen Schmidt", subject: "Preisliste mit Umlauten",
            date: "2024-03-10T10:10:10+01:00", textContains: ["Anbei"],
            attachments: ["Preisliste Änderungen.csv", "Größe.png"]),
        Expectation(
            file: "08-auto-reply-vacation.eml", messageID: "autoreply-77aa@mail.example.org",
            from: "erin@example.org", subject: "Out of office: Re: [TKT-7F3KQ9] Your request",
            date: "2024-03-13T06:00:01+01:00", textContains: ["out of the office"],
            inReplyTo: ["outbox-7f3kq9-2@support.example.test"]),
        Expectation(
            file: "09-bounce-dsn.eml", messageID: "20240314120005.9A1B2C3D@mx.example.test",
            from: "MAILER-DAEMON@mx.example.test", fromName: "Mail Delivery System",
            subject: "Undelivered Mail Returned to Sender", date: "2024-03-14T12:00:05Z",
            textContains: ["could not\nbe delivered"], attachments: [nil, nil]),
        Expectation(
            file: "10-iso-2022-jp.eml", messageID: "jp.20240311183000@example.org",
            from: "yamada@example.org", fromName: "山田太郎", subject: "ログインできません",
            date: "2024-03-11T18:30:00+09:00", textContains: ["確認をお願いします。"]),
        Expectation(
            file: "11-nested-rfc822-forward.eml", messageID: "fwd-8c21@example.org",
            from: "frank@example.org", subject: "Fwd: Suspicious invoice mail", date: "2024-03-15T16:20:00+01:00",
            textContains: ["forwarded mail below"], textLacks: ["Pay now"],
            attachments: ["Suspicious invoice.eml", "invoice.html"]),
        Expectation(
            file: "12-uuencoded.eml", messageID: "uu.12345@old-client.example.org",
            from: "dave@example.org", fromName: "Dave Example", subject: "log file",
            date: "2024-03-12T07:05:00-05:00", textContains: ["log file is below", "Dave"],
            textLacks: ["begin 644"], attachments: ["error-log.txt"]),
    ]

    @Test(arguments: expectations)
    func sample(_ expected: Expectation) throws {
        let mail = try MIMEParser().parse(Fixture.sample(expected.file))
        #expect(mail.messageID == expected.messageID)
        #expect(mail.from.first?.address == expected.from)
        if let name = expected.fromName { #expect(mail.from.first?.name == name) }
        #expect(mail.subject == expected.subject)
        #expect(mail.date?.iso8601 == expected.date)
        for piece in expected.textContains { #expect(mail.text.contains(piece), "text lacks \(piece)") }
        for piece in expected.textLacks { #expect(!mail.text.contains(piece), "text keeps \(piece)") }
        #expect((mail.html != nil) == expected.hasHTML)
        #expect(mail.attachments.map(\.filename) == expected.attachments)
        #expect(mail.inReplyTo == expected.inReplyTo)
        #expect(mail.to.first?.address == "support@example.test")
    }

    @Test func everySampleHasADistinctMessageID() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixture.samplesDirectory.path)
            .filter { $0.hasSuffix(".eml") }
        #expect(files.count == Self.expectations.count)
        let ids = try files.map { try MIMEParser().parse(Fixture.sample($0)).messageID }
        #expect(Set(ids.compactMap { $0 }).count == files.count)
    }

    @Test func attachmentDetails() throws {
        let pdf = try MIMEParser().parse(Fixture.sample("04-base64-attachment-pdf.eml")).attachments[0]
        #expect(pdf.contentType == "application/pdf")
        #expect(pdf.size == 218 && pdf.data.count == 218)
        #expect(pdf.data.starts(with: Array("%PDF-1.4".utf8)))
        let uu = try MIMEParser().parse(Fixture.sample("12-uuencoded.eml")).attachments[0]
        #expect(String(decoding: uu.data, as: UTF8.self) == "Error log from the client:\nE42 export timeout\n")
    }

    @Test func bounceTreeKeepsTheDeliveryStatus() throws {
        let mail = try MIMEParser().parse(Fixture.sample("09-bounce-dsn.eml"))
        #expect(mail.root.mimeType == "multipart/report")
        #expect(mail.root.contentType["report-type"] == "delivery-status")
        let status = try #require(mail.root.children.first { $0.mimeType == "message/delivery-status" })
        let groups = HeaderFields.parseGroups(status.data)
        #expect(groups.count == 2)
        #expect(groups[1]["final-recipient"] == "rfc822; nobody@example.org")
        #expect(groups[1]["status"] == "5.1.1")
        #expect(groups[1]["diagnostic-code"]?.contains("User unknown") == true)
    }

    @Test func forwardedMessageIsInTheTree() throws {
        let mail = try MIMEParser().parse(Fixture.sample("11-nested-rfc822-forward.eml"))
        let part = try #require(mail.root.children.last)
        let inner = try #require(ParsedMail.embedded(in: part))
        #expect(inner.messageID == "phish-0001@example.net")
        #expect(inner.text.contains("Pay now"))
        #expect(inner.attachments.map(\.filename) == ["invoice.html"])
    }

    @Test func garbageIsNotAMail() throws {
        #expect(throws: MIMEError.self) { try MIMEParser().parse(Fixture.sample("99-garbage.bin")) }
    }

    @Test func autoSubmittedHeaderIsReadable() throws {
        let mail = try MIMEParser().parse(Fixture.sample("08-auto-reply-vacation.eml"))
        #expect(mail.headers["auto-submitted"] == "auto-replied")
        #expect(mail.headers["X-AUTOREPLY"] == "yes")
        #expect(mail.headers.raw("return-path") == " <>")
    }
}
