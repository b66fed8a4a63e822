/// The parts of a message as its `BODYSTRUCTURE` describes them (RFC 9051 section 7.5.2), read from
/// the server's answer to `UID FETCH n (BODYSTRUCTURE)` without downloading the message:
///
/// ```
/// * 5 FETCH (UID 5 BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 84 3 NIL NIL NIL NIL)
///   ("text" "html" ("charset" "utf-8") NIL NIL "7bit" 26 1 NIL NIL NIL NIL) "alternative" (...) NIL NIL NIL)
///   ("application" "pdf" NIL NIL NIL "base64" 4106 NIL ("attachment" ("filename" "a.pdf")) NIL NIL)
///   "mixed" ("boundary" "b1") NIL NIL NIL))
/// ```
/// Only the leaves are kept, each with its section number (`1.2`; `TEXT` for a message of one part).
/// A `message/rfc822` part is a leaf. Input that is not a body structure gives nil, never a crash:
/// nesting deeper than `maxDepth` or more than `maxParts` leaves make it nil too.
struct BodyStructure: Sendable, Equatable {
    struct Part: Sendable, Equatable {
        /// The section to fetch it by: `1`, `2.1`, or `TEXT` when the message is a single part.
        var section: String
        /// Lower-cased, e.g. `text` and `plain`.
        var type: String
        var subtype: String
        /// The size of the encoded part in bytes, as the server states it.
        var size: Int
        var filename: String?
        var isAttachment: Bool

        var mimeType: String { "\(type)/\(subtype)" }
    }

    var parts: [Part]
    var isMultipart: Bool

    static let maxDepth = 40
    static let maxParts = 2_000

    /// The part a ticket's text comes from: the first text/plain that is not an attachment, else the
    /// first such text/html.
    var textPart: Part? {
        let inline = parts.filter { $0.type == "text" && !$0.isAttachment && $0.filename == nil }
        return inline.first { $0.subtype == "plain" } ?? inline.first { $0.subtype == "html" }
    }

    /// The structure in a FETCH response's bytes, or nil when there is none that makes sense.
    static func parse(fetchResponse bytes: [UInt8]) -> BodyStructure? {
        let key = Array("BODYSTRUCTURE ".utf8)
        guard let range = bytes.firstRange(of: key) else { return nil }
        var reader = IMAPValueReader(bytes: bytes, position: range.upperBound, maxDepth: maxDepth + 2)
        guard case .list(let root) = reader.value() else { return nil }
        var parts: [Part] = []
        let multipart = isMultipart(root)
        guard collect(root, section: multipart ? "" : "TEXT", depth: 0, into: &parts) else { return nil }
        return BodyStructure(parts: parts, isMultipart: multipart)
    }

    private static func isMultipart(_ body: [IMAPValue]) -> Bool {
        if case .list = body.first { return true }
        return false
    }

    /// Adds the leaves of `body` under `section`; false when the structure is not a body structure.
    private static func collect(_ body: [IMAPValue], section: String, depth: Int, into parts: inout [Part]) -> Bool {
        guard depth <= maxDepth, parts.count < maxParts else { return false }
        if isMultipart(body) {
            var number = 0
            for element in body {
                guard case .list(let child) = element else { break }  // the subtype follows the children
                number += 1
                let childSection = section.isEmpty ? "\(number)" : "\(section).\(number)"
                guard collect(child, section: childSection, depth: depth + 1, into: &parts) else { return false }
            }
            return number > 0
        }
        guard body.count >= 7, let type = body[0].string, let subtype = body[1].string else { return false }
        let size = body[6].number ?? 0
        let lowerType = type.lowercased()
        let lowerSubtype = subtype.lowercased()
        // Extension data starts after the basic fields: text has a line count, message/rfc822 an
        // envelope, a body and a line count (RFC 9051 `body-type-text`, `body-type-msg`).
        let basic = lowerType == "text" ? 8 : (lowerType == "message" && lowerSubtype == "rfc822" ? 10 : 7)
        let disposition = body.count > basic + 1 ? body[basic + 1].list : nil
        let dispositionType = disposition?.first?.string?.lowercased()
        let filename =
            disposition.flatMap { $0.count > 1 ? Self.parameter("filename", in: $0[1]) : nil }
            ?? Self.parameter("name", in: body[2])
        parts.append(
            Part(
                section: section.isEmpty ? "1" : section, type: lowerType, subtype: lowerSubtype, size: max(size, 0),
                filename: filename, isAttachment: dispositionType == "attachment"))
        return true
    }

    /// A parameter of a `("name" "value" ...)` list, with its RFC 2231 form (`filename*`) decoded.
    private static func parameter(_ name: String, in value: IMAPValue) -> String? {
        guard let list = value.list else { return nil }
        var index = 0
        while index + 1 < list.count {
            if let key = list[index].string?.lowercased(), let text = list[index + 1].string {
                if key == name { return oneLine(text) }
                if key == name + "*" { return oneLine(rfc2231(text)) }
            }
            index += 2
        }
        return nil
    }

    /// `utf-8''report%20%C3%BC.pdf` as `report ü.pdf`.
    private static func rfc2231(_ text: String) -> String {
        let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        let encoded = parts.count == 3 ? parts[2] : Substring(text)
        var bytes: [UInt8] = []
        var iterator = Array(encoded.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A name fit for a note: no control characters, at most 200 characters.
    private static func oneLine(_ text: String) -> String { ServerText.oneLine(text, limit: 200) }
}
