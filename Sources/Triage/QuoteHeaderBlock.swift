/// The header block Outlook, Windows Mail, Apple Mail and most web mailers put above quoted or
/// forwarded history, in the language of the sender's client:
///
/// ```
/// From: Ada Lovelace <ada@example.org>
/// Sent: Monday, 5 March 2018 10:12
/// To: Support
/// Subject: Re: Invoice
/// ```
///
/// A block counts when it names the sender and at least two other fields, or is the Outlook pair
/// `From:` then `Sent:`/`Date:`. Keys may be bold (`*From:*`) and indented; one blank or wrapped line
/// between fields is allowed.
enum QuoteHeaderBlock {
    enum Field: UInt8, Sendable {
        case from, date, to, cc, subject

        var bit: UInt8 { 1 << rawValue }
    }

    /// True when a qualifying header block starts at `index`; `fields` holds `field(of:)` of each line.
    static func starts(in lines: [ReplyLine], fields: [Field?], at index: Int, end: Int) -> Bool {
        guard index < end, let firstField = fields[index] else { return false }
        var seen = firstField.bit
        var second: Field?
        var misses = 0
        var blanks = 0
        var cursor = index + 1
        while cursor < end, cursor < index + 14 {
            defer { cursor += 1 }
            if lines[cursor].isBlank {
                blanks += 1
                if blanks > 1 { break }
                continue
            }
            blanks = 0
            guard let next = fields[cursor] else {
                misses += 1
                if misses > 2 { break }
                continue
            }
            if second == nil { second = next }
            seen |= next.bit
        }
        guard seen & Field.from.bit != 0 else { return false }
        return seen.nonzeroBitCount >= 3 || (firstField == .from && second == .date)
    }

    /// The field a line names (`From:`, `*Von:*`, `De :`, `发件人：`), or nil.
    static func field(of line: ReplyLine) -> Field? {
        var text = line.trimmed
        while let first = text.first, first == UInt8(ascii: "*") || first == UInt8(ascii: "_") {
            text = text.dropFirst()
        }
        // The key ends at the first colon, within a few bytes.
        var keyEnd: Int?
        var index = text.startIndex
        while index < text.endIndex, index - text.startIndex <= 40 {
            if text[index] == ReplyBytes.colon || ReplyBytes.hasPrefix(text[index...], ReplyBytes.fullwidthColon) {
                keyEnd = index
                break
            }
            index += 1
        }
        guard let keyEnd else { return nil }
        let key = ReplyBytes.trim(text[..<keyEnd])
        var keyBytes = key
        while let last = keyBytes.last, last == UInt8(ascii: "*") || last == UInt8(ascii: "_") {
            keyBytes = ReplyBytes.trim(keyBytes.dropLast())
        }
        guard !keyBytes.isEmpty else { return nil }
        return keys.value(keyBytes)
    }

    static let keys: ReplyWordSet<Field> = {
        let table: [(Field, [String])] = [
            (
                .from,
                [
                    "from", "von", "de", "van", "da", "från", "fra", "od", "от", "от кого", "发件人", "寄件者",
                    "差出人", "送信者", "보낸 사람", "feladó", "lähettäjä", "kimden", "afzender", "remitente",
                    "mittente", "avsändare", "nadawca", "відправник", "від", "αποστολέας",
                ]
            ),
            (
                .date,
                [
                    "sent", "date", "gesendet", "datum", "envoyé", "envoyé le", "enviado", "enviado el", "fecha",
                    "verzonden", "inviato", "data", "skickat", "sendt", "wysłano", "wysłane", "отправлено", "дата",
                    "发送时间", "日期", "時間", "寄件日期", "送信日時", "日付", "보낸 날짜", "elküldve", "dátum",
                    "lähetetty", "päivämäärä", "gönderildi", "tarih", "odesláno", "verstuurd", "enviada",
                    "enviada em", "enviado em", "sent at", "date d'envoi",
                ]
            ),
            (
                .to,
                [
                    "to", "an", "à", "a", "para", "aan", "till", "til", "do", "kome", "кому", "收件人", "收件者",
                    "宛先", "받는 사람", "címzett", "vastaanottaja", "kime", "komu", "destinataire", "per",
                    "destinatario", "até", "adresat", "προς",
                ]
            ),
            (
                .cc,
                [
                    "cc", "kopie", "copie", "copie à", "cco", "kopia", "копия", "抄送", "副本", "kopio", "másolat",
                    "bilgi", "kopii", "dw", "kp",
                ]
            ),
            (
                .subject,
                [
                    "subject", "betreff", "objet", "asunto", "onderwerp", "oggetto", "assunto", "ämne", "emne",
                    "temat", "тема", "主题", "主旨", "件名", "제목", "tárgy", "aihe", "konu", "předmět", "sujet",
                    "titre", "θέμα", "subiect", "tema",
                ]
            ),
        ]
        return ReplyWordSet(table.flatMap { field, names in names.map { ($0, field) } })
    }()
}
