import MIME
import Testing

@testable import Triage

@Suite("Authentication-Results")
struct AuthenticationResultsTests {
    func headers(_ values: [String]) throws -> HeaderFields {
        let text = values.map { "Authentication-Results: \($0)" }.joined(separator: "\r\n")
            + "\r\nFrom: a@example.org\r\n\r\nbody\r\n"
        return try MIMEParser().parse(Array(text.utf8)).headers
    }

    @Test("a pass from our own server counts", arguments: [
        "mx.example.test; dkim=pass header.d=example.org",
        "mx.example.test; spf=pass smtp.mailfrom=a@example.org",
        "MX.example.test; dkim=fail; dmarc=pass (p=reject) header.from=example.org",
    ])
    func passes(_ value: String) throws {
        #expect(AuthenticationResults.passes(try headers([value]), authservID: "mx.example.test"))
    }

    @Test("failures, other servers' verdicts and no header do not", arguments: [
        ["mx.example.test; dkim=fail; spf=softfail; dmarc=none"],
        ["attacker.example; dkim=pass header.d=example.org"],
        ["mx.example.test.evil; dkim=pass"],
        [],
    ])
    func fails(_ values: [String]) throws {
        #expect(!AuthenticationResults.passes(try headers(values), authservID: "mx.example.test"))
    }
}
