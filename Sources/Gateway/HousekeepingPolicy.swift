import Foundation

/// How long what expires is kept, as cutoffs for one housekeeping pass at `now`. Pure.
public struct HousekeepingPolicy: Sendable, Equatable {
    /// Expired sign-in and ticket links stay this long, so an old link still gets the page that says
    /// it expired instead of "unknown link"; a request made without signing in goes with them.
    public var linkGrace: TimeInterval
    /// Raw mail is kept this many days after it arrived; nil keeps it forever (`[storage] keep_raw_days`).
    public var keepRawDays: Int?

    public init(linkGrace: TimeInterval = 30 * 86_400, keepRawDays: Int? = nil) {
        self.linkGrace = linkGrace
        self.keepRawDays = keepRawDays
    }

    public struct Cutoffs: Sendable, Equatable {
        /// Sessions and suppressions that end at or before this are over.
        public var ended: Date
        /// Links that expired at or before this, and requests made at or before this, are dropped.
        public var links: Date
        /// Raw mail received before this is removed; nil: none is.
        public var raw: Date?
    }

    public func cutoffs(at now: Date) -> Cutoffs {
        Cutoffs(
            ended: now, links: now.addingTimeInterval(-linkGrace),
            raw: keepRawDays.map { now.addingTimeInterval(-Double($0) * 86_400) })
    }
}
