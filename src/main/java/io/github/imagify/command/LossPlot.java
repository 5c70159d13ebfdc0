package io.github.imagify.command;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import ij.gui.Plot;
import ij.gui.PlotWindow;
import io.github.imagify.train.EpochResult;

/** The live training-loss plot in Fiji's GUI: training and validation loss per epoch, one window updated in place. */
final class LossPlot {

	private final String title;
	private final List<EpochResult> epochs = new ArrayList<>();
	private PlotWindow window;

	LossPlot(String title) {
		this.title = title;
	}

	/** Adds an epoch and redraws; a closed window stays closed (the user dismissed it). */
	void add(EpochResult result) {
		epochs.add(result);
		boolean first = window == null;
		if (!first && window.isClosed()) return;
		Plot plot = plot();
		if (first) window = (PlotWindow) plot.show();
		else window.drawPlot(plot);
	}

	Plot plot() {
		int n = epochs.size();
		double[] x = new double[n], train = new double[n], validation = new double[n];
		for (int i = 0; i < n; i++) {
			x[i] = epochs.get(i).epoch();
			train[i] = epochs.get(i).trainLoss();
			validation[i] = epochs.get(i).validationLoss();
		}
		Plot plot = new Plot(title, "epoch", "loss (MSE, normalised)");
		plot.setLogScaleY();
		plot.setColor(Color.BLUE);
		plot.addPoints(x, train, Plot.CONNECTED_CIRCLES);
		plot.setLabel(-1, "training");
		plot.setColor(Color.RED);
		plot.addPoints(x, validation, Plot.CONNECTED_CIRCLES);
		plot.setLabel(-1, "validation");
		plot.addLegend("training\nvalidation");
		plot.setLimitsToFit(false);
		return plot;
	}
}
