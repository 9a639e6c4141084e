// Catalog load time and memory, and the cost of the lookups callers repeat.
// Run: swift run -c release CatalogBenchmark [ActionCatalog-folder]
import Foundation
import IAMCatalog

func residentBytes() -> Int {
    // Linux: the second field of /proc/self/statm is resident pages.
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

func measure(_ label: String, repetitions: Int, _ body: () throws -> Void) rethrows {
    var samples: [Duration] = []
    for _ in 0..<repetitions {
        let start = ContinuousClock.now
        try body()
        samples.append(ContinuousClock.now - start)
    }
    samples.sort()
    func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f ms", Double(seconds) * 1e3 + Double(attoseconds) / 1e15)
    }
    print(
        "\(label): median \(milliseconds(samples[samples.count / 2])), best \(milliseconds(samples[0])) (\(repetitions) runs)"
    )
}

let folder =
    CommandLine.arguments.count > 1
    ? URL(fileURLWithPath: CommandLine.arguments[1]) : try ActionCatalog.locate(explicit: nil)
let before = residentBytes()
var catalog = try ActionCatalog.load(from: folder)
let after = residentBytes()
print("catalog: \(catalog.prefixes.count) prefixes, \(catalog.count) actions from \(folder.path)")
print("resident memory added by the first load: \(String(format: "%.1f", Double(after - before) / 1_048_576)) MiB")

try measure("load", repetitions: 30) { catalog = try ActionCatalog.load(from: folder) }

let names = catalog.names(of: catalog.allActions)
measure("action(named:) x \(names.count) (mixed case)", repetitions: 10) {
    var found = 0
    for name in names where catalog.action(named: name.uppercased()) != nil { found += 1 }
    precondition(found == names.count)
}
measure("expand(\"s3:Get*\")", repetitions: 200) { _ = catalog.expand("s3:Get*") }
measure("expand(\"*:List*\")", repetitions: 50) { _ = catalog.expand("*:List*") }
measure("expand(notAction: [\"iam:*\"])", repetitions: 200) { _ = catalog.expand(notAction: ["iam:*"]) }
let events = [
    ("s3.amazonaws.com", "ListObjectsV2"), ("lambda.amazonaws.com", "GetFunction20150331v2"),
    ("ec2.amazonaws.com", "DescribeInstances"), ("signin.amazonaws.com", "ConsoleLogin"),
    ("kms.amazonaws.com", "Decrypt"), ("example.amazonaws.com", "Nothing"),
]
measure("resolve x 10,000 (6 distinct events)", repetitions: 10) {
    for index in 0..<10_000 {
        let (source, name) = events[index % events.count]
        _ = catalog.resolve(eventSource: source, eventName: name)
    }
}
