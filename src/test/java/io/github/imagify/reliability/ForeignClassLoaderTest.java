package io.github.imagify.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.imagify.command.DenoiseCommand;
import io.github.imagify.command.TrainCommand;

/**
 * Fiji loads plugins with its own class loader, and the thread context class loader that commands run with
 * cannot see the plugin's jars; ND4J and DJL look their backends up through that context loader. A child JVM
 * (natives can be loaded by one class loader per JVM only) loads Imagify and its dependencies in a separate
 * class loader, runs a command with a context loader that sees none of them, and must still restore and train.
 */
class ForeignClassLoaderTest {

	@TempDir
	Path dir;

	/** Child main: args[0] = Imagify's class path (File.pathSeparator-separated), args[1] = a work folder. */
	public static final class Probe {
		public static void main(String[] args) throws Exception {
			List<URL> urls = new ArrayList<>();
			for (String entry : args[0].split(File.pathSeparator)) urls.add(Path.of(entry).toUri().toURL());
			ClassLoader blind = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
			try (URLClassLoader plugin = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
				Method run = plugin.loadClass(InsidePlugin.class.getName()).getMethod("run", String.class, ClassLoader.class);
				System.out.println("EXIT " + run.invoke(null, args[1], blind));
			}
			System.exit(0);
		}
	}

	/** Loaded by the separate "plugin" class loader: a SciJava context as Fiji makes it, then commands on a thread whose context loader is blind. */
	public static final class InsidePlugin {
		public static String run(String work, ClassLoader blind) throws Exception {
			Thread.currentThread().setContextClassLoader(InsidePlugin.class.getClassLoader()); // Fiji's context sees its plugins
			try (Context context = new Context()) {
				Thread.currentThread().setContextClassLoader(blind);
				Path dir = Path.of(work);
				String train = runHere(context, TrainCommand.class, Map.of("images", dir.resolve("clean").toString(), "model_out", dir.resolve("m.zip").toString(),
						"patch_size", 32, "batch_size", 2, "epochs", 1, "steps_per_epoch", 2, "depth", 2, "base_filters", 4));
				String denoise = runHere(context, DenoiseCommand.class, Map.of("input", dir.resolve("clean").resolve("img0.png").toString(),
						"output", dir.resolve("restored.tif").toString()));
				return "train=" + train + " denoise=" + denoise + " tccl-unchanged=" + (Thread.currentThread().getContextClassLoader() == blind);
			}
		}

		/** Runs a command on this very thread (a pool thread could have another context loader), as Fiji's legacy layer may. */
		private static String runHere(Context context, Class<? extends Command> type, Map<String, Object> inputs) {
			try {
				CommandInfo info = context.service(CommandService.class).getCommand(type);
				CommandModule module = (CommandModule) info.createModule();
				context.inject(module.getCommand());
				inputs.forEach(module::setInput);
				for (var item : info.inputs()) if (!inputs.containsKey(item.getName())) module.resolveInput(item.getName());
				module.run();
				return module.isCanceled() ? "cancelled(" + module.getCancelReason() + ")" : "ok";
			} catch (Exception | Error e) {
				return "failed(" + e + ")";
			}
		}
	}

	@Test
	void trainsAndRestoresWhenTheContextClassLoaderCannotSeeImagify() throws Exception {
		io.github.imagify.testing.TestImages.folder(dir, "clean", 2, 64, 1);
		List<String> all = expandedClassPath(), imagify = new ArrayList<>(), probe = new ArrayList<>();
		for (String entry : all) {
			if (entry.endsWith("test-classes")) probe.add(entry); // the probe's own class path: no Imagify, no dependencies
			if (!entry.contains("junit") && !entry.contains("opentest4j") && !entry.contains("apiguardian") && !entry.contains("surefire")) imagify.add(entry);
		}
		assertTrue(imagify.stream().anyMatch(e -> e.endsWith("classes")), all.toString());
		List<String> cmd = new ArrayList<>(io.github.imagify.testing.ChildJvm.command(Probe.class.getName(), String.join(File.pathSeparator, imagify), dir.toString()));
		cmd.set(cmd.indexOf("-cp") + 1, String.join(File.pathSeparator, probe));
		Path log = dir.resolve("probe.log");
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		assertTrue(p.waitFor(180, TimeUnit.SECONDS), "probe timed out");
		String out = Files.readString(log);
		assertTrue(out.contains("EXIT train=ok denoise=ok tccl-unchanged=true"), out);
		assertTrue(Files.isRegularFile(dir.resolve("m.zip")) && Files.isRegularFile(dir.resolve("restored.tif")), out);
	}

	/** The test class path; surefire may pass it as a manifest-only jar. */
	static List<String> expandedClassPath() throws Exception {
		List<String> out = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (entry.endsWith(".jar") && new File(entry).getName().startsWith("surefirebooter")) {
				try (JarFile jar = new JarFile(entry)) {
					Manifest m = jar.getManifest();
					for (String url : m.getMainAttributes().getValue("Class-Path").split(" "))
						if (!url.isBlank()) out.add(Path.of(new URL(url).toURI()).toString());
				}
			} else out.add(entry);
		}
		return out;
	}
}
