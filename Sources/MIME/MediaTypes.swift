/// Media types for file names that come without one (uuencoded blocks).
enum MediaTypes {
    static func guess(filename: String) -> String {
        guard let dot = filename.lastIndex(of: ".") else { return "application/octet-stream" }
        let ext = ByteScan.asciiLowercased(String(filename[filename.index(after: dot)...]))
        return byExtension[ext] ?? "application/octet-stream"
    }

    static let byExtension: [String: String] = [
        "txt": "text/plain", "htm": "text/html", "html": "text/html", "csv": "text/csv",
        "pdf": "application/pdf", "zip": "application/zip", "gz": "application/gzip",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
        "doc": "application/msword", "xls": "application/vnd.ms-excel", "json": "application/json",
        "xml": "application/xml", "eml": "message/rfc822", "tar": "application/x-tar",
    ]
}
