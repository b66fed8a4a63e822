public import MailModel

/// Writes an `OutgoingMail` as a complete message (RFC 5322, MIME of RFC 2045-2047) with CRLF line
/// ends, ready for SMTP or an `.eml` file.
///
/// A text-only mail:
/// ```
/// Date: Tue, 07 Apr 2026 08:05:09 +0000
/// From: "Alice via Support" <support@example.test>
/// To: customer@example.test
/// Subject: Re: =?UTF-8?Q?Caf=C3=A9?= order [TKT-7F3KQ9]
/// Message-ID: <tkt-7f3kq9.2@example.test>
/// In-Reply-To: <cust-1@example.test>
/// References: <cust-1@example.test>
/// MIME-Version: 1.0
/// Auto-Submitted: auto-replied
/// Content-Type: text/plain; charset=utf-8
/// Content-Transfer-Encoding: quoted-printable
///
/// Bonjour, votre caf=C3=A9 arrive.
/// ```
/// With `html` the body is `multipart/alternative` (RFC 2046 section 5.1.4): the text part, then
/// the HTML part, both UTF-8 quoted-printable, between boundaries `--=_...`. A quoted-printable
/// body never holds `=_` (an `=` is always followed by a hex digit or a line break), so the
/// boundary cannot occur in a part. Each body ends with a line break.
///
/// No CR, LF or other control character from the mail's text reaches a header: unstructured text
/// and display names are sanitised and encoded; addresses, message ids and field names that are
/// not safe as they are make `render` throw. There is no I/O here.
public enum MessageWriter: Sendable {
    /// Renders the mail with a boundary from the system's random generator.
    public static func render(_ mail: OutgoingMail) throws(MessageWriterError) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return try render(mail, using: &generator)
    }

    /// Renders the mail, drawing the multipart boundary from `generator`.
    public static func render(
        _ mail: OutgoingMail, using generator: inout some RandomNumberGenerator
    ) throws(MessageWriterError) -> [UInt8] {
        var out = try headerBlock(mail)
        guard let html = mail.html else {
            let body = textBody(mail.text)
            out += Array("Content-Type: text/plain; charset=utf-8\r\n".utf8)
            out += Array("Content-Transfer-Encoding: \(body.encoding)\r\n\r\n".utf8)
            out += body.bytes
            return out
        }
        let boundary = Array(makeBoundary(using: &generator).utf8)
        out += Array("Content-Type: multipart/alternative;\r\n boundary=\"".utf8) + boundary + Array("\"\r\n\r\n".utf8)
        for (type, content) in [("text/plain", mail.text), ("text/html", html)] {
            out += Array("--".utf8) + boundary + [ByteScan.cr, ByteScan.lf]
            out += Array("Content-Type: \(type); charset=utf-8\r\n".utf8)
            out += Array("Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            out += terminated(QuotedPrintable.encode(content))
            // The CRLF before a boundary belongs to the boundary (RFC 2046 section 5.1.1).
            out += [ByteScan.cr, ByteScan.lf]
        }
        out += Array("--".utf8) + boundary + Array("--\r\n".utf8)
        return out
    }

    /// The text body: `7bit` when it is printable ASCII in short lines that no transport would
    /// touch, else quoted-printable.
    static func textBody(_ text: String) -> (encoding: String, bytes: [UInt8]) {
        let bytes = Array(text.utf8)
        if isSevenBitSafe(bytes) { return ("7bit", terminated(normalizedLineBreaks(bytes))) }
        return ("quoted-printable", terminated(QuotedPrintable.encode(bytes)))
    }

    /// True when every line is at most 76 characters of printable ASCII or tab, with no white space
    /// at its end and not starting with `.` or `From `.
    static func isSevenBitSafe(_ bytes: [UInt8]) -> Bool {
        var lineStart = 0
        var index = 0
        while index <= bytes.count {
            let atBreak = index == bytes.count || bytes[index] == ByteScan.cr || bytes[index] == ByteScan.lf
            if atBreak {
                if index - lineStart > QuotedPrintable.maxLineLength { return false }
                if index > lineStart {
                    let last = bytes[index - 1]
                    if last == ByteScan.space || last == ByteScan.tab { return false }
                    if QuotedPrintable.startsUnsafeLine(bytes, at: lineStart) { return false }
                }
                lineStart = index + 1
            } else {
                let byte = bytes[index]
                guard (byte >= 0x20 && byte < 0x7F) || byte == ByteScan.tab else { return false }
            }
            index += 1
        }
        return true
    }

    /// CRLF, lone CR and lone LF all become CRLF.
    static func normalizedLineBreaks(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 32)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ByteScan.cr || byte == ByteScan.lf {
                out += [ByteScan.cr, ByteScan.lf]
                index += byte == ByteScan.cr && index + 1 < bytes.count && bytes[index + 1] == ByteScan.lf ? 2 : 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// The bytes with a final CRLF added unless they are empty or end with one.
    static func terminated(_ bytes: [UInt8]) -> [UInt8] {
        guard let last = bytes.last, last != ByteScan.lf else { return bytes }
        return bytes + [ByteScan.cr, ByteScan.lf]
    }

    /// `=_` and 28 random letters and digits: valid in a quoted `boundary` parameter (RFC 2046
    /// section 5.1.1) and impossible in quoted-printable text.
    static func makeBoundary(using generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var bytes: [UInt8] = Array("=_".utf8)
        for _ in 0..<28 {
            bytes.append(alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
