"""PyTorch CPU training throughput for the same model specs (models/*.json), the reference side
of bench/compute.sh.

Builds each spec with torch_models.build (the same layers, parameter order and shapes), then times full training steps (forward, cross-entropy, backward,
SGD momentum 0.9 at lr 0.01) at batch 128 over 8 pre-generated batches: warm-up, then the fastest
of 7 rounds of ~1 s. Prints `train<TAB>model<TAB>samples/s`.
"""
import json
import sys

import torch
from torch import nn

from timing import fastest_seconds_per_call
from torch_models import build

BATCH = 128
DISTINCT_BATCHES = 8


def samples_per_second(spec, warmup=3.0, repeats=7, round_seconds=1.0):
    torch.manual_seed(1)
    model = build(spec)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    xs = [torch.rand([BATCH] + list(spec["input"])) for _ in range(DISTINCT_BATCHES)]
    ys = [torch.randint(0, 10, (BATCH,)) for _ in range(DISTINCT_BATCHES)]
    counter = [0]

    def step():
        i = counter[0] % DISTINCT_BATCHES
        counter[0] += 1
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i]), ys[i])
        loss.backward()
        opt.step()

    return BATCH / fastest_seconds_per_call(step, warmup, repeats, round_seconds)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    models = sys.argv[2] if len(sys.argv) > 2 else "models"
    torch.set_num_threads(threads)
    for name in ("mlp", "cnn"):
        with open(f"{models}/{name}.json", encoding="utf-8") as f:
            spec = json.load(f)
        print(f"train\t{name}\t{samples_per_second(spec):.1f}", flush=True)


if __name__ == "__main__":
    main()
