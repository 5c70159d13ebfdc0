#!/usr/bin/env bash
# Integration test on a real SLURM: one controller and one node on loopback, munge for authentication.
# Restores a folder of generated images with the job array of macros/slurm/imagify-restore.sbatch (N = 4),
# cancels one array task while it runs and resubmits it, and checks that every image was written exactly
# once and equals a single-process run byte for byte; then the same for one large image split into 4 bands
# and stitched by a dependent job; then requeues a training job and checks that it resumed.
# Needs root (installs slurm-wlm and munge with apt-get if missing, starts the daemons, stops them at the end).
#   mvn -B -DskipTests package && sudo src/test/slurm/run-slurm-test.sh
# Environment: IMAGES (count, 24), SIZE (edge, 384), BIG (edge of the large image, 2048: 4 tile rows of 512, one per band), TRAIN (1: also test requeue).
# Exit status: 0 passed, 1 a check failed, 77 skipped because this machine cannot host the cluster (not root,
# packages not installable, daemons not starting), so CI can run it wherever that is possible.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo=$PWD
jar=$repo/target/imagify.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
skip() { echo "SKIP: $* (the SLURM test needs a machine that can host a one-node cluster)" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "not root (it installs packages and starts slurmctld, slurmd and munged)"
images=${IMAGES:-24} size=${SIZE:-384} big=${BIG:-2048} train=${TRAIN:-1}
started=$(date +%s)
say() { echo "[$(($(date +%s) - started)) s] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
	say "installing slurm-wlm and munge"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge > /dev/null \
		|| { apt-get update -q > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge > /dev/null; } \
		|| skip "apt-get cannot install slurm-wlm and munge"
fi

work=$(mktemp -d /tmp/imagify-slurm.XXXXXX)
chmod 755 "$work"
export SLURM_CONF=$work/slurm.conf
pids=()
cleanup() {
	scancel --user=root > /dev/null 2>&1 || true
	for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
	[ -f "$work/munged.pid" ] && kill "$(cat "$work/munged.pid")" 2> /dev/null || true
	say "logs and outputs kept in $work"
}
trap cleanup EXIT

# munge: its own socket and key under $work, so a host munged (if any) is left alone
mkdir -p "$work/munge" "$work/munge-key"
dd if=/dev/urandom of="$work/munge-key/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge" "$work/munge-key"
chmod 755 "$work/munge"
chmod 700 "$work/munge-key"
chmod 400 "$work/munge-key/munge.key"
socket=$work/munge/munge.socket
runuser -u munge -- munged --key-file="$work/munge-key/munge.key" --socket="$socket" --pid-file="$work/munge/munged.pid" \
	--log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"
cp "$work/munge/munged.pid" "$work/munged.pid"
munge -S "$socket" -n | unmunge -S "$socket" > /dev/null || skip "munge does not work here"

cpus=$(nproc)
mkdir -p "$work/state" "$work/spool"
cat > "$SLURM_CONF" <<CONF
ClusterName=imagify
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF" -N localhost
pids+=("$(cat "$work/slurmctld.pid" 2> /dev/null || true)")
for _ in $(seq 60); do
	sinfo -h -o %T 2> /dev/null | grep -qE '^(idle|mixed|allocated)' && break
	sleep 1
done
sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)' || skip "the node did not come up: $(sinfo 2>&1); see $work/slurmd.log"
pids+=("$(cat "$work/slurmd.pid")" "$(cat "$work/slurmctld.pid")")
say "SLURM up: $(sinfo -h -o '%P %D %c %T')"

# wait until a job (or all tasks of an array) left the queue
wait_job() {
	while [ -n "$(squeue -h -j "$1" 2> /dev/null)" ]; do sleep 1; done
}

in=$work/in
java -cp "$repo/target/lib/ij-1.54p.jar" "$repo/src/test/slurm/GenerateImages.java" "$in" "$images" "$size" "$work/big.tif" "$big"
say "generated $images images of ${size}px and one of ${big}x${big}"

# the reference: one process, the same launcher and thread count as the tasks
java -jar "$jar" --run "Imagify Denoise" "input='$in',output='$work/reference',threads=1" > "$work/reference.log" 2>&1
java -jar "$jar" --run "Imagify Denoise" "input='$work/big.tif',output='$work/reference-big.tif',threads=1" >> "$work/reference.log" 2>&1
say "single-process reference written"

cd "$work"
export IMAGIFY_JAR=$jar
opts=(--cpus-per-task=1 --mem=600M --parsable)
job=$(sbatch "${opts[@]}" --array=1-4 "$repo/macros/slurm/imagify-restore.sbatch" 4 "$in" "$work/out")
say "submitted restore array $job (4 shards)"
# cancel task 2 once it has restored its first image, while it still has more to do
victim=${job}_2
for _ in $(seq 300); do
	[ -f "imagify-restore-${job}_2.log" ] && grep -q "Restored " "imagify-restore-${job}_2.log" && break
	sleep 0.2
done
grep -q "Restored " "imagify-restore-${job}_2.log" || fail "task 2 never started restoring"
scancel "$victim"
say "cancelled $victim after $(grep -c 'Restored ' "imagify-restore-${job}_2.log") image(s)"
wait_job "$job"
mv "imagify-restore-${job}_2.log" killed-task-2.log
leftovers=$(find out -name '.*.part.*' | wc -l)
say "array done; task 2 left $(ls out | wc -l) of $images outputs in total and $leftovers temporary file(s)"
again=$(sbatch "${opts[@]}" --array=2 "$repo/macros/slurm/imagify-restore.sbatch" 4 "$in" "$work/out")
wait_job "$again"
grep -h "already restored" "imagify-restore-${again}_2.log" || fail "resubmitted task did not report skipped work"
say "resubmitted task 2 as $again and it finished"

# exactly once: every image restored in exactly one task run, outputs complete and equal to the reference
[ "$(ls "$work/out" | wc -l)" -eq "$images" ] || fail "$(ls "$work/out" | wc -l) outputs for $images images"
[ -z "$(find out -name '.*')" ] || fail "temporary files left: $(find out -name '.*')"
cat imagify-restore-*.log killed-task-2.log | sed -n 's/.*Restored \([^ ]*\) -> .*/\1/p' | sort | uniq -c > restored-counts.txt
[ "$(awk '$1 != 1' restored-counts.txt | wc -l)" -eq 0 ] || fail "restored more than once: $(awk '$1 != 1' restored-counts.txt)"
[ "$(wc -l < restored-counts.txt)" -eq "$images" ] || fail "$(wc -l < restored-counts.txt) images restored per the logs, expected $images"
for f in reference/*; do cmp -s "$f" "out/$(basename "$f")" || fail "out/$(basename "$f") differs from the single-process run"; done
say "PASS folder: $images images, each restored exactly once, byte-identical to the single-process run"

# one large image: 4 bands, task 3 cancelled before it wrote its band; the stitch job refuses, then
# task 3 is resubmitted and a stitch job that waits for it assembles the image
bands=$(sbatch "${opts[@]}" --array=1-4 "$repo/macros/slurm/imagify-restore.sbatch" 4 "$work/big.tif" "$work/big-restored.tif")
stitch=$(sbatch "${opts[@]}" --dependency=afterany:"$bands" "$repo/macros/slurm/imagify-stitch.sbatch" "$work/big.tif" "$work/big-restored.tif")
for _ in $(seq 600); do [ -f "imagify-restore-${bands}_3.log" ] && break; sleep 0.2; done
scancel "${bands}_3"
wait_job "$stitch"
[ ! -f big-restored.tif ] || fail "stitched although band 3 was cancelled"
grep -q "missing: run shard(s) 3/4" "imagify-stitch-$stitch.log" || fail "the stitch job did not name the missing band: $(cat "imagify-stitch-$stitch.log")"
say "band task 3 cancelled; the stitch job refused: $(grep -o 'Band(s).*' "imagify-stitch-$stitch.log")"
again=$(sbatch "${opts[@]}" --array=3 "$repo/macros/slurm/imagify-restore.sbatch" 4 "$work/big.tif" "$work/big-restored.tif")
stitch=$(sbatch "${opts[@]}" --dependency=afterok:"$again" "$repo/macros/slurm/imagify-stitch.sbatch" "$work/big.tif" "$work/big-restored.tif")
wait_job "$stitch"
cmp -s reference-big.tif big-restored.tif || fail "the stitched image differs from the single-process run"
[ -z "$(ls | grep '\.band-')" ] || fail "bands left after stitching"
say "PASS bands: ${big}x${big} image restored as 4 bands on the cluster and stitched, byte-identical to the single-process run"

if [ "$train" = 1 ]; then
	keys="images='$in',model_out='$work/model.zip',patch_size=32,batch_size=4,epochs=8,steps_per_epoch=4,depth=2,base_filters=4"
	tjob=$(sbatch --parsable --cpus-per-task=1 --mem=1500M "$repo/macros/slurm/imagify-train.sbatch" "$keys")
	for _ in $(seq 1200); do
		[ -f "imagify-train-$tjob.log" ] && grep -q "Epoch 3/" "imagify-train-$tjob.log" && break
		sleep 0.5
	done
	grep -q "Epoch 3/" "imagify-train-$tjob.log" || fail "training did not reach epoch 3: $(tail -3 "imagify-train-$tjob.log")"
	scontrol requeue "$tjob"
	# SLURM holds a requeued job back for a while (BeginTime); a real preemption waits for the node anyway
	sleep 1
	scontrol update JobId="$tjob" StartTime=now > /dev/null 2>&1 || true
	last=$(grep -o 'Epoch [0-9]*/' "imagify-train-$tjob.log" | tail -1 | tr -dc 0-9)
	say "requeued training job $tjob after epoch $last"
	sleep 2
	while [ -n "$(squeue -h -j "$tjob" 2> /dev/null)" ]; do sleep 1; done
	resumed=$(grep -o 'Resuming from .* after epoch [0-9]*' "imagify-train-$tjob.log" | tail -1 | sed 's/.* //')
	[ -n "$resumed" ] || fail "the requeued training did not resume; see imagify-train-$tjob.log"
	[ "$resumed" -ge "$last" ] || fail "resumed after epoch $resumed, but epoch $last was done before the requeue"
	grep -q "imagify-train: done" "imagify-train-$tjob.log" && [ -f model.zip ] || fail "the requeued training did not finish; see imagify-train-$tjob.log"
	say "PASS train: requeued after epoch $last, resumed after epoch $resumed, finished all 8 epochs"
fi
say "all SLURM checks passed"
