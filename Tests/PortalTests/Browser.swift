import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One answer of the portal.
struct Page: Sendable, CustomTestStringConvertible {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let bytes: [UInt8]

    var text: String { String(decoding: bytes, as: UTF8.self) }

    var testDescription: String {
        let main = text.components(separatedBy: "<main").dropFirst().first.map { "<main" + $0 } ?? text
        return "\(status.code) \(location.map { "→ \($0) " } ?? "")\(main.prefix(1_500))"
    }
    var location: String? { header("Location") }
    var setCookies: [String] { headers[values: .setCookie] }
    var isHTML: Bool { header("Content-Type")?.hasPrefix("text/html") ?? false }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// The `Set-Cookie` line for `name`, if this answer sets it.
    func setCookie(_ name: String) -> String? {
        setCookies.first { $0.hasPrefix(name + "=") }
    }

    func contains(_ text: String) -> Bool { self.text.contains(text) }

    func count(_ text: String) -> Int { self.text.components(separatedBy: text).count - 1 }

    /// The value of the first hidden (or other) input named `name`.
    func inputValue(_ name: String) -> String? {
        let marker = "name=\"\(name)\""
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...]
        guard let value = rest.range(of: "value=\""), let end = rest[value.upperBound...].firstIndex(of: "\"") else {
            return nil
        }
        return String(rest[value.upperBound..<end])
    }

    var csrf: String? { inputValue("csrf") }

    /// The text of the element whose `id` is given, up to its closing tag (for errors next to fields).
    func element(id: String) -> String? {
        guard let start = text.range(of: "id=\"\(id)\"") else { return nil }
        let rest = text[start.upperBound...]
        guard let open = rest.firstIndex(of: ">"), let close = rest.range(of: "</") else { return nil }
        return String(rest[rest.index(after: open)..<close.lowerBound])
    }

    /// Each `<form ...>...</form>` of the page.
    var forms: [String] {
        text.components(separatedBy: "<form").dropFirst().map { $0.components(separatedBy: "</form>").first ?? $0 }
    }

    /// The POST form that sends to `action`, if the page has one.
    func postForm(to action: String) -> String? {
        forms.first { $0.contains("method=\"post\"") && $0.contains("action=\"\(action)\"") }
    }

    /// What is wrong with the headers every answer must have, and with the forms of a page.
    var securityProblems: [String] {
        var problems: [String] = []
        let policy = header("Content-Security-Policy") ?? ""
        if !policy.contains("default-src 'none'") { problems.append("CSP without default-src 'none': \(policy)") }
        if policy.contains("unsafe-inline") || policy.contains("unsafe-eval") { problems.append("CSP allows inline: \(policy)") }
        if policy.contains("script-src") && !policy.contains("script-src 'none'") { problems.append("CSP allows scripts") }
        if !policy.contains("frame-ancestors 'none'") { problems.append("CSP allows framing") }
        if header("Referrer-Policy") != "no-referrer" { problems.append("Referrer-Policy missing") }
        if header("X-Content-Type-Options") != "nosniff" { problems.append("X-Content-Type-Options missing") }
        if header("X-Frame-Options") != "DENY" { problems.append("X-Frame-Options missing") }
        if let location {
            if !location.hasPrefix("/portal") || location.hasPrefix("//") || location.lowercased().hasPrefix("http") {
                problems.append("Location leaves the portal: \(location)")
            }
        }
        if isHTML {
            if header("Cache-Control") != "no-store" { problems.append("HTML page cacheable: \(header("Cache-Control") ?? "-")") }
            for form in forms where form.contains("method=\"post\"") {
                let token = Page(status: status, headers: [:], bytes: Array(form.utf8)).csrf ?? ""
                if token.isEmpty { problems.append("POST form without a CSRF token: <form\(form.prefix(80))") }
            }
            if text.contains("<script") { problems.append("a <script> tag on the page") }
        }
        return problems
    }
}

/// A browser on the router: carries cookies from one request to the next, keeps the last CSRF token a
/// page showed, and checks every answer's security headers, forms and `Location`.
final class Browser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String]
    /// The CSRF token of the last page that had one.
    private(set) var csrf: String?
    /// Sent with every request, e.g. what a proxy adds.
    var extraHeaders: HTTPFields = [:]

    init(_ client: any TestClientProtocol, cookies: [String: String] = [:]) {
        self.client = client
        self.cookies = cookies
    }

    /// Another browser on the same portal, with no cookies (or the ones given).
    func fresh(cookies: [String: String] = [:]) -> Browser { Browser(client, cookies: cookies) }

    var session: String? { cookies["pd_session"] }

    enum Token {
        /// The token of the last page seen.
        case page
        case none
        case value(String)
    }

    @discardableResult
    func get(_ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Page {
        try await send(.get, uri, body: nil, sourceLocation: sourceLocation)
    }

    @discardableResult
    func post(
        _ uri: String, _ fields: [String: String] = [:], csrf token: Token = .page,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Page {
        var fields = fields
        switch token {
        case .page:
            let value: String = try #require(csrf, "no page with a CSRF token seen yet", sourceLocation: sourceLocation)
            fields["csrf"] = value
        case .none: break
        case .value(let value): fields["csrf"] = value
        }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(.post, uri, body: body, sourceLocation: sourceLocation)
    }

    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String?, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Page {
        var headers = extraHeaders
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let page = Page(status: response.status, headers: response.headers, bytes: Array(buffer: response.body))
        for line in page.setCookies {
            let pair = line.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = page.csrf { csrf = token }
        let problems = page.securityProblems
        #expect(problems.isEmpty, "\(method) \(uri) → \(page.status.code): \(problems)", sourceLocation: sourceLocation)
        return page
    }

    /// Signs in through a real sign-in link: the landing page, its Continue form, the redirect.
    /// Returns the session cookie.
    @discardableResult
    func signIn(as email: String, in fixture: PortalFixture, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> String
    {
        let token = try await fixture.loginToken(for: email)
        let landing = try await get("/portal/login/\(token)", sourceLocation: sourceLocation)
        #expect(landing.status == .ok, sourceLocation: sourceLocation)
        let done = try await post("/portal/login/\(token)", sourceLocation: sourceLocation)
        #expect(done.status == .seeOther, sourceLocation: sourceLocation)
        #expect(done.location == "/portal/tickets", sourceLocation: sourceLocation)
        return try #require(session, "no session cookie after signing in", sourceLocation: sourceLocation)
    }

    /// Form encoding: everything but unreserved characters percent-encoded.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
