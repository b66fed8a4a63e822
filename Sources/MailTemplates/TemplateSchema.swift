/// The variables of one kind of mail as a tree, to resolve the names a template uses the way
/// Mustache does: the first part of a dotted name is looked up from the innermost section outwards,
/// the rest inside what was found.
struct TemplateSchema: Sendable {
    /// One name in the tree.
    struct Node: Sendable {
        /// The full name, e.g. `ticket.ref`; empty for the root.
        var path: String
        /// Nil for an object that only groups other names (`ticket`, `customer`).
        var shape: TemplateVariable.Shape?
        /// The fields of an object, or of each item of a list.
        var children: [String: Node] = [:]

        var isList: Bool { shape == .list }
    }

    /// What a name resolves to.
    enum Resolution {
        case found(Node)
        /// `first()`, `index()` and the like inside a list section.
        case sequenceContext
        case problem(String)
    }

    let kind: TemplateKind
    let root: Node

    init(kind: TemplateKind) {
        self.kind = kind
        var root = Node(path: "", shape: nil)
        for variable in TemplateVariable.variables(for: kind) {
            Self.insert(variable, parts: variable.name.split(separator: ".").map(String.init)[...], into: &root)
        }
        self.root = root
    }

    private static func insert(_ variable: TemplateVariable, parts: ArraySlice<String>, into node: inout Node) {
        guard let first = parts.first else { return }
        let path = node.path.isEmpty ? first : "\(node.path).\(first)"
        var child = node.children[first] ?? Node(path: path, shape: nil)
        if parts.count == 1 {
            if child.shape == nil { child.shape = variable.shape }
        } else {
            insert(variable, parts: parts.dropFirst(), into: &child)
        }
        node.children[first] = child
    }

    /// Resolves `name` (with `transforms`) inside `scopes`, the root first and the innermost section's
    /// node last; `inList` tells whether a list section is open.
    func resolve(_ name: String, transforms: [String], scopes: [Node], inList: Bool) -> Resolution {
        for transform in transforms where !Self.transforms.contains(transform) {
            return .problem("unknown transform `\(transform)()`")
        }
        if name.isEmpty {
            guard !transforms.isEmpty else { return .problem("empty tag") }
            guard inList, transforms.allSatisfy(Self.sequenceTransforms.contains) else {
                return .problem("`\(transforms.joined(separator: "("))()` works only inside a list section")
            }
            return .sequenceContext
        }
        guard let innermost = scopes.last else { return .problem("unknown variable `\(name)`") }
        if name == "." { return .found(innermost) }
        let onlyInnermost = name.hasPrefix(".")
        let parts = name.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first else { return .problem("unknown variable `\(name)`") }
        let candidates = onlyInnermost ? [innermost] : scopes.reversed()
        guard var node = candidates.lazy.compactMap({ $0.children[first] }).first else {
            return .problem("unknown variable `\(name)` for \(kind.rawValue) mail")
        }
        for part in parts.dropFirst() {
            if node.isList {
                return .problem(
                    "`\(node.path)` is a list: write {{#\(node.path)}}…{{\(part)}}…{{/\(node.path)}}")
            }
            guard let child = node.children[part] else {
                return .problem("unknown variable `\(name)` for \(kind.rawValue) mail")
            }
            node = child
        }
        return .found(node)
    }

    /// swift-mustache's transforms.
    static let transforms: Set<String> = [
        "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count", "empty", "sorted",
        "enumerated", "equalzero", "plusone", "minusone", "even", "odd", "index",
    ]

    /// The transforms of the current item in a list section.
    static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]
}
