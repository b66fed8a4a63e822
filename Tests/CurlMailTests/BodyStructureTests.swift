import Testing

@testable import CurlMail

@Suite("BODYSTRUCTURE and mail excerpts")
struct BodyStructureTests {
    /// Dovecot's answer for a mail with text, HTML and a PDF (measured).
    static let dovecot = """
        * 5 FETCH (UID 5 RFC822.SIZE 5108 BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 84 3 NIL \
        NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "7bit" 26 1 NIL NIL NIL NIL) "alternative" ("boundary" \
        "===============8797841316327171216==") NIL NIL NIL)("application" "pdf" NIL NIL NIL "base64" 4106 NIL \
        ("attachment" ("filename*" "utf-8''report%20%22q%22%20%C3%BC.pdf")) NIL NIL) "mixed" ("boundary" \
        "===============5531452027723693639==") NIL NIL NIL))\r\n
        """

    @Test("a real multipart answer gives its leaves, sections, sizes and file names")
    func dovecotAnswer() throws {
        let structure = try #require(BodyStructure.parse(fetchResponse: Array(Self.dovecot.utf8)))
        #expect(structure.isMultipart)
        #expect(structure.parts.map(\.section) == ["1.1", "1.2", "2"])
        #expect(structure.parts.map(\.mimeType) == ["text/plain", "text/html", "application/pdf"])
        #expect(structure.parts[2].size == 4106)
        #expect(structure.parts[2].filename == "report \"q\" ü.pdf")
        #expect(structure.parts[2].isAttachment)
        #expect(structure.textPart?.section == "1.1")
    }

    @Test("structures of every common shape", arguments: [
        (#"* 1 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 4 1 NIL NIL NIL NIL))"#,
         ["TEXT"], "TEXT"),
        (#"* 1 FETCH (BODYSTRUCTURE ("text" "html" NIL NIL NIL "quoted-printable" 40 2))"#, ["TEXT"], "TEXT"),
        (#"* 1 FETCH (BODYSTRUCTURE (("image" "png" ("name" "a.png") NIL NIL "base64" 900 NIL NIL NIL NIL)("text" "html" NIL NIL NIL "7bit" 5 1) "mixed"))"#,
         ["1", "2"], "2"),
        (#"* 1 FETCH (BODYSTRUCTURE (("text" "plain" ("name" "notes.txt") NIL NIL "7bit" 5 1 NIL ("attachment" NIL) NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 300 (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" NIL NIL NIL "7bit" 3 1) 9 NIL ("attachment" ("filename" "fwd.eml")) NIL NIL) "mixed"))"#,
         ["1", "2"], nil),
        // A literal where a string may be.
        ("* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 4 1)(\"application\" \"zip\" (\"name\" {5}\r\nx\"y.z) NIL NIL \"base64\" 8 NIL) \"mixed\"))",
         ["1", "2"], "1"),
    ] as [(String, [String], String?)])
    func shapes(_ response: String, _ sections: [String], _ text: String?) throws {
        let structure = try #require(BodyStructure.parse(fetchResponse: Array(response.utf8)))
        #expect(structure.parts.map(\.section) == sections)
        #expect(structure.textPart?.section == text)
    }

    @Test("garbage gives nil, never a crash or a hang", arguments: [
        "", "* 1 FETCH (UID 1)", "* 1 FETCH (BODYSTRUCTURE NIL)", "* 1 FETCH (BODYSTRUCTURE (\"text\"",
        "* 1 FETCH (BODYSTRUCTURE ())", "* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\"))",
        "* 1 FETCH (BODYSTRUCTURE (\"unterminated", "* 1 FETCH (BODYSTRUCTURE ({999999}\r\nabc))",
        "* 1 FETCH (BODYSTRUCTURE ({5x}\r\nabc))", "* 1 FETCH (BODYSTRUCTURE ((\"a\" \"b\" NIL NIL NIL \"7bit\" 1) \"mixed\"",
        "* 1 FETCH (BODYSTRUCTURE )))))", "* 1 FETCH (BODYSTRUCTURE \u{0}\u{1}\u{2})",
    ])
    func garbage(_ response: String) {
        #expect(BodyStructure.parse(fetchResponse: Array(response.utf8)) == nil)
    }

    @Test("deep nesting and thousands of parts fail cleanly")
    func stress() {
        let leaf = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)"
        let deep = String(repeating: "(", count: 100_000) + leaf + String(repeating: " \"mixed\")", count: 100_000)
        #expect(BodyStructure.parse(fetchResponse: Array(("* 1 FETCH (BODYSTRUCTURE " + deep + ")").utf8)) == nil)
        let wide = "(" + String(repeating: leaf, count: 20_000) + " \"mixed\")"
        #expect(BodyStructure.parse(fetchResponse: Array(("* 1 FETCH (BODYSTRUCTURE " + wide + ")").utf8)) == nil)
        let fine = "(" + String(repeating: leaf, count: 1_000) + " \"mixed\")"
        #expect(BodyStructure.parse(fetchResponse: Array(("* 1 FETCH (BODYSTRUCTURE " + fine + ")").utf8))?.parts.count == 1_000)
    }

    @Test("an excerpt keeps the header but its Content fields, the text part with its own header, and the note")
    func excerpt() {
        let header = Array(
            "From: Big <big@example.org>\r\nSubject: Big one\r\nMessage-ID: <big1@example.org>\r\nMIME-Version: 1.0\r\n"
                .utf8)
            + Array("Content-Type: multipart/mixed;\r\n boundary=\"b1\"\r\n\r\n".utf8)
        let excerpt = MailExcerpt(
            header: header, textHeader: Array("Content-Type: text/plain; charset=\"utf-8\"\r\n\r\n".utf8),
            text: Array("Hello, see the attachment.\r\n".utf8), note: "[Postdesk] note")
        let text = String(decoding: excerpt.bytes, as: UTF8.self)
        #expect(text.hasPrefix("From: Big <big@example.org>\r\nSubject: Big one\r\nMessage-ID: <big1@example.org>\r\n"))
        #expect(!text.contains("boundary=\"b1\""), "the original Content-Type, continuation and all, is gone")
        #expect(text.contains("Content-Type: multipart/mixed; boundary=\"=_postdesk_excerpt_0\"\r\n\r\n--=_postdesk_excerpt_0\r\n"
            + "Content-Type: text/plain; charset=\"utf-8\"\r\n\r\nHello, see the attachment.\r\n--=_postdesk_excerpt_0\r\n"))
        #expect(text.hasSuffix("[Postdesk] note\r\n--=_postdesk_excerpt_0--\r\n"))
        #expect(excerpt.bytes == excerpt.bytes, "the same input gives the same bytes")
    }

    @Test("the boundary avoids the text; a header cut short loses only its unfinished line")
    func excerptEdges() {
        let excerpt = MailExcerpt(
            header: Array("Subject: x\r\nContent-Type: text/plain\r\nX-Cut: unfinis".utf8), textHeader: nil,
            text: Array("--=_postdesk_excerpt_0\r\n".utf8), note: "n")
        let text = String(decoding: excerpt.bytes, as: UTF8.self)
        #expect(text.contains("boundary=\"=_postdesk_excerpt_1\""))
        #expect(text.contains("--=_postdesk_excerpt_1\r\nContent-Type: text/plain\r\n\r\n--=_postdesk_excerpt_0"))
        #expect(!text.contains("X-Cut"))
        let note = MailExcerpt.note(
            size: 200 << 20, limit: 25 << 20, folder: "Processed", textCut: true, hasText: true, structureKnown: true,
            leftOut: [.init(section: "2", type: "application", subtype: "pdf", size: 150 << 20, filename: "a.pdf", isAttachment: true)])
        #expect(note.contains("200 MB, over the limit of 25 MB"))
        #expect(note.contains("\"a.pdf\" (application/pdf, 150 MB, part 2)"))
        #expect(note.contains("cut after 1 MB"))
    }
}
