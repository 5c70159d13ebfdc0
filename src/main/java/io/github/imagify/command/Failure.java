package io.github.imagify.command;

import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;

/**
 * The one way a command fails: one clear line in the log and as the command's cancel reason, which the launcher
 * prints and exits non-zero on; an ImageJ macro that ran the command stops there. Every command's failure passes here, so what a failure must also do is done once.
 */
final class Failure {

	private Failure() {}

	/** Reports {@code e} as the failure of the command named {@code name} (e.g. "Imagify Train"). */
	static void report(ContextCommand command, LogService log, String name, Throwable e) {
		String message = name + ": " + Errors.message(e);
		log.error(message);
		command.cancel(message);
		MacroHandoff.stopMacro(message); // a macro that ran the command must not go on as if it had succeeded
	}
}
