"""Prints bench/p2p.sh's table from the JSON lines of both sides (argv[1]: Java, argv[2]: js,
argv[3]: the number of rounds, optional, for the per-round ratios)."""
import json
import statistics
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


java, js = load(sys.argv[1]), load(sys.argv[2])
java_bulk = [r["mbPerSec"] for r in java if r.get("bench") == "bulk"]
js_bulk = [r["mbPerSec"] for r in js if r.get("event") == "bulk-sent" and r.get("ok")]
gossip = [r for r in java if r.get("bench") == "gossip"]

rows = []
if java_bulk and js_bulk:
    size = next(r["bytes"] for r in java if r.get("bench") == "bulk") / 2**20
    jm, sm = statistics.median(java_bulk), statistics.median(js_bulk)
    rows.append((f"bulk stream {size:.0f} MiB, Java<->Java (MB/s)", f"{jm:,.0f}",
                 f"median of {len(java_bulk)}; runs {', '.join(f'{v:.0f}' for v in java_bulk)}"))
    rows.append((f"bulk stream {size:.0f} MiB, js<->js (MB/s)", f"{sm:,.0f}",
                 f"median of {len(js_bulk)}; runs {', '.join(f'{v:.0f}' for v in js_bulk)}"))
    rows.append(("Java / js", f"{jm / sm:.2f}x", "target >= 2x in every round"))
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if rounds > 1 and len(java_bulk) % rounds == 0 and len(js_bulk) % rounds == 0:
        jn, sn = len(java_bulk) // rounds, len(js_bulk) // rounds
        ratios = [statistics.median(java_bulk[i * jn:(i + 1) * jn]) / statistics.median(js_bulk[i * sn:(i + 1) * sn])
                  for i in range(rounds)]
        rows.append(("Java / js per round", ", ".join(f"{r:.2f}x" for r in ratios), "medians of each round's runs"))
    cpu = [r["cpuSecPerGb"] for r in java if r.get("bench") == "bulk" and "cpuSecPerGb" in r]
    if cpu:
        rows.append(("Java CPU-s per GB, both endpoints", f"{statistics.median(cpu):.2f}",
                     f"target <= 3.0; JVM CPU time (all threads) per GB; runs {', '.join(f'{v:.2f}' for v in cpu)}"))
for g in gossip:
    where = f"{g['nodes']} nodes, {g['messages']} msgs, {g['deliveries']}/{g['expected']} deliveries"
    rows.append(("gossip latency p50 (ms)", f"{g['p50Ms']:.2f}", where))
    rows.append(("gossip latency p99 (ms)", f"{g['p99Ms']:.2f}", f"max {g['maxMs']:.2f} ms"))

w0 = max(len(r[0]) for r in rows)
w1 = max(len(r[1]) for r in rows)
print(f"{'measure':<{w0}}  {'value':>{w1}}  notes")
print(f"{'-' * w0}  {'-' * w1}  {'-' * 5}")
for name, value, note in rows:
    print(f"{name:<{w0}}  {value:>{w1}}  {note}")
