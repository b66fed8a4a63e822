import Foundation
import Hummingbird
import Logging
import NIOCore
import Store

/// The customer's tickets: the list, one ticket, its attachments; and the static files.
extension PortalController {
    static let pageSize = 20

    func addTicketRoutes(to router: Router<PortalRequestContext>) {
        router.get("/portal/tickets") { request, context in
            let visitor = try await requireVisitor(request)
            let query = TicketListQuery(request.uri.queryParameters)
            let rows = try await ticketRows(query, for: visitor)
            let lastPage = max(1, (rows.total + Self.pageSize - 1) / Self.pageSize)
            if query.page > lastPage { return redirect(query.url(page: lastPage)) }
            return html(ticketListPage(rows, query: query, visitor: visitor, csrf: csrfToken(context)))
        }
        router.get("/portal/tickets/:ref") { request, context in
            let visitor = try await requireVisitor(request)
            let view = try await ticketView(context.parameters.get("ref") ?? "", for: visitor)
            await logAccess(visitor, action: "portal.view", ticketID: view.ticket.id, detail: view.ticket.ref)
            let flash = TicketFlash(request.uri.queryParameters)
            return html(ticketDetailPage(view, visitor: visitor, csrf: csrfToken(context), flash: flash))
        }
        router.get("/portal/attachments/:id") { request, context in
            let visitor = try await requireVisitor(request)
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }),
                let attachment = try await database.read({
                    try $0.portalAttachment(id: id, customerID: visitor.customerID, ticketID: visitor.onlyTicketID)
                })
            else { throw notFound() }
            // Streamed from disk in chunks by NIO's file system, off the cooperative pool.
            let body: ResponseBody
            do {
                body = try await FileIO().loadFile(path: blobs.url(attachment.sha256, kind: .attachment).path, context: context)
            } catch {
                logger.error("attachment missing on disk", metadata: ["attachment.id": "\(id)", "error": "\(error)"])
                throw notFound()
            }
            await logAccess(visitor, action: "portal.download", ticketID: nil, detail: "attachment \(id)")
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream",
                    .contentDisposition: Self.contentDisposition(attachment.filename ?? "attachment-\(id)"),
                    .cacheControl: "private, no-store",
                ],
                body: body)
        }
    }

    /// The rendered rows of one page of the visitor's list and the total, from memory while nothing
    /// changed (same store generation, same minute for the relative times).
    func ticketRows(_ query: TicketListQuery, for visitor: Visitor) async throws -> PortalCache.ListEntry {
        let key = PortalCache.ListKey(
            customerID: visitor.customerID, onlyTicketID: visitor.onlyTicketID, filter: query.filter,
            search: query.search, page: query.page)
        let moment = now()
        let minute = Int(moment.timeIntervalSince1970 / 60)
        if let cached = cache.list(key, generation: visitor.generation, minute: minute) { return cached }
        let read = PortalCache.ListRead(key: key, generation: visitor.generation, minute: minute)
        return try await cache.listReads.value(for: read) { [self] in
            let page = try await database.read { tx in
                try tx.portalTickets(
                    customerID: key.customerID, onlyTicketID: key.onlyTicketID, filter: key.filter, search: key.search,
                    limit: Self.pageSize, offset: (key.page - 1) * Self.pageSize)
            }
            let entry = PortalCache.ListEntry(
                generation: visitor.generation, minute: minute, total: page.total,
                rows: HTML.join(page.rows.map { ticketRow($0, viewer: visitor.customer.email, now: moment) }))
            cache.remember(key, entry)
            return entry
        }
    }

    /// The visitor's ticket with this reference, or the not-found page (also for other customers' tickets).
    func ticketView(_ ref: String, for visitor: Visitor) async throws -> PortalTicketView {
        guard let view = try await database.read({ try $0.portalTicket(ref: ref, customerID: visitor.customerID) }),
            visitor.onlyTicketID == nil || visitor.onlyTicketID == view.ticket.id
        else { throw notFound() }
        return view
    }

    func addStaticRoutes(to router: Router<PortalRequestContext>) {
        // Browsers ask for an icon; there is none, and saying so quietly keeps their logs clean.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent, headers: [.cacheControl: "public, max-age=86400"]) }
        let css = ByteBuffer(string: stylesheet.css)
        router.get(RouterPath(stringLiteral: stylesheet.path)) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=31536000, immutable"],
                body: .init(byteBuffer: css))
        }
        if let logo = settings.logo {
            let bytes = ByteBuffer(bytes: logo.bytes)
            router.get(RouterPath(stringLiteral: Self.staticPrefix + "logo")) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: logo.contentType, .cacheControl: "public, max-age=3600"],
                    body: .init(byteBuffer: bytes))
            }
        }
    }

    /// `attachment; filename="..."; filename*=UTF-8''...`: the name safe for the header, whatever it holds.
    static func contentDisposition(_ filename: String) -> String {
        let ascii = String(
            filename.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7f
                    ? Character(scalar) : "_"
            })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

/// The list's tab, search and page, read leniently from the query string.
struct TicketListQuery: Sendable {
    var filter: PortalTicketFilter
    var search: String
    var page: Int

    init(filter: PortalTicketFilter = .all, search: String = "", page: Int = 1) {
        self.filter = filter
        self.search = search
        self.page = page
    }

    init(_ parameters: Parameters) {
        filter = parameters.get("tab").flatMap(PortalTicketFilter.init(rawValue:)) ?? .all
        search = String((parameters.get("q") ?? "").prefix(100))
        page = min(max(parameters.get("page").flatMap { Int($0) } ?? 1, 1), 100_000)
    }

    /// The list's address with these settings, e.g. `/portal/tickets?tab=open&q=invoice&page=2`.
    func url(filter: PortalTicketFilter? = nil, page: Int? = nil) -> String {
        var items: [String] = []
        let tab = filter ?? self.filter
        if tab != .all { items.append("tab=\(tab.rawValue)") }
        if !search.isEmpty {
            items.append("q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        let number = page ?? (filter == nil ? self.page : 1)
        if number > 1 { items.append("page=\(number)") }
        return "/portal/tickets" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }
}

/// What the ticket page says after a redirect: a reply sent, a rating saved, a ticket opened.
struct TicketFlash: Sendable {
    var message: String?

    init(_ parameters: Parameters) {
        if parameters.get("sent") != nil {
            message = "Your reply was added. We have been told."
        } else if parameters.get("rated") != nil {
            message = "Thank you for your rating."
        } else if parameters.get("opened") != nil {
            message = "Your ticket is open. We sent you a confirmation by email and will answer soon."
        }
    }
}
