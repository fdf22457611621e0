#!/usr/bin/env python3
"""Writes reference.json: Grokfast's gradient filters followed by PyTorch's AdamW, in float64, on a
fixed sequence of gradients, for polygrok's gradFilter + adamwStep to match (to 1e-10).

The filters, as the issue and Grokfast's paper define them, applied to p.grad after the backward
and before optimizer.step():
  ema: mu <- alpha mu + (1 - alpha) g, with mu = g before the first update (so mu_1 = g_1); g <- g + lambda mu
  ma:  keep the last W gradients; once W are held, g <- g + lambda * mean(them); before that g is unchanged
Two of the ten entries are frozen (requires_grad False, not in the optimizer): they never change.

Run from this directory with Debian's python3-torch: python3 make_reference.py
"""
import json
from collections import deque

import torch

torch.set_default_dtype(torch.float64)
STEPS, P, FROZEN = 3, 10, 2
LR, WD, BETAS, EPS = 1e-2, 1.0, (0.9, 0.98), 1e-8


def run(kind, alpha=0.98, lamb=2.0, window=2):
    gen = torch.Generator().manual_seed(7)
    init = torch.randn(P, generator=gen)
    grads = [torch.randn(P, generator=gen) for _ in range(STEPS)]
    trainable = torch.nn.Parameter(init[FROZEN:].clone())
    opt = torch.optim.AdamW([trainable], lr=LR, weight_decay=WD, betas=BETAS, eps=EPS)
    mu, history, after = None, deque(maxlen=window), []
    for g in grads:
        raw = g[FROZEN:].clone()
        if kind == "ema":
            mu = raw.clone() if mu is None else alpha * mu + (1 - alpha) * raw
            filtered = raw + lamb * mu
        else:
            history.append(raw.clone())
            filtered = raw + lamb * (sum(history) / len(history)) if len(history) == window else raw
        trainable.grad = filtered
        opt.step()
        after.append(init[:FROZEN].tolist() + trainable.detach().tolist())
    return {"init": init.tolist(), "grads": [g.tolist() for g in grads], "frozen": FROZEN,
            "alpha": alpha, "lambda": lamb, "window": window, "params_after_each_step": after}


def main():
    out = {"optimizer": {"lr": LR, "weight_decay": WD, "betas": list(BETAS), "eps": EPS},
           "ema": run("ema"), "ma": run("ma", lamb=5.0, window=2)}
    with open("reference.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
