/// The words of out-of-office and other automatic replies, for mail whose header fields say
/// nothing (many autoresponders set neither `Auto-Submitted` nor `X-Autoreply`).
///
/// Subjects are matched at their start, where mail systems put the marker (`Automatic reply: `,
/// `Out of Office: `, `Abwesenheitsnotiz: `, `AUTO: `); the body only in its first lines, where an
/// autoresponder introduces itself. Phrases a person would write about a future absence ("I will
/// be out next week") are not on the list, so that such mail stays answerable.
enum AutoReplyPhrases {
    /// Subject starts of automatic replies, lower-cased, in the common languages.
    static let subjectStarts = [
        "out of office", "out of the office", "automatic reply", "auto reply", "autoreply", "auto-reply",
        "auto response", "auto-response", "autoresponse", "automatic response", "auto", "away from the office",
        "vacation reply", "on vacation", "abwesenheitsnotiz", "automatische antwort", "abwesend",
        "nicht im büro", "außer haus", "réponse automatique", "reponse automatique", "absence", "absent du bureau",
        "absente du bureau", "respuesta automática", "respuesta automatica", "fuera de la oficina", "ausente",
        "risposta automatica", "fuori ufficio", "fuori sede", "assente", "afwezig", "automatisch antwoord",
        "niet aanwezig", "frånvaro", "automatiskt svar", "autosvar", "automatisk svar", "fraværende", "fravær",
        "poissa", "automaattinen vastaus", "resposta automática", "resposta automatica", "ausência",
        "odpowiedź automatyczna", "nieobecność", "automatická odpověď", "automatikus válasz", "otomatik yanıt",
        "автоматический ответ", "автоответ", "вне офиса", "自动回复", "自動回覆", "自動応答", "自動返信", "不在",
        "자동 회신", "자동 응답",
    ]

    /// Sentences by which an autoresponder says what it is: decisive in the first lines.
    static let selfDeclarations = [
        "this is an automatic reply", "this is an automated reply", "this is an auto-reply", "this is an autoreply",
        "this is an automatic response", "this is an automated response", "this is an auto-response",
        "this is an autoresponse", "this is an automatically generated reply", "dies ist eine automatische antwort",
        "dies ist eine automatisch generierte antwort", "ceci est une réponse automatique",
        "ceci est un message automatique", "esta es una respuesta automática", "esta es una respuesta automatica",
        "questa è una risposta automatica", "dit is een automatisch antwoord", "dit is een automatisch bericht",
        "detta är ett automatiskt svar", "dette er et automatisk svar", "tämä on automaattinen vastaus",
        "to jest automatyczna odpowiedź", "toto je automatická odpověď", "это автоматический ответ",
    ]

    /// Statements of an absence; they count only with words of a return date or of limited access
    /// nearby, so that a person mentioning an absence is not taken for a robot.
    static let absences = [
        "i am out of the office", "i'm out of the office", "i am currently out of the office",
        "i'm currently out of the office", "i am out of office", "i'm out of office", "i am currently out of office",
        "i am away from the office", "i am currently away", "i'm currently away", "i am on vacation",
        "i'm on vacation", "i am on leave", "i'm on leave", "i am on annual leave", "i am on holiday",
        "i'm on holiday", "i am currently on leave", "i am currently on vacation", "i am currently on holiday",
        "i will be out of the office", "ich bin derzeit nicht im büro", "ich bin zurzeit nicht im büro",
        "ich bin momentan nicht im büro", "ich bin derzeit abwesend", "ich bin zurzeit abwesend",
        "ich befinde mich im urlaub", "ich bin bis", "je suis absent", "je suis actuellement absent",
        "je suis en congé", "je serai absent", "estoy fuera de la oficina", "me encuentro fuera de la oficina",
        "estoy de vacaciones", "estaré fuera de la oficina", "sono fuori ufficio", "sono assente", "sono in ferie",
        "sarò fuori ufficio", "ik ben afwezig", "ik ben niet aanwezig", "ik ben met vakantie", "jag är ledig",
        "jag är på semester", "jag är frånvarande", "jeg er på ferie", "jeg er fraværende",
    ]

    /// Words of a return date or limited access that confirm an absence statement.
    static let returnWords = [
        "return", "back on", "back in the office", "until", "limited access", "urgent", "bis zum", "bis einschließlich",
        "zurück", "ab dem", "dringend", "retour", "jusqu", "urgence", "regreso", "hasta", "urgente", "rientro",
        "fino al", "terug", "tot en met", "tillbaka", "till och med", "brådskande", "tilbake", "tilbage",
    ]

    /// The subject starts with an automatic-reply marker followed by `:`, or is only that marker
    /// (an optional `[tag]` before it is skipped). `Out of Office AutoReply: ...` is matched too.
    static func subjectSaysAutoReply(_ subject: String?) -> Bool {
        guard var text = subject?.lowercased().trimmed(), !text.isEmpty else { return false }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = String(text[text.index(after: close)...]).trimmed()
        }
        return marked(Substring(text), depth: 0)
    }

    private static func marked(_ text: Substring, depth: Int) -> Bool {
        for start in subjectStarts where text.hasPrefix(start) {
            let rest = String(text.dropFirst(start.count)).trimmed()
            let bare = rest.filter { !$0.isPunctuation || $0 == ":" }
            if rest.hasPrefix(":") || rest.hasPrefix("：") || (bare.isEmpty && start != "auto") { return true }
            if depth == 0, marked(Substring(rest), depth: 1) { return true }
        }
        return false
    }

    /// The first lines of the text say it is an automatic reply: a self-declaration in the first
    /// three non-empty lines, or an absence statement there with a return date or limited access
    /// mentioned within the first five.
    static func openingSaysAutoReply(_ text: String) -> Bool {
        var lines: [String] = []
        for line in text.prefix(4_000).split(whereSeparator: \.isNewline) {
            let lower = line.lowercased().trimmed()
            if lower.isEmpty || lower.hasPrefix(">") { continue }
            lines.append(lower)
            if lines.count == 5 { break }
        }
        let first = lines.prefix(3)
        if first.contains(where: { line in line.containsAny(selfDeclarations) }) { return true }
        guard first.contains(where: { line in line.containsAny(absences) }) else { return false }
        return lines.contains { line in line.containsAny(returnWords) }
    }
}
