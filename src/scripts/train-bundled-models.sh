#!/usr/bin/env bash
# Reproduces the bundled model src/main/resources/io/github/imagify/models/denoise-gray.zip with Imagify's
# own "Imagify Train" command. Usage (from the repository root, after `mvn -DskipTests package`):
#   src/scripts/train-bundled-models.sh /path/to/shared/data/train [work-dir]
# The training data are the licensed images of shared/data/train (licences beside them). Held out:
# coins.png (the evaluation image quoted in the README) and clock_motion.png (real motion blur, no clean truth).
# The run checkpoints every epoch: run the same command again to resume after an interruption.
set -euo pipefail
data=${1:?give the shared/data/train folder}
work=${2:-target/bundled-models}
mkdir -p "$work/images"
for f in "$data"/natural/* "$data"/microscopy_bio/*; do
  case "$(basename "$f")" in coins.png|clock_motion.png) continue ;; esac
  ln -sf "$(realpath "$f")" "$work/images/$(basename "$f")"
done
java -Xmx8g -jar target/imagify.jar --run "Imagify Train" \
  "images='$work/images',as_grey=true,degradation='gaussian_noise',noise_sigma='0-55',patch_size=64,batch_size=16,epochs=${EPOCHS:-30},steps_per_epoch=${STEPS:-80},depth=3,base_filters=${FILTERS:-32},learning_rate=0.001,dropout=0,seed=1,model_out='$work/denoise-gray.zip'"
echo "Trained: $work/denoise-gray.zip (copy it to src/main/resources/io/github/imagify/models/ to bundle it)"
