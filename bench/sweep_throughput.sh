#!/usr/bin/env bash
# Sweep throughput (epochs x models per second): M runs of a sweep point on one model axis vs the
# same runs one after another, measured side by side in one JVM (polygrok.bench.SweepThroughput,
# src/test/java/polygrok/bench/SweepThroughput.java: compiled with the tests, run from target/test-classes).
#
#   mvn -B -q package -DskipTests         # the jar, and the test classes (-DskipTests still compiles them)
#   bench/sweep_throughput.sh [SWEEP] [BACKEND] [EPOCHS] [REPS]     # defaults: quick add x 4 seeds, cpu, 200, 3
#
# Prints one JSON line; bench/results/sweep_throughput.md records measured lines with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${POLYGROK_JAR:-target/polygrok.jar}
CLASSES=target/test-classes
[[ -f "$JAR" ]] || { echo "no $JAR; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
[[ -f "$CLASSES/polygrok/bench/SweepThroughput.class" ]] \
  || { echo "no $CLASSES/polygrok/bench/SweepThroughput.class; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
# the float32 cpu backend's kernels use the JDK's Vector API (an incubator module)
exec java --add-modules jdk.incubator.vector -cp "$JAR:$CLASSES" polygrok.bench.SweepThroughput "$@"
