import Foundation
import Gateway
import Testing

@testable import postdesk

@Suite("Configuration")
struct ConfigLoaderTests {
    func parse(_ text: String, environment: [String: String] = [:]) -> (PostdeskConfig, [ConfigProblem]) {
        ConfigLoader.parse(text, baseFolder: "/etc/postdesk", environment: environment)
    }

    @Test("the documented example is valid once its password variable is set")
    func example() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/postdesk.example.toml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let (config, problems) = parse(
            text, environment: ["POSTDESK_IMAP_PASSWORD": "s3cret", "POSTDESK_SMTP_PASSWORD": "smtp-secret"])
        #expect(problems.isEmpty, "\(problems)")
        #expect(config.imap.count == 1)
        #expect(config.imap.first?.password == "s3cret")
        #expect(config.imap.first?.url == "imaps://imap.example.test:993")
        #expect(config.dataDir == "/etc/postdesk/data")
        #expect(config.outbound?.password == "smtp-secret")
        #expect(config.outbound?.url == "smtp://smtp.example.test:587")
        #expect(config.helpdesk.templates == "/etc/postdesk/mail-templates")
        #expect(config.agents.teamAddress == "team@example.test")
        #expect(config.imap.first?.maxMailMB == 25)
        let (_, missing) = parse(text)
        #expect(missing.map(\.key) == ["outbound.password_env", "imap[0].password_env"], "in the order of the file")
    }

    @Test("an empty file runs on defaults")
    func defaults() {
        let (config, problems) = parse("")
        #expect(problems.isEmpty)
        #expect(config.helpdesk.ticketPrefix == "TKT")
        #expect(config.dataDir == "/etc/postdesk/data")
    }

    @Test("every problem is reported with its key and line, unknown keys included")
    func problems() {
        let text = """
            [helpdesk]
            support_adress = "x@example.test"
            ticket_prefix = "t"

            [[imap]]
            url = "http://imap.example.test"
            user = "u"
            poll_interval = 0

            [[imap]]
            url = "imaps://imap.example.test/INBOX"
            password = "p"
            batch_size = "ten"
            colour = "blue"
            """
        let (_, problems) = parse(text)
        let found = problems.map { "\($0.line ?? 0) \($0.key)" }
        #expect(found == [
            "2 helpdesk.support_adress", "3 helpdesk.ticket_prefix", "5 imap[0].password", "6 imap[0].url",
            "8 imap[0].poll_interval", "10 imap[1].user", "11 imap[1].url", "13 imap[1].batch_size", "14 imap[1].colour",
        ])
        #expect(problems.first { $0.key == "helpdesk.support_adress" }?.message == "unknown key")
    }

    @Test("the signing key comes from the environment when named there")
    func secretFromEnvironment() {
        let key = String(repeating: "k", count: 40)
        let (config, problems) = parse(
            "[helpdesk]\nsecret_key_env = \"KEY\"\nclosed_ticket_reply = \"new-ticket\"", environment: ["KEY": key])
        #expect(problems.isEmpty)
        #expect(config.helpdesk.secretKey == key)
        #expect(config.helpdesk.closedTicketReply == .newTicket)
    }

    @Test("a syntax error names its line")
    func syntax() {
        let (_, problems) = parse("[helpdesk]\nsupport_address = \"unterminated\n")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 2)
    }

    @Test("addresses, prefixes, folders and paths are checked", arguments: [
        ("[helpdesk]\nsupport_address = \"not an address\"", "helpdesk.support_address"),
        ("[helpdesk]\nown_addresses = [\"ok@example.test\", \"bad\"]", "helpdesk.own_addresses"),
        ("[helpdesk]\nticket_prefix = \"TOOLONGPREFIX\"", "helpdesk.ticket_prefix"),
        ("[log]\nlevel = \"loud\"", "log.level"),
        ("[agents]\naddresses = [\"alice\"]", "agents.addresses"),
        ("[outbound]\nurl = \"http://x\"", "outbound.url"),
        ("[outbound]\nuser = \"u\"", "outbound.url"),
        ("[outbound]\nurl = \"smtp://x\"\nfolder = \"sent\"", "outbound.folder"),
        ("[helpdesk]\nportal_url = \"help.example.test\"", "helpdesk.portal_url"),
        ("[agents]\nteam_address = \"team\"", "agents.team_address"),
        ("[helpdesk]\nclosed_ticket_reply = \"ignore\"", "helpdesk.closed_ticket_reply"),
        ("[helpdesk]\nsecret_key = \"short\"", "helpdesk.secret_key"),
        ("[helpdesk]\nsecret_key_env = \"POSTDESK_UNSET_VARIABLE\"", "helpdesk.secret_key_env"),
        ("[[imap]]\nurl = \"imaps://h\"\nuser = \"u\"\npassword = \"p\"\nca_file = \"/nonexistent.pem\"", "imap[0].ca_file"),
        ("[[imap]]\nurl = \"imaps://h\"\nuser = \"u\"\npassword = \"p\"\ninbox = \"A\\nB\"", "imap[0].inbox"),
        ("[[imap]]\nurl = \"imaps://h\"\nuser = \"u\"\npassword = \"p\"\nmax_mail_mb = 0", "imap[0].max_mail_mb"),
        ("[[maildir]]\nname = \"drop\"", "maildir[0].path"),
        ("storage = 3", "storage"),
    ])
    func checks(_ text: String, _ key: String) {
        let (_, problems) = parse(text)
        #expect(problems.map(\.key) == [key], "\(problems)")
    }

    @Test("the portal's connection and write limits: defaults, values, and refusals with their keys")
    func portalLimits() {
        let (defaults, none) = parse("")
        #expect(none.isEmpty)
        #expect(defaults.portal.headerTimeoutSeconds == 10)
        #expect(defaults.portal.idleTimeoutSeconds == 60)
        #expect(defaults.portal.maxConnections == 512)
        #expect(defaults.portal.writesPerCustomer == 20)
        #expect(defaults.portal.writeWindowMinutes == 10)
        let (set, problems) = parse(
            "[portal]\nheader_timeout_seconds = 5\nidle_timeout_seconds = 30\nmax_connections = 100\n"
                + "writes_per_customer = 3\nwrite_window_minutes = 60\n")
        #expect(problems.isEmpty, "\(problems)")
        let portal = set.portal
        #expect(
            [portal.headerTimeoutSeconds, portal.idleTimeoutSeconds, portal.maxConnections, portal.writesPerCustomer,
                portal.writeWindowMinutes] == [5, 30, 100, 3, 60] as [Int])
        let (_, refused) = parse(
            "[portal]\nheader_timeout_seconds = 0\nidle_timeout_seconds = \"a minute\"\nmax_connections = 0\n"
                + "writes_per_customer = -1\n")
        #expect(refused.map(\.key) == [
            "portal.header_timeout_seconds", "portal.idle_timeout_seconds", "portal.max_connections",
            "portal.writes_per_customer",
        ])
        #expect(refused.first?.message == "must be between 1 and 300, not 0")
        #expect(refused.first?.line == 2)
        let (_, longer) = parse("[portal]\nheader_timeout_seconds = 120\nidle_timeout_seconds = 60\n")
        #expect(longer.map(\.key) == ["portal.header_timeout_seconds"])
        #expect(longer.first?.message.contains("must not be longer than idle_timeout_seconds") == true)
    }

    @Test("keep_raw_days: forever by default, a number of days, or a refusal naming the key")
    func keepRawDays() {
        #expect(parse("").0.keepRawDays == nil)
        let (set, none) = parse("[storage]\nkeep_raw_days = 90\n")
        #expect(none.isEmpty, "\(none)")
        #expect(set.keepRawDays == 90)
        for (value, message) in [
            ("-3", "must be between 1 and 36500, not -3"), ("0", "must be between 1 and 36500, not 0"),
            ("1.5", "must be a whole number"), ("\"90\"", "must be a whole number"),
        ] {
            let (config, problems) = parse("[storage]\nkeep_raw_days = \(value)\n")
            #expect(problems.map(\.description) == ["line 2: storage.keep_raw_days: \(message)"], "\(value)")
            #expect(config.keepRawDays == nil)
        }
    }
}
