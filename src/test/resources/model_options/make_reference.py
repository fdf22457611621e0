#!/usr/bin/env python3
"""Writes reference.json: the model options' forward pass, loss and every gradient in float64 with
PyTorch, on fixed weights and a fixed batch, for polygrok's models to match (cpuref to about 1e-10).

Written from the definitions, with torch.nn.functional, not from polygrok's code. Shapes (M = 1 model):
  tokens [B, T], vocabulary V, d_model D, H heads of Dh = D / H, MLP width F.
  transformer:
    h = W_E[:, tokens] (W_E [D, V]) + W_pos[t] (W_pos [T, D]) when positional
    block, residual "stream":     a = LN1(h) (or h without layer_norm); h = h + attn(a)
    block, residual "normalised": h = LN1(h); h = h + attn(h)       (Grokfast's block)
    then:                         h = h + mlp(LN2(h) or h)
    attn(a): q = W_Q a + b_Q per head (W_Q [H, Dh, D], b_Q [H, Dh]), k and v alike;
             causal softmax(q.k / sqrt(Dh)) v, heads concatenated, then W_O z + b_O (W_O [D, H Dh], b_O [D])
    mlp(a):  W_out act(W_in a + b_in) + b_out (W_in [F, D], W_out [D, F]); act ReLU or GELU (erf)
    h = LN_final(h) when final_layer_norm; logits = h[:, -1] W_U (W_U [D, V])
    LayerNorm: F.layer_norm over D, eps 1e-5, weight .w and bias .b
  one-hot MLP:
    x = concat over t of one_hot(tokens[:, t], V)       [B, T V]
    h = act(W x) (input.W [D, T V]); h = act(W_l h) for each hidden layer (mlps.l.W [D, D])
    logits = output.W h (output.W [V, D]); no biases
  loss: the mean cross-entropy over the batch (F.cross_entropy).
Every parameter (biases and LayerNorm weights too) is drawn at random so each one matters.

Run from this directory with Debian's python3-torch: /usr/bin/python3 make_reference.py
"""
import json
import math

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def act(name, x):
    return F.relu(x) if name == "ReLU" else F.gelu(x)


def transformer_params(c, gen):
    V, T, D, H, Fm = c["vocab"], c["n_ctx"], c["d_model"], c["num_heads"], c["d_mlp"]
    Dh = D // H
    shapes = [("embed.W_E", [D, V])]
    if c["positional"]:
        shapes.append(("pos_embed.W_pos", [T, D]))
    for l in range(c["num_layers"]):
        b = f"blocks.{l}."
        if c["layer_norm"]:
            shapes += [(b + "ln1.w", [D]), (b + "ln1.b", [D])]
        shapes += [(b + "attn.W_K", [H, Dh, D]), (b + "attn.W_Q", [H, Dh, D]), (b + "attn.W_V", [H, Dh, D]),
                   (b + "attn.W_O", [D, H * Dh])]
        if c["bias"]:
            shapes += [(b + "attn.b_K", [H, Dh]), (b + "attn.b_Q", [H, Dh]), (b + "attn.b_V", [H, Dh]), (b + "attn.b_O", [D])]
        if c["layer_norm"]:
            shapes += [(b + "ln2.w", [D]), (b + "ln2.b", [D])]
        shapes.append((b + "mlp.W_in", [Fm, D]))
        if c["bias"]:
            shapes.append((b + "mlp.b_in", [Fm]))
        shapes.append((b + "mlp.W_out", [D, Fm]))
        if c["bias"]:
            shapes.append((b + "mlp.b_out", [D]))
    if c["final_layer_norm"]:
        shapes += [("ln_final.w", [D]), ("ln_final.b", [D])]
    shapes.append(("unembed.W_U", [D, V]))
    return draw(shapes, gen)


def draw(shapes, gen):
    params = {}
    for name, shape in shapes:
        w = 0.5 * torch.randn(shape, generator=gen)
        if name.endswith("ln1.w") or name.endswith("ln2.w") or name == "ln_final.w":
            w = 1 + w  # around LayerNorm's usual scale
        params[name] = w.requires_grad_(True)
    return params


def attention(c, p, b, a):
    B, T, D = a.shape
    H = c["num_heads"]
    Dh = D // H

    def project(which):
        y = torch.einsum("hed,btd->bthe", p[b + "attn.W_" + which], a)
        if c["bias"]:
            y = y + p[b + "attn.b_" + which]
        return y.permute(0, 2, 1, 3)  # [B, H, T, Dh]

    q, k, v = project("Q"), project("K"), project("V")
    scores = q @ k.transpose(-1, -2) / math.sqrt(Dh)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    scores = scores.masked_fill(~causal, float("-inf"))
    z = (F.softmax(scores, dim=-1) @ v).permute(0, 2, 1, 3).reshape(B, T, H * Dh)
    return F.linear(z, p[b + "attn.W_O"], p[b + "attn.b_O"] if c["bias"] else None)


def mlp(c, p, b, a):
    pre = F.linear(a, p[b + "mlp.W_in"], p[b + "mlp.b_in"] if c["bias"] else None)
    return F.linear(act(c["act"], pre), p[b + "mlp.W_out"], p[b + "mlp.b_out"] if c["bias"] else None)


def ln(p, name, x):
    return F.layer_norm(x, (x.shape[-1],), p[name + ".w"], p[name + ".b"], eps=1e-5)


def transformer_logits(c, p, tokens):
    h = p["embed.W_E"].T[tokens]  # [B, T, D]
    if c["positional"]:
        h = h + p["pos_embed.W_pos"][: tokens.shape[1]]
    for l in range(c["num_layers"]):
        b = f"blocks.{l}."
        if c["residual"] == "normalised":
            h = ln(p, b + "ln1", h)
            h = h + attention(c, p, b, h)
        else:
            h = h + attention(c, p, b, ln(p, b + "ln1", h) if c["layer_norm"] else h)
        h = h + mlp(c, p, b, ln(p, b + "ln2", h) if c["layer_norm"] else h)
    if c["final_layer_norm"]:
        h = ln(p, "ln_final", h)
    return h[:, -1] @ p["unembed.W_U"]


def one_hot_params(c, gen):
    V, T, D = c["vocab"], c["n_ctx"], c["d_model"]
    shapes = [("input.W", [D, T * V])] + [(f"mlps.{l}.W", [D, D]) for l in range(c["num_layers"])] + [("output.W", [V, D])]
    return draw(shapes, gen)


def one_hot_logits(c, p, tokens):
    x = torch.cat([F.one_hot(tokens[:, t], c["vocab"]).to(torch.float64) for t in range(tokens.shape[1])], dim=1)
    h = act(c["act"], F.linear(x, p["input.W"]))
    for l in range(c["num_layers"]):
        h = act(c["act"], F.linear(h, p[f"mlps.{l}.W"]))
    return F.linear(h, p["output.W"])


def case(c, seed, batch):
    gen = torch.Generator().manual_seed(seed)
    transformer = c["type"] == "transformer"
    p = transformer_params(c, gen) if transformer else one_hot_params(c, gen)
    tokens = torch.randint(0, c["vocab"], (batch, c["n_ctx"]), generator=gen)
    labels = torch.randint(0, c["vocab"], (batch,), generator=gen)
    logits = (transformer_logits if transformer else one_hot_logits)(c, p, tokens)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {"config": c, "tokens": tokens.tolist(), "labels": labels.tolist(), "loss": loss.item(),
            "logits": logits.detach().reshape(-1).tolist(),
            "params": {n: {"shape": list(w.shape), "values": w.detach().reshape(-1).tolist()} for n, w in p.items()},
            "grads": {n: w.grad.reshape(-1).tolist() for n, w in p.items()}}


def main():
    every = {"type": "transformer", "vocab": 7, "n_ctx": 3, "d_model": 8, "num_heads": 2, "d_mlp": 12, "num_layers": 2,
             "act": "GeLU", "layer_norm": True, "positional": True, "bias": True, "final_layer_norm": True,
             "residual": "normalised"}
    stream = dict(every, act="ReLU", layer_norm=False, positional=False, residual="stream")
    one_hot = {"type": "mlp", "vocab": 7, "n_ctx": 2, "d_model": 10, "num_layers": 1, "act": "ReLU"}
    out = {"every_option": case(every, 1, 6), "bias_final_ln_stream": case(stream, 2, 6), "one_hot_mlp": case(one_hot, 3, 6)}
    with open("reference.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
