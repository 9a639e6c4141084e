#!/usr/bin/env bash
# Ingestion benchmark: generates 1,000,000 seeded events (once), then measures zlib-only inflate (the
# baseline of the targets), ISA-L-only inflate (the reader's inflater), the reader alone and the full
# ingest with the same number of threads (wall and CPU time), in a release build.
# Usage: Benchmarks/run.sh [EVENTS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
jobs=${2:-2}
swift build -c release --product IngestBenchmark >/dev/null
bench=.build/release/IngestBenchmark
data=${BENCH_DATA:-/tmp/pare-bench-$events}
[ -d "$data" ] || $bench generate "$data" "$events" 42
# Alternating, so that the load of a shared machine weighs on both alike.
for i in 1 2 3; do
    $bench inflate "$data" "$jobs"
    $bench isal "$data" "$jobs"
    $bench read "$data" "$jobs"
    $bench ingest "$data" "$jobs"
done
