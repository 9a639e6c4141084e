import CIsal
import CZlib
import CloudTrail
import Foundation
import IAMCatalog
import Ingest
import Synchronization
import UsageStore

// Ingestion benchmark (release build):
//   IngestBenchmark generate DIR [EVENTS] [SEED]   seeded realistic CloudTrail, S3 layout, gzip
//   IngestBenchmark inflate DIR [JOBS]             zlib alone: inflate every file, same threads
//   IngestBenchmark isal DIR [JOBS]                ISA-L alone (the reader's inflater), same threads
//   IngestBenchmark read DIR [JOBS]                the reader alone (inflate + record scan)
//   IngestBenchmark ingest DIR [JOBS]              the full pipeline into a fresh store
// Benchmarks/run.sh runs them and prints the figures.

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    return kb / 1024
}

/// User + system CPU seconds of the process so far (all threads).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// The inflaters the benchmark times: zlib (the baseline of the targets) and ISA-L (what the reader uses).
enum Inflater: String { case zlib, isal }

/// Inflates every file, `jobs` threads, 256 KiB chunks (as the reader does); returns bytes.
func inflateAll(_ files: [LogFile], jobs: Int, with inflater: Inflater) -> Int {
    let lock = NSLock()
    nonisolated(unsafe) var next = 0
    nonisolated(unsafe) var total = 0
    let group = DispatchGroup()
    for _ in 0..<jobs {
        group.enter()
        Thread {
            let input = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 18)
            let output = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 18)
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            let state = pare_isal_create()
            var produced = 0
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                if i >= files.count { break }
                let fd = open(files[i].path, O_RDONLY)
                switch inflater {
                case .zlib:
                    stream.initialize(to: z_stream())
                    inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
                    var status = Z_OK
                    while status != Z_STREAM_END {
                        let n = read(fd, input, 1 << 18)
                        if n <= 0 { break }
                        stream.pointee.next_in = input
                        stream.pointee.avail_in = UInt32(n)
                        repeat {
                            stream.pointee.next_out = output
                            stream.pointee.avail_out = UInt32(1 << 18)
                            status = inflate(stream, Z_NO_FLUSH)
                            produced += (1 << 18) - Int(stream.pointee.avail_out)
                        } while stream.pointee.avail_out == 0 && status == Z_OK
                    }
                    inflateEnd(stream)
                case .isal:
                    guard let state else { break }
                    pare_isal_start(state, 1)
                    var status: Int32 = 0
                    while pare_isal_finished(state) == 0 && status == 0 {
                        let n = read(fd, input, 1 << 18)
                        if n <= 0 { break }
                        var inputLeft = UInt32(n)
                        var outputLeft: UInt32 = 0
                        repeat {
                            status = pare_isal_inflate(
                                state, input + (n - Int(inputLeft)), inputLeft, output, UInt32(1 << 18), &inputLeft,
                                &outputLeft)
                            produced += (1 << 18) - Int(outputLeft)
                        } while outputLeft == 0 && status == 0
                    }
                }
                close(fd)
            }
            lock.lock()
            total += produced
            lock.unlock()
            group.leave()
        }.start()
    }
    group.wait()
    return total
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: IngestBenchmark generate|inflate|isal|read|ingest DIR [N]")
    exit(64)
}
let dir = URL(fileURLWithPath: arguments[2])
switch arguments[1] {
case "generate":
    let events = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
    let seed = arguments.count > 4 ? UInt64(arguments[4]) ?? 42 : 42
    let start = ContinuousClock.now
    let (files, written, bytes) = try Generator.write(events: events, seed: seed, to: dir)
    print(
        "generated \(written) events in \(files) files, \(bytes / 1_048_576) MiB uncompressed, in \(String(format: "%.1f", seconds(since: start))) s"
    )
case "inflate", "isal":
    // `inflate`: zlib alone, the baseline of the targets; `isal`: ISA-L alone, the inflater the reader uses.
    let inflater: Inflater = arguments[1] == "isal" ? .isal : .zlib
    if inflater == .isal {
        guard let probe = pare_isal_create() else {
            print("isal: this build has no ISA-L (install libisal-dev and rebuild)")
            exit(1)
        }
        pare_isal_destroy(probe)
    }
    let jobs = arguments.count > 3 ? Int(arguments[3]) ?? 2 : 2
    let files = LogDiscovery().discover([dir.path]).files
    let start = ContinuousClock.now
    let cpu = cpuSeconds()
    let bytes = inflateAll(files, jobs: jobs, with: inflater)
    let t = seconds(since: start)
    print(
        (inflater == .zlib ? "inflate" : "isal   ")
            + String(
                format: "  %.3f s  cpu %.3f s  %d files  %.0f MiB  %.0f MiB/s  jobs %d", t, cpuSeconds() - cpu,
                files.count, Double(bytes) / 1_048_576, Double(bytes) / 1_048_576 / t, jobs))
case "read":
    // The reader alone (inflate + record scan), same threads: where the time goes.
    let jobs = arguments.count > 3 ? Int(arguments[3]) ?? 2 : 2
    let files = LogDiscovery().discover([dir.path]).files
    let lock = NSLock()
    nonisolated(unsafe) var next = 0
    nonisolated(unsafe) var records = 0
    let group = DispatchGroup()
    let start = ContinuousClock.now
    let cpu = cpuSeconds()
    for _ in 0..<jobs {
        group.enter()
        Thread {
            let reader = LogReader()
            var count = 0
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                if i >= files.count { break }
                count += reader.read(path: files[i].path, name: files[i].name) { _ in }.records
            }
            lock.lock()
            records += count
            lock.unlock()
            group.leave()
        }.start()
    }
    group.wait()
    let t = seconds(since: start)
    print(
        String(
            format: "read     %.3f s  cpu %.3f s  %d records  %.0f records/s  jobs %d", t, cpuSeconds() - cpu, records,
            Double(records) / t, jobs))
case "ingest":
    let jobs = arguments.count > 3 ? Int(arguments[3]) ?? 2 : 2
    let storePath = FileManager.default.temporaryDirectory.appendingPathComponent(
        "pare-bench-\(UUID().uuidString).sqlite"
    ).path
    defer {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
    }
    let catalog = try ActionCatalog.load(from: ActionCatalog.locate(explicit: nil))
    var store: UsageStore? = try UsageStore(path: storePath)
    let start = ContinuousClock.now
    let cpu = cpuSeconds()
    // When the last file was read: what follows is the writer's tail, with the readers idle.
    let lastRead = Mutex(0.0)
    var options = Ingestion.Options(paths: [dir.path], jobs: jobs)
    // PARE_BENCH_UNTIMED=1 hands over and commits by file counts only (under callgrind, whose slowdown
    // would otherwise multiply the commits): the instruction counts of two builds then compare.
    if ProcessInfo.processInfo.environment["PARE_BENCH_UNTIMED"] == "1" {
        options.handOverInterval = .seconds(1 << 20)
        options.commitInterval = .seconds(1 << 20)
    }
    let summary = try Ingestion.run(options, store: store!, resolver: catalog) {
        if $0.filesDone == $0.files { lastRead.withLock { if $0 == 0 { $0 = seconds(since: start) } } }
    }
    let ingested = seconds(since: start)
    // PARE_BENCH_DUMP=FILE writes the store's dump there, to compare the contents of two builds (untimed).
    if let dumpPath = ProcessInfo.processInfo.environment["PARE_BENCH_DUMP"] {
        try store?.dump().write(toFile: dumpPath, atomically: true, encoding: .utf8)
    }
    // Releasing the store closes it, which checkpoints the write-ahead log into the database file: part
    // of what `pare ingest` costs.
    let closing = ContinuousClock.now
    store = nil
    let closeSeconds = seconds(since: closing)
    let t = ingested + closeSeconds
    let c = summary.counts
    print(
        String(
            format:
                "ingest   %.3f s  cpu %.3f s  %d records  %.0f events/s  peak RSS %.0f MiB  jobs %d  tail %.3f s"
                + " (closing %.3f s)",
            t,
            cpuSeconds() - cpu, summary.records, Double(summary.records) / t, peakRSSMegabytes(), jobs,
            t - lastRead.withLock { $0 }, closeSeconds))
    print(
        "         used \(c.used), denied \(c.denied), noPermission \(c.noPermission), awsService \(c.awsService), unresolved \(c.unresolved), diagnostics \(summary.diagnostics.count)"
    )
default:
    print("unknown mode `\(arguments[1])`")
    exit(64)
}
