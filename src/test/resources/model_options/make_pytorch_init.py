#!/usr/bin/env python3
"""Writes pytorch_init.json: what PyTorch's default initialisation draws for the layers of the two
intervention regimes' models, as statistics of each tensor pooled over many seeds, for polygrok's
"weight_init": "pytorch" to match.

The models are built from torch.nn modules with their own default initialisation (nothing here is
set by hand): Grokfast's decoder (nn.Embedding for tokens and positions, per block nn.LayerNorm,
nn.MultiheadAttention, nn.Linear(D, 4D) and nn.Linear(4D, D) with biases, then nn.LayerNorm and an
nn.Linear(D, V) head without bias) and the StableMax paper's MLP (nn.Linear without biases on the
concatenated one-hot positions). Each torch tensor is named as polygrok names it; the attention's
packed in_proj [3D, D] splits into W_Q, W_K, W_V (rows 0..D, D..2D, 2D..3D), in_proj_bias likewise.

Per tensor: n (values pooled), mean, std, max_abs, excess kurtosis (-1.2 for a uniform, 0 for a
normal), and constant (the value when every draw gave the same one, else null).

Run from this directory with Debian's python3-torch: /usr/bin/python3 make_pytorch_init.py
"""
import json

import torch
import torch.nn as nn

SEEDS = 64


def grokfast_tensors(vocab, seq_len, dim, layers, heads):
    """Grokfast's Decoder, parameter for parameter, mapped to polygrok's names."""
    emb = nn.Embedding(vocab, dim)
    pos = nn.Embedding(seq_len, dim)
    out = {"embed.W_E": emb.weight, "pos_embed.W_pos": pos.weight}
    for i in range(layers):
        b = f"blocks.{i}."
        ln1, ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        attn = nn.MultiheadAttention(dim, heads)
        mlp_in, mlp_out = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)
        w, bias = attn.in_proj_weight, attn.in_proj_bias
        out.update({
            b + "ln1.w": ln1.weight, b + "ln1.b": ln1.bias,
            b + "attn.W_Q": w[:dim], b + "attn.W_K": w[dim:2 * dim], b + "attn.W_V": w[2 * dim:],
            b + "attn.b_Q": bias[:dim], b + "attn.b_K": bias[dim:2 * dim], b + "attn.b_V": bias[2 * dim:],
            b + "attn.W_O": attn.out_proj.weight, b + "attn.b_O": attn.out_proj.bias,
            b + "ln2.w": ln2.weight, b + "ln2.b": ln2.bias,
            b + "mlp.W_in": mlp_in.weight, b + "mlp.b_in": mlp_in.bias,
            b + "mlp.W_out": mlp_out.weight, b + "mlp.b_out": mlp_out.bias,
        })
    ln_f = nn.LayerNorm(dim)
    head = nn.Linear(dim, vocab, bias=False)
    out.update({"ln_final.w": ln_f.weight, "ln_final.b": ln_f.bias, "unembed.W_U": head.weight})
    return out


def one_hot_mlp_tensors(vocab, n_ctx, width, hidden_layers):
    """The StableMax paper's MLP: Linear(n_ctx V, width), hidden Linear(width, width), Linear(width, V), no biases."""
    out = {"input.W": nn.Linear(n_ctx * vocab, width, bias=False).weight}
    for i in range(hidden_layers):
        out[f"mlps.{i}.W"] = nn.Linear(width, width, bias=False).weight
    out["output.W"] = nn.Linear(width, vocab, bias=False).weight
    return out


def statistics(samples):
    x = torch.cat([s.detach().reshape(-1).double() for s in samples])
    mean = x.mean().item()
    std = x.std(unbiased=False).item()
    constant = x[0].item() if std == 0 else None
    kurtosis = (((x - mean) / std) ** 4).mean().item() - 3 if std > 0 else None
    return {"n": x.numel(), "mean": mean, "std": std, "max_abs": x.abs().max().item(),
            "excess_kurtosis": kurtosis, "constant": constant}


def case(name, model, build):
    pooled = {}
    for seed in range(SEEDS):
        torch.manual_seed(seed)
        for key, t in build().items():
            pooled.setdefault(key, []).append(t)
    return {"name": name, "model": model, "seeds": SEEDS,
            "tensors": {k: statistics(v) for k, v in pooled.items()}}


def main():
    cases = [
        # Grokfast's regime: x * y mod 97 as [x, op, y, =], vocabulary 97 + 2, 2 blocks of d 128, 4 heads
        case("grokfast_decoder", {"type": "transformer", "vocab": 99, "n_ctx": 4, "d_model": 128, "num_layers": 2,
                                  "num_heads": 4, "d_mlp": 512},
             lambda: grokfast_tensors(99, 4, 128, 2, 4)),
        # the StableMax regime: add mod 113, two one-hot positions, hidden 200-200
        case("stablemax_mlp", {"type": "mlp", "vocab": 113, "n_ctx": 2, "d_model": 200, "num_layers": 1},
             lambda: one_hot_mlp_tensors(113, 2, 200, 1)),
    ]
    with open("pytorch_init.json", "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
