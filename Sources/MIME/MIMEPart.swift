/// One entity of a MIME tree (RFC 2045 section 2.4, RFC 2046 section 5): its header fields and
/// either decoded body bytes, child parts (multipart), or an encapsulated message (message/rfc822).
public struct MIMEPart: Sendable {
    /// What an entity holds after transfer decoding.
    public indirect enum Body: Sendable {
        /// A leaf: the body with its Content-Transfer-Encoding removed.
        case data([UInt8])
        /// A multipart (RFC 2046 section 5.1): preamble and epilogue are kept for completeness.
        case multipart(preamble: [UInt8], parts: [MIMEPart], epilogue: [UInt8])
        /// message/rfc822 or message/global (RFC 2046 section 5.2.1): the parsed message and its bytes.
        case message(MIMEPart, bytes: [UInt8])
    }

    public var headers: HeaderFields
    /// Content-Type with a lowercased `type/subtype`; `text/plain` when absent or unusable.
    public var contentType: HeaderParameters
    /// Content-Disposition (RFC 2183), when present.
    public var disposition: HeaderParameters?
    /// The lowercased Content-Transfer-Encoding, `7bit` when absent.
    public var transferEncoding: String
    public var body: Body

    public init(
        headers: HeaderFields, contentType: HeaderParameters, disposition: HeaderParameters?,
        transferEncoding: String, body: Body
    ) {
        self.headers = headers
        self.contentType = contentType
        self.disposition = disposition
        self.transferEncoding = transferEncoding
        self.body = body
    }

    /// `type/subtype`, lowercased.
    public var mimeType: String { contentType.value }
    public var charset: String? { contentType["charset"] }
    public var isMultipart: Bool {
        if case .multipart = body { return true }
        return false
    }

    /// Child parts of a multipart, else empty.
    public var children: [MIMEPart] {
        if case .multipart(_, let parts, _) = body { return parts }
        return []
    }

    /// The encapsulated message of a message/rfc822 part.
    public var message: MIMEPart? {
        if case .message(let inner, _) = body { return inner }
        return nil
    }

    /// The decoded body bytes of a leaf, or the bytes of an encapsulated message; empty for a multipart.
    public var data: [UInt8] {
        switch body {
        case .data(let bytes): return bytes
        case .message(_, let bytes): return bytes
        case .multipart: return []
        }
    }

    /// The body decoded to text with the declared charset (undeclared: UTF-8 if valid, else windows-1252).
    public var text: String { Charset.decode(data, charset: charset) }

    /// The file name: Content-Disposition `filename`, else Content-Type `name` (RFC 2183 section 2.3).
    public var filename: String? {
        let name = disposition?["filename"] ?? contentType["name"]
        guard let name else { return nil }
        let trimmed = ByteScan.trimmed(name)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Content-ID (RFC 2045 section 7) without angle brackets.
    public var contentID: String? {
        guard let raw = headers.unfolded("content-id") else { return nil }
        return MessageIDs.parse(raw).first
    }

    /// The lowercased disposition type (`inline`, `attachment`), when given.
    public var dispositionType: String? {
        guard let value = disposition?.value, !value.isEmpty else { return nil }
        return value
    }

    /// This part and every part below it, depth first (encapsulated messages included).
    public var allParts: [MIMEPart] {
        var result: [MIMEPart] = []
        var stack: [MIMEPart] = [self]
        while let part = stack.popLast() {
            result.append(part)
            switch part.body {
            case .multipart(_, let parts, _): stack.append(contentsOf: parts.reversed())
            case .message(let inner, _): stack.append(inner)
            case .data: break
            }
        }
        return result
    }
}
