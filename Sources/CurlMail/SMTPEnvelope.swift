/// Checks of the SMTP envelope (RFC 5321 section 4.1.2) and of the message's line ends, made before any
/// byte goes to the server.
///
/// The envelope goes out as `MAIL FROM:<alice@example.org>` and `RCPT TO:<bob@example.test>`, so an
/// address must not be able to end the command early or add one: no control characters (CR, LF), no
/// spaces, no angle brackets. A well-formed address here may still be refused by the server (5xx).
enum SMTPEnvelope {
    /// Longest path RFC 5321 section 4.5.3.1.3 allows, without the angle brackets.
    static let maxAddressLength = 254
    static let maxLocalPartLength = 64

    /// Why the envelope cannot be sent, on one line with the address's control characters escaped;
    /// nil when it is fine. An empty sender is the null sender `<>` (bounces, auto-replies).
    static func problem(from sender: String, recipients: [String]) -> String? {
        if !sender.isEmpty, let problem = problem(address: sender) {
            return "malformed envelope sender \(escaped(sender)): \(problem)"
        }
        guard !recipients.isEmpty else { return "no envelope recipients" }
        for recipient in recipients {
            if let problem = problem(address: recipient) {
                return "malformed envelope recipient \(escaped(recipient)): \(problem)"
            }
        }
        return nil
    }

    /// What is wrong with one address, or nil.
    static func problem(address: String) -> String? {
        let bytes = Array(address.utf8)
        guard bytes.count <= maxAddressLength else { return "longer than \(maxAddressLength) bytes" }
        if bytes.contains(where: { $0 < 0x21 || $0 == 0x7F }) { return "contains spaces or control characters" }
        if bytes.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) {
            return "contains angle brackets"
        }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return "no @" }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty else { return "empty local part" }
        guard local.count <= maxLocalPartLength else { return "local part longer than \(maxLocalPartLength) bytes" }
        guard !domain.isEmpty else { return "empty domain" }
        if domain.first == UInt8(ascii: "[") {
            return domain.last == UInt8(ascii: "]") ? nil : "unclosed address literal"
        }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.contains(where: \.isEmpty) { return "empty label in the domain" }
        let allowed: (UInt8) -> Bool = { byte in
            byte >= 0x80 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }
        return domain.allSatisfy(allowed) ? nil : "invalid character in the domain"
    }

    /// `address` safe to show on one line: control characters and non-ASCII as `\u{..}`, at most 100
    /// characters.
    static func escaped(_ address: String) -> String {
        var text = ""
        for scalar in address.unicodeScalars.prefix(100) {
            text +=
                scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F
                ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
        }
        return "\"" + text + (address.unicodeScalars.count > 100 ? "...\"" : "\"")
    }

    /// The message with every bare LF made CR LF, as SMTP requires (libcurl sends the bytes as they are,
    /// and adds the dot-stuffing itself). The message comes back unchanged, without a copy, when it has
    /// no bare LF.
    static func withCRLF(_ message: [UInt8]) -> [UInt8] {
        var bare = 0
        for index in message.indices where message[index] == 0x0A && (index == 0 || message[index - 1] != 0x0D) {
            bare += 1
        }
        guard bare > 0 else { return message }
        var result: [UInt8] = []
        result.reserveCapacity(message.count + bare)
        for index in message.indices {
            if message[index] == 0x0A && (index == 0 || message[index - 1] != 0x0D) { result.append(0x0D) }
            result.append(message[index])
        }
        return result
    }
}
