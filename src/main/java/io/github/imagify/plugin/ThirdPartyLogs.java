package io.github.imagify.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engines' own log lines out of the user's log: under Fiji (an SLF4J provider at INFO), every restore
 * printed DJL's "CUDA is not supported" and "Onnx extension not found in classpath.", and every training run
 * ND4J's 14-line banner. Their loggers are set to ERROR in whichever provider is present: logback (Fiji's),
 * slf4j-simple (by its system properties, read when a logger is first made) and java.util.logging (ONNX
 * Runtime's Java API, slf4j-jdk14). What matters to the user (natives missing, no oneDNN helper) Imagify says itself.
 */
public final class ThirdPartyLogs {

	/** The logger hierarchies of DJL, ONNX Runtime, ND4J/DL4J and JavaCPP. */
	static final List<String> ENGINES = List.of("ai.djl", "ai.onnxruntime", "org.nd4j", "org.deeplearning4j", "org.eclipse.deeplearning4j",
			"org.bytedeco");

	/** java.util.logging holds loggers weakly: a level set on one that is collected is lost. */
	private static final List<java.util.logging.Logger> KEPT = new ArrayList<>();
	private static boolean quiet;

	private ThirdPartyLogs() {}

	/** Idempotent; call before the engines' classes first log. */
	public static synchronized void quiet() {
		if (quiet) return;
		quiet = true;
		for (String name : ENGINES) {
			if (System.getProperty("org.slf4j.simpleLogger.log." + name) == null) System.setProperty("org.slf4j.simpleLogger.log." + name, "error");
			java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
			jul.setLevel(Level.SEVERE);
			KEPT.add(jul);
			setLogbackLevel(LoggerFactory.getLogger(name), "ERROR");
		}
	}

	/** Logback's Logger.setLevel, by reflection: Imagify does not depend on logback, Fiji brings it. */
	static void setLogbackLevel(Logger logger, String level) {
		try {
			Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", false, logger.getClass().getClassLoader());
			logger.getClass().getMethod("setLevel", levelClass).invoke(logger, levelClass.getField(level).get(null));
		} catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
			// another provider, or none: nothing to set here
		}
	}
}
