package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ProgressTest {

	@Test
	void timeLeftIsExtrapolatedOnceThereIsProgress() {
		assertEquals("", Progress.remaining(0.005, 60_000_000_000L), "too early to say");
		assertEquals("", Progress.remaining(0.5, 1_000_000_000L), "too early to say");
		assertEquals(", about 30 s left", Progress.remaining(0.25, 10_000_000_000L));
		assertEquals(", about 3 min 0 s left", Progress.remaining(0.5, 180_000_000_000L));
		assertEquals(", about 2 h 0 min left", Progress.remaining(0.5, 7_200_000_000_000L));
		assertEquals("", Progress.remaining(1, 10_000_000_000L));
	}

	@Test
	void lossPlotHoldsBothCurves() {
		LossPlot plot = new LossPlot("loss");
		var p0 = new io.github.imagify.train.EpochResult(1, 3, 0.01, 0.02, 17, 1e-3, true, 1);
		var p1 = new io.github.imagify.train.EpochResult(2, 3, 0.005, 0.01, 20, 1e-3, true, 1);
		java.lang.reflect.Field f;
		try {
			f = LossPlot.class.getDeclaredField("epochs");
			f.setAccessible(true);
			@SuppressWarnings("unchecked")
			java.util.List<io.github.imagify.train.EpochResult> list = (java.util.List<io.github.imagify.train.EpochResult>) f.get(plot);
			list.add(p0);
			list.add(p1);
		} catch (ReflectiveOperationException e) {
			throw new AssertionError(e);
		}
		ij.gui.Plot drawn = plot.plot();
		float[][] training = { drawn.getDataObjectArrays(0)[0], drawn.getDataObjectArrays(0)[1] };
		assertArrayEquals(new float[] { 1, 2 }, training[0]);
		assertArrayEquals(new float[] { 0.01f, 0.005f }, training[1]);
		assertArrayEquals(new float[] { 0.02f, 0.01f }, drawn.getDataObjectArrays(1)[1]);
	}
}
