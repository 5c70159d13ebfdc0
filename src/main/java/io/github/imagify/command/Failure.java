package io.github.imagify.command;

import java.util.function.Consumer;

import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;

/**
 * The one way a command fails: one clear line in the log and as the command's cancel reason, which the launcher
 * prints and exits non-zero on; an ImageJ macro that ran the command stops there. Every command's failure passes here
 * (and the refusal of a macro's unknown keys), so what a failure must also do is done once.
 */
final class Failure {

	private Failure() {}

	/** Reports {@code e} as the failure of the command named {@code name} (e.g. "Imagify Train"). */
	static void report(ContextCommand command, LogService log, String name, Throwable e) {
		report(name + ": " + Errors.message(e), log, command::cancel);
	}

	/** Reports {@code message}, cancelling with {@code cancel} (a command's, or a preprocessor's before the command runs). */
	static void report(String message, LogService log, Consumer<String> cancel) {
		log.error(message);
		cancel.accept(message);
		MacroHandoff.stopMacro(message); // a macro that ran the command must not go on as if it had succeeded
	}
}
