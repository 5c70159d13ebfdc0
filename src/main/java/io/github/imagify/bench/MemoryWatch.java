package io.github.imagify.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak Java heap and peak process RSS while one section runs.
 * <p>
 * Heap: used heap sampled every 10 ms on a daemon thread (a lower bound of the true peak: a spike between two
 * samples is missed). RSS: the kernel's high-water mark VmHWM, reset at the start by writing 5 to
 * {@code /proc/self/clear_refs} (Linux); where that is refused, the sampled VmRSS maximum is reported instead.
 * RSS includes native memory (ONNX Runtime, ND4J/oneDNN buffers) and whatever earlier sections left loaded.
 */
final class MemoryWatch implements AutoCloseable {

	private static final Path STATUS = Path.of("/proc/self/status"), CLEAR_REFS = Path.of("/proc/self/clear_refs");

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
	private final boolean hwmReset;
	private final Thread sampler;
	private volatile boolean running = true;
	private volatile long heapPeak, rssPeakKb;

	MemoryWatch() {
		System.gc(); // start from live data only, so the peak is this section's
		hwmReset = resetHighWaterMark();
		sampler = new Thread(() -> {
			while (running) {
				sample();
				try {
					Thread.sleep(10);
				} catch (InterruptedException e) {
					return;
				}
			}
		}, "imagify-bench-memory");
		sampler.setDaemon(true);
		sampler.start();
	}

	private void sample() {
		heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
		rssPeakKb = Math.max(rssPeakKb, statusKb("VmRSS:"));
	}

	/** Stops sampling; idempotent. */
	@Override
	public void close() {
		if (!running) return;
		running = false;
		sampler.interrupt();
		try {
			sampler.join(1000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		sample();
	}

	double heapPeakMb() { return heapPeak / 1048576.0; }

	double rssPeakMb() {
		long hwm = hwmReset ? statusKb("VmHWM:") : -1;
		return Math.max(hwm, rssPeakKb) / 1024.0;
	}

	private static boolean resetHighWaterMark() {
		try {
			Files.writeString(CLEAR_REFS, "5");
			return true;
		} catch (IOException | UnsupportedOperationException | SecurityException e) {
			return false;
		}
	}

	/** A "Key:   123 kB" line of /proc/self/status, in kB; -1 where there is none (not Linux). */
	static long statusKb(String key) {
		try {
			for (String line : Files.readAllLines(STATUS))
				if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
		} catch (IOException | RuntimeException e) {
			// not Linux: no RSS figures
		}
		return -1;
	}
}
