#!/usr/bin/env python3
"""Does a cuda run follow a cpu run of the same config and seed? Compares two metrics.jsonl files
eval by eval and prints the largest differences as JSON. Both backends compute in float32 with
different summation orders, so the curves agree closely early on and may drift apart slowly."""
import json
import sys


def read(path):
    with open(path) as f:
        return {o["epoch"]: o for o in (json.loads(line) for line in f if line.strip())}


def main(a_path, b_path):
    a, b = read(a_path), read(b_path)
    epochs = sorted(set(a) & set(b))
    out = {"evals_compared": len(epochs), "first_epoch": epochs[0] if epochs else None,
           "last_epoch": epochs[-1] if epochs else None}
    for key in ("train_loss", "test_loss", "train_acc", "test_acc"):
        diffs = [abs(a[e][key] - b[e][key]) for e in epochs]
        out["max_abs_diff_" + key] = max(diffs) if diffs else None
        out["at_epoch_" + key] = epochs[diffs.index(max(diffs))] if diffs else None
    rel = [abs(a[e]["train_loss"] - b[e]["train_loss"]) / max(abs(a[e]["train_loss"]), 1e-12) for e in epochs]
    out["max_rel_diff_train_loss"] = max(rel) if rel else None
    if epochs:
        out["final"] = {k: [a[epochs[-1]][k], b[epochs[-1]][k]] for k in ("train_loss", "test_loss", "test_acc")}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
