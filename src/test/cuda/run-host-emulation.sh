#!/usr/bin/env bash
# Runs the kernels of src/main/cuda on the CPU (cuda_host_emulation.h) against plain loops: a check of
# their index arithmetic for machines without a GPU. Needs g++ with C++20. Usage: run-host-emulation.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# -I"$here" first: <mma.h> is the emulation's warp-matrix API (mma.h here), not CUDA's
g++ -std=c++20 -O1 -pthread -x c++ -I"$here" -I"$here/../../main/cuda" "$here/host_emulation_test.cpp" -o "$out/host_emulation_test"
"$out/host_emulation_test"
