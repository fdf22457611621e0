#!/usr/bin/env bash
# Sweep throughput (epochs x models per second): M runs of a sweep point on one model axis vs the
# same runs one after another, measured side by side in one JVM (bench/SweepThroughput.java).
#
#   mvn -B -q package -DskipTests
#   bench/sweep_throughput.sh [SWEEP] [BACKEND] [EPOCHS] [REPS]     # defaults: quick add x 4 seeds, cpu, 200, 3
#
# Prints one JSON line; bench/results/sweep_throughput.md records measured lines with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${POLYGROK_JAR:-target/polygrok.jar}
[[ -f "$JAR" ]] || { echo "no $JAR; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
# the float32 cpu backend's kernels use the JDK's Vector API (an incubator module)
exec java --add-modules jdk.incubator.vector -cp "$JAR" bench/SweepThroughput.java "$@"
