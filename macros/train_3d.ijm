// Train a 3D Imagify model on a folder of noisy Z-stacks alone (Noise2Void in 3D: no clean images needed), then
// restore those stacks with it, each Z-stack (every channel and time point) as one volume.
// Headless:  ImageJ-linux64 --headless -batch macros/train_3d.ijm "/path/noisy,/path/model.zip,/path/out"
// A fourth argument sets the epochs (default 20). The stacks may be 8/16/32-bit hyperstacks with at least 16 planes;
// their voxel size decides whether the network pools in Z (the log says which). method=neighbor2neighbor works the same
// way here (it sub-samples each plane in X and Y; patch_size 32 suits its 2^(depth+1) multiple).
args = split(getArgument(), ",");
if (args.length < 3) exit("Usage: train_3d.ijm \"<noisy folder>,<model file>,<output folder>[,<epochs>]\"");
noisy = args[0];
model = args[1];
output = args[2];
epochs = 20;
if (args.length > 3) epochs = parseInt(args[3]);
// An interrupted run resumes from <model>.checkpoint when started again with the same settings.
// A failed command stops the macro with its reason in the log.
run("Imagify Train", "images=[" + noisy + "] method=noise2void dims=3d patch_size=32 patch_planes=16 batch_size=4 depth=2 epochs=" + epochs + " steps_per_epoch=50 model_out=[" + model + "]");
File.makeDirectory(output);
run("Imagify Denoise", "input=[" + noisy + "] output=[" + output + "] model=[" + model + "]");
