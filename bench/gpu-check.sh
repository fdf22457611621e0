#!/usr/bin/env bash
# The one prepared GPU check of polygrok.
#
#   bench/gpu-check.sh bundle            on the build machine (Maven, JDK, nvcc): gathers what must
#                                        travel into .bundle/ (compressed, well under 64 MiB)
#   bench/gpu-check.sh run RESULTS_DIR [--quick]
#                                        on the GPU machine (no Maven, no network, maybe no java):
#                                        environment, CUDA tests, gradchecks, benchmarks against the
#                                        PyTorch peer, a grokking run; a table last, JSON in RESULTS_DIR
#                                        (--quick: tests, gradchecks, M = 1 and 16 timings and kernel profiles)
#
# Every stage has its own time limit and log, so one failing stage does not hide the others.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
bundle_dir="$here/.bundle"

bundle() {
  set -e
  local modules="java.base,java.desktop,java.sql,java.logging,java.management,jdk.unsupported,jdk.incubator.vector"
  mvn -B -q package -DskipTests
  if [ "$(unzip -l target/polygrok.jar | grep -c 'kernels/.*\.ptx')" -eq 0 ]; then
    echo "gpu-check bundle: target/polygrok.jar holds no CUDA kernels (was nvcc found during the build?)" >&2
    exit 1
  fi
  rm -rf "$bundle_dir" && mkdir -p "$bundle_dir"
  cp target/polygrok.jar "$bundle_dir/"
  (cd target/test-classes && jar cf "$bundle_dir/polygrok-tests.jar" .)
  mvn -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 \
      -DoutputDirectory="$bundle_dir"
  local jre; jre="$(mktemp -d)/jre"
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$jre" 2>/dev/null
  tar czf "$bundle_dir/jre.tgz" -C "$(dirname "$jre")" jre
  local ref="$here/src/test/resources/reference"
  if [ -d "$ref" ]; then
    tar czf "$bundle_dir/reference.tgz" -C "$(dirname "$ref")" reference
  fi
  du -sh "$bundle_dir"/*
  echo "bundle ready: carry .bundle (total $(du -sh "$bundle_dir" | cut -f1))"
}

# ---------------------------------------------------------------------------------------------
run() {
  local out="${1:?usage: gpu-check.sh run RESULTS_DIR [--quick]}"
  local quick=false; [ "${2:-}" = "--quick" ] && quick=true
  mkdir -p "$out"
  local work; work="$(mktemp -d)"
  local java="java"
  if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -q 'version "\(1[7-9]\|2[0-9]\)'; then
    tar xzf "$bundle_dir/jre.tgz" -C "$work"
    java="$work/jre/bin/java"
  fi
  [ -f "$bundle_dir/reference.tgz" ] && tar xzf "$bundle_dir/reference.tgz" -C "$work"
  local refdir="$work/reference"
  local jar="$bundle_dir/polygrok.jar"
  local jvm=(--add-modules jdk.incubator.vector)
  local pg=("$java" "${jvm[@]}" -cp "$jar" polygrok.cli.Main)
  local status="$out/status.txt"; : > "$status"

  stage() { # stage NAME SECONDS COMMAND...: runs with a limit, logs to $out/NAME.log, records the exit code
    local name="$1" limit="$2"; shift 2
    local t0; t0=$(date +%s%N)
    echo "=== $name (limit ${limit}s)"
    timeout "$limit" "$@" > "$out/$name.log" 2>&1
    local rc=$?
    local t1; t1=$(date +%s%N)
    printf '%-28s rc=%-4s %6ss\n' "$name" "$rc" "$(( (t1 - t0) / 1000000000 ))" | tee -a "$status"
    tail -n 5 "$out/$name.log"
    return 0
  }

  {
    echo "date: $(date -u +%FT%TZ)"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>&1
    nvidia-smi 2>&1 | head -4 | tail -2
    echo "java: $("$java" -version 2>&1 | head -1)"
    echo "nvcc: $(nvcc --version 2>/dev/null | tail -1)"
    echo "libcublas: $( (ldconfig -p 2>/dev/null | grep -o 'libcublas\.so\.[0-9]*' | sort -u | tr '\n' ' '); \
      find / -name 'libcublas.so.*' -not -path '/proc/*' 2>/dev/null | head -5 | tr '\n' ' ')"
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' 2>&1
    nproc
  } > "$out/environment.txt" 2>&1
  cat "$out/environment.txt"

  stage cuda-tests 180 "$java" "${jvm[@]}" -Dpolygrok.cuda.sync=true -Dpolygrok.reference.dir="$refdir" \
      -jar "$bundle_dir"/junit-platform-console-standalone-*.jar execute \
      -cp "$jar:$bundle_dir/polygrok-tests.jar" \
      --select-package polygrok.backend.conformance \
      --select-class polygrok.backend.cuda.CudaGemmVariantsTest \
      --select-class polygrok.backend.cuda.CudaGraphTest \
      --details=tree --disable-banner --reports-dir="$out/junit"

  stage gradcheck-cuda 120 "${pg[@]}" gradcheck --backend cuda $(for f in "$refdir"/*.safetensors; do echo --reference "$f"; done)

  local sizes="1 4 16 64"; $quick && sizes="1 16"
  for m in $sizes; do
    stage "bench-cuda-m$m" 90 "${pg[@]}" bench --config configs/paper/add.json --backend cuda --models "$m" --epochs 100 --warmup 20
  done
  # Options that are off by default on cuda until a check like this one has passed (their conformance
  # tests ran in cuda-tests): the first block from per-vocabulary tables, the tensor-core GEMM, both.
  # Each variant: the whole model against the reference files, and its timings at M = 1 and 16.
  local -A variant_flags=([tables]="-Dpolygrok.cuda.tokenTables=true" [tc]="-Dpolygrok.cuda.gemm=tf32x3"
                          [tables-tc]="-Dpolygrok.cuda.tokenTables=true -Dpolygrok.cuda.gemm=tf32x3")
  local variants="tables tc tables-tc"
  for v in $variants; do
    # shellcheck disable=SC2206
    local vpg=("$java" "${jvm[@]}" ${variant_flags[$v]} -cp "$jar" polygrok.cli.Main)
    stage "gradcheck-cuda-$v" 120 "${vpg[@]}" gradcheck --backend cuda $(for f in "$refdir"/*.safetensors; do echo --reference "$f"; done)
    for m in 1 16; do
      stage "bench-cuda-$v-m$m" 90 "${vpg[@]}" bench --config configs/paper/add.json --backend cuda --models "$m" --epochs 100 --warmup 20
    done
  done
  stage profile-cuda-m1 60 "$java" "${jvm[@]}" -Dpolygrok.cuda.profile=true -cp "$jar" polygrok.cli.Main \
      bench --config configs/paper/add.json --backend cuda --epochs 10 --warmup 2
  stage profile-cuda-m16 60 "$java" "${jvm[@]}" -Dpolygrok.cuda.profile=true -cp "$jar" polygrok.cli.Main \
      bench --config configs/paper/add.json --backend cuda --epochs 5 --warmup 1 --models 16
  # shellcheck disable=SC2206
  stage profile-cuda-tables-tc-m16 60 "$java" "${jvm[@]}" ${variant_flags[tables-tc]} -Dpolygrok.cuda.profile=true \
      -cp "$jar" polygrok.cli.Main bench --config configs/paper/add.json --backend cuda --epochs 5 --warmup 1 --models 16
  if $quick; then
    python3 bench/gpu_table.py "$out" | tee "$out/table.txt"
    return 0
  fi
  stage bench-peer-eager 120 python3 bench/torch_peer.py --config configs/paper/add.json --device cuda --epochs 100 --warmup 20
  stage bench-peer-compile 240 python3 bench/torch_peer.py --config configs/paper/add.json --device cuda --epochs 100 --warmup 20 --compile
  stage bench-peer-m16 120 python3 bench/torch_peer.py --config configs/paper/add.json --device cuda --epochs 20 --warmup 5 --models 16

  stage grok-cuda 120 "${pg[@]}" train configs/paper/add.json --backend cuda --out "$work/runs-cuda" --stop-at-test-acc 0.99
  cp "$work/runs-cuda/add/seed_0/metrics.jsonl" "$out/grok-cuda-metrics.jsonl" 2>/dev/null
  cp "$work/runs-cuda/add/seed_0/summary.json" "$out/grok-cuda-summary.json" 2>/dev/null
  stage follow-cpu 240 "${pg[@]}" train configs/paper/add.json --backend cpu --epochs 400 --out "$work/runs-cpu"
  stage follow-cuda 60 "${pg[@]}" train configs/paper/add.json --backend cuda --epochs 400 --out "$work/runs-cuda400"
  python3 bench/follow.py "$work/runs-cpu/add/seed_0/metrics.jsonl" "$work/runs-cuda400/add/seed_0/metrics.jsonl" \
      > "$out/follow.json" 2>&1
  for v in $variants; do
    # shellcheck disable=SC2206
    local vpg=("$java" "${jvm[@]}" ${variant_flags[$v]} -cp "$jar" polygrok.cli.Main)
    stage "follow-cuda-$v" 60 "${vpg[@]}" train configs/paper/add.json --backend cuda --epochs 400 --out "$work/runs-cuda400-$v"
    python3 bench/follow.py "$work/runs-cpu/add/seed_0/metrics.jsonl" "$work/runs-cuda400-$v/add/seed_0/metrics.jsonl" \
        > "$out/follow-$v.json" 2>&1
  done

  python3 bench/gpu_table.py "$out" | tee "$out/table.txt"
}

case "${1:-}" in
  bundle) bundle ;;
  run) shift; run "$@" ;;
  *) echo "usage: bench/gpu-check.sh bundle | run RESULTS_DIR" >&2; exit 2 ;;
esac
