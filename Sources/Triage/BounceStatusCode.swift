/// Enhanced mail system status codes (RFC 3463): read them where a report gives them, and infer
/// them from SMTP replies (RFC 5321 section 4.2) and the usual wording where it does not.
///
/// ```
/// 550 5.1.1 <nobody@example.org>... User unknown     gives 5.1.1
/// 552 Quota violation for nobody@example.org         gives 5.2.2
/// Sorry, no mailbox here by that name. (#5.1.1)      gives 5.1.1
/// ```
enum BounceStatusCode {
    /// The first enhanced status code `class.subject.detail` in the text, class 4 or 5 (and 2 when
    /// `successToo`) (RFC 3463 section 2): one digit, then one to three digits twice, not inside a
    /// longer number or a dotted version.
    static func enhanced(in text: String, successToo: Bool = false) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 4 < bytes.count {
            let byte = bytes[index]
            guard (successToo && byte == UInt8(ascii: "2")) || byte == UInt8(ascii: "4") || byte == UInt8(ascii: "5"),
                bytes[index + 1] == UInt8(ascii: "."),
                index == 0 || !(isDigit(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: "."))
            else {
                index += 1
                continue
            }
            var cursor = index + 2
            let subject = digits(bytes, from: &cursor)
            if (1...3).contains(subject), cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
                cursor += 1
                let detail = digits(bytes, from: &cursor)
                let followedBy = cursor < bytes.count ? bytes[cursor] : UInt8(ascii: " ")
                if (1...3).contains(detail), !isDigit(followedBy),
                    !(followedBy == UInt8(ascii: ".") && cursor + 1 < bytes.count && isDigit(bytes[cursor + 1]))
                {
                    return String(decoding: bytes[index..<cursor], as: UTF8.self)
                }
            }
            index += 1
        }
        return nil
    }

    /// The class digit (`4` or `5`) of the first SMTP reply code in the text: three digits, the
    /// first 4 or 5 and the second 0 to 5 (RFC 5321 section 4.2.1), standing alone.
    static func replyClass(in text: String) -> Character? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 2 < bytes.count {
            let first = bytes[index]
            if first == UInt8(ascii: "4") || first == UInt8(ascii: "5"),
                (UInt8(ascii: "0")...UInt8(ascii: "5")).contains(bytes[index + 1]), isDigit(bytes[index + 2]),
                index == 0 || !isWordByte(bytes[index - 1]),
                index + 3 >= bytes.count || !(isWordByte(bytes[index + 3]) || bytes[index + 3] == UInt8(ascii: "."))
            {
                return Character(Unicode.Scalar(first))
            }
            index += 1
        }
        return nil
    }

    /// The status the text gives or implies. `permanent` says which class to assume when the text
    /// holds no reply code: 5 for a failure, 4 for a delay.
    static func infer(from text: String, permanent: Bool) -> String {
        if let code = enhanced(in: text) { return code }
        let lower = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let replyClass = replyClass(in: text)
        let klass = replyClass ?? (permanent ? "5" : "4")
        for (detail, phrases) in details where lower.containsAny(phrases) {
            return "\(klass).\(detail)"
        }
        return "\(klass).0.0"
    }

    /// Wording to `subject.detail` (RFC 3463 section 3), most specific first.
    static let details: [(String, [String])] = [
        (
            "1.1",
            [
                "user unknown", "unknown user", "no such user", "no such mailbox", "mailbox not found",
                "user not found", "does not exist", "doesn't exist", "unknown recipient", "recipient not found",
                "not listed", "no mailbox here", "invalid mailbox", "invalid recipient", "addressee unknown",
                "name is not recognized", "recipient address rejected", "doesn't have a", "no longer valid",
                "user not known", "unknown address", "no such recipient", "bad destination mailbox",
                "mailbox unavailable", "illegal user", "invalid address", "address not found",
                "wrong or no longer valid", "couldn't be found", "could not be found", "unknown local",
                "mailbox is unavailable", "not a valid", "no such person", "invalid final delivery",
                "invalid receiver", "receiver not found",
            ]
        ),
        (
            "2.2",
            [
                "mailbox full", "mailbox is full", "quota", "disk space", "too much mail", "mailfolder is full",
                "insufficient storage", "space not enough", "storage limit", "mailbox size limit",
                "full mailbox", "over the allowed", "exceeded storage",
            ]
        ),
        ("2.1", ["disabled", "discontinued", "suspended", "deactivated", "inactive", "not accepting mail"]),
        (
            "3.4",
            [
                "message size", "too large", "too big", "maximum inbound message size", "size limit",
                "message length exceeds",
            ]
        ),
        ("4.6", ["too many hops", "mail loop", "looping", "loops back"]),
        ("1.2", ["domain not found", "unknown domain", "no such domain", "domain does not exist"]),
        (
            "4.4",
            [
                "host not found", "name service error", "unrouteable", "unroutable", "could not find a gateway",
                "no route to", "no mx", "nxdomain",
            ]
        ),
        (
            "4.7",
            [
                "queue too long", "expired", "not delivered within", "not reachable within",
                "maximum delivery attempts",
                "too long in the queue", "retry timeout",
            ]
        ),
        (
            "4.1",
            [
                "no answer from host", "connection refused", "connection timed out", "not responding",
                "did not respond", "unable to connect", "smtp connection", "connection to mail exchanger",
                "server unavailable", "timed out",
            ]
        ),
        ("7.1", ["spam", "blocked", "blacklist", "denied", "not permitted", "policy", "rejected by"]),
    ]

    private static func digits(_ bytes: [UInt8], from cursor: inout Int) -> Int {
        let start = cursor
        while cursor < bytes.count, isDigit(bytes[cursor]), cursor - start < 4 { cursor += 1 }
        return cursor - start
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || byte == UInt8(ascii: "_")
    }
}
