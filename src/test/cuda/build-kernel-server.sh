#!/usr/bin/env bash
# Compiles kernel_server.cpp: the kernels of src/main/cuda on the CPU, launched by name from a Java test
# (EmulatedLauncher). Needs g++ with C++20. Usage: build-kernel-server.sh OUTPUT_FILE
set -euo pipefail
out="${1:?usage: build-kernel-server.sh OUTPUT_FILE}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
g++ -std=c++20 -O1 -pthread -x c++ -I"$here" -I"$here/../../main/cuda" "$here/kernel_server.cpp" -o "$out"
