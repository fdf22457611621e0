#!/usr/bin/env python3
"""Writes reference.json: StableMax (Prieto, Barsbey, Mediano, Birdal, "Grokking at the Edge of
Numerical Stability", ICLR 2025) and float32 losses computed by PyTorch, for polygrok's
crossEntropyForward/Backward with a LossMode to match, and softmax collapse counted as that paper does.

  s(x) = x + 1 for x >= 0, 1 / (1 - x) for x < 0
  loss = mean over examples of -log(s(z_y) / sum_j s(z_j))

Sections:
  stablemax_f64   per-example loss, s(z_y)/sum s, mean loss and d(mean loss)/dz by autograd, float64
  stablemax_f32   the same computed in float32 (torch's float32 log and division)
  cross_entropy_f32  torch.nn.functional.cross_entropy in float32, and its gradient
  collapse        rows of logits, some built so every exp(z_j - max z) underflows next to 1 in
                  float32; collapsed[i] = (sum_j exp(z_j - max z) == 1) in float32, as the paper counts
  adamw           a logit table (the model's parameters are its logits, [B, V]) trained 3 steps by
                  torch.optim.AdamW on the mean StableMax loss, float64

Logits are float32 values (drawn in float32), so polygrok's float32 backend starts from the same numbers.
Run from this directory with Debian's python3-torch: /usr/bin/python3 make_reference.py
"""
import json

import torch

B, V = 6, 7
LR, WD, BETAS, EPS, STEPS = 0.1, 0.01, (0.9, 0.99), 1e-8, 3


def s(x):
    return torch.where(x >= 0, x + 1, 1 / (1 - x))


def stablemax_loss(z, y):
    """Per-example -log(s(z_y) / sum_j s(z_j)) and s(z_y) / sum_j s(z_j)."""
    sz = s(z)
    prob = sz.gather(1, y[:, None])[:, 0] / sz.sum(1)
    return -torch.log(prob), prob


def section(z, y, fn):
    z = z.clone().requires_grad_(True)
    per, prob = fn(z, y)
    per.mean().backward()
    return {"per_example_loss": per.tolist(), "prob": prob.tolist(), "loss": per.mean().item(), "grad": z.grad.tolist()}


def cross_entropy(z, y):
    per = torch.nn.functional.cross_entropy(z, y, reduction="none")
    return per, torch.exp(-per)


def main():
    gen = torch.Generator().manual_seed(23)
    logits32 = torch.randn(B, V, generator=gen, dtype=torch.float32) * 4
    logits32[0, 0] = 0.0  # s at its kink: s(0) = 1, s'(0) = 1 from either side
    labels = torch.randint(0, V, (B,), generator=gen)
    z64 = logits32.to(torch.float64)
    out = {"batch": B, "vocab": V, "logits": z64.tolist(), "labels": labels.tolist()}
    out["stablemax_f64"] = section(z64, labels, stablemax_loss)
    out["stablemax_f32"] = section(logits32, labels, stablemax_loss)
    out["cross_entropy_f32"] = section(logits32, labels, cross_entropy)

    rows = torch.randn(8, V, generator=gen, dtype=torch.float32) * 3
    rows[1, 2] += 120.0  # far above the rest: collapses in float32
    rows[4, 5] += 90.0
    rows[6, 0] += 16.0   # large, but exp(-16) ~ 1e-7 still counts: not collapsed
    shifted = rows - rows.max(1, keepdim=True).values
    collapsed = torch.exp(shifted).sum(1) == 1
    out["collapse"] = {"logits": rows.to(torch.float64).tolist(), "collapsed": collapsed.tolist(),
                       "fraction": collapsed.to(torch.float64).mean().item()}

    table = torch.nn.Parameter(z64.clone())
    opt = torch.optim.AdamW([table], lr=LR, weight_decay=WD, betas=BETAS, eps=EPS)
    after = []
    for _ in range(STEPS):
        opt.zero_grad()
        stablemax_loss(table, labels)[0].mean().backward()
        opt.step()
        after.append(table.detach().flatten().tolist())
    out["adamw"] = {"lr": LR, "weight_decay": WD, "betas": list(BETAS), "eps": EPS, "params_after_each_step": after}
    with open("reference.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    main()
