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
        var out = ""
        out.reserveCapacity(10)
        appendDay(parts, to: &out)
        return out
    }

    /// "2026-03-12 14:05 UTC".
    static func dateTime(_ date: Date) -> String {
        let parts = utc(date)
        var out = ""
        appendDay(parts, to: &out)
        appendTime(parts, to: &out, separator: " ", seconds: false)
        return out + " UTC"
    }

    /// ISO 8601 for `<time datetime>`.
    static func iso(_ date: Date) -> String {
        let parts = utc(date)
        var out = ""
        appendDay(parts, to: &out)
        appendTime(parts, to: &out, separator: "T", seconds: true)
        return out + "Z"
    }

    private static func appendTime(_ parts: tm, to out: inout String, separator: String, seconds: Bool) {
        out += separator
        append(Int(parts.tm_hour), width: 2, to: &out)
        out += ":"
        append(Int(parts.tm_min), width: 2, to: &out)
        guard seconds else { return }
        out += ":"
        append(Int(parts.tm_sec), width: 2, to: &out)
    }

    private static func appendDay(_ parts: tm, to out: inout String) {
        append(Int(parts.tm_year) + 1900, width: 4, to: &out)
        out += "-"
        append(Int(parts.tm_mon) + 1, width: 2, to: &out)
        out += "-"
        append(Int(parts.tm_mday), width: 2, to: &out)
    }

    /// `number` in decimal, zero-padded to `width` digits.
    private static func append(_ number: Int, width: Int, to out: inout String) {
        let digits = String(number)
        if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
        out += digits
    }

    private static func utc(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return parts
    }
}
