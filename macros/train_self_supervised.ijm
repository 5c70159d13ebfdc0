// Train an Imagify model on a folder of noisy images alone (Neighbor2Neighbor: no clean images needed), then restore
// that folder with it. method=noise2void works the same way; neighbor2neighbor restored better in our measurements.
// Headless:  ImageJ-linux64 --headless -batch macros/train_self_supervised.ijm "/path/noisy,/path/model.zip,/path/out"
// A fourth argument sets the epochs (default 20: minutes on a laptop; more epochs restore better).
// The images may be 8/16/32-bit, stacks or hyperstacks (each plane is a training image) or RGB (channel by channel).
args = split(getArgument(), ",");
if (args.length < 3) exit("Usage: train_self_supervised.ijm \"<noisy folder>,<model file>,<output folder>[,<epochs>]\"");
noisy = args[0];
model = args[1];
output = args[2];
epochs = 20;
if (args.length > 3) epochs = parseInt(args[3]);
// An interrupted run resumes from <model>.checkpoint when started again with the same settings.
// A failed command stops the macro with its reason in the log.
run("Imagify Train", "images=[" + noisy + "] method=neighbor2neighbor patch_size=64 batch_size=16 epochs=" + epochs + " steps_per_epoch=50 model_out=[" + model + "]");
File.makeDirectory(output);
run("Imagify Denoise", "input=[" + noisy + "] output=[" + output + "] model=[" + model + "]");
