import Foundation
import Testing

@testable import Triage

@Suite("Reply markers, forwards and robustness", .serialized)
struct ReplyExtractorRobustnessTests {
    static let markers: [String] = [
        ReplyExtractor.replyAboveMarker,
        "> \(ReplyExtractor.replyAboveMarker)",
        "##- Please type your reply above this line -##",
        "-- Bitte antworten Sie oberhalb dieser Zeile --",
        "-- Répondez au-dessus de cette ligne --",
        "-- Responda por encima de esta línea --",
    ]

    @Test(arguments: markers)
    func replyMarkerEndsTheReply(_ marker: String) {
        let text =
            "Thanks, that works.\n\nOn Mon, Mar 5, 2018 at 10:12 AM, Support <help@example.test> wrote:\n"
            + "\(marker)\n> Ticket TKT-7F3KQ9 was answered."
        let reply = ReplyExtractor.extract(text: text)
        #expect(reply.visibleText == "Thanks, that works.")
    }

    @Test func forwardWithCommentKeepsTheComment() {
        let text =
            "Please have a look.\n\n---------- Forwarded message ---------\nFrom: Ada <ada@example.org>\n"
            + "Date: Mon, Mar 5, 2018\nSubject: Invoice\n\nCould you send the invoice again?"
        #expect(ReplyExtractor.extract(text: text).visibleText == "Please have a look.")
    }

    @Test func bareForwardKeepsTheForwardedMessage() {
        let text =
            "---------- Forwarded message ---------\nFrom: Ada <ada@example.org>\nSubject: Invoice\n\n"
            + "Could you send the invoice again?"
        let reply = ReplyExtractor.extract(text: text)
        #expect(reply.visibleText == text)
        #expect(reply.signature == nil)
    }

    @Test func mailThatIsOnlyAQuoteIsKept() {
        let text = "On Mon, Mar 5, 2018 at 10:12 AM, Ada <ada@example.org> wrote:\n> Hello"
        #expect(ReplyExtractor.extract(text: text).visibleText == text)
    }

    @Test func emptyTextStaysEmpty() {
        #expect(ReplyExtractor.extract(text: "").visibleText == "")
        #expect(ReplyExtractor.extract(text: " \n\n").visibleText == "")
    }

    /// Patterns that make a careless parser slow, repeated to a body of a given size.
    static let pathological: [String: String] = [
        "quote lines": "> > quoted text\n",
        "lone quote marks": ">\n",
        "one long line": "a",
        "colons": ":",
        "header lines": "From: Ada <ada@example.org>\n",
        "empty fields": "Subject:\n",
        "lone fields": "To: x\n",
        "attribution starts": "On Monday 5 at 10:12 Ada\n",
        "colon lines": "On 5 Mar, Ada <a@b> something:\nx\n",
        "weak attributions": "Ada wrote:\nx\n",
        "rules": "________________\n",
        "dash rules": "----------\n",
        "dashed names": "-Ada\n",
        "footers": "Sent from my phone\n",
        "interleaved answers": "> q\nanswer\n",
        "marker starts": "reply above this ",
        "HTML tags": "<div class=\"x\">",
        "HTML quotes": "<blockquote type=\"cite\">a",
    ]

    /// The fastest of three runs on `pattern` repeated to `size` bytes.
    static func time(_ pattern: String, size: Int) -> Duration {
        let body = String(repeating: pattern, count: max(1, size / pattern.utf8.count))
        let html = pattern.hasPrefix("<") ? body : nil
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        for _ in 0..<3 {
            var reply = ExtractedReply(visibleText: "", signature: nil)
            best = min(best, clock.measure { reply = ReplyExtractor.extract(text: body, html: html) })
            #expect(!reply.visibleText.isEmpty)
        }
        return best
    }

    /// Four times the input takes about four times as long: no rule looks back or ahead unboundedly.
    @Test(arguments: pathological.keys.sorted())
    func pathologicalBodiesTakeLinearTime(_ name: String) throws {
        let pattern = try #require(Self.pathological[name])
        let small = Self.time(pattern, size: 32 << 10)
        let large = Self.time(pattern, size: 128 << 10)
        #expect(large < small * 10 + .milliseconds(20), "\(name): \(small) for 32 KB, \(large) for 128 KB")
    }

    #if !DEBUG
        /// In an optimized build, 1 MB of any of them takes under 100 ms.
        @Test(arguments: pathological.keys.sorted())
        func pathologicalMegabyteIsFast(_ name: String) throws {
            let pattern = try #require(Self.pathological[name])
            let elapsed = Self.time(pattern, size: 1 << 20)
            #expect(elapsed < .milliseconds(100), "\(name): \(elapsed) for 1 MB")
        }
    #endif

    @Test func malformedTextNeverTraps() {
        let bodies = [
            ">", "-", "--", ":", "\r", "\r\r\n", "\u{FEFF}", "\u{200B}>\n", "On\nwrote:", "From:", "-----", "<", "- -",
            String(repeating: "\n", count: 1000), "Ａ：", "> \r\n>\r\n", "---- wrote ----", "-\u{0301}Ada",
        ]
        for body in bodies {
            _ = ReplyExtractor.extract(text: body, html: body)
        }
    }
}
