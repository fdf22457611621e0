#!/usr/bin/env python3
"""Writes reference.json: the optimizer options against PyTorch in float64, on fixed gradients, for
polygrok's orthogonalGradient + adamwStep to match (cpuref to about 1e-12).

Written from the definitions, not from polygrok's code:
  adam:       torch.optim.Adam(weight_decay=wd): g + wd w enters the moments, no decoupled decay
  warmup:     torch.optim.AdamW with LambdaLR(lambda k: min(k / N, 1)) stepped after every
              optimizer step, so step k (k = 0, 1, ...) runs with lr min(k / N, 1) and the first has lr 0
  orthogonal: ⊥Grad before torch.optim.AdamW, per parameter tensor, flattened:
              g_perp = g - (w.g)/(w.w) w, then g_perp |g| / |g_perp|; g unchanged where w.w == 0
              (one tensor starts at zero, so its first step is a plain AdamW step)
  combined:   ⊥Grad, then Adam with coupled decay (the decay is added after the projection, inside
              the wrapped optimizer's step), with a warm-up of 2 steps
The parameters are one flat vector in polygrok's layout: tensor i holds entries offsets[i] to
offsets[i + 1]; the first tensor is frozen (requires_grad False, not in the optimizer).

Run from this directory with Debian's python3-torch: /usr/bin/python3 make_reference.py
"""
import json

import torch

torch.set_default_dtype(torch.float64)
OFFSETS = [0, 2, 8, 12]  # frozen [2], a [2, 3], b [4]
LR, BETAS, EPS = 1e-2, (0.9, 0.98), 1e-8


def orthogonalize(params):
    with torch.no_grad():
        for p in params:
            w, g = p.detach().reshape(-1), p.grad.reshape(-1)
            ww = torch.dot(w, w)
            if ww == 0:
                continue
            perp = g - (torch.dot(w, g) / ww) * w
            if torch.linalg.norm(perp) == 0:
                continue
            p.grad = (perp * (torch.linalg.norm(g) / torch.linalg.norm(perp))).reshape(p.shape)


def run(optimizer, wd, warmup, orthogonal, steps, zero_b=False):
    gen = torch.Generator().manual_seed(11)
    init = torch.randn(OFFSETS[-1], generator=gen)
    if zero_b:
        init[OFFSETS[2]:OFFSETS[3]] = 0
    grads = [torch.randn(OFFSETS[-1], generator=gen) for _ in range(steps)]
    frozen = init[OFFSETS[0]:OFFSETS[1]].clone()
    a = torch.nn.Parameter(init[OFFSETS[1]:OFFSETS[2]].clone().reshape(2, 3))
    b = torch.nn.Parameter(init[OFFSETS[2]:OFFSETS[3]].clone())
    cls = torch.optim.Adam if optimizer == "adam" else torch.optim.AdamW
    opt = cls([a, b], lr=LR, weight_decay=wd, betas=BETAS, eps=EPS)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min(k / warmup, 1.0)) if warmup > 0 else None
    after = []
    for g in grads:
        a.grad = g[OFFSETS[1]:OFFSETS[2]].clone().reshape(2, 3)
        b.grad = g[OFFSETS[2]:OFFSETS[3]].clone()
        if orthogonal:
            orthogonalize([a, b])
        opt.step()
        if sched is not None:
            sched.step()
        after.append(frozen.tolist() + a.detach().reshape(-1).tolist() + b.detach().tolist())
    return {"type": optimizer, "weight_decay": wd, "warmup_steps": warmup, "orthogonal": orthogonal,
            "init": init.tolist(), "grads": [g.tolist() for g in grads], "params_after_each_step": after}


def main():
    out = {"lr": LR, "betas": list(BETAS), "eps": EPS, "offsets": OFFSETS, "frozen": OFFSETS[1],
           "cases": {"adam": run("adam", 0.5, 0, False, 3),
                     "warmup": run("adamw", 1.0, 3, False, 5),
                     "orthogonal": run("adamw", 1.0, 0, True, 3, zero_b=True),
                     "combined": run("adam", 0.5, 2, True, 4)}}
    with open("reference.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
