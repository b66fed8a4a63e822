import Foundation
import Hummingbird
import Logging
import NIOCore
import Portal
import Testing

/// The portal's connection limits over real loopback connections: the header and idle timeouts, and
/// the cap on open connections.
@Suite("Portal connection limits", .serialized)
struct ConnectionLimitTests {
    static let request = "GET /portal HTTP/1.1\r\nHost: localhost\r\n\r\n"

    /// Runs the portal's server with `limits` on a free loopback port while `body` runs.
    static func withServer(_ limits: PortalConnectionLimits, _ body: @Sendable (Int) async throws -> Void) async throws {
        let fixture = try PortalFixture()
        var logger = Logger(label: "postdesk.test")
        logger.logLevel = .warning
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: fixture.controller.buildRouter(), server: limits.server,
            configuration: .init(
                address: .hostname("127.0.0.1", port: 0), availableConnectionsDelegate: limits.connectionCap(logger: logger)),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let bound = try #require(await iterator.next())
            defer { group.cancelAll() }
            try await body(bound)
        }
    }

    @Test("a connection that sends nothing is closed after the header timeout")
    func silent() async throws {
        try await Self.withServer(.init(headerTimeout: .milliseconds(500), idleTimeout: .seconds(30))) { port in
            let connection = try RawConnection(port: port)
            let start = ContinuousClock.now
            #expect(await connection.waitForClose(upTo: .seconds(5)))
            #expect(ContinuousClock.now - start >= .milliseconds(400))
            #expect(connection.received.isEmpty)
        }
    }

    @Test("a request head dripped a header at a time is cut off at the header timeout, though bytes keep coming")
    func slowloris() async throws {
        try await Self.withServer(.init(headerTimeout: .seconds(1), idleTimeout: .seconds(30))) { port in
            let connection = try RawConnection(port: port)
            let start = ContinuousClock.now
            connection.send("GET /portal HTTP/1.1\r\nHost: localhost\r\n")
            var index = 0
            while ContinuousClock.now - start < .seconds(5), !connection.closedByPeer {
                if !connection.send("X-Slow-\(index): still typing\r\n") { break }
                index += 1
                _ = await connection.waitForClose(upTo: .milliseconds(200))
            }
            #expect(connection.closedByPeer || !connection.send("X: y\r\n"))
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(!connection.received.contains("200 OK"))
        }
    }

    @Test("a kept-alive connection waits between requests for the idle timeout, not the header timeout")
    func keepAlive() async throws {
        try await Self.withServer(.init(headerTimeout: .milliseconds(500), idleTimeout: .seconds(2))) { port in
            let connection = try RawConnection(port: port)
            connection.send(Self.request)
            #expect(await connection.waitForResponse(upTo: .seconds(5)))
            // Longer than the header timeout, shorter than the idle timeout: still open.
            try await Task.sleep(for: .milliseconds(1_000))
            connection.poll()
            #expect(!connection.closedByPeer)
            connection.send(Self.request)
            #expect(await connection.waitForResponse(upTo: .seconds(5), count: 2))
            // Then the idle timeout closes it.
            let idle = ContinuousClock.now
            #expect(await connection.waitForClose(upTo: .seconds(6)))
            #expect(ContinuousClock.now - idle >= .milliseconds(1_500))
        }
    }

    @Test("at the cap a new connection is not served until an open one closes")
    func cap() async throws {
        let limits = PortalConnectionLimits(headerTimeout: .seconds(30), idleTimeout: .seconds(30), maxConnections: 2)
        try await Self.withServer(limits) { port in
            let first = try RawConnection(port: port)
            var second: RawConnection? = try RawConnection(port: port)
            first.send(Self.request)
            #expect(await first.waitForResponse(upTo: .seconds(5)))
            try await Task.sleep(for: .milliseconds(200))
            let third = try RawConnection(port: port)  // the kernel completes the handshake; we do not accept it yet
            third.send(Self.request)
            #expect(!(await third.waitForResponse(upTo: .seconds(1))))
            second = nil  // closes it
            #expect(second == nil)
            #expect(await third.waitForResponse(upTo: .seconds(5)))
        }
    }

    @Test("the cap leaves a reserve of file descriptors", arguments: [
        (1_024, 512, 512), (1_024, 900, 768), (512, 512, 256), (300, 512, 44), (100, 512, 1), (1_048_576, 512, 512),
    ])
    func descriptorReserve(limit: Int, configured: Int, expected: Int) {
        let limits = PortalConnectionLimits(maxConnections: configured).capped(descriptorLimit: limit)
        #expect(limits.maxConnections == expected)
    }
}
