#!/usr/bin/env bash
# The README's neighbor2neighbor column: a neighbor2neighbor model trained on the noisy images themselves (no clean
# image seen in training), scored on them, on the same noisy images and with the same patches, batch and learning
# rate as measure-noise2void.sh, for about the same training time as noise2void had there (29 and 19 min).
#  1. Gaussian noise sigma 25 on the 8 grey held-out images, noise seed 7 (NoisyCopies.java).
#  2. Poisson noise, peak 30, on the 4 images of shared/data/train/microscopy_bio converted to grey.
# `clean` only makes each epoch report PSNR against the truth (ne2ne-*-psnr-by-epoch.csv here, from the log).
# Usage, from the repository root after `mvn -B -DskipTests package`:
#   src/scripts/self-supervised/measure-neighbor2neighbor.sh HELD_OUT_GRAY_FOLDER MICROSCOPY_GREY_FOLDER [work-dir]
set -euo pipefail
gray=${1:?give the held-out grey folder (HeldOutImages.java OUT/gray)}
micro=${2:?give the microscopy_bio images converted to grey}
work=$(realpath -m "${3:-target/neighbor2neighbor}")
mkdir -p "$work"
copies() { [ -d "$2/noisy" ] || java -cp "target/imagify.jar:target/lib/*" src/scripts/evaluation/NoisyCopies.java "$@"; }
train() { java -Xmx6g -jar target/imagify.jar --run "Imagify Train" "$1"; }
evaluate() { java -Xmx4g -jar target/imagify.jar --run "Imagify Evaluate" "$1"; }
keys="method='neighbor2neighbor',patch_size=64,batch_size=32,steps_per_epoch=100,learning_rate=0.001,restart=true"
copies "$gray" "$work/sigma25" gaussian_noise 25 30 7
train "images='$work/sigma25/noisy',clean='$work/sigma25/clean',model_out='$work/ne2ne-sigma25.zip',$keys,epochs=30,seed=21" | tee "$work/ne2ne-sigma25.log"
evaluate "images='$work/sigma25/clean',degraded='$work/sigma25/noisy',noise_sigma=25,model='$work/ne2ne-sigma25.zip',output='$work/ne2ne-sigma25.csv'"
copies "$micro" "$work/poisson30" poisson_noise 0 30 7
train "images='$work/poisson30/noisy',clean='$work/poisson30/clean',model_out='$work/ne2ne-poisson30.zip',$keys,epochs=20,seed=22" | tee "$work/ne2ne-poisson30.log"
evaluate "images='$work/poisson30/clean',degraded='$work/poisson30/noisy',degradation='poisson_noise',poisson_peak=30,model='$work/ne2ne-poisson30.zip',output='$work/ne2ne-poisson30.csv'"
