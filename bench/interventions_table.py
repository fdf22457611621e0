#!/usr/bin/env python3
"""Tabulates an interventions sweep: one row per stage and point (an intervention on one task),
over its seeds: runs, how many reached the threshold, epochs (and optimizer steps) to it as
mean ± sample standard deviation, the best test accuracy of those that did not, and the largest
softmax_collapse logged.

Reads only what polygrok writes into each run directory (summary.json, metrics.jsonl), so it works
on a sweep that is still running (unfinished runs are counted as such), or what bench/record_runs.py
keeps of it (curve.csv instead of metrics.jsonl), so a results record tabulates the same way.

    python3 bench/interventions_table.py RUNS/paper_task --threshold 0.99 > table.md
    python3 bench/interventions_table.py RUNS/grokfast_regime --threshold 0.95 --steps
"""
import argparse
import csv
import json
import statistics
import sys
from pathlib import Path


def first_epoch_at(metrics, threshold):
    """(epoch, steps) of the first eval line whose test accuracy reaches threshold, else None.

    An eval line of epoch e reads the weights after e epochs; the optimizer steps taken by then are
    e times the steps per epoch (a minibatch line's "step" field counts to the end of its epoch,
    so steps per epoch is (last step + 1) / (last epoch + 1))."""
    if not metrics:
        return None
    per_epoch = (metrics[-1].get("step", metrics[-1]["epoch"]) + 1) / (metrics[-1]["epoch"] + 1)
    for line in metrics:
        if line.get("test_acc", 0) >= threshold:
            return line["epoch"], round(line["epoch"] * per_epoch)
    return None


def read_metrics(path):
    """The eval lines of metrics.jsonl, or of the curve.csv a results record keeps beside it."""
    lines = []
    curve = path.with_name("curve.csv")
    if not path.exists() and curve.exists():
        with curve.open() as f:
            for row in csv.DictReader(f):
                line = {k: float(v) for k, v in row.items() if v != ""}
                line["epoch"] = int(line["epoch"])
                if "step" in line:
                    line["step"] = int(line["step"])
                lines.append(line)
        return lines
    if path.exists():
        for raw in path.read_text().splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                pass  # a line torn by an interrupted write; the run rewrites it on resume
    return lines


def spread(values):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:,.0f}"
    return f"{statistics.mean(values):,.0f} ± {statistics.stdev(values):,.0f}"


def runs_by_point(root):
    points = {}
    for seed_dir in sorted(root.glob("**/seed_*")):
        if not (seed_dir / "config.json").exists():
            continue
        point = seed_dir.parent.relative_to(root).as_posix()
        points.setdefault(point, []).append(seed_dir)
    return points


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="a sweep's directory (OUT/<sweep>)")
    ap.add_argument("--threshold", type=float, default=0.99, help="test accuracy that counts as grokked")
    ap.add_argument("--steps", action="store_true", help="also give optimizer steps (minibatch runs)")
    args = ap.parse_args()
    if not args.root.is_dir():
        sys.exit(f"{args.root}: not a directory; give a sweep's output directory, e.g. runs/paper_task")

    head = ["intervention / task", "runs", f"reached {args.threshold:.0%}", "epochs to it"]
    if args.steps:
        head.append("steps to it")
    head += ["best test acc (others)", "max softmax_collapse", "s per epoch"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for point, seeds in runs_by_point(args.root).items():
        epochs, steps, best_others, collapse, per_epoch, finished = [], [], [], [], [], 0
        for seed_dir in seeds:
            metrics = read_metrics(seed_dir / "metrics.jsonl")
            summary_file = seed_dir / "summary.json"
            finished += summary_file.exists()
            hit = first_epoch_at(metrics, args.threshold)
            if hit:
                epochs.append(hit[0])
                if hit[1] is not None:
                    steps.append(hit[1])
            elif metrics:
                best_others.append(max(line.get("test_acc", 0) for line in metrics))
            collapse += [line["softmax_collapse"] for line in metrics if "softmax_collapse" in line]
            if len(metrics) > 1:
                span = metrics[-1]["epoch"] - metrics[0]["epoch"]
                if span > 0:
                    per_epoch.append((metrics[-1]["wall_s"] - metrics[0]["wall_s"]) / span)
        runs = f"{len(seeds)}" + ("" if finished == len(seeds) else f" ({len(seeds) - finished} running)")
        row = [point, runs, f"{len(epochs)}/{len(seeds)}", spread(epochs)]
        if args.steps:
            row.append(spread(steps))
        row += [", ".join(f"{b:.1%}" for b in best_others) or "–",
                f"{max(collapse):.3f}" if collapse else "–",
                f"{statistics.median(per_epoch):.3f}" if per_epoch else "–"]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
