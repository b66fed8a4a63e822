import Foundation
import MailModel
import Testing

@testable import MIME

@Suite("Message writer: round trips through MIMEParser")
struct MessageWriterRoundTripTests {
    static let subjects: [String] = [
        "Hello",
        "",
        "Re: Café order [TKT-7F3KQ9]",
        "Grüße aus München – Bestellung Nr. 42",
        "Привет, как дела? Заказ №15 не пришёл",
        "東京からのお問い合わせについて",
        "مرحبا، لم يصل طلبي بعد",
        "שלום, ההזמנה שלי לא הגיעה",
        "नमस्ते, मेरा ऑर्डर नहीं आया",
        "Ελληνικά: η παραγγελία μου",
        "한국어 제목입니다 – 주문 문의",
        "Tiếng Việt có dấu: đơn hàng của tôi",
        "🎉 Party 🎉 👨‍👩‍👧‍👦 family 🇫🇷 flag 👍🏽",
        "Mixed 中文 and English and émojis 😀 in one line",
        "spaces   kept  between\u{A0}words",
        "question? _under_score_ = equals =?not-a-word",
        "=?utf-8?q?looks_encoded?= but is literal",
        "=?utf-8?b?",
        "ends with ?=",
        String(repeating: "long subject words ", count: 40),
        String(repeating: "très long sujet accentué ", count: 40),
        String(repeating: "日本語", count: 200),
        String(repeating: "😀", count: 100),
        String(repeating: "x", count: 100),
        String(repeating: "y", count: 1_000),
        String(repeating: "é", count: 1_000),
        "https://example.test/a/very/long/path/that/does/not/fit/on/one/line/of/a/header/at/all?x=1&y=2",
    ]

    @Test(arguments: subjects)
    func subject(_ subject: String) throws {
        let bytes = try WriterFixture.render(WriterFixture.mail(subject: subject))
        let parsed = try MIMEParser().parse(bytes)
        #expect(parsed.subject == subject.trimmingCharacters(in: .init(charactersIn: " ")))
        #expect(parsed.defects.isEmpty)
    }

    static let names: [String] = [
        "Ada Lovelace",
        "Lovelace, Ada (Analytical Engines)",
        "Say \"hi\" \\o/ <not@an.address>; group: x@y.z",
        "Zoë Faÿ-Ørsted",
        "山田 太郎",
        "Владимир Петров",
        "محمد عبد الله",
        "🤖 Support Bot 🤖",
        "=?utf-8?q?not_decoded?=",
        String(repeating: "Long Name ", count: 12),
        String(repeating: "Ünïcödé ", count: 30),
    ]

    @Test(arguments: names)
    func displayName(_ name: String) throws {
        let address = EmailAddress(name: name, address: "person@example.test")
        let mail = WriterFixture.mail(from: address, to: [address], cc: [address, address], replyTo: address)
        let parsed = try WriterFixture.roundTrip(mail)
        let expected = [EmailAddress(name: name.trimmingCharacters(in: .whitespaces), address: "person@example.test")]
        #expect(parsed.from == expected)
        #expect(parsed.to == expected)
        #expect(parsed.cc == expected + expected)
        #expect(parsed.replyTo == expected)
    }

    static let addresses: [String] = [
        "a@b.test",
        "first.last+tag@sub.example.test",
        "o'brien@example.test",
        "UPPER.Case@Example.TEST",
        "a!#$%&'*+-/=?^_`{|}~@x.test",
        "user@[192.0.2.1]",
        "user@under_score.example-host.test",
    ]

    @Test(arguments: addresses)
    func address(_ address: String) throws {
        let mail = WriterFixture.mail(
            from: EmailAddress(address: address), to: [EmailAddress(name: "N", address: address)],
            replyTo: EmailAddress(name: "Ré", address: address))
        let parsed = try WriterFixture.roundTrip(mail)
        #expect(parsed.from == [EmailAddress(address: address)])
        #expect(parsed.to == [EmailAddress(name: "N", address: address)])
        #expect(parsed.replyTo == [EmailAddress(name: "Ré", address: address)])
    }

    @Test func manyRecipients() throws {
        let to = (0..<60).map {
            EmailAddress(name: $0 % 2 == 0 ? "Person \($0)" : "Pérsonne \($0)", address: "p\($0)@example.test")
        }
        let cc = (0..<40).map { EmailAddress(address: "c\($0)@example.test") }
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(to: to, cc: cc))
        #expect(parsed.to == to)
        #expect(parsed.cc == cc)
    }

    @Test func messageIDs() throws {
        let references = (0..<40).map { "ref-\($0).\(String(repeating: "z", count: $0))@example.test" }
        let mail = WriterFixture.mail(
            messageID: "tkt-7f3kq9.2$x=y@[example.test]", inReplyTo: "no-at-sign-id",
            references: references + ["odd/id+=_?{}|~#!@host"])
        let parsed = try WriterFixture.roundTrip(mail)
        #expect(parsed.messageID == "tkt-7f3kq9.2$x=y@[example.test]")
        #expect(parsed.inReplyTo == ["no-at-sign-id"])
        #expect(parsed.references == references + ["odd/id+=_?{}|~#!@host"])
    }

    @Test func extraFieldsKeepOrderAndValues() throws {
        let fields: [OutgoingMail.Field] = [
            .init("Auto-Submitted", "auto-replied"),
            .init("X-Auto-Response-Suppress", "All"),
            .init("Precedence", "bulk"),
            .init("X-Postdesk-Loop", "instance-1"),
            .init("X-Ticket-Subject", "Ärger mit der Lieferung 📦"),
            .init("X-Empty", ""),
            .init("X-Long", String(repeating: "word ", count: 100)),
        ]
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(fields: fields))
        let names = parsed.headers.map(\.name)
        let start = try #require(names.firstIndex(of: "MIME-Version"))
        #expect(Array(names[(start + 1)..<(start + 1 + fields.count)]) == fields.map(\.name))
        for field in fields {
            #expect(parsed.headers[field.name] == field.value.trimmingCharacters(in: .whitespaces))
        }
    }

    static let bodies: [String] = [
        "Hello\n",
        "no final newline",
        "Bonjour,\n\nVotre commande est prête. Merci !\n\n-- \nL'équipe\n",
        "Здравствуйте! Ваш заказ отправлен.\n日本語のテキストです。\n🎉👍🏽👨‍👩‍👧\n",
        "العربية\nעברית\nहिन्दी\n한국어\n",
        String(repeating: "x", count: 5_000) + "\n",
        String(repeating: "word ", count: 1_000) + "\n",
        String(repeating: "é", count: 3_000),
        ".\n..leading dots\n.\n. space\n",
        "From the start\nFrom here\n>From quoted\nFrom\nFromage\n",
        "a = b\n==\n=\n=41\n=\r\n=20\nend=",
        "\ttab start\tmiddle\t\n\t\n",
        "trailing spaces   \ntrailing tab\t\nboth \t \n ",
        "mixed\r\nline\rends\nhere\r\n\r\rdone",
        "\n\n\nblank lines\n\n",
        String(repeating: "a", count: 75) + "=\n" + String(repeating: "b", count: 74) + "==\n"
            + String(repeating: "c", count: 76) + " \n" + String(repeating: "d", count: 73) + "\u{E9}\n",
        "control \u{1} \u{7F} and nul \u{0} bytes\n",
        "--=_not-a-boundary\n--=_\n=_\n",
    ]

    @Test(arguments: bodies)
    func textBody(_ text: String) throws {
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(text: text))
        #expect(parsed.text == WriterFixture.expectedBody(text))
        #expect(parsed.defects.isEmpty)
    }

    @Test(arguments: bodies)
    func alternativeBodies(_ text: String) throws {
        let html = "<html><body><p>" + text + "</p></body></html>"
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(text: text, html: html))
        #expect(parsed.text == WriterFixture.expectedBody(text))
        #expect(parsed.html.map(TextBody.normalizeLineEnds) == WriterFixture.expectedBody(html))
        #expect(parsed.root.children.count == 2)
        #expect(parsed.defects.isEmpty)
    }

    @Test func bodyHoldingTheBoundary() throws {
        var generator = SeededGenerator(state: 42)
        let boundary = MessageWriter.makeBoundary(using: &generator)
        let text = "--\(boundary)\nContent-Type: text/html\n\n<p>fake</p>\n--\(boundary)--\n"
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(text: text, html: text))
        #expect(parsed.root.contentType["boundary"] == boundary)
        #expect(parsed.root.children.count == 2)
        #expect(parsed.text == text)
        #expect(parsed.html.map(TextBody.normalizeLineEnds) == text)
    }
}
