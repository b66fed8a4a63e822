import Foundation
import MIME

/// Reads our receiving server's verdict in `Authentication-Results` (RFC 8601), e.g.
///
///     Authentication-Results: mx.example.test; dkim=pass header.d=example.org; spf=pass
///         smtp.mailfrom=alice@example.org; dmarc=pass header.from=example.org
///
/// Anyone can put such a field into a mail; our server adds its own on top of what it received
/// (RFC 8601 section 5). So only the topmost field whose authserv-id is ours counts, and a pass
/// counts only for the From domain (RFC 8601 section 7.1; alignment as in RFC 7489 section 3.1):
/// `dmarc=pass`, or `dkim=pass` with `header.d` aligned to the From domain, or `spf=pass` with the
/// `smtp.mailfrom` domain aligned. Alignment here is relaxed without a public-suffix list: the two
/// domains are the same or one is a subdomain of the other, which is stricter than DMARC's
/// organisational domains, never looser.
public enum AuthenticationResults {
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        /// A pass aligned with the From domain, by this method (`dmarc`, `dkim` or `spf`).
        case pass(String)
        /// Our server found the From domain failing: `dmarc=fail`.
        case fail(String)
        /// Nothing aligned passed and no failure was found (no field of ours, or no policy).
        case none(String)

        public var passed: Bool { if case .pass = self { true } else { false } }
        public var failed: Bool { if case .fail = self { true } else { false } }

        public var description: String {
            switch self {
            case .pass(let method): "\(method)=pass"
            case .fail(let why), .none(let why): why
            }
        }
    }

    /// Our server's verdict on a mail from `fromDomain`.
    public static func verdict(_ headers: HeaderFields, authservID: String, fromDomain: String?) -> Verdict {
        let wanted = authservID.lowercased()
        guard let field = headers.all("authentication-results").lazy.compactMap(Field.init).first(where: {
            $0.authservID == wanted
        }) else { return .none("no Authentication-Results from \(wanted)") }
        guard let from = fromDomain?.lowercased(), !from.isEmpty else { return .none("no From domain") }
        var dmarcFailed = false
        for result in field.results {
            switch (result.method, result.result) {
            case ("dmarc", "pass"):
                if result.domain(["header.from"]).map({ aligned($0, from) }) ?? true { return .pass("dmarc") }
            case ("dkim", "pass"):
                if let d = result.domain(["header.d", "header.i"]), aligned(d, from) { return .pass("dkim") }
            case ("spf", "pass"):
                if let d = result.domain(["smtp.mailfrom"]), aligned(d, from) { return .pass("spf") }
            case ("dmarc", "fail"):
                dmarcFailed = true
            default:
                continue
            }
        }
        if dmarcFailed { return .fail("dmarc=fail for \(from) from \(wanted)") }
        return .none("no pass aligned with \(from) from \(wanted)")
    }

    /// Same domain, or one a subdomain of the other (with at least one dot in the shorter).
    static func aligned(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        return short.contains(".") && long.hasSuffix("." + short)
    }

    /// One `Authentication-Results` field: whose it is and its results.
    struct Field {
        var authservID: String
        var results: [Result]

        init?(_ value: String) {
            let parts = Self.split(Self.removingComments(value))
            guard let id = parts.first?.split(separator: " ").first, !id.isEmpty else { return nil }
            authservID = id.lowercased()
            results = parts.dropFirst().compactMap(Result.init)
        }

        /// Comments `( … )`, which may nest, are dropped; quoted strings are kept as they are.
        static func removingComments(_ value: String) -> String {
            var out = ""
            var depth = 0
            var quoted = false
            var escaped = false
            for character in value {
                if escaped {
                    escaped = false
                    if depth == 0 { out.append(character) }
                    continue
                }
                switch character {
                case "\\": escaped = true; if depth == 0 { out.append(character) }
                case "\"" where depth == 0: quoted.toggle(); out.append(character)
                case "(" where !quoted: depth += 1
                case ")" where !quoted && depth > 0: depth -= 1; out.append(" ")
                default: if depth == 0 { out.append(character) }
                }
            }
            return out
        }

        /// The `;`-separated parts, outside quoted strings, trimmed.
        static func split(_ value: String) -> [Substring] {
            var parts: [Substring] = []
            var start = value.startIndex
            var quoted = false
            for index in value.indices {
                if value[index] == "\"" { quoted.toggle() }
                if value[index] == ";", !quoted {
                    parts.append(value[start..<index].trimmingWhitespace())
                    start = value.index(after: index)
                }
            }
            parts.append(value[start...].trimmingWhitespace())
            return parts.filter { !$0.isEmpty }
        }
    }

    /// `method=result` and its `ptype.property=value` pairs, e.g. `dkim=pass header.d=example.org`.
    struct Result {
        var method: String
        var result: String
        var properties: [String: String]

        init?(_ text: Substring) {
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            guard let first = words.first, let equals = first.firstIndex(of: "=") else { return nil }
            // `dkim/1=pass`: a method version is allowed and ignored.
            method = first[..<equals].split(separator: "/").first.map { $0.lowercased() } ?? ""
            result = first[first.index(after: equals)...].lowercased()
            var properties: [String: String] = [:]
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: "=") else { continue }
                let value = word[word.index(after: equals)...].trimmingCharacters(in: ["\""])
                properties[word[..<equals].lowercased()] = value
            }
            self.properties = properties
        }

        /// The domain of the first of `keys` present: an address's domain, or the value itself.
        func domain(_ keys: [String]) -> String? {
            guard let value = keys.lazy.compactMap({ properties[$0] }).first else { return nil }
            let domain = value.split(separator: "@", omittingEmptySubsequences: false).last ?? Substring(value)
            return domain.isEmpty ? nil : domain.lowercased()
        }
    }
}
