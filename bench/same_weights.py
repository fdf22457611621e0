#!/usr/bin/env python3
"""Same initial weights, same curve? Puts a polygrok run's metrics.jsonl beside the PyTorch peer's
(bench/torch_peer.py --grok --init-weights RUN/checkpoints/init.safetensors --metrics FILE) eval by
eval, and writes both curves as one CSV and the comparison as JSON: the epoch each first reached 99%
(or --acc) test accuracy, and the largest differences in test loss (relative) and test accuracy
(points) up to a given epoch.

usage: same_weights.py POLYGROK_METRICS PEER_METRICS OUT_CSV [--until EPOCH] [--acc 0.95]
"""
import argparse
import csv
import json


def read(path):
    with open(path) as f:
        return {o["epoch"]: o for o in (json.loads(line) for line in f if line.strip())}


def first_at(curve, acc=0.99):
    return next((e for e in sorted(curve) if curve[e]["test_acc"] >= acc), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("polygrok")
    ap.add_argument("peer")
    ap.add_argument("out_csv")
    ap.add_argument("--until", type=int, default=None, help="compare differences up to this epoch (default: all shared evals)")
    ap.add_argument("--acc", type=float, default=0.99, help="the test accuracy that counts as grokked (default 0.99)")
    args = ap.parse_args()
    a, b = read(args.polygrok), read(args.peer)
    epochs = sorted(set(a) & set(b))
    with open(args.out_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "polygrok_train_loss", "peer_train_loss", "polygrok_test_loss", "peer_test_loss",
                    "polygrok_test_acc", "peer_test_acc"])
        for e in epochs:
            w.writerow([e, a[e]["train_loss"], b[e]["train_loss"], a[e]["test_loss"], b[e]["test_loss"],
                        a[e]["test_acc"], b[e]["test_acc"]])
    upto = [e for e in epochs if args.until is None or e <= args.until]
    rel_loss = [abs(a[e]["test_loss"] - b[e]["test_loss"]) / abs(b[e]["test_loss"]) for e in upto]
    acc_pts = [100 * abs(a[e]["test_acc"] - b[e]["test_acc"]) for e in upto]
    ga, gb = first_at(a, args.acc), first_at(b, args.acc)
    pct = round(100 * args.acc)
    out = {
        "evals_compared": len(upto), "until_epoch": upto[-1] if upto else None,
        f"polygrok_epoch_{pct}": ga, f"peer_epoch_{pct}": gb,
        f"epoch_{pct}_relative_difference": None if ga is None or gb is None else abs(ga - gb) / gb,
        "max_relative_test_loss_difference": max(rel_loss) if rel_loss else None,
        "at_epoch": upto[rel_loss.index(max(rel_loss))] if rel_loss else None,
        "max_test_acc_difference_points": max(acc_pts) if acc_pts else None,
        "at_epoch_acc": upto[acc_pts.index(max(acc_pts))] if acc_pts else None,
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
