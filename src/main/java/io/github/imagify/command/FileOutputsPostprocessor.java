package io.github.imagify.command;

import java.io.File;
import java.nio.file.Path;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * Marks an Imagify command's file outputs (Train's {@code model_file}) as handled: the file is on disk already, and
 * SciJava's display postprocessor, which runs after this one, has no display for a file and logged "Ignoring
 * unsupported output: Model file" after every training run in Fiji. Scripts still read the output's value.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.NORMAL)
public class FileOutputsPostprocessor extends AbstractPostprocessorPlugin {

	@Override
	public void process(Module module) {
		Object command = module.getDelegateObject();
		if (command == null || !command.getClass().getPackageName().equals(FileOutputsPostprocessor.class.getPackageName())) return;
		for (ModuleItem<?> output : module.getInfo().outputs())
			if (File.class.isAssignableFrom(output.getType()) || Path.class.isAssignableFrom(output.getType())) module.resolveOutput(output.getName());
	}
}
