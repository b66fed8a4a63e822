/// Parses one entity and, recursively, its children. Each level scans only its own byte range, and
/// depth is bounded by `Options.maxDepth`, so the whole parse stays linear in the input size.
enum EntityParser {
    struct State {
        var options: MIMEParser.Options
        var partCount = 0
        var defects: [String] = []
        var reportedPartLimit = false

        init(options: MIMEParser.Options) {
            self.options = options
        }

        mutating func note(_ defect: String) {
            if defects.count < 100 { defects.append(defect) }
        }
    }

    static func parse(
        _ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, depth: Int, defaultType: String,
        state: inout State
    ) -> MIMEPart {
        state.partCount += 1
        let block = HeaderBlockParser.parse(buf, from: start, to: end, maxBytes: state.options.maxHeaderBytes)
        for defect in block.defects where depth == 0 || !defect.hasPrefix("header block not ended") {
            state.note(defect)
        }
        let headers = block.fields
        var contentType =
            headers.unfolded("content-type").map(HeaderParameters.init(parsing:))
            ?? HeaderParameters(value: defaultType)
        if !isValidType(contentType.value) {
            if !contentType.value.isEmpty { state.note("unusable content type \(contentType.value.prefix(60))") }
            contentType.value = contentType.value == "text" ? "text/plain" : defaultType
        }
        let disposition = headers.unfolded("content-disposition").map(HeaderParameters.init(parsing:))
        let encoding =
            headers.unfolded("content-transfer-encoding")
            .map { ByteScan.asciiLowercased(ByteScan.trimmed(HeaderParameters.stripComments($0))) } ?? "7bit"
        let bodyStart = block.bodyStart
        let type = contentType.value

        func make(_ body: MIMEPart.Body) -> MIMEPart {
            MIMEPart(
                headers: headers, contentType: contentType, disposition: disposition, transferEncoding: encoding,
                body: body)
        }

        if type.hasPrefix("multipart/") {
            guard let boundary = contentType["boundary"], !boundary.isEmpty else {
                state.note("multipart without boundary read as text")
                contentType.value = "text/plain"
                return make(.data(TransferDecoder.decode(buf, from: bodyStart, to: end, encoding: encoding)))
            }
            guard depth < state.options.maxDepth else {
                state.note("nesting deeper than \(state.options.maxDepth) kept as data")
                return make(.data(Array(buf[bodyStart..<end])))
            }
            let remaining = max(0, state.options.maxParts - state.partCount)
            let split = MultipartSplitter.split(
                buf, from: bodyStart, to: end, boundary: Array(boundary.utf8), maxParts: remaining)
            if split.parts.isEmpty {
                state.note("no boundary line found in multipart body")
                contentType.value = "text/plain"
                return make(.data(TransferDecoder.decode(buf, from: bodyStart, to: end, encoding: encoding)))
            }
            if !split.closed && split.parts.count < remaining { state.note("multipart without close delimiter") }
            if split.parts.count >= remaining && !split.closed && !state.reportedPartLimit {
                state.note("more than \(state.options.maxParts) parts; rest dropped")
                state.reportedPartLimit = true
            }
            let childType = type == "multipart/digest" ? "message/rfc822" : "text/plain"
            var children: [MIMEPart] = []
            children.reserveCapacity(split.parts.count)
            for range in split.parts {
                if state.partCount >= state.options.maxParts {
                    if !state.reportedPartLimit {
                        state.note("more than \(state.options.maxParts) parts; rest dropped")
                    }
                    state.reportedPartLimit = true
                    break
                }
                children.append(
                    parse(
                        buf, from: range.lowerBound, to: range.upperBound, depth: depth + 1,
                        defaultType: childType, state: &state))
            }
            return make(
                .multipart(
                    preamble: Array(buf[split.preamble]), parts: children,
                    epilogue: Array(buf[split.epilogue])))
        }

        let data = TransferDecoder.decode(buf, from: bodyStart, to: end, encoding: encoding)
        if type == "message/rfc822" || type == "message/global" {
            guard depth < state.options.maxDepth else {
                state.note("nesting deeper than \(state.options.maxDepth) kept as data")
                return make(.data(data))
            }
            guard state.partCount < state.options.maxParts else { return make(.data(data)) }
            let inner = data.withUnsafeBufferPointer { inner in
                // A forwarded message may begin like a file of its own: blank lines, an mbox From line.
                let innerStart = MIMEParser.headerStart(inner, state: &state)
                return parse(
                    inner, from: innerStart, to: inner.count, depth: depth + 1, defaultType: "text/plain",
                    state: &state)
            }
            return make(.message(inner, bytes: data))
        }
        return make(.data(data))
    }

    static func isValidType(_ value: String) -> Bool {
        let pieces = value.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else { return false }
        return !value.utf8.contains { $0 <= 32 || $0 >= 127 || $0 == UInt8(ascii: "\"") }
    }
}
