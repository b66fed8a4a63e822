import Foundation

/// Reads the template folder: `<kind>/subject.mustache`, `text.mustache`, `html.mustache` and
/// `partials/<name>.mustache`. Other `.mustache` files are problems (most likely a typo in a name);
/// every other file (README.md, editor backups) is left alone.
enum TemplateFolder {
    /// The folder of shared partials.
    static let partialsFolder = "partials"
    /// Template files bigger than this are refused.
    static let maximumFileSize = 256 * 1024
    static let fileExtension = ".mustache"

    /// The files of one kind.
    enum FileRole: String, CaseIterable, Sendable {
        case subject, text, html

        var fileName: String { rawValue + TemplateFolder.fileExtension }
    }

    /// What was read: the text of every template file by its path relative to the folder.
    struct Contents: Sendable {
        var files: [String: String] = [:]
        var problems: [TemplateProblem] = []
        /// True when the folder itself could not be read: its problem is the only one worth telling.
        var unreadable = false
    }

    static func path(of role: FileRole, for kind: TemplateKind) -> String {
        "\(kind.folder)/\(role.fileName)"
    }

    static func read(_ folder: String) -> Contents {
        var contents = Contents()
        let manager = FileManager()
        guard let entries = try? manager.contentsOfDirectory(atPath: folder) else {
            contents.problems.append(TemplateProblem(file: "", reason: "cannot read the template folder \(folder)"))
            contents.unreadable = true
            return contents
        }
        let kindFolders = Set(TemplateKind.allCases.map(\.folder))
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if entry.hasSuffix(fileExtension) {
                    contents.problems.append(
                        TemplateProblem(
                            file: entry, reason: "templates belong in a kind's folder or in partials/, not at the top"))
                }
                continue
            }
            let names = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where name.hasSuffix(fileExtension) && !name.hasPrefix(".") {
                let file = "\(entry)/\(name)"
                if kindFolders.contains(entry) {
                    guard FileRole.allCases.contains(where: { $0.fileName == name }) else {
                        contents.problems.append(
                            TemplateProblem(
                                file: file, reason: "unknown template: a kind has subject, text and html.mustache"))
                        continue
                    }
                } else if entry != partialsFolder {
                    contents.problems.append(
                        TemplateProblem(
                            file: file,
                            reason: "unknown folder `\(entry)`: kinds are "
                                + TemplateKind.allCases.map(\.folder).joined(separator: ", ")
                                + ", shared partials go in partials/"))
                    continue
                }
                readFile(file, at: (path as NSString).appendingPathComponent(name), into: &contents)
            }
        }
        return contents
    }

    private static func readFile(_ file: String, at path: String, into contents: inout Contents) {
        guard let data = FileManager().contents(atPath: path) else {
            contents.problems.append(TemplateProblem(file: file, reason: "cannot read the file"))
            return
        }
        guard data.count <= maximumFileSize else {
            contents.problems.append(
                TemplateProblem(file: file, reason: "the file is bigger than \(maximumFileSize / 1024) KiB"))
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            contents.problems.append(TemplateProblem(file: file, reason: "the file is not UTF-8 text"))
            return
        }
        contents.files[file] = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// The name, size and modification time of every file and folder two levels deep: cheap to take
    /// every second, and different after any edit, new file or removal.
    static func fingerprint(of folder: String) -> TemplateFingerprint {
        let manager = FileManager()
        var entries: [TemplateFingerprint.Entry] = []
        func add(_ relative: String, _ path: String) {
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { return }
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            entries.append(.init(path: relative, modified: modified, size: size))
        }
        add("", folder)
        for entry in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
            let path = (folder as NSString).appendingPathComponent(entry)
            add(entry, path)
            for name in (try? manager.contentsOfDirectory(atPath: path)) ?? [] {
                add("\(entry)/\(name)", (path as NSString).appendingPathComponent(name))
            }
        }
        return TemplateFingerprint(entries: entries.sorted { $0.path < $1.path })
    }
}

/// What the template folder looked like at one moment; two are equal when nothing changed between.
struct TemplateFingerprint: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        var path: String
        var modified: Double
        var size: Int64
    }

    var entries: [Entry]
}
