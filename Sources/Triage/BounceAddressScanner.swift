/// Finds mail addresses in free text, such as the lines of a bounce notification.
///
/// An address is the longest run of RFC 5322 `atext` characters and dots before an `@`, and of
/// letters, digits, `-` and `.` after it, with at least one dot in the domain. Quotes, brackets
/// and routing prefixes (`SMTP:`, `SMTP=`, `rfc822;`) around it are not part of it. The scan is
/// linear in the line length: each byte is visited at most twice.
enum BounceAddressScanner {
    /// An address found in a line, lower-cased, with the byte offsets it spans.
    struct Found: Sendable, Hashable {
        var address: String
        var start: Int
        var end: Int
    }

    static let maxLocalLength = 64
    static let maxDomainLength = 253

    /// Every address in the line, in order.
    static func addresses(in line: String) -> [Found] {
        let bytes = Array(line.utf8)
        var found: [Found] = []
        var index = 0
        var lowerBound = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            var start = index
            while start > lowerBound, isLocal(bytes[start - 1]), index - start <= maxLocalLength { start -= 1 }
            var end = index + 1
            while end < bytes.count, isDomain(bytes[end]), end - index <= maxDomainLength + 1 { end += 1 }
            if let address = accept(bytes, start: start, at: index, end: end) {
                found.append(address)
                lowerBound = address.end
            }
            index = max(end, index + 1)
        }
        return found
    }

    /// Trims the candidate to a plausible address, or rejects it.
    private static func accept(_ bytes: [UInt8], start: Int, at: Int, end: Int) -> Found? {
        var localStart = start
        var domainEnd = end
        while localStart < at, isLeadingJunk(bytes[localStart]) { localStart += 1 }
        while domainEnd > at + 1, bytes[domainEnd - 1] == UInt8(ascii: ".") || bytes[domainEnd - 1] == UInt8(ascii: "-")
        {
            domainEnd -= 1
        }
        var local = String(decoding: bytes[localStart..<at], as: UTF8.self).lowercased()
        for prefix in ["smtp=", "rfc822=", "mailto="] where local.hasPrefix(prefix) {
            local.removeFirst(prefix.count)
            localStart += prefix.count
        }
        let domain = String(decoding: bytes[(at + 1)..<domainEnd], as: UTF8.self).lowercased()
        guard !local.isEmpty, local.count <= maxLocalLength, !local.hasSuffix("."),
            domain.count >= 3, domain.count <= maxDomainLength, domain.contains("."),
            !domain.hasPrefix("."), !domain.hasPrefix("-"), !domain.contains("..")
        else { return nil }
        return Found(address: local + "@" + domain, start: localStart, end: domainEnd)
    }

    /// `atext` (RFC 5322 section 3.2.3) and `.`, without the quote characters and `/`, `|`, braces
    /// and backquote that in free text border an address rather than belong to it.
    static func isLocal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "="),
            UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func isDomain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private static func isLeadingJunk(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "*")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "#")
    }
}
