/// Parses raw mail (RFC 5322 message format, RFC 2045-2049 MIME, RFC 2231 parameters) into a
/// `ParsedMail`: header fields, addresses, the MIME tree, the text and HTML bodies and attachments.
///
/// The parser works on bytes, is linear in the input size and tolerant: broken input is repaired
/// where a mail client would repair it, and each repair is noted in `ParsedMail.defects`. It throws
/// only when the input is not a mail at all. Limits in `Options` bound memory and time.
public struct MIMEParser: Sendable {
    /// Bounds on what one mail may hold. Exceeding a part or depth limit gives a truncated result
    /// (with a defect); exceeding `maxTotalBytes` is an error.
    public struct Options: Sendable, Hashable {
        /// Header block bytes kept per entity; fields past this are dropped.
        public var maxHeaderBytes: Int
        /// Body parts parsed in the whole tree; later parts are dropped.
        public var maxParts: Int
        /// Multipart and message/rfc822 nesting; deeper entities are kept as opaque data.
        public var maxDepth: Int
        /// The largest mail accepted.
        public var maxTotalBytes: Int

        public init(
            maxHeaderBytes: Int = 256 * 1024, maxParts: Int = 5_000, maxDepth: Int = 40,
            maxTotalBytes: Int = 100 * 1024 * 1024
        ) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxParts = maxParts
            self.maxDepth = maxDepth
            self.maxTotalBytes = maxTotalBytes
        }
    }

    public var options: Options

    public init(options: Options = .init()) {
        self.options = options
    }

    /// Parses a whole mail: header block, blank line, body.
    ///
    /// Throws `MIMEError` only when the input is empty, larger than `maxTotalBytes`, or has no
    /// header block at all (binary data or plain text).
    public func parse(_ bytes: [UInt8]) throws(MIMEError) -> ParsedMail {
        guard bytes.count <= options.maxTotalBytes else {
            throw MIMEError(.tooLarge, "mail of \(bytes.count) bytes exceeds the limit of \(options.maxTotalBytes)")
        }
        let result: Result<ParsedMail, MIMEError> = bytes.withUnsafeBufferPointer { buf in
            var state = EntityParser.State(options: options)
            let start = Self.headerStart(buf, state: &state)
            guard start < buf.count else { return .failure(MIMEError(.empty, "no content")) }
            guard Self.looksLikeHeader(buf, at: start) else {
                return .failure(MIMEError(.notAMail, "no header block: the first line is not a header field"))
            }
            let root = EntityParser.parse(
                buf, from: start, to: buf.count, depth: 0, defaultType: "text/plain",
                state: &state)
            return .success(ParsedMail(root: root, defects: state.defects))
        }
        return try result.get()
    }

    /// A bare body without header fields, of the given content type (`text/plain` or `text/html`);
    /// the charset is guessed: UTF-8 if valid, else windows-1252.
    public func parseBody(_ bytes: [UInt8], contentType: String) -> ParsedMail {
        let type = ByteScan.asciiLowercased(ByteScan.trimmed(contentType))
        let part = MIMEPart(
            headers: HeaderFields(), contentType: HeaderParameters(value: type.contains("/") ? type : "text/plain"),
            disposition: nil, transferEncoding: "8bit", body: .data(bytes))
        return ParsedMail(root: part, defects: [])
    }

    /// Skips an mbox `From ` line and blank lines before the header block.
    static func headerStart(_ buf: UnsafeBufferPointer<UInt8>, state: inout EntityParser.State) -> Int {
        var position = 0
        // A UTF-8 byte order mark.
        if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { position = 3 }
        while position < buf.count {
            let line = ByteScan.line(in: buf, from: position, to: buf.count)
            let isBlank = (position..<line.end).allSatisfy { ByteScan.isWhitespace(buf[$0]) }
            let isMboxFrom =
                line.end - position >= 5 && buf[position] == UInt8(ascii: "F")
                && Array(buf[position..<position + 5]) == Array("From ".utf8)
            if isBlank || isMboxFrom {
                state.defects.append(isBlank ? "blank line before the header block" : "mbox From line skipped")
                position = line.next
                continue
            }
            return position
        }
        return position
    }

    static func looksLikeHeader(_ buf: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let line = ByteScan.line(in: buf, from: start, to: buf.count)
        guard HeaderBlockParser.fieldNameEnd(buf, from: start, to: line.end) != nil else { return false }
        return !(start..<line.end).contains { buf[$0] == 0 }
    }
}
