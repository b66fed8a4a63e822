import Foundation

/// Dates as the portal shows them: relative ("3 hours ago") and absolute (UTC), without a formatter
/// on the hot path.
enum PortalClock {
    /// "just now", "5 minutes ago", "yesterday", "12 days ago", then the date.
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        if seconds < 60 { return "just now" }
        let minutes = seconds / 60
        if minutes < 60 { return minutes == 1 ? "1 minute ago" : "\(minutes) minutes ago" }
        let hours = minutes / 60
        if hours < 24 { return hours == 1 ? "1 hour ago" : "\(hours) hours ago" }
        let days = hours / 24
        if days == 1 { return "yesterday" }
        if days < 31 { return "\(days) days ago" }
        return day(date)
    }

    /// "2026-03-12".
    static func day(_ date: Date) -> String {
        let parts = utc(date)
        return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
    }

    /// "2026-03-12 14:05 UTC".
    static func dateTime(_ date: Date) -> String {
        let parts = utc(date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min)
    }

    /// ISO 8601 for `<time datetime>`.
    static func iso(_ date: Date) -> String {
        let parts = utc(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min, parts.tm_sec)
    }

    private static func utc(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return parts
    }
}
