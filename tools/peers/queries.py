"""Query latency of Sundial, Prometheus and VictoriaMetrics on one corpus, and Sundial's answers
checked against Prometheus's.

    python3 tools/peers/queries.py --sundial BIN --store DIR --prometheus PORT --vm PORT \
        --first MS --last MS [--runs 5] --out FILE.json

Each query runs at the corpus end (instant) and over the last 24 h of the corpus, or all of it when
shorter (range, 60 s step). Prometheus and VictoriaMetrics: the HTTP round trip on 127.0.0.1 as curl
reports it (`time_total`), after one untimed warm-up request; VictoriaMetrics with `nocache=1` so that
its rollup result cache does not answer repeated requests. Sundial: the whole `sundial query --format
json` process, a cold start each time (an embedded store has no server), after one untimed warm-up
run that fills the page cache. The figure is the median of `--runs` runs.

Sundial's answer equals Prometheus's when both succeed with the same result type, the same label sets,
the same timestamps (within 0.5 ms) and values equal within 1e-9 relative (or both NaN, or the same
infinity). An empty answer from Prometheus counts as a failure: the check would prove nothing.
Prints one PASS/FAIL line per query and time; writes every run's figures to the JSON file.
"""
import argparse
import json
import math
import statistics
import subprocess
import sys
import time

# (id, title, PromQL): the headline questions, on the tally names the generator writes.
QUERIES = [
    ("p99", "p99 latency by operation",
     "histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))"),
    ("error_ratio", "error ratio by operation",
     "sum by (operation) (rate(service_error_with_type[5m])) / sum by (operation) (rate(service_requests[5m]))"),
    ("request_rate", "request rate by namespace",
     "sum by (namespace) (rate(service_requests[5m]))"),
    ("failures_day", "workflow failures by namespace over a day",
     "sum by (namespace) (increase(workflow_failed[1d]))"),
]
DAY_MS = 86_400_000
STEP_S = 60


def seconds(ms):
    return f"{ms // 1000}.{ms % 1000:03d}"


def run_sundial(binary, store, expr, params):
    """One `sundial query` process: (seconds, parsed JSON answer)."""
    args = [binary, "query", "--store", store, "--format", "json"]
    if "time" in params:
        args += ["--at", params["time"]]
    else:
        args += ["--from", params["start"], "--to", params["end"], "--step", f"{STEP_S}s"]
    started = time.perf_counter()
    done = subprocess.run(args + [expr], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        return elapsed, {"status": "error", "error": (done.stderr or done.stdout).strip()[:300]}
    try:
        return elapsed, json.loads(done.stdout)
    except ValueError:
        return elapsed, {"status": "error", "error": "not JSON: " + done.stdout[:200]}


def run_http(port, expr, params, extra=()):
    """One request through curl: (seconds as curl measured them, parsed JSON answer)."""
    path = "query" if "time" in params else "query_range"
    args = ["curl", "-sG", f"http://127.0.0.1:{port}/api/v1/{path}", "-o", "-", "-w", "\n%{http_code} %{time_total}",
            "--data-urlencode", f"query={expr}"]
    for key, value in list(params.items()) + list(extra):
        args += ["--data-urlencode", f"{key}={value}"]
    done = subprocess.run(args, capture_output=True, text=True)
    body, _, trailer = done.stdout.rpartition("\n")
    code, total = trailer.split() if trailer.count(" ") == 1 else ("000", "nan")
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {"status": "error", "error": f"HTTP {code}: {body[:200]}"}
    return float(total), answer


def timed(run, runs):
    """Median milliseconds of `runs` calls after one warm-up, and the last answer."""
    run()
    times, answer = [], None
    for _ in range(runs):
        elapsed, answer = run()
        times.append(elapsed * 1000)
    return statistics.median(times), times, answer


def points(answer):
    """{label set: [(seconds, value text)]} of a vector or matrix answer."""
    out = {}
    for series in answer["data"]["result"]:
        key = "{" + ",".join(f'{k}="{v}"' for k, v in sorted(series["metric"].items())) + "}"
        out[key] = [series["value"]] if "value" in series else series["values"]
    return out


def same_value(a, b):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def check(reference, candidate):
    """None when `candidate` (Sundial) equals `reference` (Prometheus), else what differs."""
    if reference.get("status") != "success":
        return f"Prometheus answered {reference.get('status')}: {reference.get('error', '')}"
    if candidate.get("status") != "success":
        return f"Sundial answered {candidate.get('status')}: {candidate.get('error', '')}"
    kinds = reference["data"]["resultType"], candidate["data"]["resultType"]
    if kinds[0] != kinds[1]:
        return f"result type {kinds[0]} vs {kinds[1]}"
    if kinds[0] not in ("vector", "matrix"):
        return f"unexpected result type {kinds[0]}"
    ref, got = points(reference), points(candidate)
    if not ref:
        return "Prometheus's answer is empty: nothing to compare"
    if ref.keys() != got.keys():
        missing, extra = sorted(ref.keys() - got.keys()), sorted(got.keys() - ref.keys())
        return f"label sets differ: missing {missing[:2]}, extra {extra[:2]} ({len(ref)} vs {len(got)})"
    for key, expected in ref.items():
        actual = got[key]
        if len(expected) != len(actual):
            return f"{key}: {len(expected)} points vs {len(actual)}"
        for (t1, v1), (t2, v2) in zip(expected, actual):
            if abs(float(t1) - float(t2)) > 5e-4 or not same_value(v1, v2):
                return f"{key} at {t1}: Prometheus {v1} at {t1}, Sundial {v2} at {t2}"
    return None


def main():
    parser = argparse.ArgumentParser()
    for name in ("sundial", "store", "prometheus", "vm", "out"):
        parser.add_argument("--" + name, required=True)
    for name in ("first", "last"):
        parser.add_argument("--" + name, type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    a = parser.parse_args()

    start = max(a.first, a.last - DAY_MS)
    cases = [("instant", {"time": seconds(a.last)}),
             ("range", {"start": seconds(start), "end": seconds(a.last), "step": str(STEP_S)})]
    results = []
    for qid, title, expr in QUERIES:
        for kind, params in cases:
            s_ms, s_runs, s_answer = timed(lambda: run_sundial(a.sundial, a.store, expr, params), a.runs)
            p_ms, p_runs, p_answer = timed(lambda: run_http(a.prometheus, expr, params), a.runs)
            v_ms, v_runs, _ = timed(lambda: run_http(a.vm, expr, params, [("nocache", "1")]), a.runs)
            problem = check(p_answer, s_answer)
            series = len(points(p_answer)) if p_answer.get("status") == "success" else 0
            verdict = "PASS" if problem is None else "FAIL"
            print(f"{verdict}  {qid:13} {kind:7} {series:3} series  sundial {s_ms:8.1f} ms  prometheus {p_ms:8.1f} ms"
                  f"  victoria-metrics {v_ms:8.1f} ms" + (f"  {problem}" if problem else ""), file=sys.stderr)
            results.append({"id": qid, "title": title, "kind": kind, "expr": expr, "params": params,
                            "series": series, "check": verdict, "problem": problem,
                            "sundial_ms": s_ms, "prometheus_ms": p_ms, "vm_ms": v_ms,
                            "runs": {"sundial": s_runs, "prometheus": p_runs, "vm": v_runs}})
    with open(a.out, "w") as f:
        json.dump({"range_start_ms": start, "range_end_ms": a.last, "step_s": STEP_S, "runs": a.runs,
                   "queries": results}, f, indent=1)


if __name__ == "__main__":
    main()
