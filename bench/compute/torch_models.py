"""torch.nn equivalents of TensorLink model specs (models/*.json), for the benchmark and for the
test that loads our safetensors exports into PyTorch.

Supports every layer type the specs use: conv2d, relu, tanh, gelu (tanh approximation),
maxpool2d, flatten, linear, dropout, layernorm, embedding (token + learned position), attention
(causal multi-head, qkv and proj Linears) and residual blocks. The parameters come out in spec
order with the same shapes (Linear [out, in], Conv2d [O, C, K, K], Embedding [vocab, dim] then
[positions, dim]), so our tensors map onto model.parameters() one to one.
"""
import math

import torch
from torch import nn


class TokenEmbedding(nn.Module):
    """Token ids [B, T] (any dtype holding exact integers) -> [B, T, dim], plus positions."""

    def __init__(self, vocab, dim, positions):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(vocab, dim))
        self.position = nn.Parameter(torch.empty(positions, dim)) if positions > 0 else None
        nn.init.normal_(self.weight, std=0.02)
        if self.position is not None:
            nn.init.normal_(self.position, std=0.02)

    def forward(self, ids):
        y = self.weight[ids.long()]
        if self.position is not None:
            y = y + self.position[: ids.shape[1]]
        return y


class CausalSelfAttention(nn.Module):
    """softmax(q kᵀ / sqrt(d) + causal mask) v per head, as nanoGPT writes it without a fused kernel
    (PyTorch 1.13 has no scaled_dot_product_attention)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        h = self.heads
        q, k, v = self.qkv(x).split(c, dim=2)
        q = q.view(b, t, h, c // h).transpose(1, 2)
        k = k.view(b, t, h, c // h).transpose(1, 2)
        v = v.view(b, t, h, c // h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(c // h))
        mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.proj(y)


class Residual(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = nn.Sequential(*inner)

    def forward(self, x):
        return x + self.inner(x)


def _layers(specs, shape):
    """torch modules for a list of layer specs applied to a per-sample input shape; returns (modules, shape)."""
    layers = []
    shape = list(shape)
    for layer in specs:
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
        elif kind == "tanh":
            layers.append(nn.Tanh())
        elif kind == "gelu":
            layers.append(nn.GELU(approximate="tanh"))
        elif kind == "dropout":
            layers.append(nn.Dropout(layer.get("p", 0.5)))
        elif kind == "flatten":
            layers.append(nn.Flatten())
            shape = [math.prod(shape)]
        elif kind == "linear":
            layers.append(nn.Linear(shape[-1], layer["out"], bias=layer.get("bias", True)))
            shape = shape[:-1] + [layer["out"]]
        elif kind == "layernorm":
            layers.append(nn.LayerNorm(shape[-1], eps=layer.get("eps", 1e-5)))
        elif kind == "embedding":
            layers.append(TokenEmbedding(layer["vocab"], layer["dim"], layer.get("positions", 0)))
            shape = shape + [layer["dim"]]
        elif kind == "attention":
            layers.append(CausalSelfAttention(shape[-1], layer["heads"]))
        elif kind == "residual":
            inner, _ = _layers(layer["layers"], shape)
            layers.append(Residual(inner))
        else:
            raise SystemExit(f"torch_models: layer type {kind} is not supported")
    return layers, shape


def build(spec):
    layers, _ = _layers(spec["layers"], spec["input"])
    return nn.Sequential(*layers)


def is_token_model(spec):
    """True for models whose input is token ids (an embedding first)."""
    return spec["layers"][0]["type"] == "embedding"
