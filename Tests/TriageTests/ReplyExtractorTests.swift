import Testing

@testable import Triage

/// One reply body and what the extractor should keep of it.
struct ReplyFixture: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var visible: String
    var signature: String?
    var testDescription: String { name }

    init(_ name: String, _ text: String, visible: String = "Thanks, that works.", signature: String? = nil) {
        self.name = name
        self.text = text
        self.visible = visible
        self.signature = signature
    }
}

@Suite("Reply extraction from plain text")
struct ReplyExtractorTests {
    static let quoted: String = "> Could you send the invoice again?\n> Thanks"

    /// Attribution lines of the common clients, one per language, above a `>` quote.
    static let attributions: [ReplyFixture] = aboveQuote([
        ("Gmail English", "On Mon, Mar 5, 2018 at 10:12 AM, Ada Lovelace <ada@example.org> wrote:"),
        ("Gmail German", "Am Mo., 5. März 2018 um 10:12 Uhr schrieb Ada Lovelace <ada@example.org>:"),
        ("Gmail French", "Le lun. 5 mars 2018 à 10:12, Ada Lovelace <ada@example.org> a écrit :"),
        ("Gmail Spanish", "El lun., 5 mar. 2018 a las 10:12, Ada Lovelace (<ada@example.org>) escribió:"),
        ("Gmail Italian", "Il giorno lun 5 mar 2018 alle ore 10:12 Ada Lovelace <ada@example.org> ha scritto:"),
        ("Gmail Dutch", "Op ma 5 mrt. 2018 om 10:12 schreef Ada Lovelace <ada@example.org>:"),
        ("Gmail Portuguese", "Em seg., 5 de mar. de 2018 às 10:12, Ada Lovelace <ada@example.org> escreveu:"),
        ("Gmail Swedish", "Den mån 5 mars 2018 kl 10:12 skrev Ada Lovelace <ada@example.org>:"),
        ("Gmail Polish", "pon., 5 mar 2018 o 10:12 Ada Lovelace <ada@example.org> napisał(a):"),
        ("Gmail Russian", "пн, 5 мар. 2018 г. в 10:12, Ada Lovelace <ada@example.org>:"),
        ("Gmail Japanese", "2018年3月5日(月) 10:12 Ada Lovelace <ada@example.org>:"),
        ("Gmail Chinese", "Ada Lovelace <ada@example.org> 于2018年3月5日周一 上午10:12写道："),
        ("Apple Mail", "On 5 Mar 2018, at 10:12, Ada Lovelace <ada@example.org> wrote:"),
        ("Apple Mail German", "Am 05.03.2018 um 10:12 schrieb Ada Lovelace <ada@example.org>:"),
        ("Apple Mail Japanese", "2018/03/05 10:12、Ada Lovelace <ada@example.org> のメッセージ:"),
        ("Apple Mail Chinese", "在 2018年3月5日，上午10:12，Ada Lovelace <ada@example.org> 写道："),
        ("Thunderbird", "On 05.03.2018 10:12, Ada Lovelace wrote:"),
        ("Thunderbird Russian", "05.03.2018 10:12, Ada Lovelace пишет:"),
        ("Yahoo", "On Monday, March 5, 2018, 10:12:13 AM GMT+1, Ada Lovelace <ada@example.org> wrote:"),
        ("Zimbra", "- On 2018-03-05 10:12, Ada Lovelace wrote:"),
        ("Zoho", "---- On Mon, 05 Mar 2018 10:12:13 +0100 Ada Lovelace <ada@example.org> wrote ----"),
        ("Ukrainian", "5 березня 2018 р. о 10:12 <ada@example.org> написав:"),
        ("Name only", "Ada Lovelace wrote:"),
    ])

    /// Fixtures with the reply, the given history line and a `>` quote.
    static func aboveQuote(_ pairs: [(String, String)]) -> [ReplyFixture] {
        pairs.map { ReplyFixture($0.0, "Thanks, that works.\n\n\($0.1)\n\(quoted)\n") }
    }

    /// Fixtures with the reply, the given history lines and unquoted history text.
    static func aboveText(_ pairs: [(String, String)]) -> [ReplyFixture] {
        pairs.map { ReplyFixture($0.0, "Thanks, that works.\n\n\($0.1)\n\nCould you send the invoice again?\n") }
    }

    @Test(arguments: attributions)
    func attributionAboveQuote(_ fixture: ReplyFixture) {
        let reply = ReplyExtractor.extract(text: fixture.text)
        #expect(reply.visibleText == fixture.visible)
    }

    /// Attributions followed by history that is not quoted with `>` (HTML turned into text).
    static let unquotedHistory: [ReplyFixture] = aboveText([
        ("English", "On Mon, Mar 5, 2018 at 10:12 AM, Ada Lovelace <ada@example.org> wrote:"),
        ("German", "Am 05.03.2018 um 10:12 schrieb Ada Lovelace:"),
        ("French", "Le 5 mars 2018 à 10:12, Ada Lovelace a écrit :"),
        ("Spanish", "El 05/03/2018 10:12, Ada Lovelace escribió:"),
        ("Italian", "Il giorno 5 mar 2018, alle ore 10:12, Ada <ada@example.org> ha scritto:"),
        ("Dutch", "Op 5 maart 2018 10:12 schreef Ada Lovelace <ada@example.org>:"),
        ("Portuguese", "Em 5 de mar de 2018, às 10:12, Ada <ada@example.org> escreveu:"),
        ("Swedish", "Den 5 mars 2018 kl. 10:12 skrev Ada <ada@example.org>:"),
        ("Polish", "W dniu 5 marca 2018 10:12 użytkownik Ada <ada@example.org> napisał:"),
        ("Russian", "5 марта 2018 г., в 10:12, Ada <ada@example.org> написал(а):"),
        ("Japanese", "2018/03/05 10:12、Ada <ada@example.org> のメッセージ:"),
        ("Chinese", "在 2018年3月5日，上午10:12，Ada <ada@example.org> 写道："),
        ("wrapped over two lines", "On Mon, Mar 5, 2018 at 10:12 AM, Ada Lovelace <ada@example.org>\nwrote:"),
        ("wrapped over three lines", "On Mar 5, 2018,\nat 10:12 AM,\nAda Lovelace <ada@example.org> wrote:"),
        ("wrapped address", "Op 5 maart 2018 10:12 schreef Ada Lovelace <\nada@example.org>:"),
        ("Gmail without a verb", "2018-03-05 10:12 GMT+01:00 Ada Lovelace <ada@example.org>:"),
    ])

    @Test(arguments: unquotedHistory)
    func attributionAboveUnquotedHistory(_ fixture: ReplyFixture) {
        #expect(ReplyExtractor.extract(text: fixture.text).visibleText == fixture.visible)
    }

    /// Outlook and other header blocks and delimiter lines, in several languages.
    static let headerBlocks: [ReplyFixture] = aboveText([
        (
            "Outlook English",
            "From: Ada Lovelace <ada@example.org>\nSent: Monday, March 5, 2018 10:12 AM\nTo: Support\nSubject: Invoice"
        ),
        (
            "Outlook rule",
            "________________________________\nFrom: Ada Lovelace\nSent: Monday, March 5, 2018 10:12\nTo: Support"
        ),
        (
            "Outlook bold",
            "*From:* Ada Lovelace [mailto:ada@example.org]\n*Sent:* Monday, March 5, 2018\n"
                + "*To:* Support\n*Subject:* Invoice"
        ),
        (
            "Outlook German",
            "Von: Ada Lovelace <ada@example.org>\nGesendet: Montag, 5. März 2018 10:12\nAn: Support\nBetreff: Rechnung"
        ),
        (
            "Outlook French",
            "De : Ada Lovelace <ada@example.org>\nEnvoyé : lundi 5 mars 2018 10:12\nÀ : Support\nObjet : Facture"
        ),
        (
            "Outlook Spanish",
            "De: Ada Lovelace\nEnviado el: lunes, 5 de marzo de 2018 10:12\nPara: Support\nAsunto: Factura"
        ),
        ("Outlook Italian", "Da: Ada Lovelace\nInviato: lunedì 5 marzo 2018 10:12\nA: Support\nOggetto: Fattura"),
        ("Outlook Dutch", "Van: Ada Lovelace\nVerzonden: maandag 5 maart 2018 10:12\nAan: Support\nOnderwerp: Factuur"),
        (
            "Outlook Portuguese",
            "De: Ada Lovelace\nEnviada em: segunda-feira, 5 de março de 2018 10:12\nPara: Support\nAssunto: Fatura"
        ),
        ("Outlook Swedish", "Från: Ada Lovelace\nSkickat: den 5 mars 2018 10:12\nTill: Support\nÄmne: Faktura"),
        ("Outlook Polish", "Od: Ada Lovelace\nWysłano: poniedziałek, 5 marca 2018 10:12\nDo: Support\nTemat: Faktura"),
        ("Outlook Russian", "От: Ada Lovelace\nОтправлено: 5 марта 2018 г. 10:12\nКому: Support\nТема: Счёт"),
        ("Outlook Japanese", "差出人: Ada Lovelace\n送信日時: 2018年3月5日 10:12\n宛先: Support\n件名: 請求書"),
        ("Outlook Chinese", "发件人: Ada Lovelace\n发送时间: 2018年3月5日 10:12\n收件人: Support\n主题: 发票"),
        (
            "Apple Outlook",
            "From: Ada Lovelace <ada@example.org>\nDate: Monday, 5 March 2018 at 10:12\n"
                + "To: Support\nSubject: Re: Invoice"
        ),
        (
            "indented French",
            "   De : Ada<mailto:ada@example.org>\n   Envoyé le :lundi 5 mars 2018 10:12\n"
                + "   À : support@example.test\n   Objet :Facture"
        ),
        ("Original Message", "-----Original Message-----\nFrom: Ada Lovelace\nSent: Monday"),
        ("Outlook Express", "----- Original Message -----\nFrom: Ada\nTo: Support"),
        ("Original Message German", "-----Ursprüngliche Nachricht-----\nVon: Ada Lovelace"),
        ("Original Message French", "-----Message d'origine-----\nDe : Ada Lovelace"),
        (
            "Gmail forward",
            "---------- Forwarded message ---------\nFrom: Ada Lovelace <ada@example.org>\nDate: Mon, Mar 5"
        ),
        ("Gmail forward German", "---------- Weitergeleitete Nachricht ---------\nVon: Ada Lovelace"),
        ("Apple forward", "Begin forwarded message:\n\nFrom: Ada Lovelace <ada@example.org>"),
        ("Apple forward French", "Début du message réexpédié :\n\nDe: Ada Lovelace"),
        ("Thunderbird forward", "-------- Forwarded Message --------\nSubject: Invoice\nDate: Mon, 5 Mar 2018"),
        (
            "rule of equals",
            "========================================\n\nMessage du : 05/03/2018 10:12\n"
                + "De : Ada\nA : Support\nSujet : Facture"
        ),
    ])

    @Test(arguments: headerBlocks)
    func headerBlocksEndTheReply(_ fixture: ReplyFixture) {
        #expect(ReplyExtractor.extract(text: fixture.text).visibleText == fixture.visible)
    }

    /// Signatures and client footers, with what goes to `signature`.
    static let signatures: [ReplyFixture] = [
        ReplyFixture(
            "RFC 3676 delimiter", "Thanks, that works.\n\n-- \nAda Lovelace\nACME", signature: "-- \nAda Lovelace\nACME"
        ),
        ReplyFixture("delimiter without space", "Thanks, that works.\n--\nAda", signature: "--\nAda"),
        ReplyFixture("iPhone", "Thanks, that works.\n\nSent from my iPhone", signature: "Sent from my iPhone"),
        ReplyFixture("iPad", "Thanks, that works.\n\nSent from my iPad", signature: "Sent from my iPad"),
        ReplyFixture(
            "Android", "Thanks, that works.\n\nSent from my Android phone", signature: "Sent from my Android phone"),
        ReplyFixture(
            "Samsung", "Thanks, that works.\n\nSent from my Samsung Galaxy smartphone.",
            signature: "Sent from my Samsung Galaxy smartphone."),
        ReplyFixture("Outlook", "Thanks, that works.\n\nSent from Outlook", signature: "Sent from Outlook"),
        ReplyFixture(
            "Outlook for iOS", "Thanks, that works.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>",
            signature: "Get Outlook for iOS<https://aka.ms/o0ukef>"),
        ReplyFixture(
            "Outlook for Android", "Thanks, that works.\n\nGet Outlook for Android",
            signature: "Get Outlook for Android"),
        ReplyFixture(
            "German iPhone", "Thanks, that works.\n\nVon meinem iPhone gesendet",
            signature: "Von meinem iPhone gesendet"),
        ReplyFixture("French iPhone", "Thanks, that works.\n\nEnvoyé de mon iPhone", signature: "Envoyé de mon iPhone"),
        ReplyFixture(
            "Spanish iPhone", "Thanks, that works.\n\nEnviado desde mi iPhone", signature: "Enviado desde mi iPhone"),
        ReplyFixture("Japanese iPhone", "Thanks, that works.\n\niPhoneから送信", signature: "iPhoneから送信"),
        ReplyFixture(
            "Windows Mail", "Thanks, that works.\n\nSent from Mail for Windows 10",
            signature: "Sent from Mail for Windows 10"),
        ReplyFixture("dash-signed name", "Thanks, that works.\n\n-Ada", signature: "-Ada"),
        ReplyFixture(
            "footer then history", "Thanks, that works.\n\nSent from my iPhone\n\nCould you send the invoice again?",
            signature: "Sent from my iPhone"),
        ReplyFixture(
            "signature then quote",
            "Thanks, that works.\n\n-- \nAda\n\nOn Mon, Mar 5, 2018 at 10:12 AM, Bob <bob@example.org> wrote:\n> Hi",
            signature: "-- \nAda"),
        ReplyFixture(
            "mailing list footer", "Thanks, that works.\n\n_______________\nriak-users mailing list",
            signature: "_______________\nriak-users mailing list"),
        ReplyFixture("no signature", "Thanks, that works."),
        ReplyFixture(
            "prose starting like a footer", "Sent from my desk, is much easier then my mobile phone.",
            visible: "Sent from my desk, is much easier then my mobile phone."),
        ReplyFixture("dashes inside a line", "A fix -- not a signature.", visible: "A fix -- not a signature."),
        ReplyFixture(
            "ls output", "Look:\n-rw------- 1 http http 62 Feb 15 12:45 sess",
            visible: "Look:\n-rw------- 1 http http 62 Feb 15 12:45 sess"),
    ]

    @Test(arguments: signatures)
    func signatureIsSplitOff(_ fixture: ReplyFixture) {
        let reply = ReplyExtractor.extract(text: fixture.text)
        #expect(reply.visibleText == fixture.visible)
        #expect(reply.signature == fixture.signature)
    }

    /// Texts that look like history in places but are not.
    static let keptTexts: [ReplyFixture] = [
        ReplyFixture(
            "On at the start", "On your remote host you can run:\n\n    telnet 127.0.0.1 52698",
            visible: "On your remote host you can run:\n\n    telnet 127.0.0.1 52698"),
        ReplyFixture(
            "On Thursday", "On Thursday, I get proper rendering.", visible: "On Thursday, I get proper rendering."),
        ReplyFixture(
            "Something wrote", "Text.\n\nSomething wrote:\nMore text.", visible: "Text.\n\nSomething wrote:\nMore text."
        ),
        ReplyFixture(
            "a single header line", "From: my home address\nPlease reply there.",
            visible: "From: my home address\nPlease reply there."),
        ReplyFixture("bullets", "List:\n\n   - one\n   - two", visible: "List:\n\n   - one\n   - two"),
    ]

    @Test(arguments: keptTexts)
    func textThatIsNoHistory(_ fixture: ReplyFixture) {
        #expect(ReplyExtractor.extract(text: fixture.text).visibleText == fixture.visible)
    }

    @Test func interleavedAnswersStay() {
        let text = """
            On Mon, Mar 5, 2018 at 10:12 AM, Ada <ada@example.org> wrote:
            > First question?

            First answer.

            > Second question?
            Second answer.

            -- 
            Bob
            """
        let reply = ReplyExtractor.extract(text: text)
        #expect(reply.visibleText == "First answer.\nSecond answer.")
        #expect(reply.signature == "-- \nBob")
    }

    @Test func quoteRemovedBetweenParagraphsKeepsOneBlankLine() {
        let text = "Test reply\n\nOn 04/19/2011 07:10 AM, Roman wrote:\n\n>\n> Test\n\nRegards, Roman"
        #expect(ReplyExtractor.extract(text: text).visibleText == "Test reply\n\nRegards, Roman")
    }

    @Test func nestedQuotesAreQuotes() {
        let text = "Fine.\n\n> > > deep\n>> deeper\n> shallow"
        #expect(ReplyExtractor.extract(text: text).visibleText == "Fine.")
    }

    @Test func wrappedQuoteLineIsNotAnAnswer() {
        let text =
            "Fine.\n\n> Lorem ipsum dolor sit amet, consectetur adipiscing elit. Nullam pharetra d\nignissim odio?\n>"
        #expect(ReplyExtractor.extract(text: text).visibleText == "Fine.")
    }

    @Test func carriageReturnsAreLineEnds() {
        let text =
            "Thanks, that works.\r\n\r\nOn Mon, Mar 5, 2018 at 10:12 AM, Ada <ada@example.org> wrote:\r\n> Hi\r\n"
        #expect(ReplyExtractor.extract(text: text).visibleText == "Thanks, that works.")
    }
}
