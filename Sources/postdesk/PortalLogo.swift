import Foundation
import Portal

/// The logo file named in `[portal] logo`, read once at start.
enum PortalLogo {
    static func contentType(of path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "svg": "image/svg+xml"
        case "webp": "image/webp"
        default: nil
        }
    }

    static func load(_ path: String?) throws -> PortalSettings.Logo? {
        guard let path, let type = contentType(of: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PortalLogoError(path: path)
        }
        return PortalSettings.Logo(bytes: Array(data), contentType: type)
    }
}

struct PortalLogoError: Error, CustomStringConvertible {
    let path: String
    var description: String { "cannot read the portal logo \(path)" }
}
