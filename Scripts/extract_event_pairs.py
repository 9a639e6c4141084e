#!/usr/bin/env python3
"""Lists every distinct (eventSource, eventName) in the CloudTrail fixtures.

Reads the three shapes found under Fixtures/cloudtrail/: S3 delivery files ({"Records": [...]},
optionally gzipped), JSON arrays of records, and JSON Lines (one record per line). Prints one
`eventSource<TAB>eventName<TAB>eventTypes<TAB>count` line per pair (eventTypes: the distinct
`eventType` values of its records, comma-separated), sorted, so the output is byte-identical for
identical input.

    python3 Scripts/extract_event_pairs.py Fixtures/cloudtrail > Fixtures/cloudtrail-event-pairs.tsv
"""
import collections
import gzip
import json
import os
import sys


def records(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    stripped = text.lstrip()
    if not stripped:
        return []
    if stripped[0] == "[":
        return json.loads(stripped)
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError:
        return [json.loads(line) for line in stripped.splitlines() if line.strip()]
    if isinstance(document, dict) and "Records" in document:
        return document["Records"]
    return [document]


def main(root):
    pairs = collections.Counter()
    types = collections.defaultdict(set)
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not (name.endswith(".json") or name.endswith(".json.gz")):
                continue
            for record in records(os.path.join(folder, name)):
                source = record.get("eventSource")
                event = record.get("eventName")
                if isinstance(source, str) and isinstance(event, str):
                    pairs[(source, event)] += 1
                    types[(source, event)].add(record.get("eventType") or "-")
    out = sys.stdout
    out.write("# eventSource\teventName\teventTypes\tcount — derived from Fixtures/cloudtrail/ by Scripts/extract_event_pairs.py\n")
    for (source, event), count in sorted(pairs.items()):
        out.write(f"{source}\t{event}\t{','.join(sorted(types[(source, event)]))}\t{count}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Fixtures/cloudtrail")
