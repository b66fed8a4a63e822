public import MailModel

/// The header block (RFC 5322 section 3.6) and the checks on structured values.
///
/// ```
/// From: "Alice via Support" <support@example.test>
/// To: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.test>, bob@example.test
/// Message-ID: <reply-1@example.test>
/// References: <a@example.test>
///  <b@example.test>
/// ```
/// Display names and unstructured values are sanitised and encoded (RFC 2047); addresses, message
/// ids and extra field names are checked and refused with `MessageWriterError` when unsafe.
extension MessageWriter {
    /// Extra fields that would repeat or override one the writer sets; `Bcc` would show hidden
    /// recipients to everyone.
    static let reservedFieldNames: Set<String> = [
        "date", "from", "to", "cc", "bcc", "reply-to", "subject", "message-id", "in-reply-to", "references",
        "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
    ]

    /// A mailbox for a header: `"Name" <local@domain>`, encoded words and `<local@domain>` when the
    /// name is not plain ASCII, or the bare address when there is no name. One line, never folded.
    public static func formatAddress(_ address: EmailAddress) throws(MessageWriterError) -> String {
        var value = HeaderFolding.unfolded()
        try appendMailbox(address, field: "address", suffix: "", to: &value)
        return value.text
    }

    /// True for an address `render` accepts: `local@domain`, at most 254 characters, a dot-atom
    /// local part (RFC 5322 section 3.4.1: letters, digits and ``!#$%&'*+-/=?^_`{|}~.``), and a
    /// domain of ASCII labels or a domain literal such as `[192.0.2.1]`.
    public static func isValidAddress(_ address: String) -> Bool {
        addressProblem(address) == nil
    }

    /// True for a message id `render` accepts in `In-Reply-To` and `References`: 1 to 900 printable
    /// ASCII characters, none of them a space or ``<>,;"\()``. The mail's own id must also hold `@`.
    public static func isValidMessageID(_ id: String) -> Bool {
        messageIDProblem(id, requireAt: false) == nil
    }

    static func headerBlock(_ mail: OutgoingMail) throws(MessageWriterError) -> [UInt8] {
        var out: [UInt8] = Array("Date: \(formatDate(mail.date))\r\n".utf8)
        out += try addressField("From", [mail.from])
        if !mail.to.isEmpty { out += try addressField("To", mail.to) }
        if !mail.cc.isEmpty { out += try addressField("Cc", mail.cc) }
        if let replyTo = mail.replyTo { out += try addressField("Reply-To", [replyTo]) }
        out += unstructuredField("Subject", mail.subject)
        out += try idField("Message-ID", [mail.messageID], requireAt: true)
        if let inReplyTo = mail.inReplyTo { out += try idField("In-Reply-To", [inReplyTo], requireAt: false) }
        if !mail.references.isEmpty { out += try idField("References", mail.references, requireAt: false) }
        out += Array("MIME-Version: 1.0\r\n".utf8)
        for field in mail.fields {
            try checkFieldName(field.name)
            out += unstructuredField(field.name, field.value)
        }
        return out
    }

    static func addressField(_ name: String, _ addresses: [EmailAddress]) throws(MessageWriterError) -> [UInt8] {
        var field = HeaderFolding(name: name)
        for (index, address) in addresses.enumerated() {
            try appendMailbox(address, field: name, suffix: index == addresses.count - 1 ? "" : ",", to: &field)
        }
        return field.bytes
    }

    /// Appends one mailbox; `suffix` (a comma between list members) is glued to its last token.
    static func appendMailbox(
        _ address: EmailAddress, field: String, suffix: String, to value: inout HeaderFolding
    ) throws(MessageWriterError) {
        if let problem = addressProblem(address.address) {
            throw MessageWriterError(
                .invalidAddress, field: field,
                reason: "\(problem): \"\(MessageWriterError.printable(address.address, limit: 60))\"")
        }
        let name = EncodedWord.trimmed(EncodedWord.sanitized(address.name ?? ""))
        guard !name.isEmpty else {
            value.append(address.address + suffix)
            return
        }
        let angle = "<\(address.address)>\(suffix)"
        let plain = EncodedWord.string(name)
        if EncodedWord.isPlainASCII(plain) {
            let quoted = quotedString(plain)
            if quoted.utf8.count <= HeaderFolding.preferredLineLength - 2 {
                value.append(quoted)
                value.append(angle)
                return
            }
        }
        value.appendEncoded(name)
        value.append(angle)
    }

    /// An RFC 5322 quoted-string (section 3.2.4): `"` and `\` escaped with a backslash.
    static func quotedString(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// `Name: <id>`, or for several ids one per line.
    static func idField(_ name: String, _ ids: [String], requireAt: Bool) throws(MessageWriterError) -> [UInt8] {
        var field = HeaderFolding(name: name)
        for id in ids {
            if let problem = messageIDProblem(id, requireAt: requireAt) {
                throw MessageWriterError(
                    .invalidMessageID, field: name,
                    reason: "\(problem): \"\(MessageWriterError.printable(id, limit: 60))\"")
            }
            field.appendOnNewLine("<\(id)>")
        }
        return field.bytes
    }

    /// Unstructured text (RFC 5322 section 3.2.5): control characters become spaces, non-ASCII
    /// words are encoded (RFC 2047), the value is folded at its white space.
    static func unstructuredField(_ name: String, _ value: String) -> [UInt8] {
        var field = HeaderFolding(name: name)
        EncodedWord.appendUnstructured(value, to: &field)
        return field.bytes
    }

    static func checkFieldName(_ name: String) throws(MessageWriterError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= HeaderFolding.maxNameLength else {
            throw MessageWriterError(
                .invalidFieldName, field: name,
                reason: "a field name has 1 to \(HeaderFolding.maxNameLength) characters")
        }
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 && $0 != UInt8(ascii: ":") }) else {
            throw MessageWriterError(
                .invalidFieldName, field: name, reason: "a field name is printable ASCII without colon or space")
        }
        guard !reservedFieldNames.contains(ByteScan.asciiLowercased(name)) else {
            throw MessageWriterError(.reservedFieldName, field: name, reason: "set by the writer itself")
        }
    }

    /// Why an address is refused, or nil.
    static func addressProblem(_ address: String) -> String? {
        let bytes = Array(address.utf8)
        guard !bytes.isEmpty else { return "empty address" }
        guard bytes.count <= 254 else { return "longer than 254 characters" }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return "no @" }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64 else { return "the local part has 1 to 64 characters" }
        guard local.allSatisfy(isLocalPartByte) else { return "the local part holds a character that needs quoting" }
        guard !domain.isEmpty else { return "empty domain" }
        if domain.first == UInt8(ascii: "[") {
            let inner = domain.dropFirst().dropLast()
            guard domain.count > 2, domain.last == UInt8(ascii: "]"),
                inner.allSatisfy({ $0 >= 33 && $0 <= 126 && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") })
            else { return "bad domain literal" }
            return inner.contains(UInt8(ascii: "\\")) ? "bad domain literal" : nil
        }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "empty domain label" }
            guard label.allSatisfy(isDomainByte) else { return "the domain is not ASCII letters, digits and hyphens" }
        }
        return nil
    }

    private static let localPartSymbols: [UInt8] = Array("!#$%&'*+-/=?^_`{|}~.".utf8)

    /// `atext` (RFC 5322 section 3.2.3) or a dot.
    static func isLocalPartByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return localPartSymbols.contains(byte)
        }
    }

    static func isDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// Why a message id is refused, or nil.
    static func messageIDProblem(_ id: String, requireAt: Bool) -> String? {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty else { return "empty message id" }
        guard bytes.count <= HeaderFolding.maxTokenLength - 2 else { return "longer than 898 characters" }
        let forbidden = Array("<>,;\"\\()".utf8)
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 && !forbidden.contains($0) }) else {
            return "a message id is printable ASCII without space or <>,;\"\\()"
        }
        if requireAt {
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else {
                return "a message id has the form left@right"
            }
        }
        return nil
    }
}
