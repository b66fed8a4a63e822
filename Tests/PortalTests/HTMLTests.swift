import Testing

@testable import Portal

@Suite struct HTMLTests {
    @Test func interpolatedTextIsEscaped() {
        let name = "<script>alert('x')</script> & \"quotes\""
        let cell: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(
            cell.description
                == "<td title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;\">"
                + "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;</td>")
    }

    @Test func markupGoesInAsIs() {
        let inner: HTML = "<b>\("x<y")</b>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.description == "<p><b>x&lt;y</b></p>")
    }

    @Test func brandColourPicksReadableText() async throws {
        let dark = try #require(BrandColor(hex: "#1d4ed8"))
        #expect(dark.onColor == "#ffffff")
        let light = try #require(BrandColor(hex: "#fde047"))
        #expect(light.onColor == "#111827")
        #expect(BrandColor(hex: "blue") == nil)
        #expect(BrandColor(hex: "#12345g") == nil)
    }
}
