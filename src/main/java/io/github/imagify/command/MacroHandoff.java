package io.github.imagify.command;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Makes a command's result image the active image of the ImageJ macro that ran the command, so that the
 * macro's next {@code saveAs} or {@code getTitle} sees it. In batch mode (headless {@code -batch} or
 * {@code setBatchMode(true)}) Fiji does not register a command's ImagePlus output with the macro
 * (imagej-legacy #215, #277), and the command runs on another thread than the macro, which holds its own
 * "current image" in WindowManager's per-thread table: so the result is registered as a batch-mode image
 * and made current for every thread that is running a macro. In the GUI outside batch mode, Fiji displays
 * the output itself.
 */
final class MacroHandoff {

	private MacroHandoff() {}

	/** Returns the macro threads the image was made current for (empty when none runs or the GUI shows outputs). */
	static List<Thread> makeCurrent(ImagePlus result) {
		boolean gui = !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null;
		if (gui && !Interpreter.isBatchMode()) return List.of(); // Fiji shows the output and activates its window
		if (Interpreter.isBatchMode()) Interpreter.addBatchModeImage(result);
		List<Thread> macros = macroThreads();
		for (Thread t : macros) WindowManager.setTempCurrentImage(t, result);
		return macros;
	}

	/**
	 * Stops the ImageJ macro waiting for a command that failed, as ImageJ's own commands stop theirs: the
	 * interpreter reports {@code message} (a "Macro Error" dialog in the GUI, nothing more headless, where the
	 * command has logged it) and runs no further statement, so a later {@code saveAs} cannot save the unrestored
	 * input under the output's name. Nothing happens when no macro runs.
	 */
	static void stopMacro(String message) {
		Interpreter macro = Interpreter.getInstance();
		if (macro == null || macroThreads().isEmpty()) return;
		try {
			macro.abort(message);
		} catch (RuntimeException e) {
			// the interpreter unwinds with RuntimeException(Macro.MACRO_CANCELED), meant for its own thread: not ours
		}
	}

	/** Threads with ImageJ's macro interpreter on their stack: the macro waiting for this command is one of them. */
	static List<Thread> macroThreads() {
		List<Thread> threads = new ArrayList<>();
		for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet())
			for (StackTraceElement frame : e.getValue())
				if (frame.getClassName().equals(Interpreter.class.getName())) {
					threads.add(e.getKey());
					break;
				}
		return threads;
	}
}
