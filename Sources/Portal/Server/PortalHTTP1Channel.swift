import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with the portal's timeouts: its own idle timeout, and in
/// front of the HTTP decoder a ``HeaderTimeoutHandler`` for clients that never finish a request head.
struct PortalHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let limits: PortalConnectionLimits
    let http1: HTTP1Channel

    init(limits: PortalConnectionLimits, responder: @escaping HTTPChannelHandler.Responder) {
        self.limits = limits
        http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [RequestHeadSignal()], idleTimeout: limits.idleTimeout.timeAmount))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeout = limits.headerTimeout.timeAmount
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                HeaderTimeoutHandler(timeout: timeout, logger: logger), position: .first)
        }.flatMap {
            http1.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
