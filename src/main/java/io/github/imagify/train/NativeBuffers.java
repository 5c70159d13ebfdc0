package io.github.imagify.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Makes glibc reuse the large native buffers that training allocates and frees at every step, instead of mapping
 * fresh pages from the kernel each time.
 * <p>
 * libnd4j's oneDNN bridge allocates a new buffer for every layout reorder and convolution scratchpad, and frees it
 * after the call. glibc hands such blocks back to the kernel in two ways, and every later use pays one page fault per
 * 4 KB page: blocks above its mmap threshold (which adapts, but never above 32 MB) get their own {@code mmap}; and
 * the heaps of the per-thread arenas, which serve the Java threads and are at most 64 MB, are unmapped as soon as
 * they are free. Raising the mmap threshold, the trim threshold and the top pad (the free space a heap keeps) stops
 * both. Measured at Train's defaults (batch 8 of 128x128): 0.78-0.90 s per step against 1.24-1.25 s, the reorder of the
 * concatenated 8x64x128x128 activation 1.6 ms against 65 ms (README, "Training speed").
 * <p>
 * The settings are process-wide; {@link #release()} puts the trim threshold and top pad back and hands the free
 * memory back after training, so Fiji's footprint does not keep the training's high-water mark. Elsewhere (macOS,
 * Windows, musl, a glibc that refuses the values) nothing changes: training is then slower, never wrong.
 */
public final class NativeBuffers {

	/** Blocks up to this size come from glibc's heaps, not from their own mmap. */
	static final int MMAP_THRESHOLD = 512 << 20;
	/** Free memory at the top of a heap is kept up to this size instead of being handed back at once. */
	static final int TRIM_THRESHOLD = 1 << 30;
	/** Free space every heap keeps: a per-thread arena's heap (64 MB at most) is then never unmapped. */
	static final int TOP_PAD = 64 << 20;
	/** Set to {@code false} to leave glibc's defaults alone (for A/B measurements). */
	static final String PROPERTY = "imagify.reuseNativeBuffers";

	// mallopt parameters from glibc's malloc.h
	private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;

	private interface LibC extends Library {
		int mallopt(int parameter, int value);

		int malloc_trim(long pad);
	}

	/** glibc's documented defaults, put back when the last training ends. */
	private static final int DEFAULT_TRIM_THRESHOLD = 128 << 10, DEFAULT_TOP_PAD = 128 << 10;

	private static String status;
	private static LibC libc; // set when glibc accepted the settings
	private static int trainings; // running now: the settings stay while any runs

	private NativeBuffers() {}

	/**
	 * Raises glibc's thresholds for a training that starts now; pair each call with {@link #release()}.
	 *
	 * @return one line for the training log saying whether it did, and why not
	 */
	public static synchronized String reuse() {
		if (status == null) status = apply();
		if (libc != null && trainings++ == 0) {
			libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD);
			libc.mallopt(M_TOP_PAD, TOP_PAD);
		}
		return status;
	}

	private static String apply() {
		if ("false".equalsIgnoreCase(System.getProperty(PROPERTY)))
			return "oneDNN buffers: glibc's defaults kept (-D" + PROPERTY + "=false)";
		if (!Platform.isLinux())
			return "oneDNN buffers: not tuned (glibc only)";
		try {
			LibC c = Native.load("c", LibC.class);
			if (c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1)
				return "oneDNN buffers: not tuned (this C library refused a 512 MB mmap threshold; training is slower)";
			libc = c;
			return "oneDNN buffers: reused (glibc mmap threshold 512 MB, top pad 64 MB)";
		} catch (LinkageError e) { // JNA or its native part missing, or no mallopt in this C library
			return "oneDNN buffers: not tuned (" + e + ")";
		}
	}

	/**
	 * Ends what {@link #reuse()} began. After the last running training, glibc's trim threshold and top pad go back
	 * to their defaults and the free memory of its heaps goes back to the system, so Fiji does not keep the training's
	 * high-water mark. (The mmap threshold stays: large blocks then come from heaps that are trimmed as before.)
	 */
	public static synchronized void release() {
		if (libc == null || trainings == 0 || --trainings > 0) return;
		libc.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD);
		libc.mallopt(M_TOP_PAD, DEFAULT_TOP_PAD);
		libc.malloc_trim(0);
	}
}
