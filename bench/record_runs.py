#!/usr/bin/env python3
"""Copies what a results record keeps of a sweep's runs, leaving checkpoints behind.

    bench/record_runs.py RUNS/SWEEP bench/results/.../SWEEP

For every run directory under the sweep (one holding config.json): config.json, summary.json (when
the run has ended), operand_split.json (when `polygrok analyze` wrote one) and curve.csv, the run's
metrics.jsonl cut to its curve: epoch, train_loss, train_acc, test_loss, test_acc per eval line, and
step, wall_s and softmax_collapse where the run logs them, and a mixture's test accuracy per task as
test_acc:<task> (enough for bench/interventions_table.py and `report --against` to
tabulate a record; a run's full metrics, with per-tensor norms, are ~80 bytes per eval per tensor: too
large to keep for every run). A run still training or stopped by a signal gets its curve so far and no summary.
Prints one line per run: its name and how it stands.
"""
import csv
import json
import os
import shutil
import sys

CURVE = ["epoch", "train_loss", "train_acc", "test_loss", "test_acc"]
OPTIONAL = ["step", "wall_s", "softmax_collapse"]
KEPT = ["config.json", "summary.json", "operand_split.json"]


def record(run, dest):
    os.makedirs(dest, exist_ok=True)
    for name in KEPT:
        if os.path.isfile(os.path.join(run, name)):
            shutil.copyfile(os.path.join(run, name), os.path.join(dest, name))
    last = None
    metrics = os.path.join(run, "metrics.jsonl")
    if os.path.isfile(metrics):
        with open(metrics) as f, open(os.path.join(dest, "curve.csv"), "w", newline="") as out:
            w = csv.writer(out)
            columns = None
            for line in f:
                try:
                    m = json.loads(line)
                except json.JSONDecodeError:
                    break  # a line cut by a stop: the curve ends before it
                if columns is None:
                    tasks = list(m.get("tasks", {}))
                    columns = CURVE + [k for k in OPTIONAL if k in m] + ["test_acc:" + t for t in tasks]
                    w.writerow(columns)
                w.writerow([m.get("tasks", {}).get(k[9:], {}).get("test_acc", "") if k.startswith("test_acc:") else m.get(k, "")
                            for k in columns])
                last = m
            if columns is None:
                w.writerow(CURVE)
    return last


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sweep, dest = sys.argv[1], sys.argv[2]
    for root, _dirs, files in sorted(os.walk(sweep)):
        if "config.json" not in files or "checkpoints" in root.split(os.sep):
            continue
        rel = os.path.relpath(root, sweep)
        last = record(root, os.path.join(dest, rel))
        summary = os.path.join(root, "summary.json")
        if os.path.isfile(summary):
            with open(summary) as f:
                s = json.load(f)
            ended = s.get("ended", {})
            state = f"{ended.get('reason')} at epoch {ended.get('epoch')}, best test acc {s.get('best_test_acc', 0):.4f}"
        else:
            state = "not ended" + (f", epoch {last['epoch']}, test acc {last['test_acc']:.4f}" if last else "")
        print(f"{rel}: {state}")


if __name__ == "__main__":
    main()
