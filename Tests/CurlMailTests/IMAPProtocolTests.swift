import Testing

@testable import CurlMail

@Suite("IMAP protocol pieces")
struct IMAPProtocolTests {
    @Test("SEARCH responses give sorted UIDs; unrelated untagged lines are skipped")
    func searchUIDs() {
        #expect(IMAPProtocol.searchUIDs(in: "* SEARCH 9 4 7\r\n") == [4, 7, 9])
        #expect(IMAPProtocol.searchUIDs(in: "* 3 EXPUNGE\r\n* SEARCH 12\r\n* 5 EXISTS\r\n") == [12])
        #expect(IMAPProtocol.searchUIDs(in: "* SEARCH\r\n").isEmpty)
        #expect(IMAPProtocol.searchUIDs(in: "").isEmpty)
    }

    @Test("numeric items are read from STATUS and from SELECT's OK line")
    func numbers() {
        let status = ["* STATUS \"INBOX\" (MESSAGES 2000 UIDVALIDITY 1795258070)"]
        #expect(IMAPProtocol.number("UIDVALIDITY", in: status) == 1_795_258_070)
        #expect(IMAPProtocol.number("MESSAGES", in: status) == 2000)
        #expect(IMAPProtocol.number("UIDVALIDITY", in: ["* OK [UIDVALIDITY 42] UIDs valid"]) == 42)
        #expect(IMAPProtocol.number("UIDVALIDITY", in: ["* OK nothing here"]) == nil)
    }

    @Test("capabilities are read from a CAPABILITY line or response code")
    func capabilities() {
        let caps = IMAPProtocol.capabilities(in: ["* CAPABILITY IMAP4rev1 SASL-IR move UIDPLUS"])
        #expect(caps.contains("MOVE"))
        #expect(caps.contains("UIDPLUS"))
        #expect(IMAPProtocol.capabilities(in: ["* OK [CAPABILITY IMAP4rev1 IDLE] ready"]) == ["IMAP4REV1", "IDLE"])
    }

    @Test("UID sets are compact ranges", arguments: [
        ([1, 2, 3, 5, 7, 8], "1:3,5,7:8"),
        ([9], "9"),
        ([3, 1, 2, 2], "1:3"),
        ([], ""),
    ])
    func uidSet(_ uids: [UInt32], _ expected: String) {
        #expect(IMAPProtocol.uidSet(uids) == expected)
    }

    @Test("mailbox names are quoted for custom requests and encoded for URLs")
    func mailboxNames() {
        #expect(IMAPProtocol.quoted("Processed") == "\"Processed\"")
        #expect(IMAPProtocol.quoted("a\"b\\c%d\r\n") == "\"a\\\"b\\\\c%25d\"")
        #expect(IMAPProtocol.urlPath("INBOX/Done 2024") == "INBOX/Done%202024")
        #expect(IMAPProtocol.urlPath("Entwürfe") == "Entw%C3%BCrfe")
    }
}
