#!/usr/bin/env bash
# The README's noise2void table: a noise2void model trained on the noisy held-out images themselves (no clean image
# seen in training), scored on them beside the bundled supervised model and the classic filters.
#  1. Gaussian noise sigma 25 on the 8 grey held-out images (src/scripts/evaluation/HeldOutImages.java builds them),
#     noise seed 7, exactly Evaluate's noisy images (NoisyCopies.java writes them as 32-bit partners).
#  2. Poisson noise, peak 30, on the 4 images of shared/data/train/microscopy_bio converted to grey.
# Each trains 64x64 patches, batch 32, 100 steps an epoch, learning rate 1e-3 decaying over the last 40 %; `clean`
# only makes each epoch report PSNR against the truth (n2v-*-psnr-by-epoch.csv here, from the training log).
# Usage, from the repository root after `mvn -B -DskipTests package`:
#   src/scripts/self-supervised/measure-noise2void.sh HELD_OUT_GRAY_FOLDER MICROSCOPY_GREY_FOLDER [work-dir]
set -euo pipefail
gray=${1:?give the held-out grey folder (HeldOutImages.java OUT/gray)}
micro=${2:?give the microscopy_bio images converted to grey}
work=$(realpath -m "${3:-target/noise2void}")
mkdir -p "$work"
copies() { java -cp "target/imagify.jar:target/lib/*" src/scripts/evaluation/NoisyCopies.java "$@"; }
train() { java -Xmx6g -jar target/imagify.jar --run "Imagify Train" "$1"; }
evaluate() { java -Xmx4g -jar target/imagify.jar --run "Imagify Evaluate" "$1,compare=true"; }
copies "$gray" "$work/sigma25" gaussian_noise 25 30 7
train "images='$work/sigma25/noisy',clean='$work/sigma25/clean',method='noise2void',model_out='$work/n2v-sigma25.zip',patch_size=64,batch_size=32,epochs=24,steps_per_epoch=100,learning_rate=0.001,seed=21" | tee "$work/n2v-sigma25.log"
evaluate "images='$work/sigma25/clean',degraded='$work/sigma25/noisy',noise_sigma=25,model='$work/n2v-sigma25.zip',output='$work/n2v-sigma25.csv'"
copies "$micro" "$work/poisson30" poisson_noise 0 30 7
train "images='$work/poisson30/noisy',clean='$work/poisson30/clean',method='noise2void',model_out='$work/n2v-poisson30.zip',patch_size=64,batch_size=32,epochs=16,steps_per_epoch=100,learning_rate=0.001,seed=22" | tee "$work/n2v-poisson30.log"
evaluate "images='$work/poisson30/clean',degraded='$work/poisson30/noisy',degradation='poisson_noise',poisson_peak=30,model='$work/n2v-poisson30.zip',output='$work/n2v-poisson30.csv'"
evaluate "images='$work/poisson30/clean',degraded='$work/poisson30/noisy',degradation='poisson_noise',poisson_peak=30,model='denoise-gray',output='$work/denoise-gray-poisson30.csv'"
