/// HTML character references: numeric (`&#233;`, `&#xE9;`) and the named ones common in mail.
enum HTMLEntities {
    /// Decodes the reference at `start` (which holds `&`); an unknown one is kept as `&`.
    static func decode(_ bytes: [UInt8], at start: Int) -> (value: String, end: Int) {
        var index = start + 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
            index += 1
            var hex = false
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "x") {
                hex = true
                index += 1
            }
            var value: UInt32 = 0
            let digitsStart = index
            while index < bytes.count, index - digitsStart < 8 {
                let byte = bytes[index]
                if let digit = QuotedPrintable.hexValue(byte), hex || byte <= UInt8(ascii: "9") {
                    value = value * (hex ? 16 : 10) + UInt32(digit)
                    index += 1
                } else {
                    break
                }
            }
            guard index > digitsStart else { return ("&", start + 1) }
            if index < bytes.count, bytes[index] == UInt8(ascii: ";") { index += 1 }
            let mapped = value >= 0x80 && value <= 0x9F ? Charset.high1252[Int(value - 0x80)] : value
            let scalar = Unicode.Scalar(mapped == 0 ? 0xFFFD : mapped) ?? "\u{FFFD}"
            return (String(Character(scalar)), index)
        }
        let nameStart = index
        while index < bytes.count, index - nameStart < 12,
            HTMLText.Tag.isLetter(bytes[index])
                || (bytes[index] >= 48 && bytes[index] <= 57)
        {
            index += 1
        }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        if let value = named[name] {
            if index < bytes.count, bytes[index] == UInt8(ascii: ";") { index += 1 }
            return (value, index)
        }
        return ("&", start + 1)
    }

    static func decodeAll(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let bytes = Array(text.utf8)
        var out = ""
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&") {
                let entity = decode(bytes, at: index)
                out += entity.value
                index = entity.end
            } else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "&") { index += 1 }
                out += String(decoding: bytes[start..<index], as: UTF8.self)
            }
        }
        return out
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "AMP": "&", "LT": "<", "GT": ">", "QUOT": "\"",
        "iexcl": "¡", "cent": "¢", "pound": "£", "curren": "¤", "yen": "¥", "brvbar": "¦", "sect": "§",
        "uml": "¨", "copy": "©", "ordf": "ª", "laquo": "«", "not": "¬", "shy": "", "reg": "®", "macr": "¯",
        "deg": "°", "plusmn": "±", "sup2": "²", "sup3": "³", "acute": "´", "micro": "µ", "para": "¶",
        "middot": "·", "cedil": "¸", "sup1": "¹", "ordm": "º", "raquo": "»", "frac14": "¼", "frac12": "½",
        "frac34": "¾", "iquest": "¿", "times": "×", "divide": "÷",
        "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã", "Auml": "Ä", "Aring": "Å", "AElig": "Æ",
        "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í",
        "Icirc": "Î", "Iuml": "Ï", "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô",
        "Otilde": "Õ", "Ouml": "Ö", "Oslash": "Ø", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û", "Uuml": "Ü",
        "Yacute": "Ý", "THORN": "Þ", "szlig": "ß", "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã",
        "auml": "ä", "aring": "å", "aelig": "æ", "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê",
        "euml": "ë", "igrave": "ì", "iacute": "í", "icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ",
        "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ", "ouml": "ö", "oslash": "ø", "ugrave": "ù",
        "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý", "thorn": "þ", "yuml": "ÿ",
        "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "fnof": "ƒ", "circ": "ˆ",
        "tilde": "˜", "ensp": " ", "emsp": " ", "thinsp": " ", "zwnj": "", "zwj": "", "lrm": "", "rlm": "",
        "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”",
        "bdquo": "„", "dagger": "†", "Dagger": "‡", "bull": "•", "hellip": "…", "permil": "‰", "prime": "′",
        "Prime": "″", "lsaquo": "‹", "rsaquo": "›", "oline": "‾", "euro": "€", "trade": "™", "larr": "←",
        "uarr": "↑", "rarr": "→", "darr": "↓", "harr": "↔", "hearts": "♥", "check": "✓", "minus": "−",
        "le": "≤", "ge": "≥", "ne": "≠", "asymp": "≈", "infin": "∞", "alpha": "α", "beta": "β", "pi": "π",
    ]
}
