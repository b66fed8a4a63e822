import Portal

// The configuration holds the signing key and the mailboxes' and SMTP's passwords; the app and the
// portal's server hold them too. None of them prints, dumps or reflects its stored properties.

extension PostdeskConfig: KeepsSecrets {
    var redactedSummary: String {
        "PostdeskConfig(data_dir: \(dataDir), \(imap.count) imap, \(maildirs.count) maildir, secrets redacted)"
    }
}

extension PostdeskConfig.Helpdesk: KeepsSecrets {
    var redactedSummary: String { "Helpdesk(\(supportAddress), secret key redacted)" }
}

extension PostdeskConfig.Outbound: KeepsSecrets {
    var redactedSummary: String { "Outbound(\(url ?? folder ?? "-"), user: \(user), password redacted)" }
}

extension PostdeskConfig.IMAPMailbox: KeepsSecrets {
    var redactedSummary: String { "IMAPMailbox(\(name), \(url), user: \(user), password redacted)" }
}

extension PostdeskApp: KeepsSecrets {}
extension PortalServer: KeepsSecrets {
    var redactedSummary: String { "PortalServer(\(address))" }
}
