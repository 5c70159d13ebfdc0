package io.github.imagify.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fuzzing helpers: byte mutations, and running one case under a time limit while accepting only the clean
 * outcomes (success, or an IOException / IllegalArgumentException with a one-line message).
 */
public final class Fuzz implements AutoCloseable {

	/** A case slower than this is taken for a hang (the machine is small and shared: generous). */
	static final long CASE_TIMEOUT_S = 20;

	private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "fuzz-case");
		t.setDaemon(true); // a hung case must not keep the test JVM alive
		return t;
	});

	/** Runs one case; fails the test on a hang, an Error, or any exception other than a clean one. Returns the result or null. */
	public <T> T run(String label, Callable<T> action) {
		Future<T> f = executor.submit(action);
		try {
			return f.get(CASE_TIMEOUT_S, TimeUnit.SECONDS);
		} catch (TimeoutException e) {
			f.cancel(true);
			return fail(label + ": no answer within " + CASE_TIMEOUT_S + " s (a hang)");
		} catch (InterruptedException e) {
			throw new AssertionError(e);
		} catch (ExecutionException e) {
			assertClean(label, e.getCause());
			return null;
		}
	}

	public static void assertClean(String label, Throwable t) {
		if (!(t instanceof IOException || t instanceof IllegalArgumentException))
			throw new AssertionError(label + ": unclean failure " + t, t);
		String m = t.getMessage();
		assertTrue(m != null && !m.isBlank(), label + ": empty message from " + t);
		assertFalse(m.contains("\n") || m.contains("\r"), label + ": message spans lines: " + m);
	}

	@Override
	public void close() {
		executor.shutdownNow();
	}

	private static final int[] INTERESTING = { 0, 0xff, 0x7f, 0x80, 1, 0xfe };

	/** A random byte-level mutation: bit flips, interesting bytes (near the start or anywhere), truncation, a duplicated or deleted chunk. */
	public static byte[] mutate(byte[] src, Random r, int headerBytes) {
		byte[] b = src.clone();
		switch (r.nextInt(6)) {
			case 0 -> {
				for (int k = 1 + r.nextInt(8); k > 0; k--) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
			}
			case 1 -> {
				int range = r.nextBoolean() ? Math.min(b.length, headerBytes) : b.length;
				for (int k = 1 + r.nextInt(4); k > 0; k--) b[r.nextInt(range)] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
			}
			case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
			case 3 -> { // a run of 0xff / 0x7f bytes: huge counts, sizes and offsets
				int p = r.nextInt(Math.max(1, Math.min(b.length, headerBytes) - 4));
				for (int j = 0; j < 4 && p + j < b.length; j++) b[p + j] = (byte) (r.nextBoolean() ? 0xff : 0x7f);
			}
			case 4 -> { // duplicate a chunk
				int p = r.nextInt(b.length), q = Math.min(b.length, p + 1 + r.nextInt(64));
				byte[] c = new byte[b.length + q - p];
				System.arraycopy(b, 0, c, 0, q);
				System.arraycopy(b, p, c, q, b.length - p);
				b = c;
			}
			default -> { // delete a chunk
				int p = r.nextInt(b.length), q = Math.min(b.length, p + 1 + r.nextInt(64));
				byte[] c = new byte[b.length - (q - p)];
				System.arraycopy(b, 0, c, 0, p);
				System.arraycopy(b, q, c, p, b.length - q);
				b = c;
			}
		}
		return b;
	}
}
