import CCurl
import Dispatch
import Foundation

/// TLS and login settings shared by the IMAP and SMTP adapters.
public struct CurlConnection: Sendable {
    /// `imap://`, `imaps://`, `smtp://` or `smtps://` with host and port, no path.
    public var url: String
    public var user: String
    public var password: String
    /// PEM file of the certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// Skips certificate verification: for tests against a self-signed server only.
    public var insecure: Bool
    /// With a plain scheme (`imap://`, `smtp://`): require STARTTLS (the default) or allow plain text.
    public var requireTLS: Bool
    public var connectTimeout: Int
    /// Longest wait for one server reply.
    public var responseTimeout: Int

    public init(
        url: String, user: String, password: String, caFile: String? = nil, insecure: Bool = false,
        requireTLS: Bool = true, connectTimeout: Int = 10, responseTimeout: Int = 30
    ) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.user = user
        self.password = password
        self.caFile = caFile
        self.insecure = insecure
        self.requireTLS = requireTLS
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
    }
}

/// One libcurl easy handle and the connection it keeps alive between transfers.
///
/// `curl_easy_perform` blocks, so every transfer runs on the session's own serial queue, never on
/// Swift's cooperative pool; the handle is touched on that queue only, hence `@unchecked Sendable`.
final class CurlSession: @unchecked Sendable {
    struct Request {
        var url: String
        var customRequest: String?
        var upload: [UInt8]?
        var mailFrom: String?
        var recipients: [String] = []
        /// `CURLOPT_LOGIN_OPTIONS`, e.g. `AUTH=PLAIN;AUTH=LOGIN` to limit the SASL mechanisms.
        var loginOptions: String?
        /// Whole-transfer limit in seconds (0: none beyond the per-reply timeout).
        var timeout: Int = 0
        /// The most message data kept: past it (or as soon as a larger literal is announced) the write
        /// callback refuses the data, the transfer stops with `CurlError.exceededLimit`, and memory stays
        /// bounded whatever the server sends. nil: no limit.
        var maxBodyBytes: Int? = nil
    }

    struct Response {
        var body: [UInt8]
        /// Every protocol line the server sent that was not message data.
        var headerLines: [String]
        var responseCode: Int
        /// True when the transfer opened a new connection instead of reusing the live one.
        var connected: Bool
    }

    private let handle: UnsafeMutableRawPointer
    private let queue: DispatchQueue
    private let connection: CurlConnection

    init(connection: CurlConnection, label: String) throws(CurlError) {
        CurlGlobal.initialize()
        guard let handle = curl_easy_init() else { throw CurlError(code: -1, message: "curl_easy_init failed") }
        self.handle = handle
        self.connection = connection
        queue = DispatchQueue(label: "postdesk.curl.\(label)")
    }

    deinit { curl_easy_cleanup(handle) }

    func perform(_ request: Request) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { () throws(CurlError) -> Response in try self.performBlocking(request) })
            }
        }
    }

    private func performBlocking(_ request: Request) throws(CurlError) -> Response {
        curl_easy_reset(handle)  // options are sticky; reset keeps the live connection
        let transfer = Transfer(upload: request.upload ?? [], limit: request.maxBodyBytes)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var recipientList: UnsafeMutablePointer<curl_slist>?
        defer {
            errorBuffer.deallocate()
            curl_slist_free_all(recipientList)
        }
        let h = handle
        let box = Unmanaged.passUnretained(transfer).toOpaque()
        ccurl_setopt_string(h, CURLOPT_URL, request.url)
        ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_ptr(h, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT, connection.connectTimeout)
        ccurl_setopt_long(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, connection.responseTimeout)
        ccurl_setopt_long(h, CURLOPT_TIMEOUT, request.timeout)
        // A reply slower than 1 byte/s for a whole response timeout means a dead peer.
        ccurl_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1)
        ccurl_setopt_long(h, CURLOPT_LOW_SPEED_TIME, connection.responseTimeout)
        // No user means no login at all (an SMTP relay that trusts the network): libcurl then skips AUTH.
        if !connection.user.isEmpty {
            ccurl_setopt_string(h, CURLOPT_USERNAME, connection.user)
            ccurl_setopt_string(h, CURLOPT_PASSWORD, connection.password)
        }
        if let options = request.loginOptions { ccurl_setopt_string(h, CURLOPT_LOGIN_OPTIONS, options) }
        if connection.requireTLS { ccurl_setopt_long(h, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = connection.caFile { ccurl_setopt_string(h, CURLOPT_CAINFO, caFile) }
        if connection.insecure {
            ccurl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            ccurl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        ccurl_setopt_write_cb(h, CURLOPT_WRITEFUNCTION) { pointer, size, count, userdata in
            guard let pointer, let userdata else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.write(UnsafeRawBufferPointer(start: pointer, count: size * count))
        }
        ccurl_setopt_ptr(h, CURLOPT_WRITEDATA, box)
        ccurl_setopt_write_cb(h, CURLOPT_HEADERFUNCTION) { pointer, size, count, userdata in
            guard let pointer, let userdata else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
            transfer.headerLine(UnsafeRawBufferPointer(start: pointer, count: size * count))
            return size * count
        }
        ccurl_setopt_ptr(h, CURLOPT_HEADERDATA, box)
        if let custom = request.customRequest { ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, custom) }
        if let mailFrom = request.mailFrom { ccurl_setopt_string(h, CURLOPT_MAIL_FROM, mailFrom) }
        if !request.recipients.isEmpty {
            for recipient in request.recipients { recipientList = curl_slist_append(recipientList, recipient) }
            ccurl_setopt_slist(h, CURLOPT_MAIL_RCPT, recipientList)
        }
        if request.upload != nil {
            ccurl_setopt_long(h, CURLOPT_UPLOAD, 1)
            ccurl_setopt_off(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(transfer.upload.count))
            ccurl_setopt_read_cb(h, CURLOPT_READFUNCTION) { buffer, size, count, userdata in
                guard let buffer, let userdata else { return 0 }
                let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
                return transfer.read(into: buffer, capacity: size * count)
            }
            ccurl_setopt_ptr(h, CURLOPT_READDATA, box)
        }
        let code = withExtendedLifetime(transfer) { curl_easy_perform(h) }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw CurlError(
                code: Int(code.rawValue), message: text.filter { !$0.isNewline },
                serverReply: serverReply(transfer.headerLines),
                exceededLimit: code == CURLE_WRITE_ERROR && transfer.exceeded, uploadStarted: transfer.uploadOffset > 0)
        }
        var responseCode = 0
        var connects = 0
        ccurl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &responseCode)
        ccurl_getinfo_long(h, CURLINFO_NUM_CONNECTS, &connects)
        return Response(
            body: transfer.body, headerLines: transfer.headerLines, responseCode: responseCode, connected: connects > 0)
    }
}

extension CurlSession {
    /// The server's words about a failed transfer: IMAP's last tagged NO/BAD, SMTP's first error reply.
    fileprivate func serverReply(_ lines: [String]) -> String? {
        let isIMAP = connection.url.lowercased().hasPrefix("imap")
        let line = isIMAP ? IMAPResponse.lastRefusal(in: lines) : SMTPReply.firstError(in: lines)?.line
        return line.map { CurlError.serverLine($0, user: connection.user, password: connection.password) }
    }
}

/// The buffers of one transfer, reached from libcurl's C callbacks through an opaque pointer.
private final class Transfer {
    var body: [UInt8] = []
    var headerLines: [String] = []
    let upload: [UInt8]
    var uploadOffset = 0
    let limit: Int?
    /// The data passed `limit`, or a literal larger than it was announced.
    var exceeded = false

    init(upload: [UInt8], limit: Int?) {
        self.upload = upload
        self.limit = limit
    }

    /// Keeps message data, or refuses it (0 makes libcurl stop with CURLE_WRITE_ERROR) past the limit.
    func write(_ bytes: UnsafeRawBufferPointer) -> Int {
        if let limit, exceeded || body.count + bytes.count > limit {
            exceeded = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        // Trim the line end as bytes: as a String, CR LF is one Character that neither "\r" nor "\n" matches.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        headerLines.append(line)
        // A fetch announces its literal's size (`BODY[] {667}`) just before the data: reserve for it (a hint
        // only, capped so that a server cannot make us reserve gigabytes).
        if line.hasSuffix("}"), let open = line.lastIndex(of: "{"),
            let size = Int(line[line.index(after: open)..<line.index(before: line.endIndex)]), size >= 0
        {
            if let limit, body.count + size > limit {
                exceeded = true
            } else {
                body.reserveCapacity(body.count + min(size, limit ?? 1 << 26))
            }
        }
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, upload.count - uploadOffset)
        guard count > 0 else { return 0 }
        upload.withUnsafeBytes { source in
            guard let base = source.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        return count
    }
}

/// `curl_global_init`, once per process.
enum CurlGlobal {
    private static let done: Bool = { curl_global_init(CCURL_GLOBAL_ALL) == CURLE_OK }()
    static func initialize() { _ = done }
}
