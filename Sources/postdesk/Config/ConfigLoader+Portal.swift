import Foundation
import Portal

/// The `[portal]` table: where it listens, its branding, its links and sessions, and its limits.
extension ConfigLoader {
    static func readPortal(
        _ table: ConfigTableReader, into portal: inout PostdeskConfig.Portal, resolve: (String) -> String
    ) {
        portal.enabled = table.bool("enabled") ?? portal.enabled
        if let listen = table.string("listen") {
            let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) {
                portal.host = String(parts[0])
                portal.port = port
            } else {
                table.report.problem(table.key("listen"), "must be host:port, e.g. 127.0.0.1:8080")
            }
        }
        if let color = table.string("primary_color") {
            if let parsed = BrandColor(hex: color) {
                portal.primaryColor = parsed.hex
                if parsed.contrastOnWhite < 4.5 {
                    table.report.problem(
                        table.key("primary_color"),
                        "is too light for links on a white page (contrast \(String(format: "%.1f", parsed.contrastOnWhite)):1, at least 4.5:1 is needed)")
                }
            } else {
                table.report.problem(table.key("primary_color"), "must be a colour like \"#1d4ed8\"")
            }
        }
        if let logo = table.string("logo") {
            let path = resolve(logo)
            if !FileManager.default.isReadableFile(atPath: path) {
                table.report.problem(table.key("logo"), "cannot read \(path)")
            } else if PortalLogo.contentType(of: path) == nil {
                table.report.problem(table.key("logo"), "must be a .png, .jpg, .svg or .webp file")
            } else {
                portal.logo = path
            }
        }
        portal.loginLinkMinutes = table.int("login_link_minutes", in: 5...1_440) ?? portal.loginLinkMinutes
        portal.ticketLinkDays = table.int("ticket_link_days", in: 1...365) ?? portal.ticketLinkDays
        portal.sessionDays = table.int("session_days", in: 1...365) ?? portal.sessionDays
        portal.anonymousTickets = table.bool("anonymous_tickets") ?? portal.anonymousTickets
        portal.linkRequestsPerAddress = table.int("link_requests_per_address", in: 1...1_000) ?? portal.linkRequestsPerAddress
        portal.linkRequestsPerClient = table.int("link_requests_per_client", in: 1...100_000) ?? portal.linkRequestsPerClient
        portal.trustedProxies = table.strings("trusted_proxies") ?? portal.trustedProxies
        readPortalLimits(table, into: &portal)
        table.rejectUnknownKeys()
    }

    /// Connection timeouts and caps, and how much a signed-in customer may write.
    private static func readPortalLimits(_ table: ConfigTableReader, into portal: inout PostdeskConfig.Portal) {
        portal.headerTimeoutSeconds = table.int("header_timeout_seconds", in: 1...300) ?? portal.headerTimeoutSeconds
        portal.idleTimeoutSeconds = table.int("idle_timeout_seconds", in: 1...3_600) ?? portal.idleTimeoutSeconds
        if portal.headerTimeoutSeconds > portal.idleTimeoutSeconds {
            table.report.problem(
                table.key("header_timeout_seconds"),
                "must not be longer than idle_timeout_seconds (\(portal.idleTimeoutSeconds)): the idle timeout would close the connection first")
        }
        portal.maxConnections = table.int("max_connections", in: 1...100_000) ?? portal.maxConnections
        portal.writesPerCustomer = table.int("writes_per_customer", in: 1...10_000) ?? portal.writesPerCustomer
        portal.writeWindowMinutes = table.int("write_window_minutes", in: 1...1_440) ?? portal.writeWindowMinutes
    }
}
