#!/usr/bin/env bash
# Compiles every kernel family (*.cu) to PTX (compute_90, JIT-compiled by the driver on any newer GPU)
# and to an sm_90 cubin (loaded as is on H100/H200). Usage: build.sh OUTPUT_DIR
# Without nvcc the kernels are skipped (the cuda backend then reports itself unavailable); with nvcc,
# any compile error fails the build.
set -euo pipefail
out="${1:?usage: build.sh OUTPUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

nvcc_bin=""
if command -v nvcc >/dev/null 2>&1; then
  nvcc_bin="$(command -v nvcc)"
elif [[ -n "${CUDA_HOME:-}" && -x "${CUDA_HOME}/bin/nvcc" ]]; then
  nvcc_bin="${CUDA_HOME}/bin/nvcc"
elif [[ -x /usr/local/cuda/bin/nvcc ]]; then
  nvcc_bin=/usr/local/cuda/bin/nvcc
fi
if [[ -z "$nvcc_bin" ]]; then
  echo "nvcc not found: CUDA kernels not built; the cuda backend will be unavailable"
  exit 0
fi

mkdir -p "$out"
# Drop images whose source is gone (a renamed family), so the jar holds only the families that exist.
for image in "$out"/*.ptx "$out"/*.cubin; do
  [[ -e "$image" ]] || continue
  stem="$(basename "$image")"
  [[ -f "$here/${stem%.*}.cu" ]] || rm -f "$image"
done
for src in "$here"/*.cu; do
  name="$(basename "$src" .cu)"
  # Skip outputs newer than their source and every header, so that repeated builds stay fast.
  fresh=true
  for dep in "$src" "$here"/*.cuh; do
    [[ "$out/$name.ptx" -nt "$dep" && "$out/$name.cubin" -nt "$dep" ]] || fresh=false
  done
  if $fresh; then
    continue
  fi
  echo "nvcc: $name.cu"
  "$nvcc_bin" -O3 -std=c++17 -I"$here" -arch=compute_90 -ptx "$src" -o "$out/$name.ptx"
  "$nvcc_bin" -O3 -std=c++17 -I"$here" -arch=sm_90 -cubin "$src" -o "$out/$name.cubin"
done
