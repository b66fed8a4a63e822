import Foundation
import Store

extension OutboxRecord {
    /// The fields stored with the row (its template context), strictly decoded.
    func fields() throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(context.utf8))
    }

    static func json(_ fields: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
    }
}
