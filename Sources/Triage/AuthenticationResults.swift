import MIME

/// Reads the receiving server's verdicts in `Authentication-Results` (RFC 8601), e.g.
///
///     Authentication-Results: mx.example.test; dkim=pass header.d=example.org; spf=pass
///         smtp.mailfrom=alice@example.org; dmarc=pass header.from=example.org
///
/// Only fields written by our own server count (its authserv-id, the first token): anyone can put
/// such a header into a mail, but our server puts its own on top of what it received.
public enum AuthenticationResults {
    /// Whether a field from `authservID` says `dkim`, `spf` or `dmarc` passed for the mail.
    public static func passes(_ headers: HeaderFields, authservID: String) -> Bool {
        let wanted = authservID.lowercased()
        for value in headers.all("authentication-results") {
            let parts = value.split(separator: ";").map { $0.trimmingWhitespace().lowercased() }
            guard let id = parts.first?.split(separator: " ").first, String(id) == wanted else { continue }
            for part in parts.dropFirst() {
                let method = part.split(separator: "=", maxSplits: 1)
                guard method.count == 2, ["dkim", "spf", "dmarc"].contains(String(method[0])) else { continue }
                let result = method[1].split(whereSeparator: { $0 == " " || $0 == "(" }).first ?? ""
                if result == "pass" { return true }
            }
        }
        return false
    }
}
