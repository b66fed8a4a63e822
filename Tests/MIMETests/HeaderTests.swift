import Foundation
import MailModel
import Testing

@testable import MIME

@Suite("RFC 5322 and RFC 2047 header fields")
struct HeaderTests {
    @Test func unfoldingAndCaseInsensitiveLookup() throws {
        let mail = try Fixture.parse(
            """
            Subject: a long
             subject\tfolded
            X-Twice: one
            x-twice: two
            Received: from a
            Received: from b

            body
            """, crlf: true)
        #expect(mail.headers["SUBJECT"] == "a long subject\tfolded")
        #expect(mail.headers.raw("subject") == " a long\r\n subject\tfolded")
        #expect(mail.headers.all("x-twice") == ["one", "two"])
        #expect(mail.headers.all("received") == ["from a", "from b"])
        #expect(mail.headers.map(\.name) == ["Subject", "X-Twice", "x-twice", "Received", "Received"])
        #expect(mail.text == "body")
    }

    static let encodedWords: [(String, String)] = [
        ("=?utf-8?B?w4lsw6h2ZQ==?=", "Élève"),
        ("=?utf-8?Q?caf=C3=A9_cr=C3=A8me?=", "café crème"),
        ("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab"),
        ("=?ISO-8859-1?Q?a?=\t  =?ISO-8859-1?Q?_b?=", "a b"),
        ("x =?utf-8?q?y?= z", "x y z"),
        // A multi-byte character split across two words.
        ("=?utf-8?B?w6k=?= =?utf-8?B?w6k=?=", "éé"),
        ("=?UTF-8?B?4pyT?==?UTF-8?B?4pyT?=", "✓✓"),
        // Broken forms.
        ("\"=?utf-8?Q?Ada_L=C3=B6we?=\"", "\"Ada Löwe\""),
        ("=?utf-8?Q?missing_end", "missing end"),
        ("=?utf-8?Q?spaces inside?=", "spaces inside"),
        ("=?utf8?Q?caf=C3=A9?=", "café"),
        ("=?x-unknown?Q?caf=C3=A9?=", "café"),
        ("=?utf-8*en?Q?hi?=", "hi"),
        ("=?Windows-1252?B?Rm9ybWHn428=?=", "Formação"),
        ("=?iso-8859-1?q?=80?=", "€"),
        ("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", "テスト"),
        ("not =? a word", "not =? a word"),
        ("=?utf-8?X?bad?=", "=?utf-8?X?bad?="),
    ]

    @Test(arguments: encodedWords)
    func encodedWord(_ input: String, _ expected: String) {
        #expect(EncodedWord.decode(input) == expected)
    }

    @Test func unencoded8BitHeaders() throws {
        let utf8 = try MIMEParser().parse(Array("Subject: Grüße\n\nx".utf8))
        #expect(utf8.subject == "Grüße")
        let latin1: [UInt8] = Array("Subject: Gr".utf8) + [0xFC, 0xDF, 0x65] + Array("\n\nx".utf8)
        #expect(try MIMEParser().parse(latin1).subject == "Grüße")
    }

    static let addressLists: [(String, [EmailAddress])] = [
        ("Ada Lovelace <ada@example.org>", [EmailAddress(name: "Ada Lovelace", address: "ada@example.org")]),
        (
            "\"Lovelace, Ada\" <ada@example.org>, bob@example.org",
            [EmailAddress(name: "Lovelace, Ada", address: "ada@example.org"), EmailAddress(address: "bob@example.org")]
        ),
        ("bob@example.org (Bob Example)", [EmailAddress(name: "Bob Example", address: "bob@example.org")]),
        (
            "Team: ada@example.org, <bob@example.org>;, carol@example.org",
            [
                EmailAddress(address: "ada@example.org"), EmailAddress(address: "bob@example.org"),
                EmailAddress(address: "carol@example.org"),
            ]
        ),
        ("Undisclosed recipients:;", []),
        (
            "Mary Smith <@machine.tld:mary@example.net>, , jdoe@test  . example",
            [EmailAddress(name: "Mary Smith", address: "mary@example.net"), EmailAddress(address: "jdoe@test.example")]
        ),
        ("Ada Lovelace ada@example.org", [EmailAddress(name: "Ada Lovelace", address: "ada@example.org")]),
        ("=?utf-8?Q?J=C3=B6rg?= <joerg@example.org>", [EmailAddress(name: "Jörg", address: "joerg@example.org")]),
        ("\"=?utf-8?Q?J=C3=B6rg?=\" <joerg@example.org>", [EmailAddress(name: "Jörg", address: "joerg@example.org")]),
        (
            "\"smith@example.org\" <smith@example.org>",
            [EmailAddress(name: "smith@example.org", address: "smith@example.org")]
        ),
        (
            "Joe Q. Public <john.q.public@example.com>",
            [EmailAddress(name: "Joe Q. Public", address: "john.q.public@example.com")]
        ),
        (
            "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
            [EmailAddress(name: "Giant; \"Big\" Box", address: "sysservices@example.net")]
        ),
        ("Whomever", []),
        ("<MAILER-DAEMON>", [EmailAddress(address: "MAILER-DAEMON")]),
        (", user@example.org", [EmailAddress(address: "user@example.org")]),
    ]

    @Test(arguments: addressLists)
    func addressList(_ input: String, _ expected: [EmailAddress]) {
        #expect(AddressParser.parse(input) == expected)
    }

    static let idLists: [(String, [String])] = [
        ("<1234@local.machine.example>", ["1234@local.machine.example"]),
        ("<a@x> (comment) <b@y>\r\n <c@z>", ["a@x", "b@y", "c@z"]),
        ("<broken.   \r\n  id@x>", ["broken.id@x"]),
        ("a@x b@y", ["a@x", "b@y"]),
        ("\"Ada's <mail>\" <a@x>", ["a@x"]),
        ("", []),
    ]

    @Test(arguments: idLists)
    func messageIDList(_ input: String, _ expected: [String]) {
        #expect(MessageIDs.parse(input) == expected)
    }

    static let dates: [(String, String?)] = [
        ("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T09:55:06-06:00"),
        ("Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-13T23:32:54-03:30"),
        ("21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06Z"),
        ("Mon, 1 Jan 24 10:00 EST", "2024-01-01T10:00:00-05:00"),
        ("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", "2003-07-01T10:52:37+02:00"),
        ("Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05Z"),
        ("2006-01-02T15:04:05+01:00", "2006-01-02T15:04:05+01:00"),
        ("Tuesday, 7 April 2026 10:00:00 +02:00", "2026-04-07T10:00:00+02:00"),
        ("Wed, 17 May 2000 19:58:13 -0400 (EDT)", "2000-05-17T19:58:13-04:00"),
        ("1 Jan 2024 12:00:00 UT", "2024-01-01T12:00:00Z"),
        ("Sat, 29 Feb 2020 23:59:60 +0000", "2020-02-29T23:59:59Z"),
        ("not a date", nil),
        ("Mon, 32 Jan 2024 10:00:00 +0000", nil),
    ]

    @Test(arguments: dates)
    func date(_ input: String, _ expected: String?) {
        #expect(DateParser.parse(input)?.iso8601 == expected)
    }
}
