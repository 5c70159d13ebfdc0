package io.github.imagify.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.imagify.cli.Main;

/** Runs the headless launcher in this JVM, capturing what it prints, as a user at a terminal would see it. */
public final class LauncherRun {

	private LauncherRun() {}

	/** Exit code 1 and exactly one error line, naming the problem ({@code fragment}); no exception names or stack traces. */
	public static void assertFailsWithOneLine(String command, String keys, String fragment) {
		PrintStream err = System.err, stdout = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		int code;
		try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
			System.setErr(capture);
			System.setOut(capture);
			code = Main.run(new String[] { "--run", command, keys });
		} finally {
			System.setErr(err);
			System.setOut(stdout);
		}
		String output = captured.toString(StandardCharsets.UTF_8);
		String context = command + " " + keys + "\n" + output;
		assertEquals(1, code, context);
		List<String> errorLines = output.lines().filter(l -> l.startsWith("[ERROR]") || !l.startsWith("[")).toList();
		assertEquals(1, errorLines.size(), "exactly one error line:\n" + context);
		assertTrue(errorLines.get(0).contains(fragment), "the error names the problem (" + fragment + "):\n" + context);
		assertFalse(output.contains("Exception") || output.contains("\tat "), "no exception names or stack traces:\n" + context);
	}
}
