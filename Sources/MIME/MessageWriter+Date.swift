import Foundation

/// The `Date:` value (RFC 5322 section 3.3), always in UTC:
///
/// ```
/// Date: Tue, 07 Apr 2026 08:05:09 +0000
/// ```
/// Computed from the calendar arithmetic of the proleptic Gregorian calendar, so neither the
/// locale nor the time zone of the machine can change it.
extension MessageWriter {
    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `Tue, 07 Apr 2026 08:05:09 +0000`; dates outside the years 1 to 9999 are clamped to them.
    public static func formatDate(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
        let lowest = -62_135_596_800.0
        let highest = 253_402_300_799.0
        let clamped = interval.isNaN ? 0 : min(max(interval, lowest), highest)
        let seconds = Int64(clamped.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let civil = civilDate(daysSince1970: days)
        // 1970-01-01 was a Thursday.
        let weekday = Int(((days % 7) + 11) % 7)
        let hour = secondOfDay / 3_600
        let minute = secondOfDay / 60 % 60
        let second = secondOfDay % 60
        return "\(dayNames[weekday]), \(twoDigits(civil.day)) \(monthNames[civil.month - 1]) "
            + "\(String(repeating: "0", count: max(0, 4 - String(civil.year).count)))\(civil.year) "
            + "\(twoDigits(hour)):\(twoDigits(minute)):\(twoDigits(second)) +0000"
    }

    private static func twoDigits(_ value: some BinaryInteger) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// Year, month (1-12) and day from days since 1970-01-01 (the `civil_from_days` algorithm).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
