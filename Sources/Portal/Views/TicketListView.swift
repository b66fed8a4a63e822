import Foundation
import Store

extension PortalController {
    func ticketListPage(_ page: PortalCache.ListEntry, query: TicketListQuery, visitor: Visitor, csrf: String) -> HTML {
        let tabs = HTML.join(
            [(PortalTicketFilter.all, "All"), (.open, "Open"), (.resolved, "Resolved")].map { filter, label in
                let current: HTML = filter == query.filter ? " aria-current=\"page\"" : .empty
                return "<li><a href=\"\(query.url(filter: filter))\"\(current)>\(label)</a></li>"
            })
        let pages = max(1, (page.total + Self.pageSize - 1) / Self.pageSize)
        let noun = page.total == 1 ? "ticket" : "tickets"
        var pager: HTML = "<nav class=\"pager\" aria-label=\"Pages\"><span>"
        pager = query.page > 1 ? "\(pager)<a href=\"\(query.url(page: query.page - 1))\" rel=\"prev\">Previous</a>" : pager
        pager = "\(pager)</span><span>Page \(min(query.page, pages)) of \(pages) · \(page.total) \(noun)</span><span>"
        pager = query.page < pages ? "\(pager)<a href=\"\(query.url(page: query.page + 1))\" rel=\"next\">Next</a>" : pager
        pager = "\(pager)</span></nav>"
        let empty: HTML =
            page.total == 0
            ? "<p class=\"empty\">\(query.search.isEmpty ? "No tickets here yet." : "No ticket matches “\(query.search)”.")</p>"
            : .empty
        let limited: HTML =
            visitor.onlyTicketID != nil
            ? "<p class=\"notice\">You opened this from a link to one ticket, so only that ticket is shown. <a href=\"/portal\">Sign in with your email</a> to see all of them.</p>"
            : .empty
        let tabHidden: HTML =
            query.filter == .all ? .empty : "<input type=\"hidden\" name=\"tab\" value=\"\(query.filter.rawValue)\">"
        return layout.page(
            .init(title: "My tickets", customerEmail: visitor.customer.email, csrf: csrf),
            """
            <h1>My tickets</h1>\(limited)
            <div class="toolbar"><ul class="tabs" aria-label="Show">\(tabs)</ul>
            <form class="search" method="get" action="/portal/tickets" role="search">\(tabHidden)
            <div class="field"><label for="f-q" class="sr">Search by subject or reference</label>
            <input id="f-q" type="search" name="q" value="\(query.search)" placeholder="Subject or reference"></div>
            <button type="submit" class="secondary">Search</button></form></div>
            <ul class="tickets">\(page.rows)</ul>\(empty)\(pager)
            <p><a class="button" href="/portal/new">New ticket</a></p>
            """)
    }

    func ticketRow(_ row: PortalTicketRow, viewer: String, now moment: Date) -> HTML {
        var last = HTML.empty
        if let preview = row.lastPreview {
            let who =
                row.lastKind == .customer
                ? Self.customerAuthor(email: row.lastAuthorEmail, name: row.lastAuthorName, viewer: viewer)
                : (row.lastAuthorName ?? "Support")
            last = "<p class=\"preview\"><strong>\(who):</strong> \(Self.shortPreview(preview))</p>"
        }
        let messages = row.publicMessageCount == 1 ? "1 message" : "\(row.publicMessageCount) messages"
        return """
            <li class="ticket"><div><span class="ref">\(row.ref)</span>
            <h2><a href="/portal/tickets/\(row.ref)">\(row.subject)</a></h2>\(last)
            <p class="meta">\(assigneeText(row.assignee)) · \(messages) · opened \(PortalClock.day(row.createdAt))</p></div>
            <div class="side">\(statusBadge(row.status))
            <p class="meta">updated <time datetime="\(PortalClock.iso(row.updatedAt))" title="\(PortalClock.dateTime(row.updatedAt))">\(PortalClock.relative(row.updatedAt, now: moment))</time></p></div></li>
            """
    }

    func statusBadge(_ status: Ticket.Status) -> HTML {
        "<span class=\"status status-\(status.rawValue)\">\(Self.statusLabel(status))</span>"
    }

    func assigneeText(_ assignee: String?) -> String {
        assignee.map { "Handled by \($0)" } ?? "Not assigned yet"
    }

    static func statusLabel(_ status: Ticket.Status) -> String {
        switch status {
        case .new: "New"
        case .open: "Open"
        case .pending: "Awaiting your reply"
        case .resolved: "Resolved"
        case .closed: "Closed"
        }
    }

    /// The first words of a message on one line, at most 140 characters.
    static func shortPreview(_ text: String) -> String {
        // ASCII white space collapsed byte by byte; the cut falls on a scalar boundary.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(text.utf8.count, 600))
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace { bytes.append(0x20) }
            pendingSpace = false
            bytes.append(byte)
            if bytes.count > 560 { break }
        }
        let flat = String(decoding: bytes, as: UTF8.self)
        var scalars = flat.unicodeScalars.makeIterator()
        var cut = String.UnicodeScalarView()
        var count = 0
        while count < 140, let scalar = scalars.next() {
            cut.append(scalar)
            count += 1
        }
        guard scalars.next() != nil else { return flat }
        cut.removeLast()
        return String(cut) + "…"
    }
}
