import HTTPTypes
import Hummingbird
import NIOCore

/// A refusal shown as a readable page: not found, forbidden, gone, too many requests.
struct PortalPageError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let page: HTML
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: page.description)))
    }
}
