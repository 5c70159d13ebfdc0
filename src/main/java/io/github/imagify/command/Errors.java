package io.github.imagify.command;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the one-line messages users see: what is wrong and what to do. */
final class Errors {

	private Errors() {}

	static String message(Throwable e) {
		if (e instanceof NoSuchFileException n)
			return n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "file not found; check the path");
		if (e instanceof AccessDeniedException a)
			return a.getFile() + ": permission denied; choose a location you may write to";
		if (e instanceof FileSystemException f && f.getReason() != null)
			return f.getFile() + ": " + f.getReason();
		if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof java.io.IOException)
			return e.getMessage() == null ? e.toString() : e.getMessage();
		if (e instanceof OutOfMemoryError)
			return "out of memory; give Java more memory (Fiji: Edit > Options > Memory & Threads; headless: -Xmx), or keep the input's bit depth (output_type=input)";
		return e.toString();
	}
}
