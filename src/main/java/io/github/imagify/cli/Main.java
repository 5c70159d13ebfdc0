package io.github.imagify.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.parse.ParseService;

/**
 * Runs Imagify's commands without Fiji, with the syntax of Fiji's headless launcher:
 * <pre>java -jar imagify.jar --run "Imagify Denoise" "input='a.tif',output='b.tif'"</pre>
 * Exit code 0 on success, 1 when the command failed (its one-line reason on stderr), 2 on bad usage.
 */
public final class Main {

	private Main() {}

	public static void main(String[] args) {
		System.setProperty("java.awt.headless", "true");
		System.setProperty("slf4j.internal.verbosity", "ERROR"); // no "no SLF4J providers" banner on every run
		System.exit(run(args));
	}

	public static int run(String[] args) {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
			System.out.println(usage());
			return args.length == 0 ? 2 : 0;
		}
		if (!args[0].equals("--run") || args.length < 2 || args.length > 3) {
			System.err.println("Usage error: expected --run \"<command>\" \"key='value',...\"\n" + usage());
			return 2;
		}
		try (Context context = new Context(CommandService.class, ParseService.class, LogService.class,
				org.scijava.app.StatusService.class)) {
			CommandService commands = context.service(CommandService.class);
			CommandInfo info = find(commands, args[1]);
			if (info == null) {
				System.err.println("No command named '" + args[1] + "'; available: " + String.join(", ", names(commands)));
				return 2;
			}
			Map<String, Object> inputs = new LinkedHashMap<>();
			if (args.length == 3 && !args[2].isBlank())
				inputs.putAll(context.service(ParseService.class).parse(args[2], false).asMap());
			for (Map.Entry<String, Object> e : inputs.entrySet()) {
				ModuleItem<?> item = info.getInput(e.getKey());
				if (item == null) {
					System.err.println("'" + args[1] + "' has no key '" + e.getKey() + "'; its keys: " + keys(info));
					return 2;
				}
				String problem = typeProblem(item.getType(), e.getValue());
				if (problem != null) {
					System.err.println("'" + e.getKey() + "' " + problem + ", got '" + e.getValue() + "'");
					return 2;
				}
			}
			// Commands log their failure as an error line; print the cancel reason only if it was not logged already.
			java.util.Set<String> logged = java.util.concurrent.ConcurrentHashMap.newKeySet();
			context.service(LogService.class).addLogListener(message -> {
				if (message.level() == LogLevel.ERROR) logged.add(message.text());
			});
			CommandModule module = commands.run(info, true, inputs).get();
			if (module.isCanceled()) {
				String reason = module.getCancelReason() == null ? args[1] + " was cancelled" : module.getCancelReason();
				if (!logged.contains(reason)) System.err.println(reason);
				return 1;
			}
			return 0;
		} catch (ExecutionException e) {
			Throwable cause = e.getCause() == null ? e : e.getCause();
			System.err.println(args[1] + " failed: " + cause);
			return 1;
		} catch (Exception e) {
			System.err.println(args[1] + " failed: " + e);
			return 1;
		}
	}

	/** SciJava would silently turn 'abc' into 0 for a number key: refuse values of the wrong kind instead. */
	static String typeProblem(Class<?> type, Object value) {
		Class<?> t = org.scijava.util.Types.box(type);
		if (Number.class.isAssignableFrom(t)) {
			if (value instanceof Number) return null;
			try {
				Double.parseDouble(String.valueOf(value).trim());
				return null;
			} catch (NumberFormatException e) {
				return "expects a number";
			}
		}
		if (t == Boolean.class && !(value instanceof Boolean) && !String.valueOf(value).matches("(?i)true|false"))
			return "expects true or false";
		return null;
	}

	/** Matches Fiji's --run: the command's label (its menu entry), case-insensitively as a fallback. */
	public static CommandInfo find(CommandService commands, String name) {
		String wanted = name.trim();
		CommandInfo loose = null;
		for (CommandInfo info : commands.getCommands()) {
			String label = info.getMenuPath() != null && info.getMenuPath().getLeaf() != null ? info.getMenuPath().getLeaf().getName() : info.getLabel();
			if (wanted.equals(label) || wanted.equals(info.getLabel())) return info;
			if (wanted.equalsIgnoreCase(label)) loose = info;
		}
		return loose;
	}

	private static List<String> names(CommandService commands) {
		return commands.getCommands().stream().filter(i -> i.getClassName().startsWith("io.github.imagify."))
				.map(i -> i.getMenuPath().getLeaf().getName()).sorted().toList();
	}

	private static String keys(CommandInfo info) {
		StringBuilder sb = new StringBuilder();
		for (ModuleItem<?> item : info.inputs())
			if (!item.getType().getName().startsWith("org.scijava.")) sb.append(sb.length() == 0 ? "" : ", ").append(item.getName());
		return sb.toString();
	}

	static String usage() {
		return """
				Imagify: image restoration with a U-Net (train with Deeplearning4j, restore with ONNX Runtime).
				Usage: java -jar imagify.jar --run "<command>" "key='value',key2=number,..."
				Commands: Imagify Denoise, Imagify Train, Imagify Evaluate, Imagify Export
				Examples:
				  java -jar imagify.jar --run "Imagify Denoise" "input='noisy.tif',output='restored.tif'"
				  java -jar imagify.jar --run "Imagify Denoise" "input='in-folder',output='out-folder',model='my-model.zip'"
				  java -jar imagify.jar --run "Imagify Denoise" "input='in-folder',output='out-folder',shard='2/4'"   (part 2 of 4, for job arrays)
				  java -jar imagify.jar --run "Imagify Train" "images='clean-folder',model_out='my-model.zip',epochs=20"
				  java -jar imagify.jar --run "Imagify Evaluate" "images='clean-folder',noise_sigma=25,compare=true,output='scores.csv'"
				  java -jar imagify.jar --run "Imagify Export" "model='my-model.zip',output='my-model.bioimageio.zip'"
				The keys are those of Fiji's: ImageJ-linux64 --headless --run "Imagify Denoise" "...".""";
	}
}
