import Foundation
import HummingbirdCore
import Logging

/// Counts the portal's open connections and stops accepting new ones at the cap: they wait in the
/// kernel's listen backlog, holding none of our descriptors, until a connection closes (the header
/// and idle timeouts make sure one does). Reaching the cap is logged, at most once a minute.
struct PortalConnectionCap: AvailableConnectionsDelegate {
    let limit: Int
    let logger: Logger
    private(set) var open = 0
    private var lastWarning: ContinuousClock.Instant?

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        guard open == limit else { return }
        let now = ContinuousClock.now
        if let lastWarning, now - lastWarning < .seconds(60) { return }
        lastWarning = now
        logger.warning(
            "the portal has reached its connection cap; new connections wait until one closes",
            metadata: ["portal.max_connections": "\(limit)"])
    }

    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool { open < limit }
}
