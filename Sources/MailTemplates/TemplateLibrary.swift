import Foundation

/// The mail templates in use: loaded from a folder, checked, rendered, and reloaded when an admin
/// edits them.
///
/// A reload swaps in the new templates only when they have no problem at all; otherwise the last
/// good set stays in use and the problems are returned. Safe to share: rendering reads an immutable
/// snapshot, and reloads run one at a time.
///
/// ```swift
/// let templates = try TemplateLibrary.load(from: "mail-templates")
/// let mail = try templates.render(.confirmation, context: context)
/// ```
public final class TemplateLibrary: Sendable {
    /// The template folder, as given to `load(from:)`.
    public let folder: String

    private struct State: Sendable {
        var current: TemplateSet
        /// The folder as it was when it was last read, whether or not that read was taken.
        var lastRead: TemplateFingerprint
    }

    private let state: Locked<State>
    /// Held for a whole reload, so that two reloads never race to swap.
    private let reloading = NSLock()

    private init(folder: String, set: TemplateSet, fingerprint: TemplateFingerprint) {
        self.folder = folder
        self.state = Locked(State(current: set, lastRead: fingerprint))
    }

    /// Reads and checks every template in `folder`.
    /// - Throws: `TemplateLoadError` with every problem, when there is any.
    public static func load(from folder: String) throws -> TemplateLibrary {
        let fingerprint = TemplateFolder.fingerprint(of: folder)
        let (set, problems) = TemplateSet.build(TemplateFolder.read(folder))
        guard let set, problems.isEmpty else { throw TemplateLoadError(problems: problems) }
        return TemplateLibrary(folder: folder, set: set, fingerprint: fingerprint)
    }

    /// Checks every template in `folder` without loading it (`postdesk templates check`): syntax, the
    /// variables and partials each file uses, and a render of every kind against its sample context.
    /// Empty when all is well.
    public static func check(folder: String) -> [TemplateProblem] {
        TemplateSet.build(TemplateFolder.read(folder)).problems
    }

    /// Checks the templates now in the folder, as `reload()` would, without swapping them in.
    public func check() -> [TemplateProblem] {
        Self.check(folder: folder)
    }

    /// Reads the folder again and swaps in the new templates when they have no problem. With
    /// problems, the templates in use stay as they are and the problems are returned.
    @discardableResult
    public func reload() -> [TemplateProblem] {
        reloading.lock()
        defer { reloading.unlock() }
        let fingerprint = TemplateFolder.fingerprint(of: folder)
        let (set, problems) = TemplateSet.build(TemplateFolder.read(folder))
        state.withLock { state in
            state.lastRead = fingerprint
            if let set, problems.isEmpty { state.current = set }
        }
        return problems
    }

    /// Renders one mail of `kind` with the templates in use.
    /// - Throws: `TemplateRenderError.missingContext` when `context` lacks what `kind` needs.
    public func render(_ kind: TemplateKind, context: TemplateContext) throws -> RenderedTemplate {
        let current = state.withLock { $0.current }
        return try current.render(kind, context: context)
    }

    /// Renders `kind` against its sample context, for previews.
    public func preview(_ kind: TemplateKind) throws -> RenderedTemplate {
        try render(kind, context: .sample(for: kind))
    }

    /// Whether `kind` sends an HTML part (its folder has `html.mustache`).
    public func hasHTML(_ kind: TemplateKind) -> Bool {
        state.withLock { $0.current.kinds[kind]?.html != nil }
    }

    /// The folder as it was when it was last read; the watcher compares against it.
    var lastReadFingerprint: TemplateFingerprint {
        state.withLock { $0.lastRead }
    }
}
