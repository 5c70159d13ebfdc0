package io.github.imagify.modelfile;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.github.imagify.model.UNetSpec;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.TestModels;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;

/** The graph check's named cases: each gives one line that says what is wrong and what to do. */
class OnnxGraphCheckTest {

	static final ModelFile grey = TestModels.randomModel(1, 2, 4, 1);

	@Test
	void ourGraphsPassAndAreRebuiltFromTheirParts() throws IOException {
		byte[] checked = OnnxGraphCheck.check(grey.onnx(), grey.info());
		ModelProto original = ModelProto.parseFrom(grey.onnx()), rebuilt = ModelProto.parseFrom(checked);
		assertEquals(original.getGraph().getNodeList(), rebuilt.getGraph().getNodeList());
		assertEquals(original.getGraph().getInitializerList(), rebuilt.getGraph().getInitializerList());
		assertEquals("", rebuilt.getDocString(), "fields the check does not need are left out");
	}

	/** A blur pool's depthwise Conv (group = channels, weights [channels, 1, 3, 3]) passes; other groupings do not. */
	@Test
	void depthwiseConvolutionsPassAndOtherGroupsAreRefused() throws IOException {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0, true, 1.0).withBlurPool(true);
		ModelFile blurPool = TestModels.modelFile(TestModels.randomGraph(spec, 3), spec, "blur-pool");
		ModelProto rebuilt = ModelProto.parseFrom(OnnxGraphCheck.check(blurPool.onnx(), blurPool.info()));
		assertEquals(ModelProto.parseFrom(blurPool.onnx()).getGraph().getNodeList(), rebuilt.getGraph().getNodeList());
		assertRefused(edit(blurPool, g -> group(g, "enc1_blur", 4)), "has group 4 with weights [8, 1, 3, 3] for 8 channels");
		assertRefused(edit(blurPool, g -> group(g, "enc0_conv2", 4)), "has group 4 with weights [4, 4, 3, 3] for 4 channels");
		assertRefused(edit(blurPool, g -> group(g, "dec0_up", 4)), "(only depthwise: group = channels");
		assertRefused(edit(blurPool, g -> group(g, "enc0_blur", 1)), "has weights for 1 input channels but receives 4");
	}

	private static void group(GraphProto.Builder g, String node, long group) {
		NodeProto.Builder n = g.getNodeBuilderList().stream().filter(b -> b.getName().equals(node)).findFirst().orElseThrow();
		for (int i = 0; i < n.getAttributeCount(); i++)
			if (n.getAttribute(i).getName().equals("group")) n.removeAttribute(i);
		n.addAttribute(onnx.Onnx.AttributeProto.newBuilder().setName("group").setType(onnx.Onnx.AttributeProto.AttributeType.INT).setI(group));
	}

	@Test
	void aGraphForOtherChannelsIsRefusedAtLoad() {
		ModelFile rgbGraph = new ModelFile(grey.info(), TestModels.randomModel(3, 2, 4, 1).onnx());
		assertRefused(rgbGraph, "input takes 3 channels but imagify.json says 1");
	}

	@Test
	void wrongInputRankIsRefused() {
		assertRefused(edit(g -> g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().removeDim(0)),
				"input has rank 3 (4 is expected");
	}

	@Test
	void aFixedTileSizeIsRefused() {
		assertRefused(edit(g -> g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).setDimValue(64)),
				"fixed height or width");
	}

	@Test
	void anOutputWithOtherChannelsIsRefused() {
		assertRefused(edit(g -> g.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(1).setDimValue(2)),
				"output has 1 channels (declared 2)");
	}

	/** Found by fuzzing: ONNX Runtime 1.21 crashed the JVM (SIGSEGV) on this well-formed graph. */
	@Test
	void aBiasWiredInAsAKernelIsRefusedBeforeOnnxRuntime() {
		ModelFile m = edit(g -> {
			for (NodeProto.Builder n : g.getNodeBuilderList())
				if (n.getOpType().equals("ConvTranspose")) n.setInput(1, g.getInitializerList().stream()
						.filter(t -> t.getDimsCount() == 1).findFirst().orElseThrow().getName());
		});
		assertRefused(m, "needs 4D weights");
	}

	@Test
	void operatorsWeDoNotWriteAreRefused() {
		assertRefused(edit(g -> g.getNodeBuilder(0).setOpType("Loop")), "not an operator Imagify writes");
	}

	@Test
	void notAGraphTruncatedOrEmpty() {
		assertRefused(new ModelFile(grey.info(), "not onnx".getBytes()), "is not an ONNX graph");
		assertRefused(new ModelFile(grey.info(), Arrays.copyOf(grey.onnx(), grey.onnx().length / 2)), "model.onnx");
		assertRefused(new ModelFile(grey.info(), new byte[0]), "has no graph");
	}

	@Test
	void zipsThatLieOrOverflowAreRefused() throws IOException {
		// more entries than a model file has
		var many = new java.util.TreeMap<String, byte[]>();
		for (int i = 0; i <= ModelFile.MAX_ENTRIES; i++) many.put("junk" + i, new byte[1]);
		assertTrue(read(ModelFileFuzzTest.zip(many)).contains("holds more than"));
		// metadata beyond its limit, whatever the entry header says
		var big = new java.util.TreeMap<String, byte[]>();
		big.put(ModelFile.INFO_ENTRY, new byte[(int) ModelFile.MAX_INFO_BYTES + 1]);
		big.put(ModelFile.ONNX_ENTRY, grey.onnx());
		assertTrue(read(ModelFileFuzzTest.zip(big)).contains("larger than"));
	}

	@Test
	void metadataIsParsedStrictly() {
		String json = ModelFile.toJson(grey.info());
		for (String bad : new String[] { json.replace("\"channels\": 1", "\"channels\": 1, \"channels\": 3"),
				json.replace("\"channels\": 1", "\"channels\": NaN"), json + " trailing", "// comment\n" + json,
				json.replace("\"channels\": 1", "\"channels\": 1e999"), json.replace("\"channels\": 1", "\"channels\": " + "[".repeat(100_000)),
				json.replace("\"name\": \"", "\"name\": \"line\\n") }) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.fromJson(bad));
			assertFalse(e.getMessage().contains("\n"), e.getMessage());
		}
	}

	static String read(byte[] zip) {
		IOException e = assertThrows(IOException.class, () -> ModelFile.read(new ByteArrayInputStream(zip), "m.zip"));
		assertFalse(e.getMessage().contains("\n"), e.getMessage());
		return e.getMessage();
	}

	static ModelFile edit(Consumer<GraphProto.Builder> change) {
		return edit(grey, change);
	}

	static ModelFile edit(ModelFile model, Consumer<GraphProto.Builder> change) {
		try {
			ModelProto.Builder m = ModelProto.parseFrom(model.onnx()).toBuilder();
			change.accept(m.getGraphBuilder());
			return new ModelFile(model.info(), m.build().toByteArray());
		} catch (IOException e) {
			throw new AssertionError(e);
		}
	}

	static void assertRefused(ModelFile m, String part) {
		IOException e = assertThrows(IOException.class, () -> new Restorer(m, 32, 1).close());
		assertTrue(e.getMessage().contains(part) && e.getMessage().contains("use another model"), e.getMessage());
		assertFalse(e.getMessage().contains("\n"), e.getMessage());
	}
}
