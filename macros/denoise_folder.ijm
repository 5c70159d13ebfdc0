// Restore every image of a folder with Imagify and save the results under the same names.
// Headless:  ImageJ-linux64 --headless -batch macros/denoise_folder.ijm "/path/in,/path/out"
// The model key is optional: empty uses the bundled default denoiser; a bundled name (denoise-gray, denoise-rgb,
// deblur for Gaussian blur) or a model file path also work. deblur is told the blur: give its sigma in pixels too,
// e.g. "/path/in,/path/out,deblur,1.5".
args = split(getArgument(), ",");
if (args.length < 2) exit("Usage: denoise_folder.ijm \"<input folder>,<output folder>[,<model>[,<blur sigma>]]\"");
input = args[0];
output = args[1];
model = "";
if (args.length > 2) model = args[2];
blur = "";
if (args.length > 3) blur = args[3];
File.makeDirectory(output);
// Folder mode: Imagify reads and writes the files itself (atomically), so this works the same
// headless and in the GUI, and the inputs are never touched.
run("Imagify Denoise", "input=[" + input + "] output=[" + output + "] model=[" + model + "] blur_sigma=[" + blur + "]");
// Fiji's launcher exits 0 even when a command failed: check that outputs exist.
list = getFileList(input);
missing = 0;
for (i = 0; i < list.length; i++)
	if (!File.isDirectory(input + "/" + list[i]) && !File.exists(output + "/" + list[i])) missing++;
if (missing > 0) exit("Imagify Denoise: " + missing + " output(s) missing; see the log");
print("Imagify Denoise: restored " + list.length + " file(s) into " + output);
