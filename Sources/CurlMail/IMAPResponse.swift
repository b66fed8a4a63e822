/// Reading the server's own lines of an IMAP transfer (RFC 9051 section 7.1): the tagged status
/// that ended a command, and the literal a `FETCH` announced. libcurl hands every server line except
/// message data to the header callback (`CurlSession.Response.headerLines`):
///
/// ```
/// * 3 FETCH (UID 3 FLAGS (\Seen) BODY[] {0}
/// )
/// A004 OK Fetch completed (0.001 + 0.000 secs).
/// A005 NO [TRYCREATE] Mailbox doesn't exist: Processed (0.001 + 0.000 secs).
/// ```
/// Only server lines are read here, never what the client sent (the login), so nothing secret is in them.
enum IMAPResponse {
    /// The last tagged `NO` or `BAD` line, e.g. `A005 NO [TRYCREATE] Mailbox doesn't exist: Processed`.
    /// Untagged (`*`) and continuation (`+`) lines never count.
    static func lastRefusal(in lines: [String]) -> String? {
        lines.last { line in
            let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard words.count >= 2, isTag(words[0]) else { return false }
            let status = words[1].uppercased()
            return status == "NO" || status == "BAD"
        }
    }

    /// Whether the refusal asks the client to create the target mailbox first (`[TRYCREATE]`).
    static func asksToCreate(_ refusal: String) -> Bool {
        refusal.uppercased().contains("[TRYCREATE]")
    }

    /// The size of the literal the first `* n FETCH (...)` line announced (`BODY[] {667}`), or nil when
    /// no fetch response came (the message was expunged meanwhile). `{0}` is an empty message.
    static func fetchedLiteralSize(in lines: [String]) -> Int? {
        for line in lines {
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count >= 3, words[0] == "*", words[2].uppercased() == "FETCH" else { continue }
            guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { continue }
            var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
            if digits.hasSuffix("+") { digits = digits.dropLast() }  // LITERAL+ form, never sent by servers
            guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int(digits)
            else {
                continue
            }
            return size
        }
        return nil
    }

    /// A tag is one or more ASCII characters other than `*`, `+`, space, parentheses, braces, quote and
    /// controls (RFC 9051 `tag`, which excludes `+` and list wildcards too).
    private static func isTag(_ word: Substring) -> Bool {
        guard !word.isEmpty, word != "*", word != "+" else { return false }
        return word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F && !"(){%*\"\\+]".unicodeScalars.contains(scalar)
        }
    }
}
