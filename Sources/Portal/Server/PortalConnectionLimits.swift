import Foundation
import HummingbirdCore
import Logging
import NIOCore

/// How long and how many: the limits that keep slow or idle clients of the portal from holding the
/// daemon's file descriptors, which its mailboxes and its database need too.
public struct PortalConnectionLimits: Sendable, Hashable, CustomStringConvertible {
    /// A request's head (request line and headers) must arrive within this time of the connection
    /// opening, or of its first byte on a kept-alive connection.
    public var headerTimeout: Duration
    /// A connection with no request in flight is closed after this time.
    public var idleTimeout: Duration
    /// The most connections open at once; further ones wait in the listen backlog, outside the
    /// process, until one closes.
    public var maxConnections: Int

    public init(headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), maxConnections: Int = 512) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    public var description: String {
        "header timeout \(headerTimeout), idle timeout \(idleTimeout), at most \(maxConnections) connections"
    }

    /// Descriptors the rest of the daemon keeps for itself whatever the portal does: SQLite and its
    /// WAL, the mailboxes' and SMTP's connections, stored files, the log.
    public static func reserve(descriptorLimit: Int) -> Int { max(256, descriptorLimit / 4) }

    /// `maxConnections` lowered, when the process may open only `descriptorLimit` files, so that the
    /// portal's connections leave ``reserve(descriptorLimit:)`` descriptors free (and at least 1).
    public func capped(descriptorLimit: Int) -> PortalConnectionLimits {
        var limits = self
        limits.maxConnections = max(1, min(maxConnections, descriptorLimit - Self.reserve(descriptorLimit: descriptorLimit)))
        return limits
    }

    /// The soft limit on open files (`RLIMIT_NOFILE`), or nil when it cannot be read or is unlimited.
    public static func descriptorLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// The portal's HTTP/1.1 server with these limits' timeouts.
    public var server: HTTPServerBuilder {
        let limits = self
        return HTTPServerBuilder { responder in
            PortalHTTP1Channel(limits: limits, responder: responder)
        }
    }

    /// Stops accepting connections at the cap and says so in the log (at most once a minute).
    public func connectionCap(logger: Logger) -> some AvailableConnectionsDelegate {
        PortalConnectionCap(limit: maxConnections, logger: logger)
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
