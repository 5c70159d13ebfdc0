#!/usr/bin/env bash
# The held-out tables of the bundled models (README; in full in src/site/markdown/bundled-models.md): Imagify Evaluate with compare=true on the held-out images (never
# trained on; HeldOutImages.java builds them), noise seed 7: denoise-gray on the 8 grey images and denoise-rgb (the
# default for RGB: the luminance through denoise-gray, the colour differences through its own network) on the 7 RGB
# ones, at noise sigma 15, 25 and 50, without and with ensemble=8; deblur (told the true blur) and deblur-blind at blur sigma 1, 2 and 3
# (seed 7 too). One CSV
# per run in WORK, the log on stdout.
# Usage, from the repository root after `mvn -B -DskipTests package`:
#   src/scripts/evaluation/evaluate-bundled-models.sh /path/to/shared/data/train /path/to/extra-photos [work-dir]
# extra-photos: the output folder of src/scripts/training-data/fetch-photos.sh.
set -euo pipefail
data=${1:?give the shared/data/train folder}
extra=${2:?give the folder written by src/scripts/training-data/fetch-photos.sh}
work=${3:-target/evaluation}
mkdir -p "$work"
work=$(realpath "$work")
java -Djava.awt.headless=true -cp target/lib/ij-1.54p.jar src/scripts/evaluation/HeldOutImages.java "$data" "$extra" "$work"
evaluate() { java -Xmx4g -jar target/imagify.jar --run "Imagify Evaluate" "$1,compare=true"; }
for sigma in 15 25 50; do
  evaluate "images='$work/gray',model='denoise-gray',noise_sigma=$sigma,output='$work/denoise-gray-sigma$sigma.csv'"
  evaluate "images='$work/rgb',model='denoise-rgb',noise_sigma=$sigma,output='$work/denoise-rgb-sigma$sigma.csv'"
  # the self-ensemble columns: the same noisy inputs (same seed), the model only
  for set in gray rgb; do
    java -Xmx4g -jar target/imagify.jar --run "Imagify Evaluate" "images='$work/$set',model='denoise-$set',noise_sigma=$sigma,ensemble=8,output='$work/denoise-$set-ensemble8-sigma$sigma.csv'"
  done
done
# the deblurrers on the 8 grey images: blur sigma 1, 2 and 3 px with noise sigma 2, beside Richardson-Lucy given the true kernel
for blur in 1 2 3; do
  for model in deblur deblur-blind; do
    evaluate "images='$work/gray',model='$model',degradation='gaussian_blur',blur_sigma=$blur,noise_sigma=2,output='$work/$model-blur$blur.csv'"
    java -Xmx4g -jar target/imagify.jar --run "Imagify Evaluate" "images='$work/gray',model='$model',degradation='gaussian_blur',blur_sigma=$blur,noise_sigma=2,ensemble=8,output='$work/$model-ensemble8-blur$blur.csv'"
  done
done
