#!/usr/bin/env python3
"""Fold the SAMPLE lines that run.sh wrote into one RESULT line per scenario and target, plus a table.

Rounds fold as: rss_kb -> max (peak), errors -> sum, sha_ok/ok -> min (all rounds must pass),
everything else -> median. Ratios compare proxy4j with nginx and HAProxy on the scenario's main
metric and on p99 latency.

usage: summarize.py SAMPLES_FILE
"""
import statistics
import sys
from collections import OrderedDict

# scenario -> (main metric, unit, higher is better)
MAIN = {
    "small": ("rps", "req/s", True),
    "64k": ("rps", "req/s", True),
    "cacheable": ("rps", "req/s", True),
    "compressed": ("rps", "req/s", True),
    "h2c": ("rps", "req/s", True),
    "close": ("rps", "req/s", True),
    "download": ("mb_s", "MB/s", True),
    "upload": ("mb_s", "MB/s", True),
    "idle10k": ("kb_per_conn", "KB/conn", False),
    "failover": ("failed", "failed req", False),
    "slow": ("failed", "failed req", False),
    "wsecho": ("rps", "round trips/s", True),
    "tcpstream": ("mb_s", "MB/s", True),
}
TARGET_ORDER = ["direct", "nginx", "haproxy", "proxy4j", "vertx", "jetty"]


def parse(path):
    groups = OrderedDict()
    with open(path) as f:
        for line in f:
            if not line.startswith("SAMPLE "):
                continue
            fields = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            key = (fields.pop("scenario"), fields.pop("target"))
            fields.pop("round", None)
            groups.setdefault(key, []).append(fields)
    return groups


def fold(samples):
    out = OrderedDict()
    for name in samples[0]:
        values = []
        for s in samples:
            try:
                values.append(float(s[name]))
            except (KeyError, ValueError):
                pass
        if not values:
            out[name] = samples[-1].get(name, "")
            continue
        if name.endswith("rss_kb") or name == "rss_kb":
            v = max(values)
        elif name in ("errors", "non2xx"):
            v = sum(values)
        elif name in ("sha_ok", "ok", "body_ok"):
            v = min(values)
        else:
            v = statistics.median(values)
        out[name] = ("%d" % v) if v == int(v) and abs(v) >= 1 or v == 0 else ("%.2f" % v)
    out["rounds"] = str(len(samples))
    return out


def ratio(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return "-"
    return "%.2f" % (a / b) if b else "-"


def main():
    groups = parse(sys.argv[1])
    results = OrderedDict((k, fold(v)) for k, v in groups.items())
    for (scenario, target), r in results.items():
        print("RESULT scenario=%s target=%s %s" % (scenario, target, " ".join("%s=%s" % kv for kv in r.items())))
    print()
    scenarios = list(OrderedDict.fromkeys(s for s, _ in results))
    targets = [t for t in TARGET_ORDER if any(t == tt for _, tt in results)]
    targets += [t for t in OrderedDict.fromkeys(tt for _, tt in results) if t not in targets]
    # proxy4j against nginx and HAProxy always; against the JVM peers when they were measured.
    peers = ["nginx", "haproxy"] + [t for t in ("vertx", "jetty") if t in targets]
    header = ["scenario", "metric"] + targets + ["p4j/%s" % peer for peer in peers]
    rows = []
    for s in scenarios:
        metric, unit, _ = MAIN.get(s, ("rps", "req/s", True))
        for m, label in ((metric, unit), ("p99_ms", "p99 ms"), ("cpu_us", "CPU us/req"), ("rss_kb", "peak RSS KB")):
            if not any(m in results.get((s, t), {}) for t in targets):
                continue
            cells = [results.get((s, t), {}).get(m, "-") for t in targets]
            p = results.get((s, "proxy4j"), {}).get(m)
            rows.append([s, label] + cells + [ratio(p, results.get((s, peer), {}).get(m)) for peer in peers])
    for r in rows:
        ratios = r[len(r) - len(peers):]
        if any(x != "-" for x in ratios):
            metric = {"req/s": "rps", "MB/s": "mb_s", "round trips/s": "rps", "KB/conn": "kb_per_conn", "p99 ms": "p99_ms",
                      "CPU us/req": "cpu_us", "peak RSS KB": "rss_kb", "failed req": "failed"}[r[1]]
            print("RATIO scenario=%s metric=%s %s" % (r[0], metric, " ".join(
                "proxy4j/%s=%s" % (peer, x) for peer, x in zip(peers, ratios))))
    print()
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(str(c).rjust(w) if i > 1 else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print("\nratios: > 1 means proxy4j is higher (better for req/s and MB/s, worse for p99, CPU/req, RSS, KB/conn).")
    failed = []
    for (scenario, target), r in results.items():
        for name, bad in (("errors", lambda v: v > 0), ("non2xx", lambda v: v > 0), ("conns_failed", lambda v: v > 0),
                          ("sha_ok", lambda v: v < 1), ("body_ok", lambda v: v < 1), ("rps", lambda v: v <= 0),
                          ("mb_s", lambda v: v <= 0)):
            try:
                if name in r and bad(float(r[name])):
                    failed.append("%s/%s %s=%s" % (scenario, target, name, r[name]))
            except ValueError:
                failed.append("%s/%s %s=%s" % (scenario, target, name, r[name]))
    for f in failed:
        print("CHECK FAILED %s" % f)
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
