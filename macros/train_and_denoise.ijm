// Train an Imagify model on a folder of clean images (synthetic Gaussian noise), then restore a folder with it.
// Headless:  ImageJ-linux64 --headless -batch macros/train_and_denoise.ijm "/path/clean,/path/model.zip,/path/noisy,/path/out"
// A fifth argument fine-tunes a model instead of starting from random weights, e.g. the bundled grey denoiser
// (for grey images: "...,/path/out,denoise-gray"); its depth and filters are Train's defaults.
args = split(getArgument(), ",");
if (args.length < 4) exit("Usage: train_and_denoise.ijm \"<clean folder>,<model file>,<noisy folder>,<output folder>[,<model to fine-tune>]\"");
clean = args[0];
model = args[1];
noisy = args[2];
output = args[3];
// Small settings that train in minutes on a laptop; raise epochs for better results.
// An interrupted run resumes from <model>.checkpoint when started again with the same settings.
settings = "images=[" + clean + "] degradation=gaussian_noise noise_sigma=0-50 patch_size=64 batch_size=16 epochs=10 steps_per_epoch=50 model_out=[" + model + "]";
// fine-tuning: a lower learning rate, so the trained weights are refined rather than overwritten
if (args.length > 4) settings = settings + " start_from=[" + args[4] + "] learning_rate=0.0003";
run("Imagify Train", settings);
if (!File.exists(model)) exit("Imagify Train wrote no model; see the log");
File.makeDirectory(output);
run("Imagify Denoise", "input=[" + noisy + "] output=[" + output + "] model=[" + model + "]");
