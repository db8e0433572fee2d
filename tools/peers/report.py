"""The side-by-side table of tools/compare-peers, and its place in docs/PERFORMANCE.md.

    python3 tools/peers/report.py --figures FILE.json --queries FILE.json --label LABEL \
        --command "tools/compare-peers ..." [--write-docs docs/PERFORMANCE.md]

Prints one Markdown section: the machine, the versions and the date, then one table with a row per
figure and a column per system, plus Sundial / peer ratios (below 1 means Sundial is smaller: better,
except for samples per second where above 1 is better). `--write-docs` puts the section between
`<!-- compare-peers:begin LABEL -->` and `<!-- compare-peers:end LABEL -->` in the file, replacing what
was there, or, the first time, just before the line `<!-- compare-peers:end -->`.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess

SYSTEMS = ("sundial", "prometheus", "vm")


def output(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
    system = f"{platform.system()} {platform.release()}"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            names = [line.split("=", 1)[1].strip().strip('"') for line in f if line.startswith("PRETTY_NAME=")]
        system = f"{names[0]}, {system}" if names else system
    return f"{os.cpu_count()} CPUs ({model}), {mem_kb / 1024 / 1024:.1f} GiB RAM, {system}"


def versions():
    rev = output("git", "rev-parse", "--short", "HEAD")
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "Sources", "Package.swift"]).returncode != 0
    vm = output("dpkg-query", "-W", "-f", "${Version}", "victoria-metrics")
    return (f"Sundial {rev}{' with uncommitted changes to Sources' if dirty else ''} ({output('swift', '--version')}); "
            f"{output('prometheus', '--version')}; VictoriaMetrics {vm} (Debian package)")


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"


def rows(fig, queries):
    n = fig["samples"]
    out = []
    for key, title, fmt in (("ingest_s", "ingest, wall s", "{:.2f}"), ("samples_per_s", "samples per second", "{:,.0f}"),
                            ("rss_mb", "peak RSS while ingesting, MB", "{:,.0f}"), ("bytes", "bytes on disk", "{:,.0f}"),
                            ("bytes_per_sample", "bytes per sample", "{:.3f}")):
        values = []
        for system in SYSTEMS:
            if key == "samples_per_s":
                values.append(n / fig[system]["ingest_s"])
            elif key == "bytes_per_sample":
                values.append(fig[system]["bytes"] / n)
            else:
                values.append(fig[system][key])
        out.append((title, [fmt.format(v) for v in values], values))
    for q in queries["queries"]:
        span = "range, last 24 h at 1 m" if q["kind"] == "range" else "instant"
        if q["kind"] == "range" and queries["range_end_ms"] - queries["range_start_ms"] < 86_400_000:
            span = f"range, whole corpus ({(queries['range_end_ms'] - queries['range_start_ms']) / 3.6e6:.1f} h) at 1 m"
        values = [q["sundial_ms"], q["prometheus_ms"], q["vm_ms"]]
        out.append((f"{q['title']}, {span}, ms", [f"{v:.1f}" for v in values], values))
    return out


def section(fig, queries, label, command):
    n = fig["samples"]
    lines = [f"### Corpus `{label}`: {n:,} samples ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC)", "",
             f"`{command}` on {machine()}; {versions()}. The machine is shared with other jobs and noisy "
             f"(load average {fig['load'][0]} at the start, {fig['load'][1]} before the queries): "
             "read the ratios rather than the absolute figures.", "",
             "| figure | Sundial | Prometheus | VictoriaMetrics | Sundial / Prometheus | Sundial / VictoriaMetrics |",
             "|---|---|---|---|---|---|"]
    for title, shown, values in rows(fig, queries):
        lines.append(f"| {title} | {' | '.join(shown)} | {ratio(values[0], values[1])} | {ratio(values[0], values[2])} |")
    checks = [f"{q['id']} {q['kind']} {q['check']}" for q in queries["queries"]]
    passed = sum(q["check"] == "PASS" for q in queries["queries"])
    lines += ["", f"- Sundial's answers equal Prometheus's (same series, values within 1e-9 relative): {passed} of "
              f"{len(checks)} ({', '.join(checks)}).",
              f"- Ingest: Sundial `sundial ingest` of {fig['files']:,} scrape files, then `sundial compact` "
              f"({fig['sundial']['compact_s']:.2f} s, not in the ingest time); Prometheus `promtool tsdb "
              f"create-blocks-from openmetrics` of the same corpus as one OpenMetrics file; VictoriaMetrics "
              f"`/api/v1/import/prometheus` of the scrapes in 32 MB parts, then a forced flush "
              f"(it counted {fig['vm']['rows']:,} rows).",
              f"- Bytes on disk are whole data directories: Sundial after `sundial compact`, VictoriaMetrics after "
              f"a forced merge, Prometheus as its server left promtool's {fig['prometheus']['promtool_blocks']} "
              f"blocks ({fig['prometheus']['promtool_bytes']:,} bytes, "
              f"{fig['prometheus']['promtool_bytes'] / n:.3f} bytes per sample) after its first compaction pass: "
              f"{fig['prometheus']['blocks']} blocks.",
              f"- Query latency: median of {queries['runs']} runs after a warm-up. Prometheus and VictoriaMetrics: "
              "HTTP round trip on 127.0.0.1 (curl's `time_total`), VictoriaMetrics with `nocache=1`. Sundial: "
              "the whole `sundial query --format json` process, a cold start each time (an embedded store has "
              "no server to keep warm)."]
    return "\n".join(lines) + "\n"


def write_docs(path, label, text):
    with open(path) as f:
        doc = f.read()
    begin, end = f"<!-- compare-peers:begin {label} -->", f"<!-- compare-peers:end {label} -->"
    block = f"{begin}\n{text}{end}"
    if begin in doc and end in doc:
        head, rest = doc.split(begin, 1)
        doc = head + block + rest.split(end, 1)[1]
    elif "<!-- compare-peers:end -->" in doc:
        doc = doc.replace("<!-- compare-peers:end -->", block + "\n\n<!-- compare-peers:end -->", 1)
    else:
        doc = doc.rstrip("\n") + "\n\n<!-- compare-peers:begin -->\n" + block + "\n\n<!-- compare-peers:end -->\n"
    with open(path, "w") as f:
        f.write(doc)


def main():
    parser = argparse.ArgumentParser()
    for name in ("figures", "queries", "label", "command"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--write-docs")
    a = parser.parse_args()
    with open(a.figures) as f:
        fig = json.load(f)
    with open(a.queries) as f:
        queries = json.load(f)
    text = section(fig, queries, a.label, a.command)
    print(text)
    if a.write_docs:
        write_docs(a.write_docs, a.label, text)


if __name__ == "__main__":
    main()
