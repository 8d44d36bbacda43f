#!/usr/bin/env python3
"""Example check for a MOP `script` step (type: script, alias custom_python).

NetStacks runs this file and writes one JSON object on its stdin:

    {"step": "...", "params": {...}, "device": {"name": ..., "host": ..., "platform": ...} or null,
     "inputs": {...}, "steps": {...earlier steps' results...}, "captures": {...}, "dry_run": false}

It answers with one JSON object on stdout:

    {"passed": true|false, "message": "...", "captures": {"name": value, ...}}

(or "status": "passed" | "failed" | "skipped" instead of "passed"). Print diagnostics on stderr:
stdout is for the answer only. A non-zero exit fails the step.

This one checks a version string captured by an earlier step against a minimum, e.g.

    - id: version_gate
      type: script
      path: mops/scripts/example_check.py
      params:
        version: "{{ steps.show_version.captures.version }}"
        minimum: "15.2"
"""
import json
import re
import sys


def as_tuple(version):
    """'15.2(4)M7' -> (15, 2, 4, 7): the numbers in order, for comparison."""
    return tuple(int(n) for n in re.findall(r"\d+", str(version)))


def main():
    request = json.load(sys.stdin)
    params = request.get("params") or {}
    device = (request.get("device") or {}).get("name", "the run")
    version = params.get("version")
    minimum = params.get("minimum")
    if version in (None, "") or minimum in (None, ""):
        return {"passed": False, "message": "params 'version' and 'minimum' are required"}
    ok = as_tuple(version) >= as_tuple(minimum)
    print(f"{device}: {version} vs minimum {minimum}", file=sys.stderr)
    return {
        "passed": ok,
        "message": f"{device}: {version} is {'at least' if ok else 'older than'} {minimum}",
        "captures": {"version_ok": ok, "version_parts": list(as_tuple(version))},
    }


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
    sys.stdout.write("\n")
