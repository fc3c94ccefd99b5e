"""torch.nn equivalents of TensorLink model specs (models/*.json), for the benchmark and for the
test that loads our safetensors exports into PyTorch.

Supports the layers mlp.json and cnn.json use (conv2d, relu, maxpool2d, flatten, linear). The
parameters come out in spec order with the same shapes (Linear [out, in], Conv2d [O, C, K, K]),
so our tensors map onto model.parameters() one to one.
"""
from torch import nn


def build(spec):
    layers = []
    shape = list(spec["input"])
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "conv2d":
            k, s, p = layer["kernel"], layer.get("stride", 1), layer.get("padding", 0)
            layers.append(nn.Conv2d(shape[0], layer["out"], k, stride=s, padding=p))
            shape = [layer["out"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif kind == "maxpool2d":
            k = layer["kernel"]
            s = layer.get("stride", k)
            layers.append(nn.MaxPool2d(k, stride=s))
            shape = [shape[0], (shape[1] - k) // s + 1, (shape[2] - k) // s + 1]
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "flatten":
            layers.append(nn.Flatten())
            n = 1
            for d in shape:
                n *= d
            shape = [n]
        elif kind == "linear":
            layers.append(nn.Linear(shape[0], layer["out"], bias=layer.get("bias", True)))
            shape = [layer["out"]]
        else:
            raise SystemExit(f"torch_models: layer type {kind} is not supported")
    return nn.Sequential(*layers)
