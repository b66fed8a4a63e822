import Foundation
import Gateway
import Logging
import MailModel
import Portal
import TOMLKit

/// Reads `postdesk.toml` into a `PostdeskConfig`, reporting every problem at once.
///
/// Relative paths are taken from the configuration file's folder. Secrets may come from the
/// environment: a mailbox's `password_env` names the variable that holds its password.
enum ConfigLoader {
    static func load(path: String, environment: [String: String]) throws(ConfigErrors) -> PostdeskConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors(file: path, problems: [ConfigProblem(key: "", line: nil, message: "cannot read the file")])
        }
        let folder = (URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let (config, problems) = parse(String(decoding: data, as: UTF8.self), baseFolder: folder, environment: environment)
        guard problems.isEmpty else { throw ConfigErrors(file: path, problems: problems) }
        return config
    }

    static func parse(
        _ text: String, baseFolder: String, environment: [String: String]
    ) -> (PostdeskConfig, [ConfigProblem]) {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return (PostdeskConfig(), [ConfigProblem(key: "", line: error.source.begin.line, message: error.description)])
        } catch {
            return (PostdeskConfig(), [ConfigProblem(key: "", line: nil, message: "\(error)")])
        }
        let report = ConfigReport(lines: ConfigKeyLines(text: text))
        let reader = ConfigTableReader(table: root, path: "", report: report)
        var config = PostdeskConfig()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : (baseFolder as NSString).appendingPathComponent(path)
        }

        if let storage = reader.table("storage") {
            if let dir = storage.string("data_dir") { config.dataDir = resolve(dir) } else { config.dataDir = resolve("data") }
            config.keepRawDays = storage.int("keep_raw_days", in: 1...36_500)
            storage.rejectUnknownKeys()
        } else {
            config.dataDir = resolve("data")
        }
        config.helpdesk.templates = resolve(config.helpdesk.templates)
        if let helpdesk = reader.table("helpdesk") {
            readHelpdesk(helpdesk, into: &config.helpdesk, environment: environment, resolve: resolve)
        }
        if let outbound = reader.table("outbound") {
            config.outbound = readOutbound(outbound, resolve: resolve, environment: environment)
        }
        if let agents = reader.table("agents") {
            for address in agents.strings("addresses") ?? [] {
                if isPlausibleAddress(address) { config.agents.addresses.append(address.lowercased()) } else {
                    report.problem(agents.key("addresses"), "is not an email address: \(address.debugDescription)")
                }
            }
            if let team = agents.string("team_address") {
                if isPlausibleAddress(team) { config.agents.teamAddress = team } else {
                    report.problem(agents.key("team_address"), "is not an email address: \(team.debugDescription)")
                }
            }
            if let id = agents.string("authserv_id"), !id.isEmpty { config.agents.authservID = id }
            config.agents.noticeDigestMinutes =
                agents.int("notice_digest_minutes", in: 0...1_440) ?? config.agents.noticeDigestMinutes
            agents.rejectUnknownKeys()
        }
        if let portal = reader.table("portal") {
            readPortal(portal, into: &config.portal, resolve: resolve)
        }
        if let log = reader.table("log") {
            if let level = log.string("level") {
                if let parsed = Logger.Level(rawValue: level) { config.logLevel = parsed } else {
                    report.problem(log.key("level"), "must be one of trace, debug, info, notice, warning, error, critical")
                }
            }
            if let format = log.string("format") {
                if let parsed = PostdeskConfig.LogFormat(rawValue: format) { config.logFormat = parsed } else {
                    report.problem(log.key("format"), "must be text or json")
                }
            }
            log.rejectUnknownKeys()
        }
        config.imap = reader.tables("imap").enumerated().map { index, table in
            readIMAP(table, index: index, resolve: resolve, environment: environment)
        }
        config.maildirs = reader.tables("maildir").enumerated().map { index, table in
            var maildir = PostdeskConfig.Maildir(name: table.string("name") ?? "maildir\(index + 1)")
            if let path = table.string("path"), !path.isEmpty { maildir.path = resolve(path) } else {
                report.problem(table.key("path"), "is required")
            }
            maildir.pollInterval = table.int("poll_interval", in: 1...86_400) ?? maildir.pollInterval
            maildir.batchSize = table.int("batch_size", in: 1...1_000) ?? maildir.batchSize
            table.rejectUnknownKeys()
            return maildir
        }
        reader.rejectUnknownKeys()
        let names = config.imap.map(\.name) + config.maildirs.map(\.name)
        for name in Set(names) where names.filter({ $0 == name }).count > 1 {
            report.problem("", "two inbound sources are named \"\(name)\"")
        }
        return (config, report.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
    }

    /// A secret given as `NAME = "value"` or, better, `NAME_env = "VARIABLE"` naming where it is.
    private static func secret(_ table: ConfigTableReader, name: String, environment: [String: String]) -> String? {
        let direct = table.string(name)
        guard let variable = table.string(name + "_env") else { return direct }
        guard let value = environment[variable], !value.isEmpty else {
            table.report.problem(table.key(name + "_env"), "names the environment variable \(variable), which is not set")
            return nil
        }
        return value
    }

    private static func readHelpdesk(
        _ table: ConfigTableReader, into helpdesk: inout PostdeskConfig.Helpdesk, environment: [String: String],
        resolve: (String) -> String
    ) {
        if let address = table.string("support_address") {
            if isPlausibleAddress(address) { helpdesk.supportAddress = address } else {
                table.report.problem(table.key("support_address"), "is not an email address: \(address.debugDescription)")
            }
        }
        if let own = table.strings("own_addresses") {
            for address in own where !isPlausibleAddress(address) {
                table.report.problem(table.key("own_addresses"), "is not an email address: \(address.debugDescription)")
            }
            helpdesk.ownAddresses = own
        }
        if let prefix = table.string("ticket_prefix") {
            if (2...8).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }),
                prefix.first?.isLetter == true
            {
                helpdesk.ticketPrefix = prefix
            } else {
                table.report.problem(table.key("ticket_prefix"), "must be 2 to 8 upper-case letters or digits, starting with a letter")
            }
        }
        helpdesk.sendConfirmations = table.bool("send_confirmations") ?? helpdesk.sendConfirmations
        helpdesk.replyAll = table.bool("reply_all") ?? helpdesk.replyAll
        if let policy = table.string("closed_ticket_reply") {
            if let parsed = IngestSettings.ClosedTicketPolicy(rawValue: policy) { helpdesk.closedTicketReply = parsed } else {
                table.report.problem(table.key("closed_ticket_reply"), "must be reopen or new-ticket")
            }
        }
        helpdesk.productName = table.string("product_name") ?? helpdesk.productName
        if let url = table.string("portal_url") {
            if url.hasPrefix("http://") || url.hasPrefix("https://") { helpdesk.portalURL = url } else {
                table.report.problem(table.key("portal_url"), "must start with http:// or https://")
            }
        }
        if let templates = table.string("templates") { helpdesk.templates = resolve(templates) }
        helpdesk.secretKey = secret(table, name: "secret_key", environment: environment)
        if let key = helpdesk.secretKey, key.utf8.count < 32 {
            table.report.problem(table.key("secret_key"), "must be at least 32 characters long")
        }
        table.rejectUnknownKeys()
    }

    private static func readIMAP(
        _ table: ConfigTableReader, index: Int, resolve: (String) -> String, environment: [String: String]
    ) -> PostdeskConfig.IMAPMailbox {
        let report = table.report
        var box = PostdeskConfig.IMAPMailbox(name: table.string("name") ?? "imap\(index + 1)")
        if let url = table.string("url") {
            let lower = url.lowercased()
            if !(lower.hasPrefix("imap://") || lower.hasPrefix("imaps://")) {
                report.problem(table.key("url"), "must start with imap:// (STARTTLS) or imaps:// (TLS)")
            } else if url.dropFirst(lower.hasPrefix("imaps://") ? 8 : 7).contains(where: { $0 == "/" || $0 == "?" }) {
                report.problem(table.key("url"), "must name only the server (imaps://host:port); set the folder with inbox")
            }
            box.url = url
        } else {
            report.problem(table.key("url"), "is required")
        }
        if let user = table.string("user"), !user.isEmpty { box.user = user } else { report.problem(table.key("user"), "is required") }
        if let password = secret(table, name: "password", environment: environment) {
            box.password = password
        } else if table.table["password_env"] == nil {
            report.problem(table.key("password"), "is required (or password_env, the name of a variable that holds it)")
        }
        if let caFile = table.string("ca_file") {
            let path = resolve(caFile)
            if FileManager.default.isReadableFile(atPath: path) { box.caFile = path } else {
                report.problem(table.key("ca_file"), "cannot read \(path)")
            }
        }
        box.insecure = table.bool("insecure") ?? false
        box.allowPlaintext = table.bool("allow_plaintext") ?? false
        for (key, keyPath) in [("inbox", \PostdeskConfig.IMAPMailbox.inbox), ("processed_folder", \.processedFolder), ("quarantine_folder", \.quarantineFolder)] {
            guard let name = table.string(key) else { continue }
            if name.isEmpty || name.contains(where: { $0.isNewline || $0 == "\0" }) {
                report.problem(table.key(key), "must be a folder name on one line")
            } else {
                box[keyPath: keyPath] = name
            }
        }
        if box.processedFolder == box.inbox || box.quarantineFolder == box.inbox {
            report.problem(table.key("processed_folder"), "processed and quarantine folders must differ from the inbox")
        }
        box.pollInterval = table.int("poll_interval", in: 1...86_400) ?? box.pollInterval
        box.batchSize = table.int("batch_size", in: 1...1_000) ?? box.batchSize
        box.maxMailMB = table.int("max_mail_mb", in: 1...2_000) ?? box.maxMailMB
        table.rejectUnknownKeys()
        return box
    }

    private static func readOutbound(
        _ table: ConfigTableReader, resolve: (String) -> String, environment: [String: String]
    ) -> PostdeskConfig.Outbound {
        var outbound = PostdeskConfig.Outbound()
        if let folder = table.string("folder") { outbound.folder = resolve(folder) }
        if let url = table.string("url") {
            let lower = url.lowercased()
            if lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://") { outbound.url = url } else {
                table.report.problem(table.key("url"), "must start with smtp:// (STARTTLS) or smtps:// (TLS)")
            }
        }
        if outbound.url == nil, outbound.folder == nil, table.table["url"] == nil {
            table.report.problem(table.key("url"), "is required (or folder, to write .eml files instead of sending)")
        }
        if outbound.url != nil, outbound.folder != nil {
            table.report.problem(table.key("folder"), "cannot go with url: choose a server or a folder")
        }
        outbound.user = table.string("user") ?? ""
        outbound.password = secret(table, name: "password", environment: environment) ?? ""
        if let caFile = table.string("ca_file") {
            let path = resolve(caFile)
            if FileManager.default.isReadableFile(atPath: path) { outbound.caFile = path } else {
                table.report.problem(table.key("ca_file"), "cannot read \(path)")
            }
        }
        outbound.insecure = table.bool("insecure") ?? false
        outbound.allowPlaintext = table.bool("allow_plaintext") ?? false
        outbound.retryHours = table.int("retry_hours", in: 1...720) ?? outbound.retryHours
        table.rejectUnknownKeys()
        return outbound
    }

    static func isPlausibleAddress(_ text: String) -> Bool { EmailAddress.isPlausible(text) }
}
