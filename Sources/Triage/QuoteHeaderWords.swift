/// The words mail clients use in attribution lines, by language. All lowercase.
enum QuoteHeaderWords {
    /// "wrote" and friends, matched as whole words.
    static let verbs = ReplyWordSet([
        // English
        "wrote", "writes",
        // German
        "schrieb", "geschrieben",
        // French
        "écrit",
        // Spanish, Catalan
        "escribió", "escribio", "escrit",
        // Italian
        "scritto", "scrisse",
        // Dutch
        "schreef", "geschreven",
        // Portuguese
        "escreveu",
        // Swedish, Danish, Norwegian
        "skrev", "skrevet",
        // Polish
        "napisał", "napisała", "napisal", "napisala", "pisze",
        // Russian, Ukrainian, Bulgarian, Serbian
        "написал", "написала", "написав", "пишет", "написа",
        // Czech, Slovak
        "napsal", "napsala", "napísal", "napísala",
        // Finnish, Hungarian, Turkish, Greek, Romanian, Lithuanian, Estonian, Latvian
        "kirjoitti", "írta", "yazdı", "έγραψε", "scris", "rašė", "kirjutas", "rakstīja",
    ])

    /// Verbs in scripts without spaces between words, matched anywhere in the line.
    static let phrases: [String] = ["写道", "寫道", "のメッセージ", "が書きました", "작성"]
    static let phraseBytes: [[UInt8]] = phrases.map { Array($0.utf8) }

    /// First words of attribution lines ("On ...", "Am ...", "Le ...", "W dniu ...").
    static let openers = ReplyWordSet([
        "on", "am", "le", "el", "il", "op", "w", "dnia", "den", "em", "no", "på", "в", "dne", "la",
        "在", "於", "于", "o", "ο", "pe",
    ])
}
