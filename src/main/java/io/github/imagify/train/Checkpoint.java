package io.github.imagify.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;

import io.github.imagify.io.AtomicFiles;

/**
 * Training state kept beside the model file ({@code <model_out>.checkpoint/}) so an interrupted run resumes.
 * <p>
 * Each epoch writes the network with its Adam state to {@code network-<epoch>.zip}, then {@code state.json}
 * naming that file: the state file is the commit point, written atomically, so a kill at any moment leaves
 * a complete, consistent checkpoint (the previous one if the kill came before the commit). With average_epochs,
 * the running sum of the averaged weights goes to {@code average-<epoch>.bin} before the commit as well.
 */
final class Checkpoint {

	/** What survives an interruption: where we are, the best so far, the settings (as JSON), the loss history. */
	record State(int epochsDone, double bestValidationLoss, int bestEpoch, double secondsSoFar, String settings,
			List<EpochResult> history, String networkFile, String averageFile, int averageFirstEpoch, int averageCount) {

		State(int epochsDone, double bestValidationLoss, int bestEpoch, double secondsSoFar, String settings,
				List<EpochResult> history, String networkFile) {
			this(epochsDone, bestValidationLoss, bestEpoch, secondsSoFar, settings, history, networkFile, null, 0, 0);
		}
	}

	private static final Gson GSON = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();
	private final Path folder;

	Checkpoint(Path modelOut) {
		this.folder = modelOut.toAbsolutePath().resolveSibling(modelOut.getFileName() + ".checkpoint");
	}

	Path folder() { return folder; }

	boolean exists() {
		return Files.isRegularFile(folder.resolve("state.json"));
	}

	void save(ComputationGraph graph, State state, WeightAverage average) throws IOException {
		Files.createDirectories(folder);
		String networkFile = "network-" + state.epochsDone() + ".zip";
		AtomicFiles.write(folder.resolve(networkFile), temp -> ModelSerializer.writeModel(graph, temp.toFile(), true));
		String averageFile = null;
		if (average.count() > 0) {
			averageFile = "average-" + state.epochsDone() + ".bin";
			AtomicFiles.write(folder.resolve(averageFile), temp -> Nd4j.saveBinary(average.sum(), temp.toFile()));
		}
		State committed = new State(state.epochsDone(), state.bestValidationLoss(), state.bestEpoch(), state.secondsSoFar(),
				state.settings(), state.history(), networkFile, averageFile, average.firstEpoch(), average.count());
		AtomicFiles.write(folder.resolve("state.json"), GSON.toJson(committed).getBytes(StandardCharsets.UTF_8));
		try (var files = Files.list(folder)) { // older networks and sums are no longer referenced
			for (Path p : files.toList()) {
				String n = p.getFileName().toString();
				if (n.startsWith("network-") && n.endsWith(".zip") && !n.equals(networkFile)) Files.deleteIfExists(p);
				if (n.startsWith("average-") && n.endsWith(".bin") && !n.equals(averageFile)) Files.deleteIfExists(p);
			}
		}
	}

	State loadState() throws IOException {
		String json = Files.readString(folder.resolve("state.json"), StandardCharsets.UTF_8);
		try {
			JsonObject o = JsonParser.parseString(json).getAsJsonObject();
			List<EpochResult> history = GSON.fromJson(o.get("history"), new TypeToken<List<EpochResult>>() {}.getType());
			boolean averaged = o.has("averageFile") && !o.get("averageFile").isJsonNull(); // absent in checkpoints without averaging
			return new State(o.get("epochsDone").getAsInt(), o.get("bestValidationLoss").getAsDouble(), o.get("bestEpoch").getAsInt(),
					o.get("secondsSoFar").getAsDouble(), o.get("settings").getAsString(), new ArrayList<>(history), o.get("networkFile").getAsString(),
					averaged ? o.get("averageFile").getAsString() : null, averaged ? o.get("averageFirstEpoch").getAsInt() : 0,
					averaged ? o.get("averageCount").getAsInt() : 0);
		} catch (RuntimeException e) {
			throw new IOException("Checkpoint " + folder + " is damaged (" + e.getMessage() + "); delete it or set restart=true", e);
		}
	}

	ComputationGraph loadNetwork(State state) throws IOException {
		Path file = folder.resolve(state.networkFile());
		if (!Files.isRegularFile(file))
			throw new IOException("Checkpoint " + folder + " lacks " + state.networkFile() + "; delete it or set restart=true");
		return ComputationGraph.load(file.toFile(), true);
	}

	/** The running sum of averaged weights the state names, or an empty average. */
	WeightAverage loadAverage(State state) throws IOException {
		if (state.averageFile() == null) return new WeightAverage();
		Path file = folder.resolve(state.averageFile());
		if (!Files.isRegularFile(file))
			throw new IOException("Checkpoint " + folder + " lacks " + state.averageFile() + "; delete it or set restart=true");
		return new WeightAverage(Nd4j.readBinary(file.toFile()), state.averageFirstEpoch(), state.averageCount());
	}

	void delete() throws IOException {
		if (!Files.isDirectory(folder)) return;
		try (var files = Files.list(folder)) {
			for (Path p : files.toList()) Files.deleteIfExists(p);
		}
		Files.deleteIfExists(folder);
	}
}
