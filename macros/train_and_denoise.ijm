// Train an Imagify model on a folder of clean images (synthetic Gaussian noise), then restore a folder with it.
// Headless:  ImageJ-linux64 --headless -batch macros/train_and_denoise.ijm "/path/clean,/path/model.zip,/path/noisy,/path/out"
args = split(getArgument(), ",");
if (args.length < 4) exit("Usage: train_and_denoise.ijm \"<clean folder>,<model file>,<noisy folder>,<output folder>\"");
clean = args[0];
model = args[1];
noisy = args[2];
output = args[3];
// Small settings that train in minutes on a laptop; raise epochs for better results.
// An interrupted run resumes from <model>.checkpoint when started again with the same settings.
run("Imagify Train", "images=[" + clean + "] degradation=gaussian_noise noise_sigma=0-50 patch_size=64 batch_size=16 epochs=10 steps_per_epoch=50 model_out=[" + model + "]");
if (!File.exists(model)) exit("Imagify Train wrote no model; see the log");
File.makeDirectory(output);
run("Imagify Denoise", "input=[" + noisy + "] output=[" + output + "] model=[" + model + "]");
