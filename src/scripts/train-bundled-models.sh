#!/usr/bin/env bash
# Reproduces the bundled models src/main/resources/io/github/imagify/models/denoise-{gray,rgb}.zip with
# Imagify's own "Imagify Train" command. Usage (from the repository root, after `mvn -DskipTests package`):
#   src/scripts/train-bundled-models.sh /path/to/shared/data/train [work-dir]
# The training data are the licensed images of shared/data/train (licences beside them). Held out for the
# README's evaluation: coins.png from the grey model, chelsea.png from the RGB one; left out of both:
# clock_motion.png (real motion blur, no clean truth). Each run checkpoints every epoch: run the same command again to resume after an interruption.
set -euo pipefail
data=${1:?give the shared/data/train folder}
work=${2:-target/bundled-models}
mkdir -p "$work/gray" "$work/rgb"
for f in "$data"/natural/* "$data"/microscopy_bio/*; do
  name=$(basename "$f")
  case "$name" in coins.png|clock_motion.png) continue ;; esac
  ln -sf "$(realpath "$f")" "$work/gray/$name" # RGB images are converted to grey by as_grey=true
done
for f in astronaut.png coffee.png hubble_deep_field.jpg rocket.jpg scipy_face.png sklearn_china.jpg sklearn_flower.jpg; do
  ln -sf "$(realpath "$data/natural/$f")" "$work/rgb/$f"
done
for f in retina.jpg ihc.png; do ln -sf "$(realpath "$data/microscopy_bio/$f")" "$work/rgb/$f"; done
recipe="degradation='gaussian_noise',noise_sigma='0-55',patch_size=64,batch_size=16,steps_per_epoch=80,depth=3,base_filters=32,learning_rate=0.001,dropout=0,seed=1"
java -Xmx8g -jar target/imagify.jar --run "Imagify Train" "images='$work/gray',as_grey=true,epochs=30,$recipe,model_out='$work/denoise-gray.zip'"
java -Xmx8g -jar target/imagify.jar --run "Imagify Train" "images='$work/rgb',epochs=28,$recipe,model_out='$work/denoise-rgb.zip'"
echo "Trained: $work/denoise-gray.zip $work/denoise-rgb.zip (copy them to src/main/resources/io/github/imagify/models/)"
