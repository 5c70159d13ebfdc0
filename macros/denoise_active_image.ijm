// Restore the image that is open (the active image) and save the result; works in the GUI, in batch mode and
// headless, because Imagify Denoise makes its result the macro's active image.
// Headless:  ImageJ-linux64 --headless -batch macros/denoise_active_image.ijm "/path/in.tif,/path/out.tif"
args = split(getArgument(), ",");
if (args.length < 2) exit("Usage: denoise_active_image.ijm \"<input image>,<output image>\"");
setBatchMode(true);
open(args[0]);
input = getTitle();
// output_type=input keeps the input's bit depth (rounded and clipped); the default is 32-bit float.
run("Imagify Denoise", "output_type=input");
if (getTitle() == input) exit("Imagify Denoise did not produce a result; see the log");
saveAs("Tiff", args[1]);
print("Imagify Denoise: saved " + getTitle());
