#!/usr/bin/env bash
# A one-node Slurm on this host, for trying slurm-array.sh before a real cluster (and for the
# test that runs it): slurmctld and slurmd on this machine, munge for authentication, every CPU
# of this machine one consumable CPU. Needs root and Debian's packages:
#
#   apt-get install slurm-wlm munge
#   configs/cluster/one-node-slurm.sh start     # writes /etc/slurm/slurm.conf if there is none
#   configs/cluster/one-node-slurm.sh status    # exit status 0 when the node takes jobs
#   configs/cluster/one-node-slurm.sh stop
#
# It refuses to touch a slurm.conf it did not write, so it never reconfigures a real cluster.
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARK="# written by polygrok's one-node-slurm.sh"
STATE=/var/spool/polygrok-slurm
HOST=$(hostname -s)

die() { echo "one-node-slurm: $*" >&2; exit 1; }

node_ready() {
  # sinfo prints the node's state; idle, mixed or allocated all take jobs.
  local s
  s=$(sinfo -h -N -n "$HOST" -o '%t' 2>/dev/null | head -1) || return 1
  [[ $s == idle || $s == mix || $s == alloc ]]
}

write_conf() {
  if [[ -e $CONF ]] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; not touching a real Slurm configuration"
  fi
  local cpus mem
  cpus=$(nproc)
  # Leave a quarter of the memory to the system; Slurm counts MiB.
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) * 3 / 4 / 1024 ))
  mkdir -p /etc/slurm "$STATE/ctld" "$STATE/d" /var/log/slurm
  cat > "$CONF" <<CONFIG
$MARK
ClusterName=polygrok-local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# No cgroups: this must work inside containers too.
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
# Time limits and warning signals are checked every few seconds rather than every 30.
SchedulerParameters=bf_interval=5
KillWait=30
NodeName=$HOST CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONFIG
}

start() {
  [[ $(id -u) == 0 ]] || die "must run as root (slurmd runs jobs as their users)"
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
    || die "slurmctld, slurmd or munged missing: apt-get install slurm-wlm munge"
  write_conf
  if ! pgrep -x munged >/dev/null; then
    [[ -s /etc/munge/munge.key ]] || die "/etc/munge/munge.key missing: reinstall munge (it creates one)"
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
  fi
  pgrep -x slurmctld >/dev/null || slurmctld
  pgrep -x slurmd >/dev/null || slurmd
  for _ in $(seq 1 30); do
    if node_ready; then
      echo "one-node Slurm up: node $HOST, $(nproc) CPUs, partition local"
      return 0
    fi
    # A node that was down when slurmctld last saw it stays down until told otherwise.
    scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true
    sleep 1
  done
  die "the node did not come up; see /var/log/slurm/slurmctld.log and slurmd.log"
}

stop() {
  pkill -x slurmd || true
  pkill -x slurmctld || true
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) node_ready ;;
  *) die "usage: one-node-slurm.sh start|stop|status" ;;
esac
