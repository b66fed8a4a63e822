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

    func verdict(_ values: [String], from domain: String? = "example.org") throws -> AuthenticationResults.Verdict {
        AuthenticationResults.verdict(try headers(values), authservID: "mx.example.test", fromDomain: domain)
    }

    @Test("an aligned pass from our own server counts", arguments: [
        "mx.example.test; dkim=pass header.d=example.org",
        "mx.example.test; dkim=pass header.d=mail.example.org",
        "mx.example.test; dkim=pass header.i=@example.org",
        "mx.example.test; spf=pass smtp.mailfrom=a@example.org",
        "mx.example.test; spf=pass smtp.mailfrom=bounces.example.org",
        "MX.example.test; dkim=fail; dmarc=pass (p=reject) header.from=example.org",
        "mx.example.test 1; dkim/1=pass (good signature) header.d=\"example.org\"",
        "mx.example.test;\r\n  dmarc=pass header.from=example.org",
    ])
    func passes(_ value: String) throws {
        #expect(try verdict([value]).passed)
    }

    @Test("a pass for another domain is no pass (RFC 8601 section 7.1)", arguments: [
        "mx.example.test; dkim=pass header.d=attacker.example",
        "mx.example.test; spf=pass smtp.mailfrom=x@attacker.example",
        "mx.example.test; dmarc=pass header.from=attacker.example",
        "mx.example.test; dkim=pass header.d=org",
        "mx.example.test; dkim=pass header.d=notexample.org",
        "mx.example.test; dkim=pass (header.d=example.org) header.d=attacker.example",
        "mx.example.test; dkim=pass",
    ])
    func unaligned(_ value: String) throws {
        let result = try verdict([value])
        #expect(!result.passed)
        #expect(!result.failed)
    }

    @Test("failures, other servers' verdicts and no header do not pass", arguments: [
        ["mx.example.test; dkim=fail; spf=softfail; dmarc=none"],
        ["attacker.example; dkim=pass header.d=example.org"],
        ["mx.example.test.evil; dkim=pass header.d=example.org"],
        ["mx.example.test; none"],
        [],
    ])
    func fails(_ values: [String]) throws {
        #expect(!(try verdict(values).passed))
    }

    @Test("dmarc=fail from our server is a failure")
    func dmarcFail() throws {
        let result = try verdict(["mx.example.test; spf=pass smtp.mailfrom=x@attacker.example; dmarc=fail header.from=example.org"])
        #expect(result.failed)
        #expect(result.description.contains("dmarc=fail"))
    }

    @Test("only the topmost field of our server counts: a forged one below it is ignored")
    func topmost() throws {
        let forgedBelow = [
            "mx.example.test; dmarc=fail header.from=example.org",
            "mx.example.test; dmarc=pass header.from=example.org",
        ]
        #expect(try verdict(forgedBelow).failed)
        let otherServersFirst = [
            "relay.example.net; dkim=pass header.d=example.org",
            "mx.example.test; dkim=pass header.d=example.org",
        ]
        #expect(try verdict(otherServersFirst).passed)
    }

    @Test("a field hides nothing in comments or quoted semicolons")
    func comments() throws {
        #expect(!(try verdict(["mx.example.test; dkim=fail (dkim=pass header.d=example.org; spf=pass)"]).passed))
        #expect(!(try verdict(["mx.example.test; dkim=fail reason=\"x; dkim=pass header.d=example.org\""]).passed))
        #expect(!(try verdict(["mx.example.test; dkim=pass header.d=example.org"], from: nil).passed))
    }
}
