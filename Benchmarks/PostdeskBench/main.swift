// postdesk-bench: throughput figures for `make bench`.
//
//   postdesk-bench parse DIR [--repeat N]
//   postdesk-bench smtp URL N [--user U --password P --ca FILE --to ADDRESS --insecure]
//   postdesk-bench render TEMPLATES_DIR [N]
//   postdesk-bench portal PORT [DIR]
//
// parse: reads every file into memory first, then times only the parsing (headers, tree, transfer
// decoding, charset conversion, body selection, attachments) and prints the median of N runs in the same
// shape as Benchmarks/python-email-baseline.py, so the two lines compare directly.
// smtp: see SMTPBenchmark.swift; render: see RenderBenchmark.swift; portal: see PortalBenchmark.swift.
import Foundation
import MIME

let arguments = CommandLine.arguments
if arguments.count >= 2, arguments[1] == "smtp" {
    exit(await SMTPBenchmark.run(Array(arguments.dropFirst(2))))
}
if arguments.count >= 2, arguments[1] == "render" {
    exit(RenderBenchmark.run(Array(arguments.dropFirst(2))))
}
if arguments.count >= 2, arguments[1] == "portal" {
    exit(await PortalBenchmark.run(Array(arguments.dropFirst(2))))
}
guard arguments.count >= 3, arguments[1] == "parse" else {
    let usage = "usage: postdesk-bench parse DIR [--repeat N]\n" + SMTPBenchmark.usage + RenderBenchmark.usage
        + PortalBenchmark.usage
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let folder = arguments[2]
var repeats = 5
if let index = arguments.firstIndex(of: "--repeat"), index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
    repeats = max(1, count)
}
let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
let files: [[UInt8]] = names.compactMap { name in
    FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)).map { [UInt8]($0) }
}
let totalBytes = files.reduce(0) { $0 + $1.count }
let parser = MIMEParser()
var timings: [Double] = []
var errors = 0
var checksum = 0
for _ in 0..<repeats {
    errors = 0
    let start = ContinuousClock.now
    for bytes in files {
        do {
            let mail = try parser.parse(bytes)
            checksum &+= mail.text.utf8.count &+ mail.attachments.reduce(0) { $0 + $1.size }
        } catch {
            errors += 1
        }
    }
    let elapsed = ContinuousClock.now - start
    timings.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
timings.sort()
let median = timings[timings.count / 2]
let rate = Double(totalBytes) / 1e6 / median
print(
    "postdesk-mime: files=\(files.count) bytes=\(totalBytes) errors=\(errors) median_seconds=\(String(format: "%.4f", median)) mb_per_s=\(String(format: "%.1f", rate))"
)
if checksum == 42 { print("") }  // keeps the work observable to the optimiser
