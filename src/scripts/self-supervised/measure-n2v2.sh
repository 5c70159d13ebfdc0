#!/usr/bin/env bash
# Whether N2V2 should be noise2void's default: noise2void with all three of N2V2's fixes (blur_pool=true,
# top_skip=false, mask_replacement=median), predicting the image directly as N2V2 does (direct=true: without the top
# skip the residual output cannot cancel the blind spot's replacement value), on exactly the sigma 25 run of measure-noise2void.sh (same noisy inputs,
# patches, batch, steps, epochs, learning rate and seed), scored the same way.
# Usage, from the repository root after `mvn -B -DskipTests package`:
#   src/scripts/self-supervised/measure-n2v2.sh HELD_OUT_GRAY_FOLDER [work-dir]
set -euo pipefail
gray=${1:?give the held-out grey folder (HeldOutImages.java OUT/gray)}
work=$(realpath -m "${2:-target/noise2void}")
mkdir -p "$work"
[ -d "$work/sigma25/noisy" ] || java -cp "target/imagify.jar:target/lib/*" src/scripts/evaluation/NoisyCopies.java "$gray" "$work/sigma25" gaussian_noise 25 30 7
java -Xmx6g -jar target/imagify.jar --run "Imagify Train" "images='$work/sigma25/noisy',clean='$work/sigma25/clean',method='noise2void',blur_pool=true,top_skip=false,mask_replacement='median',direct=true,model_out='$work/n2v2-sigma25.zip',patch_size=64,batch_size=32,epochs=24,steps_per_epoch=100,learning_rate=0.001,seed=21,restart=true" | tee "$work/n2v2-sigma25.log"
java -Xmx4g -jar target/imagify.jar --run "Imagify Evaluate" "images='$work/sigma25/clean',degraded='$work/sigma25/noisy',noise_sigma=25,model='$work/n2v2-sigma25.zip',output='$work/n2v2-sigma25.csv'"
