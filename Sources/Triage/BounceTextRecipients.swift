/// Finds the failed recipients that a non-standard bounce names in its words.
///
/// Real formats put them in a few shapes, tried from the most to the least specific:
/// 1. a line that starts with the address: `<ada@example.org>: host mx said: 550 5.1.1 ...`
///    (Postfix, qmail, Yahoo), `  ada@example.org on Fri, 20 Jul 2001` (Exchange), `* ada@...`;
///    an address after a word that names a recipient: `Failed Recipient: ada@...`,
///    `Unknown user: ada@...`, `Error-for: ada@...`, `RCPT TO:<ada@...>`, `delivered to ada@...`;
///    every address in the lines after an introduction such as `The following address(es)
///    failed:` or `did not reach the following recipient(s):`;
/// 2. a bare user name in such a block, completed with the reporting system's domain (AOL);
/// 3. addresses on lines that speak of a failure (`unknown`, `quota`, a 5xx reply);
/// 4. any address in the notification.
/// Addresses of the mail's sender and of mail systems (`postmaster`, `mailer-daemon`) never count.
struct BounceTextRecipients {
    struct Finding: Sendable, Hashable {
        var address: String
        var line: Int
    }

    let lines: [String]
    /// Never recipients: the bounce's own sender and addressees.
    let excluded: Set<String>
    /// Not recipients unless a line names them as such: the returned mail's author.
    var weaklyExcluded: Set<String> = []
    let reportingDomain: String?

    /// The recipients, in order of appearance, each once. Without `loose`, only the formal shapes
    /// count (for a mail that does not otherwise read like a failure report).
    func findings(loose: Bool = true) -> [Finding] {
        let scanned = lines.map(BounceAddressScanner.addresses(in:))
        var result = collect(strict: false) { index in recipientShaped(index, scanned, formal: !loose) }
        if result.isEmpty { result = bareNames() }
        guard loose else { return result }
        if result.isEmpty {
            result = collect(strict: true) { index in
                BounceTextRecipients.speaksOfFailure(lines[index])
                    ? scanned[index].filter { !BounceTextRecipients.isSenderContext(prefix(of: $0, in: index)) } : []
            }
        }
        if result.isEmpty {
            result = collect(strict: true) { index in
                scanned[index].filter { !BounceTextRecipients.isSenderContext(prefix(of: $0, in: index)) }
            }
        }
        return result
    }

    /// The server's words about one recipient: the rest of its line and the lines that follow,
    /// up to a blank line or a line about another recipient.
    func diagnostic(for finding: Finding, among all: [Finding]) -> String? {
        let others = Set(all.map(\.address)).subtracting([finding.address])
        var pieces: [String] = []
        let line = lines[finding.line]
        if let found = BounceAddressScanner.addresses(in: line).first(where: { $0.address == finding.address }) {
            let rest = String(decoding: Array(line.utf8)[found.end...], as: UTF8.self)
            pieces.append(rest)
        }
        var index = finding.line + 1
        while index < lines.count, index <= finding.line + 6 {
            let next = lines[index]
            if next.allSatisfy(\.isWhitespace) { break }
            if BounceAddressScanner.addresses(in: next).contains(where: { others.contains($0.address) })
                || BounceTextRecipients.introducesRecipients(next)
            {
                break
            }
            pieces.append(next)
            index += 1
        }
        let decoration: Set<Character> = [">", ":", ";", ",", ".", ")", "]", "\"", "'", " ", "\t", "-"]
        var text = Substring(BounceDeliveryStatus.squashed(pieces.joined(separator: " ")))
        while let first = text.first, decoration.contains(first) { text = text.dropFirst() }
        return BounceTextRecipients.hasWordsBesidesAddresses(String(text)) ? String(text) : nil
    }

    // MARK: - Shapes

    /// Recipients in the shapes only a report uses: a line starting with the address, a label
    /// (`Failed Recipient: ...`) or a block under an introduction; not an address in a sentence.
    func formalFindings() -> [Finding] {
        let scanned = lines.map(BounceAddressScanner.addresses(in:))
        return collect(strict: false) { index in recipientShaped(index, scanned, formal: true) }
    }

    private func recipientShaped(
        _ index: Int, _ scanned: [[BounceAddressScanner.Found]], formal: Bool = false
    ) -> [BounceAddressScanner.Found] {
        var found = scanned[index].filter { address in
            let before = prefix(of: address, in: index)
            if before.isEmpty { return BounceTextRecipients.endsRecipientLine(rest(after: address, in: index)) }
            let labelled = isLabelled(address, in: index)
            if formal && !labelled { return false }
            return BounceTextRecipients.namesRecipient(before, labelled: labelled)
        }
        if introduction(above: index) != nil {
            found += scanned[index].filter { !BounceTextRecipients.isSenderContext(prefix(of: $0, in: index)) }
        }
        return found
    }

    /// The index of the introduction line when `index` lies in the block right below one.
    private func introduction(above index: Int) -> Int? {
        var cursor = index - 1
        var blanks = 0
        var depth = 0
        while cursor >= 0, depth < 14 {
            let line = lines[cursor]
            if line.allSatisfy(\.isWhitespace) {
                blanks += 1
                // A blank line inside the block ends it, unless only blanks separate it from the introduction.
                if blanks > 2 { return nil }
            } else if BounceTextRecipients.introducesRecipients(line) {
                return cursor
            } else if blanks > 0 {
                return nil
            }
            cursor -= 1
            depth += 1
        }
        return nil
    }

    /// AOL style: a block of bare user names after an introduction; the reporting domain completes them.
    private func bareNames() -> [Finding] {
        guard let domain = reportingDomain else { return [] }
        var result: [Finding] = []
        for index in lines.indices where introduction(above: index) != nil {
            let token = lines[index].trimmed()
            guard (1...64).contains(token.count),
                token.unicodeScalars.allSatisfy({
                    BounceAddressScanner.isLocal(UInt8(truncatingIfNeeded: $0.value)) && $0.isASCII
                }),
                token.unicodeScalars.contains(where: \.properties.isAlphabetic)
            else { continue }
            let address = token.lowercased() + "@" + domain
            if !excluded.contains(address), !weaklyExcluded.contains(address),
                !result.contains(where: { $0.address == address })
            {
                result.append(Finding(address: address, line: index))
            }
        }
        return result
    }

    private func collect(strict: Bool, _ pick: (Int) -> [BounceAddressScanner.Found]) -> [Finding] {
        var result: [Finding] = []
        var seen: Set<String> = []
        for index in lines.indices {
            for found in pick(index)
            where !isExcluded(found.address) && !(strict && weaklyExcluded.contains(found.address))
                && seen.insert(found.address).inserted
            {
                result.append(Finding(address: found.address, line: index))
                if result.count == BounceTextRecipients.maxFindings { return result }
            }
        }
        return result
    }

    private func isExcluded(_ address: String) -> Bool {
        if excluded.contains(address) { return true }
        let local = address.split(separator: "@").first.map(String.init) ?? address
        return BounceTextRecipients.systemLocalParts.contains(local)
    }

    /// The address follows a label: `Receiver not found: ada@...`, `Recipient: [SMTP:ada@...]`.
    private func isLabelled(_ found: BounceAddressScanner.Found, in index: Int) -> Bool {
        var before = Substring(String(decoding: Array(lines[index].utf8)[..<found.start], as: UTF8.self))
        while let last = before.last, " \t<[(\"'".contains(last) { before = before.dropLast() }
        for routing in ["smtp:", "rfc822;", "mailto:"] where before.lowercased().hasSuffix(routing) {
            before = before.dropLast(routing.count)
            while let last = before.last, " \t<[(\"'".contains(last) { before = before.dropLast() }
        }
        return before.last == ":"
    }

    /// The text after an address on its line.
    private func rest(after found: BounceAddressScanner.Found, in index: Int) -> String {
        String(decoding: Array(lines[index].utf8)[found.end...], as: UTF8.self)
    }

    /// The text before an address on its line, lower-cased, with decoration and routing words cut.
    private func prefix(of found: BounceAddressScanner.Found, in index: Int) -> String {
        let bytes = Array(lines[index].utf8)
        return BounceTextRecipients.normalizedPrefix(String(decoding: bytes[..<found.start], as: UTF8.self))
    }
}
