import MailModel
import Testing

@testable import CurlMail

@Suite("IMAP server lines: refusals, literals, sizes")
struct IMAPResponseTests {
    static let selectAndRefuse = [
        "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] Dovecot (Debian) ready.",
        "A002 OK Logged in",
        "* 2 EXISTS",
        "A003 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
        "A004 NO [TRYCREATE] Mailbox doesn't exist: Processed (0.001 + 0.000 secs).",
        "* BYE Logging out",
    ]

    @Test("the last tagged NO or BAD is the server's reason; untagged and continuation lines never are")
    func lastRefusal() {
        #expect(
            IMAPResponse.lastRefusal(in: Self.selectAndRefuse)
                == "A004 NO [TRYCREATE] Mailbox doesn't exist: Processed (0.001 + 0.000 secs).")
        #expect(IMAPResponse.lastRefusal(in: ["A1 NO first", "A2 bad second"]) == "A2 bad second")
        #expect(IMAPResponse.lastRefusal(in: ["* NO [ALERT] untagged", "+ NO continuation", "A1 OK done"]) == nil)
        #expect(IMAPResponse.lastRefusal(in: ["A1 NOPE", "NO", "", " A1 NO leading space"]) == nil)
        #expect(IMAPResponse.lastRefusal(in: []) == nil)
    }

    @Test("TRYCREATE asks for the folder; other refusals do not")
    func tryCreate() {
        #expect(IMAPResponse.asksToCreate("A4 NO [TRYCREATE] Mailbox doesn't exist: X"))
        #expect(!IMAPResponse.asksToCreate("A4 NO [CANNOT] Invalid mailbox name: Begins with '~'"))
    }

    @Test("a FETCH literal tells an empty mail ({0}) from one expunged meanwhile (no FETCH line)")
    func literal() {
        let empty = ["A3 OK [READ-WRITE] Select completed", "* 3 FETCH (UID 3 FLAGS (\\Seen) BODY[] {0}", ")", "A4 OK Fetch"]
        #expect(IMAPResponse.fetchedLiteralSize(in: empty) == 0)
        #expect(IMAPResponse.fetchedLiteralSize(in: ["* 5 FETCH (UID 5 BODY[1.1]<0> {10}"]) == 10)
        #expect(IMAPResponse.fetchedLiteralSize(in: ["A3 OK Select", "A4 OK Fetch completed"]) == nil)
        // A server announcing an absurd literal: a number too long to be a size is no size.
        #expect(IMAPResponse.fetchedLiteralSize(in: ["* 1 FETCH (BODY[] {99999999999999999999999}"]) == nil)
        #expect(IMAPResponse.fetchedLiteralSize(in: ["* 1 FETCH (BODY[] {-5}", "* 1 FETCH (BODY[] {}"]) == nil)
        #expect(IMAPResponse.fetchedLiteralSize(in: ["* 1 EXISTS {4}"]) == nil)
    }

    @Test("RFC822.SIZE by UID, in any item order; garbage and foreign lines are skipped")
    func sizes() {
        let response = """
            * 1 FETCH (UID 10 RFC822.SIZE 5108)\r
            * 2 FETCH (RFC822.SIZE 0 UID 11)\r
            * 3 EXPUNGE\r
            * 4 FETCH (UID 12 FLAGS (\\Seen))\r
            * 5 FETCH (UID 13 RFC822.SIZE 99999999999999999999999)\r
            * 6 FETCH (UID 14 RFC822.SIZE -1)\r
            * 7 FETCH (UID x RFC822.SIZE 7)\r
            * 8 FETCH (UID 15 RFC822.SIZE 209715200)\r
            """
        #expect(IMAPProtocol.messageSizes(in: response) == [10: 5108, 11: 0, 15: 209_715_200])
        #expect(IMAPProtocol.messageSizes(in: "").isEmpty)
        #expect(IMAPProtocol.messageSizes(in: String(repeating: "(((( ", count: 10_000)).isEmpty)
    }

    @Test("the server's reply is part of the error's description, on one line and without the password")
    func errorDescription() {
        let refused = CurlError(code: 21, message: "Quote command returned error", serverReply: "A5 NO [CANNOT] Bad name")
        #expect(refused.description == "curl error 21: Quote command returned error; server said: A5 NO [CANNOT] Bad name")
        #expect(CurlError(code: 7, message: "Couldn't connect").description == "curl error 7: Couldn't connect")
        let user = "support@example.test"
        let password = "s3cret-Pass"
        let echoes = [
            "A1 BAD Error in IMAP command LOGIN: support@example.test s3cret-Pass",
            "A1 NO AUTHENTICATE \(Base64Encoding.standard.encode(Array("\0\(user)\0\(password)".utf8)))",
            "A1 NO \(Base64Encoding.standard.encode(Array(password.utf8)))",
        ]
        for echo in echoes {
            let line = CurlError.serverLine(echo, user: user, password: password)
            #expect(!line.contains(password) && line.contains("[redacted]"), "\(line)")
            #expect(!line.contains(Base64Encoding.standard.encode(Array(password.utf8))))
        }
        let hostile = CurlError.serverLine("A1 NO bad\r\nInjected: header\u{7}" + String(repeating: "x", count: 5_000), user: user, password: password)
        #expect(!hostile.contains("\r") && !hostile.contains("\n") && hostile.count <= 303)
    }
}
