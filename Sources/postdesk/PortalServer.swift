import Logging
import ServiceLifecycle

/// Runs the portal's HTTP server and keeps the daemon's mail flowing when it cannot listen (the port
/// is taken, say): the failure is logged and the server tried again every 30 seconds until it can.
struct PortalServer<Server: Service>: Service {
    let server: Server
    let address: String
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await server.run()
                return
            } catch {
                logger.error(
                    "the portal cannot listen; mail keeps flowing, trying again in 30 s",
                    metadata: ["portal.listen": "\(address)", "error": "\(error)"])
            }
            for _ in 0..<30 where !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
