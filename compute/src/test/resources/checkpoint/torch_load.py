"""Loads a TensorLink safetensors export into the equivalent torch.nn model and checks its logits.

usage: torch_load.py <torch_models dir> <model.json> <weights.safetensors> <inputs.f32> <logits.f32>

The safetensors file is parsed here from the format's definition (u64le header length, JSON
header, little-endian data), independently of the Java reader; the tensors are matched to
model.parameters() by order with equal shapes, loaded with load_state_dict(strict=True), and the
forward pass on the given inputs must reproduce TensorLink's logits.
"""
import json
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
from torch_models import build  # noqa: E402

spec = json.load(open(sys.argv[2], encoding="utf-8"))
raw = open(sys.argv[3], "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n].decode("utf-8"))
data = raw[8 + n:]
assert header.pop("__metadata__", {}).get("format") == "pt"
ours = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
model = build(spec)
state = model.state_dict()
assert len(ours) == len(state), (len(ours), list(state))
loaded = {}
for (name, entry), (tkey, tval) in zip(ours, state.items()):
    assert entry["dtype"] == "F32", name
    b, e = entry["data_offsets"]
    arr = np.frombuffer(data[b:e], dtype="<f4").reshape(entry["shape"])
    assert tuple(arr.shape) == tuple(tval.shape), (name, arr.shape, tkey, tuple(tval.shape))
    loaded[tkey] = torch.from_numpy(arr.copy())
model.load_state_dict(loaded, strict=True)
x = np.fromfile(sys.argv[4], dtype="<f4").reshape([-1] + spec["input"])
expected = np.fromfile(sys.argv[5], dtype="<f4").reshape(x.shape[0], -1)
with torch.no_grad():
    got = model(torch.from_numpy(x)).numpy().reshape(expected.shape)
err = np.abs(got - expected).max() / max(1e-6, np.abs(expected).max())
print(f"torch_load: {len(ours)} tensors loaded, max relative logit difference {err:.2e}")
sys.exit(0 if err < 1e-4 else 1)
