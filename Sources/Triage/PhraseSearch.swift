extension StringProtocol {
    /// Whether any of `phrases` occurs in the text, comparing UTF-8 bytes: callers fold the case of
    /// both sides first. Many times faster than `phrases.contains { text.contains($0) }`, which builds
    /// a Unicode-aware searcher per phrase; the rules here test hundreds of phrases on every mail.
    func containsAny(_ phrases: [String]) -> Bool {
        var text = String(self)
        return text.withUTF8 { haystack in
            phrases.contains { phrase in
                var needle = phrase
                return needle.withUTF8 { Self.occurs($0, in: haystack) }
            }
        }
    }

    private static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= haystack.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
