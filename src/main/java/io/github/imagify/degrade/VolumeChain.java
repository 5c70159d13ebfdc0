package io.github.imagify.degrade;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import io.github.imagify.image.FloatVolume;

/** Volume degradations applied in order (blur, then noise, as in {@link Chain}); the margins add up. */
public final class VolumeChain implements VolumeDegradation {

	private final List<VolumeDegradation> steps;

	public VolumeChain(List<VolumeDegradation> steps) {
		if (steps == null || steps.isEmpty() || steps.contains(null))
			throw new IllegalArgumentException("A volume degradation chain needs one or more steps, none null");
		this.steps = List.copyOf(steps);
	}

	@Override
	public FloatVolume apply(FloatVolume clean, double dataRange, Random rng) {
		FloatVolume v = clean;
		for (VolumeDegradation step : steps) v = step.apply(v, dataRange, rng);
		return v == clean ? clean.copy() : v;
	}

	@Override public int marginXY() { return steps.stream().mapToInt(VolumeDegradation::marginXY).sum(); }
	@Override public int marginZ() { return steps.stream().mapToInt(VolumeDegradation::marginZ).sum(); }

	@Override
	public String toString() {
		return steps.stream().map(Object::toString).collect(Collectors.joining(" + "));
	}
}
