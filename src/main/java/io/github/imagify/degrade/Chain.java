package io.github.imagify.degrade;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import io.github.imagify.image.FloatImage;

/**
 * Several degradations applied in order (e.g. blur, then noise, as a real microscope does: optics first,
 * then the sensor). The margin is the sum, since each step's context must itself be exact.
 */
public final class Chain implements Degradation {

	private final List<Degradation> steps;

	public Chain(List<Degradation> steps) {
		if (steps == null) throw new IllegalArgumentException("Chain steps must not be null");
		for (Degradation step : steps)
			if (step == null) throw new IllegalArgumentException("Chain steps must not contain null");
		this.steps = List.copyOf(steps);
	}

	public List<Degradation> steps() {
		return steps;
	}

	@Override
	public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
		FloatImage x = clean;
		for (Degradation step : steps) x = step.apply(x, dataRange, rng);
		return x == clean ? clean.copy() : x;
	}

	@Override
	public int margin() {
		return steps.stream().mapToInt(Degradation::margin).sum();
	}

	@Override
	public String toString() {
		return steps.stream().map(Object::toString).collect(Collectors.joining(" + "));
	}
}
