import Foundation
public import MailModel

/// `Date:` values (RFC 5322 section 3.3) with the obsolete forms of section 4.3 and common breakage:
///
/// ```
/// Fri, 21 Nov 1997 09:55:06 -0600
/// 21 Nov 97 09:55:06 GMT                 two-digit year, zone name
/// Thu, 13 Feb 1969 23:32 -0330 (NDT)     no seconds, comment
/// Mon Jan  2 15:04:05 2006               asctime
/// 2006-01-02T15:04:05+01:00              ISO 8601
/// Tuesday, 7 April 2026 10:00:00 +02:00  long names, colon in the offset
/// ```
/// A missing or unknown zone is read as UTC. Returns nil when no day, month, year and time are found.
public enum DateParser {
    public static func parse(_ value: String) -> MailDate? {
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        var offset: Int?
        let cleaned = HeaderParameters.stripComments(value)
        var pieces: [Substring] = []
        for piece in cleaned.split(whereSeparator: {
            $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r\n" || $0 == "\n"
        }) {
            // ISO 8601: 2006-01-02T15:04:05Z
            if let t = piece.firstIndex(of: "T"), piece.first?.isNumber == true {
                pieces.append(piece[..<t])
                pieces.append(piece[piece.index(after: t)...])
            } else {
                pieces.append(piece)
            }
        }
        for piece in pieces {
            if piece.contains(":"), time == nil, let parsed = parseTime(piece) {
                time = (parsed.hour, parsed.minute, parsed.second)
                if let zone = parsed.zone { offset = zone }
                continue
            }
            if piece.first == "+" || piece.first == "-" {
                if let zone = parseOffset(piece) { offset = zone }
                continue
            }
            if piece.first?.isLetter == true {
                let lower = piece.lowercased()
                if month == nil, lower.count >= 3, let index = months.firstIndex(of: String(lower.prefix(3))) {
                    month = index + 1
                } else if let zone = zones[lower] {
                    offset = zone
                } else if lower.hasPrefix("gmt") || lower.hasPrefix("utc") {
                    offset = parseOffset(piece.dropFirst(3)) ?? 0
                }
                continue
            }
            if piece.contains("-") || piece.contains("/") {
                let parts = piece.split(whereSeparator: { $0 == "-" || $0 == "/" })
                if parts.count == 3, let first = Int(parts[0]), let last = Int(parts[2]) {
                    if parts[0].count == 4 {
                        year = first
                        month = Int(parts[1])
                        day = last
                    } else if let named = months.firstIndex(of: parts[1].lowercased().prefix(3).description) {
                        day = first
                        month = named + 1
                        year = last
                    }
                }
                continue
            }
            guard let number = Int(piece.prefix { $0.isNumber }) else { continue }
            let digits = piece.prefix { $0.isNumber }.count
            if digits >= 3 || (day != nil && year == nil) {
                year = number
            } else if day == nil {
                day = number
            }
        }
        guard let day, let month, var year, let time else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(time.hour),
            (0...59).contains(time.minute), (0...60).contains(time.second), year <= 9999
        else { return nil }
        let zone = offset ?? 0
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + time.hour * 3_600 + time.minute * 60 + min(time.second, 59) - zone
        return MailDate(date: Date(timeIntervalSince1970: TimeInterval(seconds)), utcOffsetSeconds: zone)
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Zone names of RFC 5322 section 4.3 and a few common ones; military letters other than Z
    /// are read as UTC, as the RFC advises.
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 3_600, "cet": 3_600, "met": 3_600,
        "cest": 7_200, "mest": 7_200, "eet": 7_200, "eest": 10_800, "msk": 10_800, "ist": 19_800,
        "jst": 32_400, "kst": 32_400, "hkt": 28_800, "aest": 36_000, "nzst": 43_200,
        "edt": -14_400, "est": -18_000, "cdt": -18_000, "cst": -21_600,
        "mdt": -21_600, "mst": -25_200, "pdt": -25_200, "pst": -28_800, "akst": -32_400, "hst": -36_000,
    ]

    /// `hh:mm[:ss]`, maybe followed by a zone (`Z`, `+01:00`, `.123Z`).
    static func parseTime(_ piece: Substring) -> (hour: Int, minute: Int, second: Int, zone: Int?)? {
        var rest = piece
        var zone: Int?
        if let sign = rest.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            zone = parseOffset(rest[sign...])
            rest = rest[..<sign]
        } else if rest.last == "Z" || rest.last == "z" {
            zone = 0
            rest = rest.dropLast()
        }
        if let dot = rest.firstIndex(of: ".") { rest = rest[..<dot] }
        let fields = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3, let hour = Int(fields[0]), let minute = Int(fields[1]) else {
            return nil
        }
        var second = 0
        if fields.count == 3 {
            second = Int(fields[2].prefix { $0.isNumber }) ?? 0
        }
        return (hour, minute, second, zone)
    }

    /// `+hhmm`, `-hh:mm`, `+h`.
    static func parseOffset(_ piece: Substring) -> Int? {
        guard let sign = piece.first, sign == "+" || sign == "-" else { return nil }
        let digits = piece.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isNumber), let number = Int(digits) else {
            return nil
        }
        let hours = digits.count <= 2 ? number : number / 100
        let minutes = digits.count <= 2 ? 0 : number % 100
        guard hours <= 14, minutes < 60 else { return nil }
        let seconds = hours * 3_600 + minutes * 60
        return sign == "-" ? -seconds : seconds
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
