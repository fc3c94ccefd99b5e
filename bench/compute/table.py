"""Joins the Java and reference measurement lines of bench/compute.sh into one table.

Input files hold `kind<TAB>label<TAB>value` lines (kind gemm: GFLOP/s, kind train: samples/s);
a key measured in several rounds reports its best (highest) value.
The target column is issue 3's bar for that row (ratio ours/reference).
"""
import sys

TARGETS = {
    ("gemm", "1024x1024 @ 1024x1024"): 0.8,
    ("gemm", "128x784 @ 784x512"): 0.8,
    ("gemm", "128x512 @ 512x512"): 0.8,
    ("gemm", "(128x784)T @ 128x512"): 0.8,
    ("gemm", "(128x512)T @ 128x512"): 0.8,
    ("gemm", "128x512 @ (784x512)T"): 0.8,
    ("gemm", "128x512 @ (512x512)T"): 0.8,
    ("train", "mlp"): 1.5,
    ("train", "cnn"): 1.0,
}


def read(path):
    rows = {}
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[0] in ("gemm", "train"):
                key = (parts[0], parts[1])
                if key not in rows:
                    order.append(key)
                rows[key] = max(rows.get(key, 0.0), float(parts[2]))
    return rows, order


def main():
    ours, order = read(sys.argv[1])
    ref, _ = read(sys.argv[2])
    header = ("benchmark", "TensorLink", "reference", "ratio", "target", "")
    lines = []
    for key in order:
        kind, label = key
        name = f"sgemm {label} (GFLOP/s)" if kind == "gemm" else f"{label.upper()} train step, batch 128 (samples/s)"
        refname = "OpenBLAS/numpy" if kind == "gemm" else "PyTorch CPU"
        r = ref.get(key)
        ratio = ours[key] / r if r else None
        target = TARGETS.get(key)
        verdict = "" if target is None or ratio is None else ("met" if ratio >= target else "MISSED")
        lines.append((name, f"{ours[key]:.1f}", f"{refname} {r:.1f}" if r else "n/a",
                      f"{ratio:.2f}x" if ratio else "n/a", f">= {target:.1f}x" if target else "", verdict))
    widths = [max(len(row[i]) for row in [header] + lines) for i in range(len(header))]
    def fmt(row):
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) + " |"
    print(fmt(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in lines:
        print(fmt(row))


if __name__ == "__main__":
    main()
