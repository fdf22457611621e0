#!/usr/bin/env python3
"""Turns the raw outputs of bench/compare.sh into a table and a JSON record in bench/results/.

Usage (from compare.sh): compare_report.py WORKDIR CONFIG EPOCHS WARMUP
WORKDIR holds polygrok.out (polygrok bench's JSON), polygrok.load and peer-<threads>-<variant>.json.
"""

import datetime
import glob
import json
import os
import re
import subprocess
import sys


def read_json_object(text):
    """The JSON object in a program's stdout, ignoring any log lines around it."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        return json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        return None


def machine():
    """The CPU and runtime, without the host's name or any path."""
    info = {}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        info["cpu"] = fields.get("Model name")
        info["cpus"] = int(fields.get("CPU(s)", "0"))
        info["threads_per_core"] = int(fields.get("Thread(s) per core", "1"))
        flags = fields.get("Flags", "").split()
        info["simd"] = [f for f in ("avx2", "fma", "avx512f", "avx512_bf16") if f in flags]
    except (OSError, subprocess.CalledProcessError, ValueError):
        info["cpu"] = None
    try:
        with open("/proc/meminfo") as m:
            info["memory_gib"] = round(int(m.readline().split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
        info["java"] = java[0] if java else None
    except OSError:
        info["java"] = None
    return info


def label(m):
    """A file-name label from the CPU model and core count, e.g. amd-epyc-2c."""
    name = re.sub(r"\((r|tm)\)|processor|cpu|\d+-core", "", (m.get("cpu") or "unknown-cpu").lower())
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "cpu"
    return f"{slug}-{m.get('cpus', 0)}c"


def main():
    work, config, epochs, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    polygrok = None
    if os.path.exists(os.path.join(work, "polygrok.out")):
        with open(os.path.join(work, "polygrok.out")) as f:
            polygrok = read_json_object(f.read())
        if polygrok is not None:
            with open(os.path.join(work, "polygrok.load")) as f:
                for line in f:
                    polygrok.update(json.loads(line))
            rss = os.path.join(work, "polygrok.rss")
            if os.path.exists(rss):  # peak resident set size of the whole java process (GNU time, KiB)
                with open(rss) as f:
                    polygrok["max_rss_mb"] = int(f.read().split()[-1]) / 1024
    peers = []
    for path in sorted(glob.glob(os.path.join(work, "peer-*.json"))):
        with open(path) as f:
            peers.append(json.load(f))

    full = [p for p in peers if not p["last_only"]]
    best_full = min(full, key=lambda p: p["median_s"]) if full else None
    best_any = min(peers, key=lambda p: p["median_s"]) if peers else None

    rows = []
    if polygrok is not None:
        rows.append(("polygrok " + str(polygrok.get("backend")), "-", "-", polygrok))
    for p in peers:
        rows.append(("peer torch " + p["torch"], str(p["threads"]),
                     "last-only" if p["last_only"] else "full", p))
    print()
    print(f"{'run':<22} {'thr':>3} {'model':>9} {'median s':>9} {'min s':>8} {'max s':>8} {'ex/s':>9} "
          f"{'CPU s':>7} {'GFLOP/s':>8} {'RSS MB':>7} {'load':>9}")
    for name, thr, variant, r in rows:
        load = f"{r.get('load_before', float('nan')):.1f}-{r.get('load_after', float('nan')):.1f}"
        print(f"{name:<22} {thr:>3} {variant:>9} {r['median_s']:>9.4f} {r['min_s']:>8.4f} {r['max_s']:>8.4f} "
              f"{r['examples_per_s']:>9.0f} {r.get('median_cpu_s', float('nan')):>7.3f} "
              f"{r.get('gflop_per_s', float('nan')):>8.1f} "
              f"{r.get('max_rss_mb', float('nan')):>7.0f} {load:>9}")

    record = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "config": config,
        "epochs": epochs,
        "warmup": warmup,
        "polygrok": polygrok,
        "peer": peers,
        "peer_best_full_model": best_full and {k: best_full.get(k) for k in
                                               ("threads", "median_s", "openblas_coretype", "malloc")},
        "peer_best_any": best_any and {k: best_any.get(k) for k in
                                       ("threads", "last_only", "median_s", "openblas_coretype", "malloc")},
    }
    if polygrok is not None and best_full is not None:
        record["ratio"] = polygrok["median_s"] / best_full["median_s"]
        record["ratio_vs_fastest_peer"] = polygrok["median_s"] / best_any["median_s"]
        print()
        print(f"ratio polygrok / peer (median epoch, peer's best full model: {best_full['threads']} thread(s)): "
              f"{record['ratio']:.3f}")
        print(f"ratio polygrok / fastest peer run ({best_any['threads']} thread(s), "
              f"{'last-only' if best_any['last_only'] else 'full'}): {record['ratio_vs_fastest_peer']:.3f}")
    else:
        print()
        print("no ratio: " + ("polygrok bench gave no JSON" if polygrok is None else "no peer result"))

    os.makedirs("bench/results", exist_ok=True)
    base = f"bench/results/{record['date'][:10]}-cpu-{label(record['machine'])}"
    out, n = base + ".json", 2
    while os.path.exists(out):
        out, n = f"{base}-{n}.json", n + 1
    with open(out, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"written: {out}")
    return 0 if polygrok is not None and peers else 1


if __name__ == "__main__":
    sys.exit(main())
