#!/usr/bin/env python3
"""Writes the .pth fixtures polygrok's PyTorch-checkpoint reader is tested on, with torch.save as the
original training script uses it (the zip format of PyTorch >= 1.6).

The model mirrors the original code's module tree, so the state-dict keys, their order, the causal
mask buffer and the optimizer's parameter order are the real ones: embed.W_E [d, V];
blocks.0.attn.W_K, W_Q, W_V [H, d_head, d], W_O [d, H*d_head], the buffer mask [n_ctx, n_ctx];
blocks.0.mlp.W_in [d_mlp, d], W_out [d, d_mlp]; unembed.W_U [d, V]. p = 7 (V = 12), d 8, 2 heads,
d_mlp 16; add with operands over range(p + 5) as the original does, r = 0.5, seed 0.

Files: init.pth ({'model', 'train_data', 'test_data'}), 0.pth and 3.pth ({'model', 'optimizer',
'train_loss', 'test_loss', 'epoch'} after that many AdamW steps plus one), legacy.pth (the pre-1.6
format), expected.json (every tensor's values, for the reader's test), and evil.pth (a zip whose
pickle calls os.system: the reader must refuse it without running anything).

Run from this directory with Debian's python3-torch: python3 make_fixtures.py
"""
import json
import os
import pickle
import random
import zipfile

import torch

P, D, H, D_MLP, N_CTX = 7, 8, 2, 16, 3
V = P + 5


class Embed(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.W_E = torch.nn.Parameter(torch.randn(D, V) / V ** 0.5)


class Attention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        dh = D // H
        self.W_K = torch.nn.Parameter(torch.randn(H, dh, D) / D ** 0.5)
        self.W_Q = torch.nn.Parameter(torch.randn(H, dh, D) / D ** 0.5)
        self.W_V = torch.nn.Parameter(torch.randn(H, dh, D) / D ** 0.5)
        self.W_O = torch.nn.Parameter(torch.randn(D, H * dh) / D ** 0.5)
        self.register_buffer("mask", torch.tril(torch.ones(N_CTX, N_CTX)))

    def forward(self, x):
        q = torch.einsum("ihd,bpd->biph", self.W_Q, x)
        k = torch.einsum("ihd,bpd->biph", self.W_K, x)
        v = torch.einsum("ihd,bpd->biph", self.W_V, x)
        scores = torch.einsum("biqh,biph->biqp", q, k) / (D // H) ** 0.5
        scores = scores.masked_fill(self.mask[: x.shape[1], : x.shape[1]] == 0, float("-inf"))
        z = torch.einsum("biqp,biph->biqh", scores.softmax(-1), v)
        return torch.einsum("df,bqf->bqd", self.W_O, z.permute(0, 2, 1, 3).reshape(x.shape[0], x.shape[1], -1))


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.W_in = torch.nn.Parameter(torch.randn(D_MLP, D) / D ** 0.5)
        self.W_out = torch.nn.Parameter(torch.randn(D, D_MLP) / D ** 0.5)

    def forward(self, x):
        return torch.einsum("dm,bpm->bpd", self.W_out, torch.relu(torch.einsum("md,bpd->bpm", self.W_in, x)))


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = Attention()
        self.mlp = Mlp()

    def forward(self, x):
        x = x + self.attn(x)
        return x + self.mlp(x)


class Unembed(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.W_U = torch.nn.Parameter(torch.randn(D, V) / D ** 0.5)


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = Embed()
        self.blocks = torch.nn.ModuleList([Block()])
        self.unembed = Unembed()

    def forward(self, tokens):
        x = self.embed.W_E.t()[tokens]
        for b in self.blocks:
            x = b(x)
        return x[:, -1] @ self.unembed.W_U


class Evil:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def main():
    torch.manual_seed(0)
    pairs = [(a, b) for a in range(V) for b in range(V)]
    random.seed(0)
    random.shuffle(pairs)
    n = len(pairs) // 2
    train, test = pairs[:n], pairs[n:]
    model = Model()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))
    tokens = torch.tensor([[a, P + 1, b] for a, b in train])
    labels = torch.tensor([(a + b) % P for a, b in train])
    torch.save({"model": model.state_dict(), "train_data": train, "test_data": test}, "init.pth")
    torch.save({"model": model.state_dict()}, "legacy.pth", _use_new_zipfile_serialization=False)
    for epoch in range(4):
        loss = torch.nn.functional.cross_entropy(model(tokens).double(), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch in (0, 3):
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "train_loss": loss.item(),
                        "test_loss": loss.item(), "epoch": epoch}, f"{epoch}.pth")
    expected = {}
    for name in ("0.pth", "3.pth"):
        ck = torch.load(name)
        sd = ck["model"]
        entry = {k: {"shape": list(v.shape), "values": v.flatten().double().tolist()} for k, v in sd.items()}
        names = [k for k, _ in model.named_parameters()]
        for index, state in ck["optimizer"]["state"].items():
            entry["opt.m." + names[index]] = {"shape": list(state["exp_avg"].shape), "values": state["exp_avg"].flatten().double().tolist()}
            entry["opt.v." + names[index]] = {"shape": list(state["exp_avg_sq"].shape), "values": state["exp_avg_sq"].flatten().double().tolist()}
            entry["step"] = float(state["step"])
        entry["epoch"] = ck["epoch"]
        expected[name] = entry
    with open("expected.json", "w") as f:
        json.dump(expected, f)
    # a torch.save-shaped zip whose pickle would run a shell command when unpickled by Python
    with zipfile.ZipFile("evil.pth", "w") as z:
        z.writestr("evil/data.pkl", pickle.dumps({"model": Evil()}, protocol=2))
        z.writestr("evil/version", "3\n")


if __name__ == "__main__":
    main()
