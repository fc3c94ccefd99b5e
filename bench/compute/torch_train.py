"""PyTorch CPU training throughput for one model spec (models/*.json), the reference side of
bench/compute.sh.

usage: torch_train.py <spec.json> <batch> <threads> <config label>

Builds the spec with torch_models.build (the same layers, parameter order and shapes; table.py
checks the parameter count printed here against TensorLink's), then times full training steps (forward, cross-entropy, backward, optimizer step)
over 8 pre-generated batches: warm-up, then the fastest of 7 rounds of ~1 s (3 rounds when one
step outlasts a round). Image models: SGD momentum 0.9 at lr 0.01 on uniform random images;
token models: AdamW (0.9, 0.999, eps 1e-8, weight decay 0.01) at lr 1e-3 on random token ids
and next-token labels, as io.tensorlink.bench.compute.TrainBench does.
Prints `train<TAB>model, batch B<TAB>samples/s<TAB>peak RSS MiB<TAB>parameters<TAB>config<TAB>samples per
CPU-second` (process CPU time, all threads). Thread settings of the BLAS
and OpenMP pools come from the environment (bench/compute.sh tries several); this process sets
torch.set_num_threads(threads).
"""
import json
import resource
import sys
import time

import torch
from torch import nn

from timing import measure
from torch_models import build, is_token_model

DISTINCT_BATCHES = 8


def samples_per_second(spec, batch):
    torch.manual_seed(1)
    model = build(spec)
    loss_fn = nn.CrossEntropyLoss()
    if is_token_model(spec):
        vocab = spec["layers"][0]["vocab"]
        t = spec["input"][0]
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
        xs = [torch.randint(0, vocab, (batch, t)) for _ in range(DISTINCT_BATCHES)]
        ys = [torch.randint(0, vocab, (batch * t,)) for _ in range(DISTINCT_BATCHES)]
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        xs = [torch.rand([batch] + list(spec["input"])) for _ in range(DISTINCT_BATCHES)]
        ys = [torch.randint(0, 10, (batch,)) for _ in range(DISTINCT_BATCHES)]
    counter = [0]

    def step():
        i = counter[0] % DISTINCT_BATCHES
        counter[0] += 1
        opt.zero_grad(set_to_none=True)
        out = model(xs[i])
        loss = loss_fn(out.reshape(-1, out.shape[-1]), ys[i])
        loss.backward()
        opt.step()

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    wall, cpu = measure(step, max(3.0, 3 * first), 3 if first > 1.0 else 7, 1.0)
    return batch / wall, batch / cpu, sum(p.numel() for p in model.parameters())


def main():
    spec_path, batch, threads, config = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    sps, cpu_sps, count = samples_per_second(spec, batch)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"train\t{spec['name']}, batch {batch}\t{sps:.1f}\t{peak_mib:.0f}\t{count}\t{config}\t{cpu_sps:.1f}", flush=True)


if __name__ == "__main__":
    main()
