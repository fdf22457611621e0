#!/usr/bin/env bash
# polygrok's `cpu` backend against the PyTorch peer, side by side in one run on this machine.
#
#   bench/compare.sh [--no-build] [--epochs N] [--warmup N] [--config PATH] [--peer-only]
#
# Builds polygrok, times `polygrok bench --backend cpu` on the paper configuration, then the peer
# (bench/torch_peer.py) with 1 and 2 threads, the seed's full model and the last-position-only
# variant, on OpenBLAS with the fastest of its kernel and allocator choices for this CPU. Prints a table and the
# ratio polygrok / peer (median epoch time; below 1 means polygrok is faster) and writes a JSON
# record to bench/results/<date>-cpu-<cpu label>.json. bench/README.md explains every number.
set -euo pipefail

cd "$(dirname "$0")/.."
EPOCHS=20
WARMUP=3
CONFIG=configs/paper/add.json
BUILD=1
POLYGROK=1
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's python3-torch lives under the system interpreter
[ -x "$PYTHON" ] || PYTHON=python3

while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --peer-only) POLYGROK=0; BUILD=0 ;;
    --epochs) EPOCHS=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --config) CONFIG=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PEER_CONFIG=()
if [ -f "$CONFIG" ]; then
  PEER_CONFIG=(--config "$CONFIG")
else
  echo "compare.sh: $CONFIG not found; the peer uses the paper's settings" >&2
fi

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# measured FILE CMD...: runs CMD, writing its peak resident set size (KiB) to FILE where GNU time exists.
measured() {
  local file=$1; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -o "$file" -f '%M' "$@"; else "$@"; fi
}

# ---- polygrok ----
if [ "$POLYGROK" = 1 ]; then
  if [ "$BUILD" = 1 ]; then
    echo "== building polygrok (mvn -B -q package -DskipTests)" >&2
    mvn -B -q package -DskipTests >&2
  fi
  echo "== polygrok bench --backend cpu --epochs $EPOCHS" >&2
  echo "{\"load_before\": $(loadavg)}" > "$WORK/polygrok.load"
  if measured "$WORK/polygrok.rss" java -jar target/polygrok.jar bench --config "$CONFIG" --backend cpu --epochs "$EPOCHS" \
      > "$WORK/polygrok.out" 2> "$WORK/polygrok.err"; then
    :
  else
    echo "compare.sh: polygrok bench failed (exit $?); its stderr:" >&2
    tail -20 "$WORK/polygrok.err" >&2
  fi
  echo "{\"load_after\": $(loadavg)}" >> "$WORK/polygrok.load"
fi

# ---- the peer: prove it computes polygrok's model, pick OpenBLAS's fastest kernel, time every variant ----
echo "== peer: --check against the reference tensors" >&2
if ! "$PYTHON" bench/torch_peer.py --check > "$WORK/peer-check.out"; then
  echo "compare.sh: the peer does not match the reference file; not timing it:" >&2
  grep -A3 '"failures"' "$WORK/peer-check.out" >&2 || true
  exit 1
fi

# The peer's environment is chosen by a short probe (1 thread, CPU seconds per epoch, which other
# work on the machine disturbs less than wall time):
# - OpenBLAS kernels: OpenBLAS takes them from OPENBLAS_CORETYPE when set (some environments pin an
#   older family), else from the CPU. Try the inherited setting, the CPU's own choice, and AVX-512
#   kernels where the CPU has them.
# - glibc's allocator: by default it serves PyTorch's large activation buffers with fresh mmaps and
#   unmaps them again, so every epoch pays page faults and zeroing anew. "heap" keeps them.
CORETYPES=("inherit" "auto")
grep -qw avx512f /proc/cpuinfo && CORETYPES+=("SkylakeX")
MALLOCS=("default" "heap")
HEAP_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296

peer() { # $1 coretype, $2 malloc, $3 file for the peak RSS, then peer arguments; prints the peer's JSON
  local ct=$1 malloc=$2 rss=$3; shift 3
  local envs=()
  case "$ct" in
    inherit) ;;
    auto) envs+=(-u OPENBLAS_CORETYPE) ;;
    *) envs+=(OPENBLAS_CORETYPE="$ct") ;;
  esac
  [ "$malloc" = heap ] && envs+=(GLIBC_TUNABLES="$HEAP_TUNABLES")
  measured "$rss" env "${envs[@]}" "$PYTHON" bench/torch_peer.py "${PEER_CONFIG[@]}" "$@"
}

echo "== peer: choosing OpenBLAS kernels (${CORETYPES[*]}) and allocator (${MALLOCS[*]})" >&2
BEST_CT=inherit
BEST_MALLOC=default
BEST_T=
for ct in "${CORETYPES[@]}"; do
  for malloc in "${MALLOCS[@]}"; do
    peer "$ct" "$malloc" "$WORK/probe.rss" --threads 1 --epochs 5 --warmup 1 > "$WORK/probe-$ct-$malloc.json"
    t=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["median_cpu_s"], d["median_s"])' \
        "$WORK/probe-$ct-$malloc.json")
    echo "   $ct, $malloc: ${t% *} CPU s, ${t#* } wall s per epoch (1 thread, 5 epochs)" >&2
    if [ -z "$BEST_T" ] || "$PYTHON" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' \
        "${t% *}" "$BEST_T"; then
      BEST_CT=$ct; BEST_MALLOC=$malloc; BEST_T=${t% *}
    fi
  done
done
echo "   using $BEST_CT, $BEST_MALLOC" >&2

for threads in 1 2; do
  for variant in full last_only; do
    extra=()
    [ "$variant" = last_only ] && extra=(--last-only)
    echo "== peer: $threads thread(s), $variant, $EPOCHS epochs" >&2
    before=$(loadavg)
    peer "$BEST_CT" "$BEST_MALLOC" "$WORK/peer-$threads-$variant.rss" --threads "$threads" --epochs "$EPOCHS" \
      --warmup "$WARMUP" "${extra[@]}" > "$WORK/peer-$threads-$variant.json"
    after=$(loadavg)
    "$PYTHON" - "$WORK/peer-$threads-$variant" "$BEST_CT" "$BEST_MALLOC" "$before" "$after" <<'EOF'
import json, os, sys
base, ct, malloc, before, after = sys.argv[1:]
d = json.load(open(base + ".json"))
d.update(openblas_coretype=ct, malloc=malloc, load_before=float(before), load_after=float(after))
if os.path.exists(base + ".rss"):
    d["max_rss_mb"] = int(open(base + ".rss").read().split()[-1]) / 1024
json.dump(d, open(base + ".json", "w"), indent=1)
EOF
  done
done

"$PYTHON" bench/compare_report.py "$WORK" "$CONFIG" "$EPOCHS" "$WARMUP"
