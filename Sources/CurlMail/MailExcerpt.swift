import Foundation

/// A small mail that stands for one too large to download: the original header (its Message-ID,
/// sender and subject thread it as usual), its first text part as fetched, and a note of what stayed
/// on the server. Pure; the same input gives the same bytes, so a mail fetched again after a crash is
/// recognised by its hash.
///
/// ```
/// From: ...                                  <- the original header, without its Content-* fields
/// MIME-Version: 1.0
/// Content-Type: multipart/mixed; boundary="=_postdesk_excerpt_0"
///
/// --=_postdesk_excerpt_0
/// Content-Type: text/plain; charset=utf-8    <- the text part's own MIME header (`BODY[1.MIME]`)
///
/// Hello, see the attachment.                 <- its body (`BODY[1]<0.limit>`)
/// --=_postdesk_excerpt_0
/// Content-Type: text/plain; charset=utf-8
///
/// [Postdesk] This mail is 200.0 MB, over the limit of 25 MB ...
/// --=_postdesk_excerpt_0--
/// ```
struct MailExcerpt: Sendable {
    /// The original header block (`BODY[HEADER]`), perhaps cut short.
    var header: [UInt8]
    /// The MIME header of the text part (`BODY[n.MIME]`); nil: the Content-* fields of `header` (a
    /// message of one part).
    var textHeader: [UInt8]?
    /// The text part's body as fetched, or nil when no text part could be fetched.
    var text: [UInt8]?
    var note: String

    var bytes: [UInt8] {
        let fields = Self.fields(of: header)
        let isContent: ([UInt8]) -> Bool = { Self.name(of: $0).hasPrefix("content-") }
        var out: [UInt8] = []
        for field in fields where !isContent(field) && Self.name(of: field) != "mime-version" { out += field }
        let partHeader: [UInt8]
        if let textHeader {
            partHeader = Array(Self.fields(of: textHeader).joined())
        } else {
            partHeader = Array(fields.filter(isContent).joined())
        }
        let noteBytes = Array(note.utf8)
        let boundary = Self.boundary(avoiding: [text ?? [], partHeader, noteBytes])
        out += Array("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n".utf8)
        if let text {
            out += Array("--\(boundary)\r\n".utf8)
            out += partHeader.isEmpty ? Array("Content-Type: text/plain; charset=us-ascii\r\n".utf8) : partHeader
            out += Array("\r\n".utf8) + text
            if text.last != 0x0A { out += Array("\r\n".utf8) }
        }
        out += Array("--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8)
        out += noteBytes + Array("\r\n--\(boundary)--\r\n".utf8)
        return out
    }

    /// The header fields of a header block, each with its continuation lines and a CRLF at the end;
    /// the blank line that ends the block and anything after it are left out, and so is the unfinished
    /// last line of a block cut short by a partial fetch.
    static func fields(of block: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for index in block.indices where block[index] == 0x0A {
            var line = Array(block[start..<index])
            if line.last == 0x0D { line.removeLast() }
            start = index + 1
            if line.isEmpty { break }
            lines.append(line)
        }
        var fields: [[UInt8]] = []
        for line in lines {
            if let first = line.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                fields[fields.count - 1] += line + [0x0D, 0x0A]
            } else if line.contains(UInt8(ascii: ":")) {
                fields.append(line + [0x0D, 0x0A])
            }
        }
        return fields
    }

    /// A field's name, lower-cased (`content-type` of `Content-Type: text/plain`).
    static func name(of field: [UInt8]) -> String {
        let name = field.prefix { $0 != UInt8(ascii: ":") }
        return String(decoding: name, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// `=_postdesk_excerpt_N` for the first N whose delimiter occurs in none of `texts`.
    static func boundary(avoiding texts: [[UInt8]]) -> String {
        var number = 0
        while true {
            let candidate = "=_postdesk_excerpt_\(number)"
            let needle = Array(candidate.utf8)
            if !texts.contains(where: { $0.firstRange(of: needle) != nil }) { return candidate }
            number += 1
        }
    }
}
