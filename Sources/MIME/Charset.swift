/// Text decoding for MIME charsets (RFC 2045 section 5.1, RFC 2046 section 4.1.2).
///
/// UTF-8, US-ASCII and the Latin-1 family are decoded here; everything else goes through iconv
/// (`CharsetConverter`). Names seen in real mail are cleaned and mapped to the superset that glibc
/// knows: ISO-8859-1 and US-ASCII are read as windows-1252 (what senders really use), GB2312/GBK
/// as GB18030, EUC-KR as CP949, Shift_JIS as CP932, ISO-2022-JP variants as ISO-2022-JP-3/-2.
/// Invalid sequences become U+FFFD; an unknown charset falls back to UTF-8 if valid, else windows-1252.
public enum Charset {
    /// What a declared charset name resolves to.
    enum Target: Equatable {
        case utf8
        case windows1252
        case iconv(String)
        /// No usable name: guess from the bytes.
        case guess
    }

    /// Decodes text in the declared charset (nil or empty when none was declared).
    public static func decode(_ bytes: [UInt8], charset: String?) -> String {
        bytes.withUnsafeBufferPointer { decode($0, charset: charset) }
    }

    static func decode(_ buf: UnsafeBufferPointer<UInt8>, charset: String?) -> String {
        let target = resolve(charset)
        if ByteScan.isASCII(buf), !isASCIIIncompatible(target) {
            return String(decoding: buf, as: UTF8.self)
        }
        switch target {
        case .utf8:
            return String(decoding: buf, as: UTF8.self)
        case .windows1252:
            return decodeWindows1252(buf)
        case .guess:
            return guess(buf)
        case .iconv(let name):
            return CharsetConverter.convert(buf, from: name) ?? guess(buf)
        }
    }

    /// Undeclared 8-bit text: UTF-8 when it is valid, else windows-1252.
    public static func guess(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { guess($0) }
    }

    static func guess(_ buf: UnsafeBufferPointer<UInt8>) -> String {
        if let text = String(validating: buf, as: UTF8.self) { return text }
        return decodeWindows1252(buf)
    }

    /// Header bytes: ASCII, else UTF-8 (RFC 6532) when valid, else windows-1252.
    static func decodeHeaderBytes(_ buf: UnsafeBufferPointer<UInt8>) -> String {
        if ByteScan.isASCII(buf) { return String(decoding: buf, as: UTF8.self) }
        return guess(buf)
    }

    /// Charsets whose ASCII bytes do not mean ASCII characters.
    static func isASCIIIncompatible(_ target: Target) -> Bool {
        guard case .iconv(let name) = target else { return false }
        return name.hasPrefix("UTF-7") || name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32") || name.contains("2022")
            || name.hasPrefix("HZ")
    }

    /// Maps a declared charset name to a decoder.
    static func resolve(_ declared: String?) -> Target {
        guard let declared else { return .guess }
        var name = ""
        for scalar in declared.unicodeScalars {
            switch scalar {
            case "\"", "'", " ", "\t", "\r", "\n": continue
            case "A"..."Z": name.unicodeScalars.append(Unicode.Scalar(scalar.value + 32) ?? scalar)
            default: name.unicodeScalars.append(scalar)
            }
        }
        // RFC 2231 section 5 language suffix: `utf-8*en`.
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        if name.hasPrefix("x-") && name != "x-mac-roman" { name.removeFirst(2) }
        if name.isEmpty || name == "unknown" || name == "unknown-8bit" || name == "default" { return .guess }
        if let alias = aliases[name] { return alias }
        let compact = name.filter { $0 != "-" && $0 != "_" && $0 != "." && $0 != ":" }
        if let alias = aliases[compact] { return alias }
        if compact.hasPrefix("windows") || compact.hasPrefix("win") || compact.hasPrefix("cp") {
            let digits = compact.drop { !$0.isNumber }
            if digits == "1252" { return .windows1252 }
            if !digits.isEmpty, digits.allSatisfy(\.isNumber) { return .iconv("CP" + digits) }
        }
        if compact.hasPrefix("iso8859") {
            let part = compact.dropFirst("iso8859".count)
            if part == "1" { return .windows1252 }
            if !part.isEmpty, part.allSatisfy(\.isNumber) { return .iconv("ISO-8859-" + part) }
        }
        if compact.hasPrefix("latin") {
            let part = compact.dropFirst(5)
            if part == "1" || part.isEmpty { return .windows1252 }
        }
        return .iconv(name.uppercased())
    }

    static let aliases: [String: Target] = [
        "utf-8": .utf8, "utf8": .utf8, "unicode-1-1-utf-8": .utf8,
        "us-ascii": .windows1252, "usascii": .windows1252, "ascii": .windows1252,
        "ansix3.41968": .windows1252, "ansix341968": .windows1252, "ansi": .windows1252,
        "iso-8859-1": .windows1252, "iso88591": .windows1252, "latin1": .windows1252, "l1": .windows1252,
        "windows-1252": .windows1252, "cp1252": .windows1252, "windows1252": .windows1252,
        "cp819": .windows1252, "ibm819": .windows1252,
        "utf-7": .iconv("UTF-7"), "utf7": .iconv("UTF-7"), "unicode-1-1-utf-7": .iconv("UTF-7"),
        "unicode11utf7": .iconv("UTF-7"),
        "utf-16": .iconv("UTF-16"), "utf16": .iconv("UTF-16"), "unicode": .iconv("UTF-16"),
        "gb2312": .iconv("GB18030"), "gbk": .iconv("GB18030"), "cp936": .iconv("GB18030"),
        "euccn": .iconv("GB18030"), "gb18030": .iconv("GB18030"), "chinese": .iconv("GB18030"),
        "hz-gb-2312": .iconv("GB18030"),
        "ksc56011987": .iconv("CP949"), "ksc5601": .iconv("CP949"), "euckr": .iconv("CP949"),
        "ksc56011989": .iconv("CP949"), "cp949": .iconv("CP949"), "korean": .iconv("CP949"),
        "windows949": .iconv("CP949"), "uhc": .iconv("CP949"),
        "iso2022jp": .iconv("ISO-2022-JP-2"), "iso2022jp1": .iconv("ISO-2022-JP-2"),
        "iso2022jp2": .iconv("ISO-2022-JP-2"), "iso2022jp3": .iconv("ISO-2022-JP-3"),
        "cp50220": .iconv("ISO-2022-JP-2"), "cp50221": .iconv("ISO-2022-JP-2"),
        "cp50222": .iconv("ISO-2022-JP-2"), "iso2022jpms": .iconv("ISO-2022-JP-2"),
        "shiftjis": .iconv("CP932"), "sjis": .iconv("CP932"), "mskanji": .iconv("CP932"),
        "windows31j": .iconv("CP932"), "cp932": .iconv("CP932"), "shiftjis2004": .iconv("SHIFT_JISX0213"),
        "eucjp": .iconv("EUC-JP-MS"), "eucjpms": .iconv("EUC-JP-MS"),
        "big5": .iconv("BIG5-HKSCS"), "big5hkscs": .iconv("BIG5-HKSCS"), "cp950": .iconv("BIG5-HKSCS"),
        "tis620": .iconv("CP874"), "windows874": .iconv("CP874"),
        "koi8r": .iconv("KOI8-R"), "koi8u": .iconv("KOI8-U"),
        "macroman": .iconv("MACINTOSH"), "macintosh": .iconv("MACINTOSH"), "mac": .iconv("MACINTOSH"),
    ]
}
