import Testing

@testable import MIME

@Suite("Text, HTML and attachments")
struct BodySelectionTests {
    @Test func htmlOnlyAlternativeGivesTextFromHTML() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/html; charset=utf-8

            <p>Hello&nbsp;<b>there</b></p><p>second</p>
            --a--
            """)
        #expect(mail.text == "Hello there\n\nsecond")
        #expect(mail.html == "<p>Hello&nbsp;<b>there</b></p><p>second</p>")
    }

    @Test func mixedInlineTextPartsAreJoined() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            part one
            --m
            Content-Type: image/gif
            Content-Disposition: inline

            GIF
            --m
            Content-Type: text/plain

            part two
            --m--
            """)
        #expect(mail.text == "part one\npart two")
        #expect(mail.attachments.map(\.contentType) == ["image/gif"])
        #expect(mail.attachments.first?.isInline == true)
    }

    @Test func textWithDispositionOrFilenameIsAnAttachment() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            the body
            --m
            Content-Type: text/plain
            Content-Disposition: attachment

            attached text
            --m
            Content-Type: text/plain; name="notes.txt"

            named text
            --m
            Content-Type: text/html
            Content-Disposition: attachment; filename=page.html

            <p>page</p>
            --m--
            """)
        #expect(mail.text == "the body")
        #expect(mail.html == nil)
        #expect(mail.attachments.map(\.filename) == [nil, "notes.txt", "page.html"])
        #expect(mail.attachments.map(\.size) == [13, 10, 11])
    }

    @Test func relatedImageWithContentIDIsInline() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            plain version
            --a
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <img src="cid:logo@x">
            --r
            Content-Type: image/png
            Content-ID: <logo@x>
            Content-Transfer-Encoding: base64

            iVBORw0=
            --r--
            --a--
            """)
        #expect(mail.text == "plain version")
        #expect(mail.html == "<img src=\"cid:logo@x\">")
        let image = try #require(mail.attachments.first)
        #expect(image.isInline && image.contentID == "logo@x" && image.size == 5)
    }

    @Test func noTextAtAll() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: application/pdf; name=only.pdf

            %PDF
            """)
        #expect(mail.text == "")
        #expect(mail.html == nil)
        #expect(mail.attachments.map(\.filename) == ["only.pdf"])
    }

    @Test func bareBodies() {
        let parser = MIMEParser()
        #expect(parser.parseBody(Array("hi\r\nthere".utf8), contentType: "text/plain").text == "hi\nthere")
        #expect(parser.parseBody([0x63, 0x61, 0x66, 0xE9], contentType: "text/plain").text == "café")
        let html = parser.parseBody(Array("<div>a</div><div>b</div>".utf8), contentType: "text/html")
        #expect(html.text == "a\nb")
        #expect(html.html == "<div>a</div><div>b</div>")
    }

    @Test func formatFlowedIsUnwrapped() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: text/plain; format=flowed; delsp=yes

            one long line that was wrap 
            ped here
            > quoted and  
            > continued
            -- 
            sig
            """)
        #expect(mail.text == "one long line that was wrapped here\n> quoted and continued\n-- \nsig")
    }

    static let html: [(String, String)] = [
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("a<br>b<br/><br />c", "a\nb\n\nc"),
        ("<head><title>T</title></head><body>x</body>", "x"),
        ("<style>p{}</style><script>if (a < b) {}</script>text", "text"),
        ("<!-- comment -->a  \n  b", "a b"),
        ("&lt;tag&gt; &amp;amp; &#233; &#xE9; &eacute; &unknown; &#128;", "<tag> &amp; é é é &unknown; €"),
        ("<a href=\"https://x.test\">link text</a>", "link text"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<pre>  keep\n    spaces</pre>", "  keep\n    spaces"),
        ("a < b and c > d", "a < b and c > d"),
        ("<div>unclosed <b>tags", "unclosed tags"),
        ("<img alt=\"Logo\" src=x>", "Logo"),
        ("", ""),
    ]

    @Test(arguments: html)
    func htmlToText(_ input: String, _ expected: String) {
        #expect(HTMLText.plainText(fromHTML: input) == expected)
    }
}
