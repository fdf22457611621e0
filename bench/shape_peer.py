"""PyTorch peer for the CPU timing of bench/shapes/*.json: the same architecture and the same work
per epoch as polygrok's, for a side-by-side epoch time (not the same numbers: weights and data are
random draws of the right sizes, which is all the arithmetic depends on).

An epoch, as `polygrok bench` times it: forward, backward and optimizer step over the train set
(full batch, or minibatches of batch_size reshuffled every epoch), then a forward of the test set,
and the per-example statistics read back.

  python3 bench/shape_peer.py bench/shapes/mlp_add113.json --threads 1 --epochs 30 --warmup 5

Shapes it knows (what the config's model asks for):
- "type": "mlp": embedding [d_emb, V] gathered per token, inproj [d_model, d_emb] at every position,
  the sum over positions, the activation, num_layers square layers each followed by the activation,
  outproj [d_emb, d_model], unembedding [d_emb, V]; no biases.
- a transformer with optional learned positions and LayerNorm before attention and before the MLP
  (no biases, no final LayerNorm, as polygrok's), causal attention, the unembedding of the last
  position; the loss at the last position in float64, as polygrok computes it.
"""
import argparse
import json
import math
import statistics
import time

import torch


def arg_parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--full-batch", action="store_true",
                    help="one step on the whole train set whatever batch_size says (what `polygrok bench` times today)")
    return ap


class MlpModel(torch.nn.Module):
    def __init__(self, vocab, d_emb, d_model, layers, act):
        super().__init__()
        self.embed = torch.nn.Parameter(torch.randn(d_emb, vocab) / math.sqrt(vocab))
        self.inproj = torch.nn.Parameter(torch.randn(d_model, d_emb) / math.sqrt(d_emb))
        self.hidden = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.randn(d_model, d_model) / math.sqrt(d_model)) for _ in range(layers)])
        self.outproj = torch.nn.Parameter(torch.randn(d_emb, d_model) / math.sqrt(d_model))
        self.unembed = torch.nn.Parameter(torch.randn(d_emb, vocab) / math.sqrt(d_emb))
        self.act = act

    def forward(self, tokens):                       # [B, T]
        x = self.embed.t()[tokens]                   # [B, T, E]
        x = self.act((x @ self.inproj.t()).sum(1))   # [B, D]
        for w in self.hidden:
            x = self.act(x @ w.t())
        return (x @ self.outproj.t()) @ self.unembed  # [B, V]


class OneHotMlp(torch.nn.Module):
    """polygrok's MLP with "input": "one_hot": the concatenated one-hot positions through bias-free
    linear layers (the StableMax paper's 226-200-200-113 model for add mod 113 on [a, b])."""

    def __init__(self, vocab, n_ctx, d_model, layers, act):
        super().__init__()
        sizes = [n_ctx * vocab] + [d_model] * (layers + 1)
        self.layers = torch.nn.ModuleList(
            [torch.nn.Linear(i, o, bias=False) for i, o in zip(sizes, sizes[1:])] + [torch.nn.Linear(d_model, vocab, bias=False)])
        self.vocab, self.act = vocab, act

    def forward(self, tokens):                       # [B, T]
        x = torch.nn.functional.one_hot(tokens, self.vocab).float().flatten(1)
        for layer in self.layers[:-1]:
            x = self.act(layer(x))
        return self.layers[-1](x)


class Block(torch.nn.Module):
    def __init__(self, d, heads, d_mlp, act, layer_norm):
        super().__init__()
        s = 1 / math.sqrt(d)
        self.heads = heads
        self.qkv = torch.nn.Parameter(torch.randn(3 * d, d) * s)
        self.wo = torch.nn.Parameter(torch.randn(d, d) * s)
        self.w_in = torch.nn.Parameter(torch.randn(d_mlp, d) * s)
        self.w_out = torch.nn.Parameter(torch.randn(d, d_mlp) * s)
        self.ln1 = torch.nn.LayerNorm(d) if layer_norm else torch.nn.Identity()
        self.ln2 = torch.nn.LayerNorm(d) if layer_norm else torch.nn.Identity()
        self.act = act

    def forward(self, h, mask):
        b, t, d = h.shape
        q, k, v = (self.ln1(h) @ self.qkv.t()).split(d, dim=-1)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(d // self.heads) + mask
        mix = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        h = h + mix @ self.wo.t()
        return h + self.act(self.ln2(h) @ self.w_in.t()) @ self.w_out.t()


class Transformer(torch.nn.Module):
    def __init__(self, vocab, n_ctx, d, heads, d_mlp, layers, act, layer_norm, positional):
        super().__init__()
        self.embed = torch.nn.Parameter(torch.randn(d, vocab) / math.sqrt(vocab))
        self.pos = torch.nn.Parameter(torch.randn(n_ctx, d) / math.sqrt(d)) if positional else None
        self.blocks = torch.nn.ModuleList([Block(d, heads, d_mlp, act, layer_norm) for _ in range(layers)])
        self.unembed = torch.nn.Parameter(torch.randn(d, vocab) / math.sqrt(d))
        self.register_buffer("mask", torch.triu(torch.full((n_ctx, n_ctx), float("-inf")), diagonal=1))

    def forward(self, tokens):
        h = self.embed.t()[tokens]
        if self.pos is not None:
            h = h + self.pos
        for blk in self.blocks:
            h = blk(h, self.mask)
        return h[:, -1] @ self.unembed


def loss_and_stats(logits, labels):
    lp = logits.double().log_softmax(-1)
    per = -lp.gather(1, labels[:, None])[:, 0]
    return per.mean(), per


def main():
    a = arg_parser().parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = json.load(open(a.config))
    m = cfg["model"]
    p = cfg["p"]
    vocab = p + 5
    pairs = p * p
    n_train = int(cfg["train_fraction"] * pairs)
    n_test = pairs - n_train
    act = torch.nn.functional.gelu if m.get("act", "ReLU").lower() == "gelu" else torch.relu
    if m.get("type") == "mlp" and m.get("input") == "one_hot":
        n_ctx = len(cfg["format"].split()) if cfg.get("format") not in (None, "short", "long") else 3
        if cfg.get("operand_range") == "p":
            vocab = p  # the operands alone: one one-hot block of p per position
        model = OneHotMlp(vocab, n_ctx, m["d_model"], m.get("num_layers", 1), act)
    elif m.get("type") == "mlp":
        n_ctx = 3
        model = MlpModel(vocab, m["d_emb"], m["d_model"], m.get("num_layers", 1), act)
    else:
        n_ctx = 3
        model = Transformer(vocab, n_ctx, m["d_model"], m["num_heads"], m["d_mlp"], m["num_layers"], act,
                            m.get("layer_norm", False), m.get("positional", False))
    o = cfg.get("optimizer", {})
    betas = tuple(o.get("betas", (0.9, 0.98)))
    if o.get("type", "adamw") == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=o.get("lr", 1e-3), betas=betas, weight_decay=o.get("weight_decay", 0))
    else:
        opt = torch.optim.AdamW(model.parameters(), lr=o.get("lr", 1e-3), betas=betas, weight_decay=o.get("weight_decay", 1.0),
                                eps=o.get("eps", 1e-8))
    train_x = torch.randint(0, vocab, (n_train, n_ctx))
    train_y = torch.randint(0, p, (n_train,))
    test_x = torch.randint(0, vocab, (n_test, n_ctx))
    test_y = torch.randint(0, p, (n_test,))
    batch = n_train if a.full_batch else (cfg.get("batch_size") or n_train)
    times = []
    for epoch in range(a.warmup + a.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n_train) if batch < n_train else torch.arange(n_train)
        for start in range(0, n_train, batch):
            idx = order[start:start + batch]
            loss, _ = loss_and_stats(model(train_x[idx]), train_y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        with torch.no_grad():
            _, per = loss_and_stats(model(test_x), test_y)
            per.tolist()
        if epoch >= a.warmup:
            times.append(time.perf_counter() - t0)
    print(json.dumps({"peer": "pytorch " + torch.__version__, "config": a.config, "threads": a.threads,
                      "epochs": a.epochs, "warmup": a.warmup, "median_s": statistics.median(times),
                      "min_s": min(times), "max_s": max(times)}))


if __name__ == "__main__":
    main()
