#!/usr/bin/env python3
"""Reads the logs that `bench/gpu-check.sh run DIR` left in DIR and prints the summary table; also
writes DIR/results.json with every figure in one place."""
import glob
import json
import os
import re
import sys


def json_in(path):
    """The last JSON object printed in a log (log lines around it are ignored)."""
    try:
        text = open(path).read()
    except OSError:
        return None
    end = text.rfind("}")
    depth = 0
    for i in range(end, -1, -1):
        if text[i] == "}":
            depth += 1
        elif text[i] == "{":
            depth -= 1
            if depth == 0:
                try:
                    return json.loads(text[i:end + 1])
                except ValueError:
                    return None
    return None


def last_line_matching(path, pattern):
    try:
        lines = [l for l in open(path) if re.search(pattern, l)]
    except OSError:
        return None
    return lines[-1].strip() if lines else None


VARIANTS = ("tables", "tc", "tables-tc")


def main(d):
    res = {"environment": open(os.path.join(d, "environment.txt")).read() if os.path.exists(os.path.join(d, "environment.txt")) else None}
    res["stages"] = open(os.path.join(d, "status.txt")).read() if os.path.exists(os.path.join(d, "status.txt")) else None
    res["cuda_tests"] = last_line_matching(os.path.join(d, "cuda-tests.log"), r"tests (successful|failed|found)")
    tests_log = os.path.join(d, "cuda-tests.log")
    if os.path.exists(tests_log):
        counts = {}
        for key in ("tests successful", "tests failed", "tests skipped", "tests aborted"):
            m = re.findall(r"\[\s*(\d+) " + key, open(tests_log).read())
            counts[key] = int(m[-1]) if m else None
        res["cuda_test_counts"] = counts
    res["gradcheck"] = last_line_matching(os.path.join(d, "gradcheck-cuda.log"), r"passed, .* failed")
    bench = {}
    for f in sorted(glob.glob(os.path.join(d, "bench-cuda-m*.log"))):
        m = int(re.search(r"m(\d+)\.log$", f).group(1))
        bench[m] = json_in(f)
    res["bench_cuda"] = bench
    # the options still off by default: token tables, the tensor-core GEMM, both (bench/gpu-check.sh)
    res["variants"] = {}
    for v in VARIANTS:
        timings = {}
        for f in sorted(glob.glob(os.path.join(d, f"bench-cuda-{v}-m*.log"))):
            timings[int(re.search(r"-m(\d+)\.log$", f).group(1))] = json_in(f)
        res["variants"][v] = {
            "bench": timings,
            "gradcheck": last_line_matching(os.path.join(d, f"gradcheck-cuda-{v}.log"), r"passed, .* failed"),
            "follow": json_in(os.path.join(d, f"follow-{v}.json")),
        }
    res["peer_eager"] = json_in(os.path.join(d, "bench-peer-eager.log"))
    res["peer_compile"] = json_in(os.path.join(d, "bench-peer-compile.log"))
    res["peer_m16"] = json_in(os.path.join(d, "bench-peer-m16.log"))
    res["grok"] = json_in(os.path.join(d, "grok-cuda-summary.json"))
    res["follow"] = json_in(os.path.join(d, "follow.json"))

    def med(r):
        return r.get("median_s") if isinstance(r, dict) else None

    rows = []
    one = med(bench.get(1))
    for m, r in sorted(bench.items()):
        s = med(r)
        rows.append((f"polygrok cuda, M={m}", s, f"{s / one:.2f}x of M=1" if s and one else ""))
    for v, vr in res["variants"].items():
        one_v = med(vr["bench"].get(1))
        for m, r in sorted(vr["bench"].items()):
            s = med(r)
            rows.append((f"polygrok cuda {v}, M={m}", s, f"{s / one_v:.2f}x of its M=1" if s and one_v else ""))
    for name in ("peer_eager", "peer_compile", "peer_m16"):
        s = med(res[name])
        rows.append((f"torch {name[5:]}", s, f"polygrok M=1 is {one / s:.3f}x of this" if s and one else ""))
    print("\n== polygrok GPU check ==")
    print(res["environment"] or "(no environment)")
    print(res["stages"] or "")
    print(f"CUDA tests: {res.get('cuda_test_counts')}  ({res['cuda_tests']})")
    print(f"gradcheck --backend cuda: {res['gradcheck']}")
    for v, vr in res["variants"].items():
        print(f"gradcheck --backend cuda, {v}: {vr['gradcheck']}")
    print(f"{'epoch time (paper config)':34s} {'median s':>10s}  note")
    for name, s, note in rows:
        shown = "-" if s is None else f"{s:.5f}"
        print(f"{name:34s} {shown:>10}  {note}")
    g = res["grok"]
    if g:
        print(f"grokking run: epochs to 99% test acc {g.get('epochs_to_acc')}, wall {g.get('wall_s')} s, "
              f"final test acc {g.get('final', {}).get('test_acc')}")
    if res["follow"]:
        f = res["follow"]
        print(f"cuda vs cpu metrics over {f.get('evals_compared')} evals: max |d train_loss| {f.get('max_abs_diff_train_loss')}, "
              f"max |d test_acc| {f.get('max_abs_diff_test_acc')}")
    for v, vr in res["variants"].items():
        f = vr["follow"]
        if f:
            print(f"cuda ({v}) vs cpu metrics over {f.get('evals_compared')} evals: max |d train_loss| "
                  f"{f.get('max_abs_diff_train_loss')}, max |d test_acc| {f.get('max_abs_diff_test_acc')}")
    with open(os.path.join(d, "results.json"), "w") as out:
        json.dump(res, out, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
