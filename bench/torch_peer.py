#!/usr/bin/env python3
"""The PyTorch peer: polygrok's model and epoch written independently in PyTorch, for side-by-side timing.

Model (docs/design.md, the seed's semantics): W_E [d_model, V] std 1/sqrt(V); per block W_Q/W_K/W_V
[H, d_head, d_model] and W_O [d_model, H*d_head], W_in [d_mlp, d_model], W_out [d_model, d_mlp], all
std 1/sqrt(d_model); W_U [d_model, V] std 1/sqrt(d_model). By default no biases, no LayerNorm, no positional
embedding; causal attention scaled by 1/sqrt(d_head); ReLU (or exact GELU); logits of the last
position; loss = mean cross-entropy with the log-softmax in float64 on the float32 logits.
AdamW lr 1e-3, wd 1.0, betas (0.9, 0.98), eps 1e-8.

Epoch (as polygrok's): one full-batch forward + backward + AdamW step on the train set, then a
no-grad forward on the test set computing loss and accuracy, both read by the host (.item()).

Modes: timing (default), --grok (train to 99% test accuracy), --check REF (compare logits, loss,
gradients, activations and AdamW steps with a reference .safetensors file). Prints one JSON object.
--init-weights FILE starts from given weights (a safetensors file with the seed's names, e.g. a
polygrok run's checkpoints/init.safetensors) instead of the peer's own seeded draw; with --grok,
--metrics FILE writes one JSON line per eval with polygrok's metrics.jsonl keys and timing (the
line of epoch e describes the weights before epoch e's step), so bench/follow.py can compare the
two curves.
--loss stablemax / --loss-precision float32 (or the config's "loss" / "loss_precision") train on
StableMax (s(x) = x + 1 for x >= 0, 1 / (1 - x) below; -log(s(z_y) / sum s)) and/or compute the loss in
float32 instead of float64; --metrics lines then carry softmax_collapse, the fraction of train examples
whose float32 sum_j exp(z_j - max z) is exactly 1, as polygrok logs it.
Model options (the config's "model" object, as polygrok reads it): layer_norm (LayerNorm before attention
and MLP, weight 1 / bias 0 at init), positional (pos_embed.W_pos [n_ctx, D], std 1/sqrt(d_model)), bias
(b_Q, b_K, b_V [H, d_head], b_O [D], b_in [F], b_out [D], zeros at init, as polygrok's; nn.Linear would
draw them uniformly), final_layer_norm (ln_final before the unembedding), residual "normalised"
(Grokfast's block: h = LN1(h); h = h + attn(h); h = h + mlp(LN2(h))), and "type": "mlp" with
"input": "one_hot" (input.W [D, n_ctx V] std weight_scale/sqrt(n_ctx V), num_layers mlps.l.W [D, D] and
output.W [V, D] std weight_scale/sqrt(D), act after every layer but the output, no biases); "weight_init":
"pytorch" draws the peer's own weights as PyTorch's modules do by default (Transformer.init). The peer's own
draw is not polygrok's; for a same-weights curve start both from polygrok's init (--init-weights).
"""

import argparse
import collections
import json
import math
import os
import random
import statistics
import struct
import sys
import time

OP_TOKENS = {"add": 1, "subtract": 2, "multiply": 3}  # offset from p: '=' p, '+' p+1, '-' p+2, '*' p+3
OP_ANSWERS = {
    "add": lambda a, b, p: (a + b) % p,
    "subtract": lambda a, b, p: (a - b) % p,
    "multiply": lambda a, b, p: (a * b) % p,
}
PAPER = {"p": 97, "train_fraction": 0.3, "seed": 0, "op": "add",
         "d_model": 128, "num_heads": 4, "d_mlp": 512, "num_layers": 1, "act_type": "ReLU",
         "lr": 1e-3, "weight_decay": 1.0, "betas": [0.9, 0.98], "eps": 1e-8}


# ---- arguments and config (before torch is imported, so thread settings reach every pool) ----

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", help="polygrok JSON config (snake_case keys); the paper's values if absent")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--threads", type=int, default=None, help="CPU threads (torch, OpenMP and OpenBLAS)")
    ap.add_argument("--epochs", type=int, default=None,
                    help="timed epochs (default 20); with --grok the epoch cap (default 50000)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed epochs first")
    ap.add_argument("--compile", action="store_true", help="torch.compile the forward + loss")
    ap.add_argument("--models", type=int, default=1, help="M independent models, trained one after another")
    ap.add_argument("--last-only", action="store_true",
                    help="compute the final block for the last position only (same numbers, less work)")
    ap.add_argument("--tf32", action="store_true",
                    help="CUDA: let float32 matrix products use TF32 tensor cores (off by default, as in PyTorch)")
    ap.add_argument("--grok", action="store_true", help="train until test accuracy >= 0.99")
    ap.add_argument("--seed", type=int, default=None, help="split and init seed (default: the config's, else 0)")
    ap.add_argument("--init-weights", metavar="FILE",
                    help="start from these weights (safetensors with the seed's names; opt.* entries are ignored)")
    ap.add_argument("--metrics", metavar="FILE", help="with --grok: one JSON line per eval, as polygrok's metrics.jsonl")
    ap.add_argument("--loss", choices=["cross_entropy", "stablemax"], default=None,
                    help="the training loss (default: the config's, else cross_entropy)")
    ap.add_argument("--loss-precision", choices=["float64", "float32"], default=None,
                    help="the loss's arithmetic (default: the config's, else float64)")
    ap.add_argument("--eval-every", type=int, default=1, help="with --metrics: evaluate every N epochs (default 1)")
    ap.add_argument("--check", nargs="?", const="DEFAULT", metavar="REF",
                    help="check against a reference .safetensors (default src/test/resources/reference/seed_add_p97.safetensors)")
    args = ap.parse_args(argv)
    if args.epochs is None:
        args.epochs = 50000 if args.grok else 20
    if args.models < 1 or args.epochs < 1 or args.warmup < 0:
        ap.error(f"--models {args.models} and --epochs {args.epochs} must be >= 1, --warmup {args.warmup} >= 0")
    if (args.metrics or args.init_weights) and not args.grok:
        ap.error("--metrics and --init-weights go with --grok")
    if args.eval_every < 1:
        ap.error(f"--eval-every {args.eval_every}: must be >= 1")
    if args.grok and args.models != 1:
        ap.error(f"--grok trains one model; got --models {args.models}")
    if args.threads is not None and args.threads < 1:
        ap.error(f"--threads {args.threads}: must be >= 1")
    return args


def load_config(path):
    """The paper's settings, overridden by what a polygrok config file says (several spellings accepted)."""
    cfg = dict(PAPER)
    if path is None:
        return cfg
    with open(path) as f:
        raw = json.load(f)
    model = raw.get("model", {}) if isinstance(raw.get("model"), dict) else {}
    opt = raw.get("optimizer", {}) if isinstance(raw.get("optimizer"), dict) else {}

    def pick(sources, names, key):
        for src in sources:
            for n in names:
                if n in src and src[n] is not None:
                    cfg[key] = src[n]
                    return

    pick([raw], ["p"], "p")
    pick([raw, raw.get("data", {})], ["train_fraction", "frac_train", "fraction"], "train_fraction")
    pick([model, raw], ["d_model"], "d_model")
    pick([model, raw], ["num_heads", "n_heads", "heads"], "num_heads")
    pick([model, raw], ["d_mlp"], "d_mlp")
    pick([model, raw], ["num_layers", "n_layers", "layers"], "num_layers")
    pick([model, raw], ["act_type", "act", "activation"], "act_type")
    for key in ("type", "layer_norm", "positional", "bias", "final_layer_norm", "residual", "input", "weight_scale",
                "weight_init"):
        pick([model], [key], "model_" + key)
    pick([opt, raw], ["lr"], "lr")
    pick([opt, raw], ["weight_decay", "wd"], "weight_decay")
    pick([opt, raw], ["betas"], "betas")
    pick([opt, raw], ["eps"], "eps")
    pick([opt], ["grad_filter"], "grad_filter")
    pick([opt], ["type"], "optimizer_type")
    pick([opt], ["warmup_steps"], "warmup_steps")
    pick([opt], ["orthogonal"], "orthogonal")
    if cfg.get("optimizer_type", "adamw") not in ("adamw", "adam"):
        sys.exit(f"{path}: optimizer type {cfg['optimizer_type']!r}: the peer knows adamw and adam")
    pick([raw], ["loss"], "loss")
    pick([raw], ["loss_precision"], "loss_precision")
    pick([raw], ["format"], "format")
    pick([raw], ["operand_domain"], "operand_domain")
    pick([raw], ["batch_size"], "batch_size")
    pick([raw], ["stop_test_acc"], "stop_test_acc")
    if raw.get("operand_range", "p") != "p":
        sys.exit(f"{path}: operand_range {raw.get('operand_range')!r}: the peer draws operands from 0..p-1 only")
    if cfg.get("format", "short") not in ("short",) and set(str(cfg["format"]).split()) - set("ab=+-*/"):
        sys.exit(f"{path}: format {cfg['format']!r}: the peer knows the short format and templates of a, b and symbols")
    if cfg.get("operand_domain") not in (None, "all", "b_nonzero", "nonzero"):
        sys.exit(f"{path}: operand_domain {cfg['operand_domain']!r}: the peer knows all, b_nonzero and nonzero")
    seeds = raw.get("seeds")
    if isinstance(seeds, list) and seeds:
        cfg["seed"] = seeds[0]
    pick([raw], ["seed"], "seed")
    ops = raw.get("ops", raw.get("op"))
    if isinstance(ops, list):
        if len(ops) != 1:
            sys.exit(f"{path}: ops {ops}: the peer trains one operation")
        ops = ops[0]
    if isinstance(ops, dict):
        ops = ops.get("name", ops.get("op"))
    if ops is not None:
        cfg["op"] = ops
    if cfg["op"] not in OP_ANSWERS:
        sys.exit(f"{path}: op '{cfg['op']}': the peer knows {sorted(OP_ANSWERS)}")
    acts = {"relu": "ReLU", "gelu": "GeLU"}
    if str(cfg["act_type"]).lower() not in acts:
        sys.exit(f"{path}: activation '{cfg['act_type']}': the peer knows ReLU and GeLU (exact erf GELU)")
    cfg["act_type"] = acts[str(cfg["act_type"]).lower()]
    if cfg.get("model_type", "transformer") == "mlp":
        if cfg.get("model_input", "embed") != "one_hot":
            sys.exit(f"{path}: the peer knows the transformer and the one-hot MLP (\"input\": \"one_hot\"), not the embedded MLP")
    elif cfg["d_model"] % cfg["num_heads"]:
        sys.exit(f"{path}: d_model {cfg['d_model']} is not divisible by num_heads {cfg['num_heads']}")
    if cfg.get("model_residual", "stream") == "normalised" and not cfg.get("model_layer_norm"):
        sys.exit(f"{path}: residual \"normalised\" needs layer_norm true")
    return cfg


def configure_threads(threads):
    if threads is None:
        return
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)


ARGS = parse_args(sys.argv[1:])
configure_threads(ARGS.threads)

import torch  # noqa: E402  (after the thread variables are set)


# ---- data ----

def split_pairs(p, fraction, seed):
    """All (a, b) in row-major order, shuffled as Python's random.shuffle; the first floor(frac*n) train."""
    pairs = [(a, b) for a in range(p) for b in range(p)]
    random.seed(seed)
    random.shuffle(pairs)
    n_train = int(math.floor(fraction * len(pairs)))
    return pairs[:n_train], pairs[n_train:]


def split_domain(p, fraction, seed, domain):
    """split_pairs over the pairs an operand_domain admits (filtered in row-major order, then shuffled)."""
    keep = {None: lambda a, b: True, "all": lambda a, b: True, "b_nonzero": lambda a, b: b != 0,
            "nonzero": lambda a, b: a != 0 and b != 0}[domain]
    pairs = [(a, b) for a in range(p) for b in range(p) if keep(a, b)]
    random.seed(seed)
    random.shuffle(pairs)
    n_train = int(math.floor(fraction * len(pairs)))
    return pairs[:n_train], pairs[n_train:]


SYMBOLS = "=+-*/"  # polygrok's vocabulary: numbers 0..p-1, then these at p, p+1, ...


def template_tokens(template, a, b, p):
    """A format template such as "a * b =" (Grokfast's [x, op, y, =]) spelled with polygrok's token ids."""
    return [a if t == "a" else b if t == "b" else p + SYMBOLS.index(t) for t in template.split()]


class JavaRandom:
    """java.util.Random (the 48-bit LCG) for nextInt(bound): polygrok's minibatch permutations."""
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.s = (seed ^ 0x5DEECE66D) & self.MASK

    def next31(self):
        self.s = (self.s * 0x5DEECE66D + 0xB) & self.MASK
        return self.s >> 17

    def next_int(self, bound):
        r = self.next31()
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < (1 << 31):  # Java's int overflow test: u - r + m < 0 as a 32-bit int
                return r
            u = self.next31()


def minibatch_order(n, seed, epoch):
    """The order polygrok's run of this seed takes the train set in at this epoch (MinibatchEpoch)."""
    rng = JavaRandom(seed * 1_000_003 + epoch)
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next_int(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def encode(pairs, p, op, device, template=None):
    if template is not None:
        tokens = torch.tensor([template_tokens(template, a, b, p) for a, b in pairs], dtype=torch.long, device=device)
        labels = torch.tensor([OP_ANSWERS[op](a, b, p) for a, b in pairs], dtype=torch.long, device=device)
        return tokens, labels
    tokens = torch.tensor([[a, p + OP_TOKENS[op], b] for a, b in pairs], dtype=torch.long, device=device)
    labels = torch.tensor([OP_ANSWERS[op](a, b, p) for a, b in pairs], dtype=torch.long, device=device)
    return tokens, labels


# ---- model ----

MAX_CTX = 16  # longest context the causal mask covers (polygrok's formats use 3 to 5 tokens)

class Embed(torch.nn.Module):
    def __init__(self, d_model, vocab):
        super().__init__()
        self.W_E = torch.nn.Parameter(torch.empty(d_model, vocab))  # [D, V]


class LayerNorm(torch.nn.Module):
    """LayerNorm over the last axis, eps 1e-5, with polygrok's names: .w and .b."""

    def __init__(self, d_model):
        super().__init__()
        self.w = torch.nn.Parameter(torch.empty(d_model))
        self.b = torch.nn.Parameter(torch.empty(d_model))

    def forward(self, x):
        return torch.nn.functional.layer_norm(x, (x.shape[-1],), self.w, self.b, eps=1e-5)


class Attention(torch.nn.Module):
    def __init__(self, d_model, heads, d_head, bias=False):
        super().__init__()
        self.W_Q = torch.nn.Parameter(torch.empty(heads, d_head, d_model))  # [H, Dh, D]
        self.W_K = torch.nn.Parameter(torch.empty(heads, d_head, d_model))
        self.W_V = torch.nn.Parameter(torch.empty(heads, d_head, d_model))
        self.W_O = torch.nn.Parameter(torch.empty(d_model, heads * d_head))  # [D, H*Dh], head-major columns
        self.bias = bias
        if bias:  # per head, as polygrok's blocks.l.attn.b_Q [H, Dh]; b_O [D]
            self.b_K = torch.nn.Parameter(torch.empty(heads, d_head))
            self.b_Q = torch.nn.Parameter(torch.empty(heads, d_head))
            self.b_V = torch.nn.Parameter(torch.empty(heads, d_head))
            self.b_O = torch.nn.Parameter(torch.empty(d_model))
        # key after query: masked. Built once (not per call, which on a GPU would be two more launches);
        # not persistent, so the state_dict holds the seed's names only.
        self.register_buffer("future", torch.ones(MAX_CTX, MAX_CTX, dtype=torch.bool).triu(1), persistent=False)

    def forward(self, x, last_only, saved=None):
        # x [B, T, D]; returns [B, Tq, D] with Tq = 1 when last_only
        b, t, d = x.shape
        h, dh, _ = self.W_Q.shape
        xq = x[:, -1:, :] if last_only else x
        tq = xq.shape[1]
        def project(a, w, bias, n):
            y = a @ w.reshape(h * dh, d).t()
            if self.bias:
                y = y + bias.reshape(h * dh)
            return y.view(b, n, h, dh).transpose(1, 2)
        q = project(xq, self.W_Q, self.b_Q if self.bias else None, tq)  # [B, H, Tq, Dh]
        k = project(x, self.W_K, self.b_K if self.bias else None, t)    # [B, H, T, Dh]
        v = project(x, self.W_V, self.b_V if self.bias else None, t)    # [B, H, T, Dh]
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)                              # [B, H, Tq, T]
        if not last_only:  # the last query sees every key; earlier queries only keys at or before them
            scores = scores.masked_fill(self.future[:t, :t], float("-inf"))
        pattern = scores.softmax(dim=-1)
        if saved is not None:
            saved["pattern"] = pattern
        z = (pattern @ v).transpose(1, 2).reshape(b, tq, h * dh)                        # [B, Tq, H*Dh]
        return z @ self.W_O.t() + self.b_O if self.bias else z @ self.W_O.t()


class Mlp(torch.nn.Module):
    def __init__(self, d_model, d_mlp, act, bias=False):
        super().__init__()
        self.W_in = torch.nn.Parameter(torch.empty(d_mlp, d_model))   # [F, D]
        if bias:
            self.b_in = torch.nn.Parameter(torch.empty(d_mlp))
        self.W_out = torch.nn.Parameter(torch.empty(d_model, d_mlp))  # [D, F]
        if bias:
            self.b_out = torch.nn.Parameter(torch.empty(d_model))
        self.act = act
        self.bias = bias

    def forward(self, x, saved=None):
        pre = x @ self.W_in.t() + self.b_in if self.bias else x @ self.W_in.t()  # [B, Tq, F]
        if saved is not None:
            saved["pre"] = pre
        if self.act == "ReLU":
            post = torch.relu(pre)
        elif self.act == "GeLU":
            post = torch.nn.functional.gelu(pre)  # exact erf GELU
        else:
            raise ValueError(f"activation '{self.act}': ReLU or GeLU")
        return post @ self.W_out.t() + self.b_out if self.bias else post @ self.W_out.t()


def activate(act, x):
    return torch.relu(x) if act == "ReLU" else torch.nn.functional.gelu(x)  # exact erf GELU


class Block(torch.nn.Module):
    """h = h + attn(LN1(h)); h = h + mlp(LN2(h)) (LayerNorms when layer_norm); with residual "normalised"
    Grokfast's block, whose stream is replaced by LN1(h) before the attention adds to it."""

    def __init__(self, d_model, heads, d_head, d_mlp, act, opts):
        super().__init__()
        self.layer_norm = opts.get("layer_norm", False)
        self.normalised = opts.get("residual", "stream") == "normalised"
        if self.layer_norm:
            self.ln1 = LayerNorm(d_model)
        self.attn = Attention(d_model, heads, d_head, opts.get("bias", False))
        if self.layer_norm:
            self.ln2 = LayerNorm(d_model)
        self.mlp = Mlp(d_model, d_mlp, act, opts.get("bias", False))

    def forward(self, x, last_only, saved=None):
        a_in = self.ln1(x) if self.layer_norm else x
        if self.normalised:
            x = a_in
        a = self.attn(a_in, last_only, saved)
        h = (x[:, -1:, :] if last_only else x) + a
        return h + self.mlp(self.ln2(h) if self.layer_norm else h, saved)


class Unembed(torch.nn.Module):
    def __init__(self, d_model, vocab):
        super().__init__()
        self.W_U = torch.nn.Parameter(torch.empty(d_model, vocab))  # [D, V]


class PosEmbed(torch.nn.Module):
    def __init__(self, n_ctx, d_model):
        super().__init__()
        self.W_pos = torch.nn.Parameter(torch.empty(n_ctx, d_model))  # [T, D]


class Transformer(torch.nn.Module):
    """Parameter names are the seed's state_dict names: embed.W_E, blocks.{l}.attn.W_Q, ..., unembed.W_U;
    with the model options also pos_embed.W_pos, blocks.{l}.ln1.w, .attn.b_Q, .mlp.b_in, ln_final.w (polygrok's)."""

    def __init__(self, vocab, d_model, heads, d_mlp, layers, act, last_only, opts=None, n_ctx=3):
        super().__init__()
        opts = opts or {}
        self.embed = Embed(d_model, vocab)
        if opts.get("positional", False):
            self.pos_embed = PosEmbed(n_ctx, d_model)
        self.blocks = torch.nn.ModuleList(
            [Block(d_model, heads, d_model // heads, d_mlp, act, opts) for _ in range(layers)])
        if opts.get("final_layer_norm", False):
            self.ln_final = LayerNorm(d_model)
        self.unembed = Unembed(d_model, vocab)
        self.last_only = last_only

    def init(self, generator, pytorch=False):
        """The seed's normals, or with pytorch (weight_init "pytorch") what PyTorch's modules draw by
        default: nn.Embedding N(0, 1) for W_E and W_pos, nn.MultiheadAttention's Xavier-uniform
        in_proj for W_Q, W_K, W_V (bound sqrt(6 / 4d)) and zero biases, nn.Linear's U(+-1/sqrt(fan_in))
        for W_O, W_in, W_out, W_U and for b_in, b_out."""
        vocab = self.embed.W_E.shape[1]
        d_model = self.embed.W_E.shape[0]

        def uniform(prm, bound):
            prm.copy_((torch.rand(prm.shape, generator=generator, dtype=torch.float64) * 2 - 1) * bound)

        with torch.no_grad():
            for name, prm in self.named_parameters():
                leaf = name.rsplit(".", 1)[-1]
                if leaf == "w":  # LayerNorm weights start at 1, their biases and every b_* at 0
                    prm.fill_(1)
                elif pytorch and leaf in ("b_in", "b_out"):
                    mlp = dict(self.named_parameters())[name.replace(leaf, "W" + leaf[1:])]
                    uniform(prm, 1 / math.sqrt(mlp.shape[1]))  # nn.Linear's bias: the layer's fan_in
                elif leaf == "b" or leaf.startswith("b_"):
                    prm.zero_()
                elif pytorch and name in ("embed.W_E", "pos_embed.W_pos"):
                    prm.copy_(torch.randn(prm.shape, generator=generator))
                elif pytorch and leaf in ("W_Q", "W_K", "W_V"):
                    uniform(prm, math.sqrt(6 / (4 * d_model)))
                elif pytorch:
                    # [out, in] except W_U, stored [d_model, V] (read as in, out)
                    uniform(prm, 1 / math.sqrt(d_model if name == "unembed.W_U" else prm.shape[1]))
                else:
                    std = 1 / math.sqrt(vocab) if name == "embed.W_E" else 1 / math.sqrt(d_model)
                    prm.copy_(torch.randn(prm.shape, generator=generator) * std)
        return self

    def forward(self, tokens, activations=None):
        # tokens [B, T] -> last-position logits [B, V]
        x = self.embed.W_E.t()[tokens]  # [B, T, D]
        if hasattr(self, "pos_embed"):
            x = x + self.pos_embed.W_pos[: tokens.shape[1]]
        n = len(self.blocks)
        for layer, block in enumerate(self.blocks):
            saved = {} if activations is not None else None
            x = block(x, self.last_only and layer == n - 1, saved)
            if activations is not None:
                activations[layer] = dict(saved, resid_post=x)
        x = x[:, -1, :]
        if hasattr(self, "ln_final"):
            x = self.ln_final(x)
        return x @ self.unembed.W_U


class Weight(torch.nn.Module):
    def __init__(self, rows, cols):
        super().__init__()
        self.W = torch.nn.Parameter(torch.empty(rows, cols))


class OneHotMlp(torch.nn.Module):
    """The MLP with "input": "one_hot": act(input.W onehot(a) ++ onehot(b) ...), then act(mlps.l.W h),
    then output.W h straight to the logits; no biases. Names as polygrok's: input.W, mlps.{l}.W, output.W."""

    def __init__(self, vocab, n_ctx, d_model, layers, act, weight_scale):
        super().__init__()
        self.input = Weight(d_model, n_ctx * vocab)  # [D, n_ctx V]
        self.mlps = torch.nn.ModuleList([Weight(d_model, d_model) for _ in range(layers)])
        self.output = Weight(vocab, d_model)  # [V, D]
        self.vocab, self.act, self.scale = vocab, act, weight_scale

    def init(self, generator, pytorch=False):
        """weight_scale / sqrt(fan_in) times a standard normal, or with pytorch a uniform in +- that (nn.Linear's default)."""
        with torch.no_grad():
            for _, prm in self.named_parameters():
                size = self.scale / math.sqrt(prm.shape[1])
                if pytorch:
                    prm.copy_((torch.rand(prm.shape, generator=generator, dtype=torch.float64) * 2 - 1) * size)
                else:
                    prm.copy_(torch.randn(prm.shape, generator=generator) * size)
        return self

    def forward(self, tokens, activations=None):
        onehot = torch.nn.functional.one_hot(tokens, self.vocab).to(self.input.W.dtype).flatten(1)  # [B, n_ctx V]
        h = activate(self.act, onehot @ self.input.W.t())
        for layer in self.mlps:
            h = activate(self.act, h @ layer.W.t())
        return h @ self.output.W.t()


# the loss every model trains on: set from --loss / --loss-precision or the config before training
LOSS = {"loss": "cross_entropy", "loss_precision": "float64"}


def mean_xent(logits, labels):
    """Mean cross-entropy, log-softmax in float64 on the (float32) logits, as the seed does; or the
    loss LOSS names: StableMax -log(s(z_y) / sum_j s(z_j)), and/or float32 arithmetic."""
    z = logits.to(torch.float64 if LOSS["loss_precision"] == "float64" else torch.float32)
    if LOSS["loss"] == "stablemax":
        s = torch.where(z >= 0, z + 1, 1 / (1 - z))
        return -torch.log(s.gather(1, labels[:, None])[:, 0] / s.sum(dim=-1)).mean()
    logp = z.log_softmax(dim=-1)
    return -logp.gather(1, labels[:, None]).mean()


def softmax_collapse(logits):
    """Fraction of rows whose float32 sum_j exp(z_j - max z) is exactly 1 (every other class underflowed)."""
    z = logits.detach().to(torch.float32)
    return ((z - z.max(dim=-1, keepdim=True).values).exp().sum(dim=-1) == 1).double().mean().item()


def evaluate(model, tokens, labels):
    with torch.no_grad():
        logits = model(tokens)
        return mean_xent(logits, labels), (logits.argmax(dim=-1) == labels).to(torch.float64).mean()


def epoch_functions(model):
    """The train loss and the evaluation of one model, as plain closures torch.compile can trace."""
    def loss_fn(tokens, labels):
        return mean_xent(model(tokens), labels)

    def eval_fn(tokens, labels):
        return evaluate(model, tokens, labels)

    return loss_fn, eval_fn


def make_optimizer(model, cfg, device):
    """AdamW, or with optimizer.type "adam" torch.optim.Adam, whose weight_decay is the coupled L2."""
    kw = dict(lr=cfg["lr"], weight_decay=cfg["weight_decay"], betas=tuple(cfg["betas"]), eps=cfg["eps"])
    cls = torch.optim.Adam if cfg.get("optimizer_type") == "adam" else torch.optim.AdamW
    if device == "cuda":  # the fastest version the installed torch offers on a GPU
        try:
            return cls(model.parameters(), fused=True, **kw), "fused"
        except (TypeError, RuntimeError):
            return cls(model.parameters(), foreach=True, **kw), "foreach"
    return cls(model.parameters(), **kw), "default"


def warmup_schedule(opt, steps):
    """optimizer.warmup_steps N: lr min(k / N, 1) at optimizer step k = 0, 1, ... (stepped after each step)."""
    if not steps:
        return None
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min(k / steps, 1.0))


def orthogonalize(params):
    """optimizer.orthogonal (⊥Grad, Prieto et al. 2025), per parameter tensor, flattened: g_perp =
    g - (w.g)/(w.w) w rescaled to |g|, dot products in float64; g kept where w.w or |g_perp| is 0."""
    with torch.no_grad():
        for q in params:
            w, g = q.detach().reshape(-1).double(), q.grad.reshape(-1).double()
            ww = torch.dot(w, w)
            if ww == 0:
                continue
            perp = g - (torch.dot(w, g) / ww) * w
            norm = torch.linalg.norm(perp)
            if norm == 0:
                continue
            q.grad.copy_((perp * (torch.linalg.norm(g) / norm)).reshape(q.grad.shape).to(q.grad.dtype))


# ---- environment ----

def blas_in_use():
    """The BLAS library mapped into this process, and OpenBLAS's own report of itself when it is that.
    Only the library's folder and file name are reported (no machine paths in recorded results)."""
    paths = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if path.startswith("/") and any(k in os.path.basename(path) for k in ("blas", "mkl_", "blis")):
                    paths.add(path)
    except OSError:
        pass
    info = {"libraries": sorted(os.path.join(os.path.basename(os.path.dirname(p)), os.path.basename(p))
                                for p in paths)}
    import ctypes
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            info["openblas_config"] = lib.openblas_get_config().decode()
            info["openblas_threads"] = lib.openblas_get_num_threads()
            info["openblas_parallel"] = {0: "sequential", 1: "pthreads", 2: "openmp"}.get(
                lib.openblas_get_parallel(), "unknown")
            break
        except (OSError, AttributeError):
            continue
    return info


def flops_per_epoch(cfg, n_train, n_test, n_ctx, last_only):
    """The same count as polygrok.train.EpochFlops (bench/README.md): matrix products, multiply-add = 2.
    The one-hot MLP: its input layer is counted as the product it is (2 D n_ctx V), though polygrok gathers."""
    d, h, f, layers, vocab = cfg["d_model"], cfg["num_heads"], cfg["d_mlp"], cfg["num_layers"], cfg["p"] + 5
    if cfg.get("model_type") == "mlp":
        return (3 * n_train + n_test) * (2 * d * n_ctx * vocab + 2 * layers * d * d + 2 * d * vocab)
    dh = d // h
    fwd = 2 * d * vocab
    for layer in range(layers):
        reduced = last_only and layer == layers - 1
        tq = 1 if reduced else n_ctx
        pairs = n_ctx if reduced else n_ctx * (n_ctx + 1) // 2
        fwd += 2 * tq * d * h * dh + 4 * n_ctx * d * h * dh + 4 * h * pairs * dh + 2 * tq * h * dh * d + 4 * tq * d * f
    return (3 * n_train + n_test) * fwd


# ---- timing and grokking ----

def pytorch_init(cfg):
    """Whether the config's model asks for PyTorch's default initialisation ("weight_init": "pytorch")."""
    init = cfg.get("model_weight_init", "default")
    if init not in ("default", "pytorch"):
        sys.exit(f"model.weight_init \"{init}\": allowed default, pytorch")
    return init == "pytorch"


def build(cfg, seed, device, last_only):
    gen = torch.Generator().manual_seed(seed)
    if cfg.get("model_type") == "mlp":
        return OneHotMlp(cfg["p"] + 5, 3, cfg["d_model"], cfg["num_layers"], cfg["act_type"],
                         cfg.get("model_weight_scale", 1.0)).init(gen, pytorch_init(cfg)).to(device)
    opts = {k: cfg["model_" + k] for k in ("layer_norm", "positional", "bias", "final_layer_norm", "residual")
            if "model_" + k in cfg}
    n_ctx = len(cfg["format"].split()) if template_of(cfg) else 3
    model = Transformer(cfg["p"] + 5, cfg["d_model"], cfg["num_heads"], cfg["d_mlp"], cfg["num_layers"],
                        cfg["act_type"], last_only, opts, n_ctx=n_ctx).init(gen, pytorch_init(cfg)).to(device)
    return model


def template_of(cfg):
    """The config's token template, or None for the short format."""
    fmt = cfg.get("format", "short")
    return None if fmt == "short" else fmt


def run_training(args, cfg):
    device = args.device
    if device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: torch.cuda.is_available() is False on this machine")
    if device == "cuda":  # full float32 products unless asked: polygrok's kernels compute in float32
        torch.backends.cuda.matmul.allow_tf32 = args.tf32
        torch.backends.cudnn.allow_tf32 = args.tf32
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    seed = args.seed if args.seed is not None else cfg["seed"]
    if template_of(cfg) or cfg.get("operand_domain"):
        train, test = split_domain(cfg["p"], cfg["train_fraction"], seed, cfg.get("operand_domain"))
    else:
        train, test = split_pairs(cfg["p"], cfg["train_fraction"], seed)
    train_x, train_y = encode(train, cfg["p"], cfg["op"], device, template_of(cfg))
    test_x, test_y = encode(test, cfg["p"], cfg["op"], device, template_of(cfg))
    if cfg.get("batch_size") and not (args.grok and args.metrics):
        sys.exit("batch_size: the peer trains minibatches only with --grok --metrics")

    runs = []  # one (model, optimizer, loss function, eval function) per model; seeds seed, seed+1, ...
    adamw_kind = None
    for m in range(args.models):
        model = build(cfg, seed + m, device, args.last_only)
        if args.init_weights:
            load_weights(model, args.init_weights)
        opt, adamw_kind = make_optimizer(model, cfg, device)
        loss_fn, eval_fn = epoch_functions(model)
        if args.compile:
            if not hasattr(torch, "compile"):
                sys.exit(f"--compile: torch {torch.__version__} has no torch.compile (needs 2.0 or later)")
            loss_fn, eval_fn = torch.compile(loss_fn), torch.compile(eval_fn)
        runs.append((model, opt, loss_fn, eval_fn))

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    def epoch(run):
        model, opt, loss_fn, eval_fn = run
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(train_x, train_y)
        loss.backward()
        opt.step()
        test_loss, test_acc = eval_fn(test_x, test_y)
        return loss.item(), test_loss.item(), test_acc.item()

    result = {
        "device": device if device == "cpu" else f"cuda ({torch.cuda.get_device_name()})",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "compile": args.compile,
        "tf32": args.tf32 if device == "cuda" else None,
        "adamw": adamw_kind,
        "grad_filter": cfg.get("grad_filter"),
        "optimizer_type": cfg.get("optimizer_type", "adamw"),
        "warmup_steps": cfg.get("warmup_steps", 0),
        "orthogonal": bool(cfg.get("orthogonal", False)),
        "loss": LOSS["loss"], "loss_precision": LOSS["loss_precision"],
        "last_only": args.last_only,
        "models": args.models,
        "p": cfg["p"], "train_fraction": cfg["train_fraction"], "op": cfg["op"], "seed": seed,
        "n_train": len(train), "n_test": len(test),
    }
    if device == "cpu":
        result["blas"] = blas_in_use()

    if args.grok and args.metrics and cfg.get("batch_size"):
        return run_minibatches_logged(runs[0], args, result, cfg, seed, train_x, train_y, test_x, test_y)
    if args.grok and args.metrics:
        return run_logged(runs[0], args, result, train_x, train_y, test_x, test_y)
    if cfg.get("grad_filter"):
        sys.exit("grad_filter: the peer applies it only with --grok --metrics")
    if cfg.get("warmup_steps") or cfg.get("orthogonal"):
        sys.exit("warmup_steps, orthogonal: the peer applies them only with --grok --metrics")

    if args.grok:
        sync()
        start = time.perf_counter()
        reached = None
        metrics = None
        for e in range(1, args.epochs + 1):
            metrics = epoch(runs[0])
            if metrics[2] >= 0.99:
                reached = e
                break
        sync()
        # wall time from the first epoch on, evaluation (and with --compile, compilation) included
        result.update(grok_epoch=reached, grok_wall_s=time.perf_counter() - start, epochs_cap=args.epochs,
                      final={"train_loss": metrics[0], "test_loss": metrics[1], "test_accuracy": metrics[2]})
        return result

    for _ in range(args.warmup):
        for run in runs:
            epoch(run)
    times, cpu_times = [], []
    metrics = None
    for _ in range(args.epochs):
        sync()
        start, cpu_start = time.perf_counter(), time.process_time()
        for run in runs:
            metrics = epoch(run)
        sync()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    median = statistics.median(times)
    flops = args.models * flops_per_epoch(cfg, len(train), len(test), 3, args.last_only)
    full_flops = args.models * flops_per_epoch(cfg, len(train), len(test), 3, False)
    result.update(
        warmup=args.warmup, epochs=args.epochs,
        median_s=median, min_s=min(times), max_s=max(times),
        # CPU seconds of this process (all its threads) per epoch: on a machine shared with other work,
        # a 1-thread run's CPU time stays near its uncontended wall time while its wall time grows.
        median_cpu_s=statistics.median(cpu_times),
        examples_per_s=args.models * (len(train) + len(test)) / median,
        gflop=flops / 1e9, gflop_per_s=flops / 1e9 / median,
        gflop_full_model=full_flops / 1e9,
        final={"train_loss": metrics[0], "test_loss": metrics[1], "test_accuracy": metrics[2]},
    )
    return result


# ---- reference check ----

def load_weights(model, path):
    """Copies every parameter from a safetensors file with the seed's names; names and shapes must match."""
    tensors, _ = read_safetensors(path)
    own = dict(model.named_parameters())
    missing = [n for n in own if n not in tensors]
    if missing:
        sys.exit(f"--init-weights {path}: no tensor for {missing}; it has {sorted(tensors)[:8]}")
    with torch.no_grad():
        for name, prm in own.items():
            src = tensors[name]
            if tuple(src.shape) != tuple(prm.shape):
                sys.exit(f"--init-weights {path}: {name} has shape {tuple(src.shape)}, the model needs {tuple(prm.shape)}")
            prm.copy_(src.to(prm.dtype))


class GradFilter:
    """A gradient filter on p.grad between backward() and the optimizer step, written from the
    Grokfast definitions (Lee et al. 2024): "ema" keeps mu = g on the first call, then
    mu = alpha mu + (1 - alpha) g, and adds lambda mu to the gradient; "ma" keeps the last W
    gradients and, once W are held, adds lambda times their mean."""

    def __init__(self, model, spec):
        self.params = [q for q in model.parameters() if q.requires_grad]
        self.kind = spec.get("type", "ema")
        if self.kind not in ("ema", "ma"):
            sys.exit(f"grad_filter type {self.kind!r}: the peer knows ema and ma")
        self.lam = spec.get("lambda", 2.0 if self.kind == "ema" else 5.0)
        self.alpha = spec.get("alpha", 0.98)
        self.window = spec.get("window", 100)
        self.mu = None
        self.held = [collections.deque() for _ in self.params]

    def apply(self):
        if self.kind == "ema":
            if self.mu is None:
                self.mu = [q.grad.detach().clone() for q in self.params]
            else:
                for mu, q in zip(self.mu, self.params):
                    mu.mul_(self.alpha).add_(q.grad, alpha=1 - self.alpha)
            for mu, q in zip(self.mu, self.params):
                q.grad.add_(mu, alpha=self.lam)
            return
        for held, q in zip(self.held, self.params):
            held.append(q.grad.detach().clone())
            if len(held) > self.window:
                held.popleft()
            if len(held) == self.window:
                q.grad.add_(torch.stack(tuple(held)).mean(dim=0), alpha=self.lam)


def update(opt, filt, sched, trainable, orthogonal):
    """One optimizer step after the backward, in polygrok's order: the gradient filter, then ⊥Grad,
    then the optimizer, then the warm-up schedule."""
    if filt is not None:
        filt.apply()
    if orthogonal:
        orthogonalize(trainable)
    opt.step()
    if sched is not None:
        sched.step()


def run_logged(run, args, result, train_x, train_y, test_x, test_y):
    """--grok --metrics: the seed's epoch order (losses of the weights before the step, then the step),
    one line per eval, stopping at the first eval with test accuracy >= 0.99."""
    model, opt, loss_fn, eval_fn = run
    filt = GradFilter(model, result["grad_filter"]) if result.get("grad_filter") else None
    sched = warmup_schedule(opt, result.get("warmup_steps"))
    trainable = [q for q in model.parameters() if q.requires_grad]
    start = time.perf_counter()
    reached = None
    with open(args.metrics, "w") as out:
        for e in range(args.epochs):
            opt.zero_grad(set_to_none=True)
            logits = model(train_x)
            loss = mean_xent(logits, train_y)
            line = None
            if e % args.eval_every == 0:
                with torch.no_grad():
                    train_acc = (logits.argmax(-1) == train_y).double().mean().item()
                    test_loss, test_acc = eval_fn(test_x, test_y)
                line = {"epoch": e, "step": e, "train_loss": loss.item(), "train_acc": train_acc,
                        "test_loss": test_loss.item(), "test_acc": test_acc.item(),
                        "softmax_collapse": softmax_collapse(logits)}
            loss.backward()
            update(opt, filt, sched, trainable, result.get("orthogonal"))
            if line is not None:
                line["wall_s"] = time.perf_counter() - start
                out.write(json.dumps(line) + "\n")
                if line["test_acc"] >= 0.99:
                    reached = e
                    break
    result.update(grok_epoch=reached, grok_wall_s=time.perf_counter() - start, epochs_cap=args.epochs,
                  init_weights=os.path.basename(args.init_weights) if args.init_weights else None,
                  metrics=os.path.basename(args.metrics), eval_every=args.eval_every)
    return result


def run_minibatches_logged(run, args, result, cfg, seed, train_x, train_y, test_x, test_y):
    """--grok --metrics with batch_size: each epoch the whole train and test sets evaluated first (the
    weights after e epochs, as polygrok's metrics.jsonl line of epoch e; step = the index of the
    epoch's last step, as polygrok writes it), then the train set in polygrok's order for this seed
    (minibatch_order), one step per batch (the last one shorter, its loss the mean of its rows);
    stops at the first epoch whose test accuracy reaches stop_test_acc."""
    model, opt, loss_fn, eval_fn = run
    filt = GradFilter(model, result["grad_filter"]) if result.get("grad_filter") else None
    sched = warmup_schedule(opt, result.get("warmup_steps"))
    trainable = [q for q in model.parameters() if q.requires_grad]
    size, n = cfg["batch_size"], train_x.shape[0]
    stop = cfg.get("stop_test_acc") or 0.99
    start = time.perf_counter()
    reached = None
    with open(args.metrics, "w") as out:
        steps_per_epoch = (n + size - 1) // size
        for e in range(args.epochs):
            train_loss, train_acc = eval_fn(train_x, train_y)
            test_loss, test_acc = eval_fn(test_x, test_y)
            line = {"epoch": e, "step": (e + 1) * steps_per_epoch - 1, "wall_s": time.perf_counter() - start,
                    "train_loss": train_loss.item(), "train_acc": train_acc.item(), "test_loss": test_loss.item(),
                    "test_acc": test_acc.item()}
            out.write(json.dumps(line) + "\n")
            out.flush()
            if line["test_acc"] >= stop:
                reached = e
                break
            order = torch.tensor(minibatch_order(n, seed, e), dtype=torch.long, device=train_x.device)
            for lo in range(0, n, size):
                idx = order[lo:lo + size]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(train_x[idx], train_y[idx])
                loss.backward()
                update(opt, filt, sched, trainable, result.get("orthogonal"))
    result.update(grok_epoch=reached, grok_wall_s=time.perf_counter() - start, epochs_cap=args.epochs,
                  stop_test_acc=stop, batch_size=size,
                  init_weights=os.path.basename(args.init_weights) if args.init_weights else None,
                  metrics=os.path.basename(args.metrics))
    return result


def read_safetensors(path):
    """{name: tensor} and metadata; the safetensors package when present, else the format by hand."""
    dtypes = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        raw = bytearray(data[begin:end])
        t = torch.frombuffer(raw, dtype=dtypes[entry["dtype"]]) if raw else torch.empty(0, dtype=dtypes[entry["dtype"]])
        out[name] = t.reshape(entry["shape"]).clone()
    return out, meta


def rel_err(got, ref):
    """max |got - ref| / max |ref|, in float64."""
    got, ref = got.detach().to(torch.float64), ref.to(torch.float64)
    return ((got - ref).abs().max() / ref.abs().max().clamp_min(1e-300)).item()


def run_check(path):
    if path == "DEFAULT":
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "reference",
                            "seed_add_p97.safetensors")
    tensors, meta = read_safetensors(path)
    mc = json.loads(meta["config"])
    oc = json.loads(meta["optimizer"])
    if mc.get("model") != "transformer":
        sys.exit(f"{os.path.basename(path)}: model '{mc.get('model')}': the peer implements the transformer only")
    cfg = dict(PAPER, p=mc["p"], d_model=mc["d_model"], num_heads=mc["num_heads"], d_mlp=mc["d_mlp"],
               num_layers=mc["num_layers"], act_type=mc["act_type"], lr=oc["lr"],
               weight_decay=oc["weight_decay"], betas=oc["betas"], eps=oc["eps"])
    tokens, labels = tensors["input.tokens"], tensors["input.labels"]
    results = []

    def record(name, got, ref, tol):
        err = rel_err(got, ref)
        results.append({"tensor": name, "rel_err": err, "tol": tol, "ok": err <= tol})

    # The split pin (README of the reference folder).
    train, _ = split_pairs(97, 0.3, 0)
    pin = [(63, 40), (53, 60), (7, 89), (89, 2), (18, 64), (63, 79)]
    results.append({"tensor": "split(p=97, frac=0.3, seed=0)", "ok": train[:6] == pin and len(train) == 2822,
                    "first": train[:6], "n_train": len(train)})

    # The FLOP count, pinned to the numbers EpochFlopsTest pins for polygrok.train.EpochFlops.
    for last_only, pinned in ((False, 1_208_832 * 15_053), (True, 551_936 * 15_053)):
        got = flops_per_epoch(PAPER, 2822, 6587, 3, last_only)
        results.append({"tensor": f"flops_per_epoch(paper, last_only={last_only})", "ok": got == pinned,
                        "got": got, "pinned": pinned})

    for dtype, prefix, tol in ((torch.float32, "", 1e-4), (torch.float64, "f64.", 1e-10)):
        for last_only in (False, True):
            tag = f"{prefix or 'f32.'}{'last_only.' if last_only else ''}"
            model = Transformer(cfg["p"] + 5, cfg["d_model"], cfg["num_heads"], cfg["d_mlp"], cfg["num_layers"],
                                cfg["act_type"], last_only).to(dtype)
            with torch.no_grad():
                for name, prm in model.named_parameters():
                    prm.copy_(tensors["param." + name].to(dtype))
            acts = {}
            logits = model(tokens, acts)
            loss = mean_xent(logits, labels)
            loss.backward()
            record(tag + "out.logits", logits, tensors[prefix + "out.logits"], tol)
            record(tag + "out.loss", loss.reshape(1), tensors[prefix + "out.loss"], tol)
            for name, prm in model.named_parameters():
                record(tag + "grad." + name, prm.grad, tensors[prefix + "grad." + name], tol)
            if dtype == torch.float32 and not last_only:  # activations are stored for the float32 full model
                for layer, a in acts.items():
                    record(f"{tag}act.blocks.{layer}.attn.pattern", a["pattern"],
                           tensors[f"act.blocks.{layer}.attn.pattern"], tol)
                    record(f"{tag}act.blocks.{layer}.mlp.pre", a["pre"], tensors[f"act.blocks.{layer}.mlp.pre"], tol)
                    record(f"{tag}act.blocks.{layer}.resid_post", a["resid_post"],
                           tensors[f"act.blocks.{layer}.resid_post"], tol)
            # AdamW: steps 1..3 on this batch, each recomputing loss and gradients.
            opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"],
                                    betas=tuple(cfg["betas"]), eps=cfg["eps"])
            for step in (1, 2, 3):
                if step > 1:
                    opt.zero_grad(set_to_none=True)
                    mean_xent(model(tokens), labels).backward()
                opt.step()
                if step in (1, 3):
                    for name, prm in model.named_parameters():
                        key = f"{prefix}adamw.step{step}.{name}"
                        record(tag + key[len(prefix):], prm, tensors[key], tol)
    worst = max((r for r in results if "rel_err" in r), key=lambda r: r["rel_err"] / r["tol"])
    return {"check": os.path.basename(path), "ok": all(r["ok"] for r in results),
            "compared": len(results), "failures": [r for r in results if not r["ok"]],
            "worst_relative_to_tolerance": worst, "results": results}


def main():
    if ARGS.check:
        out = run_check(ARGS.check)
        print(json.dumps(out, indent=1))
        sys.exit(0 if out["ok"] else 1)
    cfg = load_config(ARGS.config)
    for key, arg in (("loss", ARGS.loss), ("loss_precision", ARGS.loss_precision)):
        LOSS[key] = arg or cfg.get(key, LOSS[key])
    print(json.dumps(run_training(ARGS, cfg), indent=1))


if __name__ == "__main__":
    main()
