import Testing

@testable import MIME

@Suite("Files inside a forwarded message")
struct ForwardedFilesTests {
    @Test("a forward's own attachments are listed after the message/rfc822 part")
    func filesInsideForward() throws {
        let text = """
            From: ada@example.org\r
            To: support@example.test\r
            Subject: Fwd: invoice\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="outer"\r
            \r
            --outer\r
            Content-Type: text/plain\r
            \r
            See the forwarded mail.\r
            --outer\r
            Content-Type: message/rfc822; name="Forwarded.eml"\r
            \r
            From: shop@example.net\r
            Subject: Your invoice\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="inner"\r
            \r
            --inner\r
            Content-Type: text/plain\r
            \r
            Invoice attached.\r
            --inner\r
            Content-Type: application/pdf; name="invoice.pdf"\r
            Content-Disposition: attachment; filename="invoice.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            JVBERi0xLjQK\r
            --inner--\r
            --outer--\r

            """
        let mail = try MIMEParser().parse(Array(text.utf8))
        #expect(mail.attachments.map(\.contentType) == ["message/rfc822", "application/pdf"])
        #expect(mail.attachments.last?.filename == "invoice.pdf")
        #expect(mail.attachments.last?.size == 9)
        #expect(mail.text.contains("See the forwarded mail."))
        #expect(!mail.text.contains("Invoice attached."), "the forward's own text stays inside it")
    }
}
