package io.github.imagify.command;

import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.thread.ThreadService;

/**
 * Before an Imagify command runs from an ImageJ macro, refuses the macro's keys that the command does not have
 * ({@link MacroOptions}), through {@link Failure} as any failure. A preprocessor, so that every
 * command is covered without a line of its own; it runs on the command's thread, whose parent is the macro's.
 */
@Plugin(type = PreprocessorPlugin.class)
public class MacroKeysPreprocessor extends AbstractPreprocessorPlugin {

	@Parameter
	private LogService log;

	@Parameter
	private ThreadService threads;

	@Override
	public void process(Module module) {
		Object command = module.getDelegateObject();
		if (command == null || !command.getClass().getPackageName().equals(MacroKeysPreprocessor.class.getPackageName())) return;
		try {
			MacroOptions.check(command.getClass(), threads.getParent(Thread.currentThread()));
		} catch (IllegalArgumentException e) {
			Failure.report(module.getInfo().getLabel() + ": " + e.getMessage(), log, this::cancel);
		}
	}
}
