#!/usr/bin/env bash
# The README's 3D table: on generated Z-stacks (write-test-volumes.sh: filaments and blobs through an anisotropic PSF,
# Poisson noise at peak 20, 0.1 x 0.3 um voxels), a 3D U-Net (dims=3d) against a 2D U-Net trained on the same planes
# for about the same time, and the bundled 2D denoise-gray; both trained on degraded/clean pairs of 4 stacks and scored
# on 2 other stacks (PSNR over the voxels, SSIM the mean over planes), with the restore time per megavoxel (one
# Denoise run per model over both stacks, JVM start included).
# Usage, from the repository root after `mvn -B -DskipTests package`:
#   src/scripts/volumes/measure-3d.sh [work-dir] [3D epochs, default 12; the README's figures: 48]
set -euo pipefail
work=$(realpath -m "${1:-target/measure-3d}")
epochs3=${2:-12}
mkdir -p "$work"
src/scripts/volumes/write-test-volumes.sh "$work/train" 4 20 32 128 1 > /dev/null
src/scripts/volumes/write-test-volumes.sh "$work/test" 2 20 32 128 101 > /dev/null
run() { java -Xmx8g -jar target/imagify.jar --run "$@"; }
seconds() { unzip -p "$1" imagify.json | grep -o '"seconds": *[0-9]*' | grep -o '[0-9]*$'; }
pairs="images='$work/train/clean',degraded='$work/train/noisy',depth=2,base_filters=16,learning_rate=0.001,restart=true,seed=5"
run "Imagify Train" "$pairs,dims='3d',patch_size=32,patch_planes=16,batch_size=4,epochs=$epochs3,steps_per_epoch=40,model_out='$work/unet3d.zip'" | tee "$work/unet3d.log"
t3=$(seconds "$work/unet3d.zip")
# the 2D model gets the 3D model's training time: a 6-epoch probe gives its epoch time, the median of epochs 2-6
# (the first epoch, and the run's start, are slower; both are in the 3D model's seconds too)
run "Imagify Train" "$pairs,patch_size=64,batch_size=8,epochs=6,steps_per_epoch=40,model_out='$work/probe2d.zip'" > "$work/probe2d.log"
epoch2=$(grep -o 'Epoch [2-6]/6: .*, [0-9.]* s$' "$work/probe2d.log" | grep -o '[0-9.]* s$' | cut -d' ' -f1 | sort -n | sed -n 3p)
epochs2=$(echo "$t3 / $epoch2" | bc)
run "Imagify Train" "$pairs,patch_size=64,batch_size=8,epochs=$epochs2,steps_per_epoch=40,model_out='$work/unet2d.zip'" | tee "$work/unet2d.log"
echo "training seconds: 3D $t3, 2D $(seconds "$work/unet2d.zip") ($epochs2 epochs)"
for m in unet3d unet2d denoise-gray; do
  model=$work/$m.zip; [ "$m" = denoise-gray ] && model=denoise-gray
  mkdir -p "$work/restored-$m"
  start=$(date +%s.%N)
  run "Imagify Denoise" "input='$work/test/noisy',output='$work/restored-$m',model='$model'" > "$work/restore-$m.log"
  end=$(date +%s.%N)
  echo "$m: restore $(echo "($end - $start) / 1.048576" | bc -l | cut -c1-5) s per megavoxel (2 x 32 x 128 x 128 voxels)"
  java -cp "target/imagify.jar:target/lib/*" src/scripts/volumes/ScoreVolumes.java "$work/test/clean" "$work/restored-$m" | sed "s/^/$m /"
done
mkdir -p "$work/noisy-as-float" && java -cp "target/imagify.jar:target/lib/*" src/scripts/volumes/ScoreVolumes.java "$work/test/clean" "$work/test/noisy" | sed "s/^/noisy /"
