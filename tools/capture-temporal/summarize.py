#!/usr/bin/env python3
"""Summarise a directory of Prometheus text scrapes (scrape-<unix ms>.prom or .prom.gz).

Prints: files and time span, gaps (missing scrapes), lines per scrape, distinct series,
metric families by type, label names, counter resets and series churn across the largest
gap (a server restart), the error families present (service_errors, persistence_errors,
*_error_with_type with their error_type values) and the required headline families.

Standard library only.  Usage: summarize.py [--interval S] [--json] DIR
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
from collections import Counter, defaultdict

NAME_RE = re.compile(r"scrape-(\d{13})\.prom(\.gz)?$")
LABEL_RE = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')
REQUIRED = [
    "workflow_success", "workflow_failed", "workflow_timeout", "workflow_terminate", "workflow_cancel",
    "service_requests", "service_error_with_type", "persistence_requests", "persistence_latency",
]


def split_sample(line: str) -> tuple[str, str, str]:
    """(metric name, label text without braces, value) of one sample line."""
    brace = line.find("{")
    space = line.find(" ")
    if brace != -1 and (space == -1 or brace < space):
        i, n, quoted = brace + 1, len(line), False
        while i < n:
            c = line[i]
            if quoted:
                if c == "\\":
                    i += 1
                elif c == '"':
                    quoted = False
            elif c == '"':
                quoted = True
            elif c == "}":
                break
            i += 1
        return line[:brace], line[brace + 1 : i], line[i + 1 :].split()[0]
    name, rest = line.split(None, 1)
    return name, "", rest.split()[0]


def read(path: str) -> str:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.read()


def family_of(name: str, types: dict[str, str]) -> str:
    if name in types:
        return name
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and name[: -len(suffix)] in types:
            return name[: -len(suffix)]
    return name


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--interval", type=float, default=5.0)
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args()

    files = sorted(
        (int(m.group(1)), os.path.join(args.dir, f))
        for f in os.listdir(args.dir)
        if (m := NAME_RE.match(f))
    )
    if not files:
        print(f"no scrape-<ms>.prom[.gz] files in {args.dir}", file=sys.stderr)
        return 1

    types: dict[str, str] = {}
    series_all: set[str] = set()
    lines_per, samples_per, bytes_per = [], [], []
    errors_with_type: dict[str, set[str]] = defaultdict(set)
    error_lines: Counter = Counter()
    versions: set[str] = set()
    per_scrape_series: list[set[str]] = []
    counter_series: set[str] = set()
    resets: list[tuple[int, int]] = []  # (scrape ms, number of counter series that went down)
    prev_values: dict[str, float] = {}
    reset_probe: list[dict[str, float]] = []
    bucket_lines = 0
    total_samples = 0

    for ms, path in files:
        text = read(path)
        bytes_per.append(len(text.encode()))
        lines = text.splitlines()
        lines_per.append(len(lines))
        current: set[str] = set()
        values: dict[str, float] = {}
        for line in lines:
            if not line:
                continue
            if line.startswith("#"):
                parts = line.split(None, 3)
                if len(parts) >= 4 and parts[1] == "TYPE":
                    types[parts[2]] = parts[3].strip()
                continue
            name, labels, value = split_sample(line)
            key = name + "{" + labels + "}"
            current.add(key)
            try:
                values[key] = float(value)
            except ValueError:
                pass
            if name.endswith("_bucket"):
                bucket_lines += 1
            for k, v in LABEL_RE.findall(labels):
                if k == "error_type" and name.endswith("_error_with_type"):
                    errors_with_type[name].add(v)
                if re.fullmatch(r"v?\d+_\d+_\d+", v):
                    versions.add(f"{name}{{{k}}}={v}")
            fam = family_of(name, types)
            if fam in ("service_errors", "persistence_errors") or fam.endswith("_error_with_type"):
                error_lines[fam] += 1
            if types.get(fam) == "counter" or (fam != name and types.get(fam) in ("histogram", "summary") and name.endswith("_count")):
                counter_series.add(key)
        down = sum(1 for k, v in values.items() if k in counter_series and k in prev_values and v < prev_values[k])
        if down:
            resets.append((ms, down))
        prev_values = values
        reset_probe.append({k: v for k, v in values.items() if k.startswith("service_requests{")})
        samples_per.append(len(current))
        total_samples += len(current)
        series_all |= current
        per_scrape_series.append(current)

    # Label names over all series.
    names_all: set[str] = set()
    for k in series_all:
        names_all.update(n for n, _ in LABEL_RE.findall(k[k.find("{") :]))

    times = [ms for ms, _ in files]
    gaps = [(a, b) for a, b in zip(times, times[1:]) if b - a > 1.5 * args.interval * 1000]
    biggest = max(gaps, key=lambda g: g[1] - g[0]) if gaps else None
    churn = None
    example = None
    if biggest:
        i = times.index(biggest[0])
        before_all = set().union(*per_scrape_series[: i + 1])
        after_all = set().union(*per_scrape_series[i + 1 :])
        churn = {
            "last_before_gap_not_in_first_after": len(per_scrape_series[i] - per_scrape_series[i + 1]),
            "in_first_after_gap_not_in_last_before": len(per_scrape_series[i + 1] - per_scrape_series[i]),
            "before_gap_never_seen_after": len(before_all - after_all),
            "after_gap_never_seen_before": len(after_all - before_all),
        }
        # One service_requests series across the gap, to show the counter reset.
        cands = [k for k in per_scrape_series[i] & per_scrape_series[i + 1] if k.startswith("service_requests{")]
        if cands:
            last_before = {k: v for k, v in reset_probe[i].items()}
            first_after = reset_probe[i + 1]
            k = max(cands, key=lambda k: last_before.get(k, 0))
            example = {"series": k, "last_before_gap": last_before.get(k), "first_after_gap": first_after.get(k)}

    fam_types = Counter(types.values())
    present = {f: (f in types) for f in REQUIRED}
    result = {
        "files": len(files),
        "first_ms": times[0],
        "last_ms": times[-1],
        "span_s": round((times[-1] - times[0]) / 1000, 1),
        "gaps": [{"after_ms": a, "before_ms": b, "seconds": round((b - a) / 1000, 1), "missing_scrapes": round((b - a) / (args.interval * 1000)) - 1} for a, b in gaps],
        "lines_per_scrape": {"min": min(lines_per), "median": int(statistics.median(lines_per)), "max": max(lines_per), "first": lines_per[0], "last": lines_per[-1]},
        "series_per_scrape": {"min": min(samples_per), "median": int(statistics.median(samples_per)), "max": max(samples_per)},
        "bytes_per_scrape": {"min": min(bytes_per), "median": int(statistics.median(bytes_per)), "max": max(bytes_per), "total": sum(bytes_per)},
        "samples_total": total_samples,
        "distinct_series": len(series_all),
        "bucket_series_share": round(sum(1 for k in series_all if k.split("{", 1)[0].endswith("_bucket")) / len(series_all), 3),
        "families": len(types),
        "families_by_type": dict(sorted(fam_types.items())),
        "label_names": sorted(names_all),
        "counter_resets": [{"at_ms": ms, "series_went_down": n} for ms, n in resets],
        "restart_churn": churn,
        "reset_example": example,
        "error_family_lines": dict(sorted(error_lines.items())),
        "service_errors_present": "service_errors" in types,
        "persistence_errors_present": "persistence_errors" in types,
        "error_with_type": {k: sorted(v) for k, v in sorted(errors_with_type.items())},
        "required_families_present": present,
        "version_like_label_values": sorted(versions),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    r = result
    print(f"files:            {r['files']} scrapes over {r['span_s']} s")
    for g in r["gaps"]:
        print(f"gap:              {g['seconds']} s after {g['after_ms']} ({g['missing_scrapes']} scrapes missing)")
    lp = r["lines_per_scrape"]
    print(f"lines per scrape: first {lp['first']}, min {lp['min']}, median {lp['median']}, max {lp['max']}, last {lp['last']}")
    sp = r["series_per_scrape"]
    print(f"series per scrape: min {sp['min']}, median {sp['median']}, max {sp['max']}")
    bp = r["bytes_per_scrape"]
    print(f"bytes per scrape: median {bp['median']}, max {bp['max']}, total {bp['total']}")
    print(f"distinct series:  {r['distinct_series']} ({r['bucket_series_share']:.0%} are _bucket series); samples {r['samples_total']}")
    print(f"metric families:  {r['families']} {r['families_by_type']}")
    print(f"label names ({len(r['label_names'])}): {' '.join(r['label_names'])}")
    for c in r["counter_resets"]:
        print(f"counter resets:   {c['series_went_down']} counter series went down at {c['at_ms']}")
    if r["restart_churn"]:
        c = r["restart_churn"]
        print(
            f"across the largest gap: {c['before_gap_never_seen_after']} series never came back, "
            f"{c['after_gap_never_seen_before']} new ones appeared; the first scrape after it lacks "
            f"{c['last_before_gap_not_in_first_after']} series of the last one before it"
        )
    if r["reset_example"]:
        e = r["reset_example"]
        print(f"e.g. {e['series']}: {e['last_before_gap']:g} before the gap, {e['first_after_gap']:g} after")
    print(f"service_errors present: {r['service_errors_present']}; persistence_errors present: {r['persistence_errors_present']}")
    print(f"error family sample lines: {r['error_family_lines']}")
    for k, v in r["error_with_type"].items():
        print(f"{k} error_type values: {' '.join(v)}")
    missing = [f for f, ok in r["required_families_present"].items() if not ok]
    print("required families: " + ("all present" if not missing else "MISSING " + " ".join(missing)))
    if r["version_like_label_values"]:
        print("version-like label values: " + " ".join(r["version_like_label_values"][:10]))
    return 0 if not missing else 3


if __name__ == "__main__":
    sys.exit(main())
