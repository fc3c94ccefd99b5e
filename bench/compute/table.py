"""Joins the Java and reference measurement lines of bench/compute.sh into one table.

Input lines are tab-separated: `kind label value [peak-RSS-MiB [parameters [config [per-CPU-second]]]]` (kind gemm:
GFLOP/s; kind train: samples/s, label `<model>, batch <B>`). A key measured in several rounds or thread configurations
reports its best (highest) value, with that run's memory and configuration; samples per second
of process CPU time (all threads) report their own best, since a crowded machine bends them far
less than wall time. Training rows check
that both sides built a model with the same parameter count. The target column is issue 15's
bar for that row (ratio ours/reference).
"""
import sys

GEMM_TARGET = 1.0
TRAIN_TARGETS = {"mlp": 2.0, "cnn": 1.5, "gpt-char": 1.5, "gpt-6x256": 1.5}


def read(path):
    rows = {}
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0] not in ("gemm", "train"):
                continue
            parts += [""] * (7 - len(parts))
            key = (parts[0], parts[1])
            row = {"value": float(parts[2]), "mem": parts[3], "params": parts[4], "config": parts[5],
                   "cpu": float(parts[6]) if parts[6] else None}
            if key not in rows:
                order.append(key)
                rows[key] = row
                continue
            best_cpu = max((c for c in (rows[key]["cpu"], row["cpu"]) if c is not None), default=None)
            if row["value"] > rows[key]["value"]:
                rows[key] = row
            rows[key]["cpu"] = best_cpu
    return rows, order


def main():
    ours, order = read(sys.argv[1])
    ref, _ = read(sys.argv[2])
    header = ("benchmark", "TensorLink", "reference", "ratio", "target", "", "per CPU-second (ours / ref = ratio)",
              "peak RSS MiB (ours / ref)")
    lines = []
    for key in order:
        kind, label = key
        o = ours[key]
        r = ref.get(key)
        if kind == "train" and r and o["params"] != r["params"]:
            raise SystemExit(f"table.py: {label} has {o['params']} parameters here and {r['params']} in PyTorch")
        if kind == "gemm":
            name = f"sgemm {label} (GFLOP/s)"
            refname = "OpenBLAS/numpy"
            target = GEMM_TARGET
        else:
            name = f"{label} train step (samples/s)"
            refname = "PyTorch CPU"
            target = TRAIN_TARGETS.get(label.split(",")[0])
        ratio = o["value"] / r["value"] if r else None
        verdict = "" if target is None or ratio is None else ("met" if ratio >= target else "MISSED")
        refcell = f"{refname} {r['value']:.1f} [{r['config']}]" if r else "n/a"
        mem = f"{o['mem']} / {r['mem']}" if kind == "train" and r else ""
        cpu = ""
        if kind == "train" and r and o["cpu"] and r["cpu"]:
            cpu = f"{o['cpu']:.1f} / {r['cpu']:.1f} = {o['cpu'] / r['cpu']:.2f}x"
        lines.append((name, f"{o['value']:.1f}", refcell, f"{ratio:.2f}x" if ratio else "n/a",
                      f">= {target:.1f}x" if target else "", verdict, cpu, mem))
    widths = [max(len(row[i]) for row in [header] + lines) for i in range(len(header))]

    def fmt(row):
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) + " |"

    print(fmt(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in lines:
        print(fmt(row))


if __name__ == "__main__":
    main()
