import Foundation

/// The few pieces of IMAP (RFC 9051 / RFC 3501) that Postdesk reads and writes itself; libcurl does the
/// rest. Pure functions, unit-tested without a server.
enum IMAPProtocol {
    /// UIDs from the `* SEARCH 4 7 9` lines of a response, ascending.
    ///
    /// libcurl passes every untagged line of a `UID ...` command to the body, so unrelated lines
    /// (`* 3 EXPUNGE`, `* 5 EXISTS`) are skipped.
    static func searchUIDs(in response: String) -> [UInt32] {
        var uids: [UInt32] = []
        for line in response.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0] == "*", words[1].uppercased() == "SEARCH" else { continue }
            uids += words.dropFirst(2).compactMap { UInt32($0) }
        }
        return uids.sorted()
    }

    /// `RFC822.SIZE` by UID from the `* 4 FETCH (UID 12 RFC822.SIZE 5108)` lines of a `UID FETCH set
    /// (RFC822.SIZE)` response. Items may come in any order; lines without both, or with numbers that do
    /// not fit, are skipped (other untagged lines come through too). A size is what the server claims:
    /// the fetch itself still caps what it keeps.
    static func messageSizes(in response: String) -> [UInt32: Int] {
        var sizes: [UInt32: Int] = [:]
        for line in response.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "*", words[2].uppercased() == "FETCH" else { continue }
            let items = words.dropFirst(3).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "()")).uppercased() }
            var uid: UInt32?
            var size: Int?
            for (index, item) in items.enumerated() where index + 1 < items.count {
                if item == "UID" { uid = UInt32(items[index + 1]) }
                if item == "RFC822.SIZE" { size = Int(items[index + 1]).flatMap { $0 >= 0 ? $0 : nil } }
            }
            if let uid, let size { sizes[uid] = size }
        }
        return sizes
    }

    /// A numeric item of a response, e.g. `UIDVALIDITY` in `* STATUS "INBOX" (MESSAGES 3 UIDVALIDITY 1795258070)`
    /// or in `* OK [UIDVALIDITY 1795258070] UIDs valid`.
    static func number(_ item: String, in lines: [String]) -> UInt32? {
        let key = item.uppercased() + " "
        for line in lines {
            let upper = line.uppercased()
            guard let range = upper.range(of: key) else { continue }
            let digits = upper[range.upperBound...].prefix(while: \.isNumber)
            if let value = UInt32(digits) { return value }
        }
        return nil
    }

    /// The capability names of a `* CAPABILITY IMAP4rev1 MOVE UIDPLUS ...` line, upper-cased.
    static func capabilities(in lines: [String]) -> Set<String> {
        var names = Set<String>()
        for line in lines {
            let upper = line.uppercased()
            guard let range = upper.range(of: "CAPABILITY ") else { continue }
            var rest = upper[range.upperBound...]
            if let end = rest.firstIndex(of: "]") { rest = rest[..<end] }
            names.formUnion(rest.split(separator: " ").map(String.init))
        }
        return names
    }

    /// A compact UID set (`1:5,7,9:12`) for sorted or unsorted UIDs.
    static func uidSet(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            let start = sorted[index]
            var end = start
            while index + 1 < sorted.count, sorted[index + 1] == end + 1 {
                index += 1
                end = sorted[index]
            }
            parts.append(start == end ? "\(start)" : "\(start):\(end)")
            index += 1
        }
        return parts.joined(separator: ",")
    }

    /// A mailbox name as an IMAP quoted string, ready for a libcurl custom request.
    ///
    /// libcurl URL-decodes custom requests, so `%` is written `%25`; CR, LF and NUL cannot appear in
    /// a quoted string and are dropped (configured names never contain them).
    static func quoted(_ mailbox: String) -> String {
        var out = "\""
        for scalar in mailbox.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "%": out += "%25"
            case "\r", "\n", "\0": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A mailbox name as a URL path segment (RFC 5092): percent-encoded, `/` kept as the hierarchy.
    static func urlPath(_ mailbox: String) -> String {
        var out = ""
        for byte in mailbox.utf8 {
            let char = Character(Unicode.Scalar(byte))
            if char.isASCII, char.isLetter || char.isNumber || "-._~/".contains(char) {
                out.append(char)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
