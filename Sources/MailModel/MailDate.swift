import Foundation

/// A mail's `Date:` header (RFC 5322 section 3.3): an instant and the UTC offset it was written with.
public struct MailDate: Sendable, Hashable, Codable {
    public var date: Date
    /// Seconds east of UTC as written in the header (`+0200` is 7200).
    public var utcOffsetSeconds: Int

    public init(date: Date, utcOffsetSeconds: Int) {
        self.date = date
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// ISO 8601 with the original offset, e.g. `2024-03-01T09:15:00+02:00`.
    public var iso8601: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds) ?? TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date)
    }
}
