package io.github.imagify.testing;

import java.lang.reflect.Field;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.ModuleItem;

import ij.ImagePlus;
import ij.Macro;
import ij.Menus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import io.github.imagify.cli.Main;

/**
 * What Fiji's legacy layer does when an ImageJ macro calls {@code run("Imagify Denoise", "key=value ...")}, for
 * tests with ImageJ's real macro interpreter: ImageJ's {@code IJ.run} finds this plug-in under the command's name
 * (registered by {@link #register}), on the macro's thread, with the macro's options; it fills the command's
 * inputs the way imagej-legacy's MacroPreprocessor and ActiveImagePlusPreprocessor do (each input's key read with
 * {@code Macro.getValue}, an ImagePlus input from the active image), runs the SciJava command on a SciJava thread
 * and waits for it.
 */
public class LegacyBridge implements PlugIn {

	private static Context context;

	/** Makes ImageJ's {@code run("name", ...)} reach the SciJava command of that name in {@code context}. */
	@SuppressWarnings("unchecked")
	public static void register(Context context, String... names) throws ReflectiveOperationException {
		LegacyBridge.context = context;
		Hashtable<String, String> commands = Menus.getCommands();
		if (commands == null) { // headless ImageJ builds no menus: give IJ.run its command table
			Field table = Menus.class.getDeclaredField("pluginsTable");
			table.setAccessible(true);
			table.set(null, commands = new Hashtable<>());
		}
		for (String name : names) commands.put(name, LegacyBridge.class.getName() + "(\"" + name + "\")");
	}

	/**
	 * A SciJava context whose commands {@code names} ImageJ's {@code run()} reaches, collecting the error lines
	 * they log into {@code errors}.
	 */
	public static Context fiji(List<String> errors, String... names) throws ReflectiveOperationException {
		Context context = new Context();
		context.service(LogService.class).addLogListener(m -> {
			if (m.level() == LogLevel.ERROR) errors.add(m.text());
		});
		register(context, names);
		return context;
	}

	@Override
	public void run(String name) {
		String options = Macro.getOptions();
		CommandService commands = context.service(CommandService.class);
		ConvertService convert = context.service(ConvertService.class);
		CommandInfo info = Main.find(commands, name);
		Map<String, Object> inputs = new LinkedHashMap<>();
		for (ModuleItem<?> input : info.inputs()) {
			if (input.getType() == ImagePlus.class) {
				if (WindowManager.getCurrentImage() != null) inputs.put(input.getName(), WindowManager.getCurrentImage());
				continue;
			}
			String value = options == null ? null : Macro.getValue(options, input.getName(), null);
			if (value != null && convert.supports(value, input.getType())) inputs.put(input.getName(), convert.convert(value, input.getType()));
		}
		try {
			commands.run(info, true, inputs).get();
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}
}
