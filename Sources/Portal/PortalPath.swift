/// Request paths as logs may show them: the token of a sign-in, ticket or rating link replaced.
public enum PortalPath {
    /// The prefixes whose next segment is a token.
    static let tokenPrefixes = ["/portal/login/", "/portal/t/"]

    /// `/portal/t/<token>/rate/5` for `/portal/t/Zx9…/rate/5`; other paths as they are.
    public static func redacted(_ path: String) -> String {
        for prefix in tokenPrefixes where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            let tail = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
            return prefix + "<token>" + tail
        }
        return path
    }
}
