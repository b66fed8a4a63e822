import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP connection to a loopback port, for what an HTTP client library hides: sending nothing,
/// dripping a request head, seeing exactly when the server closes. Reads never block a thread: they
/// poll and sleep, so the server's tasks keep the cooperative pool.
final class RawConnection {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Int32
    private(set) var received = ""
    private(set) var closedByPeer = false

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect: errno \(errno)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(fd) }

    /// Sends `text`; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Reads what has arrived; notes a close by the server.
    func poll() {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += String(decoding: buffer[0..<count], as: UTF8.self)
            } else {
                if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { closedByPeer = true }
                return
            }
        }
    }

    /// Waits up to `timeout` for `condition`; returns whether it came true.
    func wait(upTo timeout: Duration, for condition: (RawConnection) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            poll()
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        poll()
        return condition(self)
    }

    /// Waits up to `timeout` for the server to close the connection.
    func waitForClose(upTo timeout: Duration) async -> Bool { await wait(upTo: timeout) { $0.closedByPeer } }

    /// Waits up to `timeout` for a whole response (its head, at least) to have arrived.
    func waitForResponse(upTo timeout: Duration, count: Int = 1) async -> Bool {
        await wait(upTo: timeout) { $0.received.components(separatedBy: "HTTP/1.1 ").count - 1 >= count }
    }
}
