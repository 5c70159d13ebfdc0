#!/usr/bin/env bash
# Trains the bundled models src/main/resources/io/github/imagify/models/{denoise-gray,denoise-rgb,deblur,deblur-blind}.zip with
# Imagify's own "Imagify Train" command. denoise-gray in the jar comes from this recipe, 30 epochs then resumed to 70,
# then fine-tuned from that model for 30, then 50, then 45, then 36, then 40, then 80 more epochs, and 30 more at a
# tenth of the rate, averaging the weights (src/site/markdown/bundled-models.md says how the runs went); denoise-rgb is a network for the colour differences of RGB images, told the luminance, trained from the
# bundled denoise-gray, which restores the luminance beside it. The RGB network run below was denoise-rgb until it was
# found 1.0-1.5 dB worse than denoise-gray in opponent colours; it is kept here as the record of that comparison, not
# shipped. deblur-blind in the jar is this recipe's 14 epochs resumed to epochs=40, which ties
# with Richardson-Lucy given the true kernel, and deblur is the model told the blur (blur_known=true) trained from it,
# which beats Richardson-Lucy by 0.7 to 1.0 dB (src/site/markdown/bundled-models.md).
# Usage, from the repository root after `mvn -DskipTests package`:
#   src/scripts/train-bundled-models.sh /path/to/shared/data/train /path/to/extra-photos [work-dir]
# shared/data/train: the licensed images the project started from (licences beside them).
# extra-photos: the output folder of src/scripts/training-data/fetch-photos.sh (60 Debian-packaged photos,
# MANIFEST.tsv says which are for training; licences in its LICENSES/).
# Held out from every model, for the evaluation in src/site/markdown/bundled-models.md: coins.png and chelsea.png, the six photos marked
# `eval` in photos.tsv; never used: clock_motion.png (real motion blur, no clean truth) and the Kodak photos.
# Every run checkpoints each epoch beside its model: run the same command again to resume after an interruption
# (the settings must be identical; `epochs` may be raised).
set -euo pipefail
data=${1:?give the shared/data/train folder}
extra=${2:?give the folder written by src/scripts/training-data/fetch-photos.sh}
work=${3:-target/bundled-models}
mkdir -p "$work/gray" "$work/rgb"
link() { ln -sf "$(realpath "$1")" "$2"; }
for f in "$data"/natural/* "$data"/microscopy_bio/*; do
  name=$(basename "$f")
  case "$name" in coins.png|chelsea.png|clock_motion.png) continue ;; esac
  link "$f" "$work/gray/$name" # RGB images are converted to grey by as_grey=true
done
for f in astronaut.png coffee.png hubble_deep_field.jpg rocket.jpg scipy_face.png sklearn_china.jpg sklearn_flower.jpg; do
  link "$data/natural/$f" "$work/rgb/$f"
done
for f in retina.jpg ihc.png; do link "$data/microscopy_bio/$f" "$work/rgb/$f"; done
# extra photos marked for training (column `use` of MANIFEST.tsv); all of them for grey, the RGB ones for RGB
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["use"] == "train" { print $col["file"] "\t" $col["channels"] }' \
  "$extra/MANIFEST.tsv" | while IFS=$'\t' read -r file channels; do
  link "$extra/$file" "$work/gray/extra_$file"
  if [ "$channels" = 3 ]; then link "$extra/$file" "$work/rgb/extra_$file"; fi
done
run() { java -Xmx10g -jar target/imagify.jar --run "Imagify Train" "$1"; }
denoise="degradation='gaussian_noise',noise_sigma='0-55',patch_size=64,batch_size=32,steps_per_epoch=100,epochs=30,depth=3,base_filters=32,learning_rate=0.001,dropout=0,seed=1"
run "images='$(realpath "$work/gray")',as_grey=true,$denoise,model_out='$(realpath "$work")/denoise-gray.zip'"
# denoise-gray in the jar then went on from that run's checkpoint to 70 epochs: the same command with epochs=70 (a
# warm restart: the learning rate goes back up to where a 70-epoch schedule is at epoch 30, then decays again)
run "images='$(realpath "$work/gray")',as_grey=true,${denoise/epochs=30/epochs=70},model_out='$(realpath "$work")/denoise-gray.zip'"
# then fine-tuned from it (start_from) for 30 more epochs at half the learning rate, decaying to 5e-5, seed 2, and
# from that for 50 more, seed 3 (the first run was made without model_name, so the jar's start_from_chain names it
# denoise-gray-ft64)
finetune=${denoise/learning_rate=0.001/learning_rate=0.0005}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray.zip',${finetune/seed=1/seed=2},model_out='$(realpath "$work")/denoise-gray-ft64.zip'"
finetune=${finetune/epochs=30/epochs=50}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray-ft64.zip',${finetune/seed=1/seed=3},model_name='denoise-gray',model_out='$(realpath "$work")/denoise-gray-ft64b.zip'"
# and from that for 45 more, seed 4
finetune=${finetune/epochs=50/epochs=45}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray-ft64b.zip',${finetune/seed=1/seed=4},model_name='denoise-gray',model_out='$(realpath "$work")/denoise-gray-ft64c.zip'"
# and from that for 36 more, seed 5 (the same run with refine_convs=4, four more full-resolution convolutions started
# as identities, scored within 0.02 dB of it and restores 26 % slower)
finetune=${finetune/epochs=45/epochs=36}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray-ft64c.zip',${finetune/seed=1/seed=5},model_name='denoise-gray',model_out='$(realpath "$work")/denoise-gray-ft64d.zip'"
# and from that for 40 more, seed 11 (the same run with base_filters=48, a wider network started from that model,
# scored within 0.005 dB of it with 2.25 times the FLOPs per pixel)
finetune=${finetune/epochs=36/epochs=40}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray-ft64d.zip',${finetune/seed=1/seed=11},model_name='denoise-gray',model_out='$(realpath "$work")/denoise-gray-ft64e.zip'"
# and from that for 80 more, seed 12 (run as epochs=90, stopped after epoch 22 while the rate was still constant and
# resumed with epochs=80)
longer=${finetune/epochs=40/epochs=80}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray-ft64e.zip',${longer/seed=1/seed=12},model_name='denoise-gray',model_out='$(realpath "$work")/denoise-gray-ft64f.zip'"
# and from that for 30 more at a tenth of the rate (5e-5 decaying to 5e-6), seed 13, the model file holding the mean of
# the weights of the last 15 epochs (average_epochs=15; it validated better than the best epoch): the denoise-gray in
# the jar, as written (run without average_epochs, stopped after epoch 12 and resumed with average_epochs=15)
polish=${finetune/epochs=40/epochs=30}
polish=${polish/learning_rate=0.0005/learning_rate=0.00005}
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/denoise-gray-ft64f.zip',${polish/seed=1/seed=13},average_epochs=15,model_name='denoise-gray',model_out='$(realpath "$work")/denoise-gray-ft64g.zip'"
# (the same fine-tune on 128x128 patches, the paper's size, batch 8 for the same pixels per step, scored a little lower)
# denoise-rgb: the colour differences of the RGB images, told the noisy luminance (as_opponent, luminance_guide), from
# the bundled denoise-gray, so build the jar with a denoise-gray in it first: the model file names the model start_from
# gives, and Imagify restores the luminance with it. The one in the jar was trained from denoise-gray-ft64d (the bundled
# one then); since ft64e and then ft64f replaced it, the luminance goes through ft64f, the colour network unchanged. 30 epochs at 5e-4
# decaying to 5e-5, seed 10
guided=${finetune/epochs=40/epochs=30}
run "images='$(realpath "$work/rgb")',as_opponent=true,luminance_guide=true,start_from='denoise-gray',${guided/seed=1/seed=10},model_name='denoise-rgb',model_out='$(realpath "$work")/denoise-rgb-guided.zip'"
# the RGB network (not shipped, see the top)
run "images='$(realpath "$work/rgb")',$denoise,model_out='$(realpath "$work")/denoise-rgb.zip'"
# deblur: Gaussian blur sigma 0.5-3 px (the paper's degradation) with light noise, a grey model (RGB in opponent colours)
run "images='$(realpath "$work/gray")',as_grey=true,degradation='gaussian_blur',blur_sigma='0.5-3',noise_sigma='0-5',patch_size=64,batch_size=32,steps_per_epoch=100,epochs=14,depth=3,base_filters=32,learning_rate=0.001,dropout=0,seed=1,model_name='deblur',model_out='$(realpath "$work")/deblur.zip'"
# then resumed from its checkpoint to 40 epochs (a warm restart, as for denoise-gray): deblur-blind in the jar (named
# deblur when it was bundled, which model_name gives here; renamed deblur-blind when the told model took the name)
run "images='$(realpath "$work/gray")',as_grey=true,degradation='gaussian_blur',blur_sigma='0.5-3',noise_sigma='0-5',patch_size=64,batch_size=32,steps_per_epoch=100,epochs=40,depth=3,base_filters=32,learning_rate=0.001,dropout=0,seed=1,model_name='deblur',model_out='$(realpath "$work")/deblur.zip'"
# then the model told the blur (blur_known=true, non-blind) started from that blind one, whose weights it takes with
# the new blur-sigma channel's at zero: 30 epochs at learning rate 5e-4 decaying to 5e-5, seed 6. It is the deblur in
# the jar; the blind one above is deblur-blind
run "images='$(realpath "$work/gray")',as_grey=true,start_from='$(realpath "$work")/deblur.zip',degradation='gaussian_blur',blur_sigma='0.5-3',noise_sigma='0-5',blur_known=true,patch_size=64,batch_size=32,steps_per_epoch=100,epochs=30,depth=3,base_filters=32,learning_rate=0.0005,dropout=0,seed=6,model_name='deblur',model_out='$(realpath "$work")/deblur-known.zip'"
echo "Trained: $work/{denoise-gray-ft64g,denoise-rgb-guided,deblur-known,deblur}.zip (copy them to src/main/resources/io/github/imagify/models/ as denoise-gray.zip, denoise-rgb.zip, deblur.zip, deblur-blind.zip)"
