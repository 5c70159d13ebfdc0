#!/usr/bin/env bash
# Restore throughput of one node: the launcher restores COUNT generated noisy SIZExSIZE 16-bit images with the
# bundled grey model, as one array task would. Prints seconds per image, megapixels per second and the CPU
# time (to tell a busy machine from a slow one).   src/scripts/restore-throughput.sh [COUNT=3] [SIZE=2048] [THREADS=0]
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-3} size=${2:-2048} threads=${3:-0}
[ -f target/imagify.jar ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/imagify-throughput.XXXXXX)
trap 'rm -rf "$work"' EXIT
java -cp target/lib/ij-1.54p.jar src/test/slurm/GenerateImages.java "$work/none" 0 64 "$work/big.tif" "$size"
mkdir "$work/in"
for i in $(seq "$count"); do cp "$work/big.tif" "$work/in/img$i.tif"; done
start=$(date +%s.%N)
TIMEFORMAT=%U:%S
cpu=$( { time java -jar target/imagify.jar --run "Imagify Denoise" "input='$work/in',output='$work/out',threads=$threads" > "$work/log" 2>&1; } 2>&1 )
wall=$(echo "$(date +%s.%N) - $start" | bc)
per=$(sed -n 's/.*Restored .*, \([0-9.]*\) s)$/\1/p' "$work/log" | tr '\n' ' ')
awk -v per="$per" -v wall="$wall" -v cpu="$cpu" -v n="$count" -v s="$size" -v cores="$(nproc)" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	split(per, t, " "); sum = 0; for (i in t) sum += t[i]
	split(cpu, c, ":")
	printf "%d images of %dx%d on %d cores (load average now %s)\n", n, s, s, cores, load
	printf "per image: %s s (mean %.1f s) -> %.2f megapixels/s, %.0f images/hour\n", per, sum / n, n * s * s / 1e6 / sum, 3600 * n / sum
	printf "whole run incl. JVM start and model load: %.1f s wall, %.1f s CPU (%.1f cores busy on average)\n", wall, c[1] + c[2], (c[1] + c[2]) / wall
}'
