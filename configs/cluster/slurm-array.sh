#!/usr/bin/env bash
# One shard of a polygrok sweep per Slurm array task, all writing into one shared directory.
#
#   sbatch --array=0-7 configs/cluster/slurm-array.sh configs/paper/table_a5.json /shared/polygrok-runs
#
# polygrok reads its shard from SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN, so
# --array=1-8 works too) and the number of shards from SLURM_ARRAY_TASK_COUNT: task i trains the
# sweep's groups g with g mod N == i. Every task computes the same groups from the sweep file, so
# give every task the same sweep, --models-per-launch (or "models_per_launch" in the sweep) and
# backend kind. Resubmitting the same array continues the sweep: finished runs are skipped and
# interrupted ones resume from their newest checkpoint.
#
# The output directory must be on a file system every node sees (NFS, Lustre, GPFS); runs are
# written with atomic renames, and no two tasks ever write the same run directory.
#
#SBATCH --job-name=polygrok-sweep
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=24:00:00
#SBATCH --output=polygrok-sweep-%A_%a.out
# Two minutes before the time limit Slurm sends TERM to this script, which is the JVM (exec below):
# polygrok finishes the current epoch, writes checkpoints and exits. Resubmit to continue.
#SBATCH --signal=B:TERM@120
# For a GPU per task, uncomment (the sweep then packs 16 runs per launch unless told otherwise):
##SBATCH --gres=gpu:1

set -euo pipefail

SWEEP=${1:?usage: sbatch --array=0-N-1 slurm-array.sh SWEEP.json OUT_DIR [extra polygrok sweep options]}
OUT=${2:?usage: sbatch --array=0-N-1 slurm-array.sh SWEEP.json OUT_DIR [extra polygrok sweep options]}
shift 2
# Where the shaded jar lives (build it once with: mvn -B -q package -DskipTests); the JVM options
# are a starting point: the models of one group share the heap.
JAR=${POLYGROK_JAR:-target/polygrok.jar}
JAVA_OPTS=${POLYGROK_JAVA_OPTS:--Xmx12g}

echo "polygrok sweep: array task ${SLURM_ARRAY_TASK_ID:-?} of ${SLURM_ARRAY_TASK_COUNT:-?} on $(hostname)"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
exec java $JAVA_OPTS -jar "$JAR" sweep "$SWEEP" --out "$OUT" "$@"
