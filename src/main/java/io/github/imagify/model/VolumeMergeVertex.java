package io.github.imagify.model;

import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link MergeVertex} (concatenation along the channels) that also trains on 5D NCDHW activations: DL4J 1.0.0-M2.1's
 * merge concatenates them forward but its backward pass throws "Invalid rank during forward pass (not 2, 3, 4)". This
 * one splits a 5D gradient itself and leaves every other rank to DL4J. It is a {@code MergeVertex}, so the ONNX exporter
 * writes it as the same Concat; it serialises by class name like any DL4J vertex, so checkpoints keep it.
 */
public class VolumeMergeVertex extends MergeVertex {

	@Override
	public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView, boolean initializeParams,
			DataType networkDatatype) {
		if (mergeAxis != DEFAULT_MERGE_DIM)
			throw new IllegalStateException("VolumeMergeVertex joins channels (axis " + DEFAULT_MERGE_DIM + "), not axis " + mergeAxis);
		return new Impl(graph, name, idx, networkDatatype, mergeAxis);
	}

	@Override
	public VolumeMergeVertex clone() {
		VolumeMergeVertex copy = new VolumeMergeVertex();
		copy.setMergeAxis(mergeAxis);
		copy.setModified(modified);
		return copy;
	}

	@Override
	public String toString() {
		return "VolumeMergeVertex()";
	}

	/** The runtime vertex: DL4J's merge, with the 5D backward pass added. */
	static final class Impl extends org.deeplearning4j.nn.graph.vertex.impl.MergeVertex {

		private long[] channels; // of each input in the last forward pass with several 5D inputs; null otherwise

		Impl(ComputationGraph graph, String name, int index, DataType dataType, int mergeAxis) {
			super(graph, name, index, dataType, mergeAxis);
		}

		@Override
		public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
			channels = null;
			if (inputs != null && inputs.length > 1 && inputs[0].rank() == 5) {
				channels = new long[inputs.length];
				for (int i = 0; i < inputs.length; i++) channels[i] = inputs[i].size(1);
			}
			return super.doForward(training, workspaceMgr);
		}

		@Override
		public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
			if (channels == null || epsilon == null) return super.doBackward(tbptt, workspaceMgr);
			INDArray[] out = new INDArray[channels.length];
			long from = 0;
			for (int i = 0; i < out.length; i++) { // each input's gradient is its run of channels of the merged gradient
				long[] shape = epsilon.shape().clone();
				shape[1] = channels[i];
				out[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), shape);
				out[i].assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + channels[i]), NDArrayIndex.all(),
						NDArrayIndex.all(), NDArrayIndex.all()));
				from += channels[i];
			}
			return new Pair<>(null, out);
		}
	}
}
