import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head does not arrive in time: the answer to a slow client that
/// opens a connection and sends nothing, or drips its headers a byte at a time (slowloris), which an
/// idle timeout alone cannot catch (every byte looks like activity).
///
/// The clock starts when the connection opens, and again with the first byte of each later request on
/// a kept-alive connection; it stops when the whole head (request line and headers) has been parsed.
/// While a connection waits between requests only the idle timeout applies. The handler sits at the
/// front of the pipeline, where it sees bytes; ``RequestHeadSignal``, behind the HTTP decoder, tells
/// it where requests begin and end.
final class HeaderTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Sent by ``RequestHeadSignal`` towards the front of the pipeline.
    enum Event: Sendable {
        case headReceived
        case requestEnded
    }

    enum State {
        /// Waiting for a request's head, with a deadline.
        case waitingForHead
        /// The head has come; the body and the response are the idle timeout's business.
        case inRequest
        /// Between requests: the next byte starts the clock again.
        case betweenRequests
    }

    let timeout: TimeAmount
    let logger: Logger
    private(set) var state = State.waitingForHead
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .betweenRequests = state {
            state = .waitingForHead
            arm(context)
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? Event else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .headReceived:
            state = .inRequest
            disarm()
        case .requestEnded:
            if case .inRequest = state { state = .betweenRequests }
        }
        promise?.succeed()
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: timeout) { [self] in
            deadline = nil
            guard case .waitingForHead = state else { return }
            logger.debug(
                "closing a portal connection that sent no complete request head in time",
                metadata: ["portal.peer": "\(context.channel.remoteAddress?.ipAddress ?? "unknown")"])
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

/// Sits behind the HTTP decoder and tells the ``HeaderTimeoutHandler`` in front when a request's head
/// has been parsed and when the request has been read to its end.
final class RequestHeadSignal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(HeaderTimeoutHandler.Event.headReceived, promise: nil)
        case .end: context.triggerUserOutboundEvent(HeaderTimeoutHandler.Event.requestEnded, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension HeaderTimeoutHandler: Sendable {}

@available(*, unavailable)
extension RequestHeadSignal: Sendable {}
