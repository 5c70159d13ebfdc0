package io.github.imagify.bioimageio;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import io.github.imagify.image.FloatImage;

/** The package's cover: network input and output side by side (2:1, as bioimage.io recommends), both in normalised units. */
final class Cover {

	private Cover() {}

	/** Values 0..1 (the input's percentile range) become 0..255; grey images are shown grey, three channels as RGB. */
	static byte[] png(FloatImage input, FloatImage output) throws IOException {
		int h = input.height(), w = input.width();
		BufferedImage image = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				image.setRGB(x, y, rgb(input, y, x));
				image.setRGB(w + x, y, rgb(output, y, x));
			}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (!ImageIO.write(image, "png", out)) throw new IOException("No PNG writer available for the cover image");
		return out.toByteArray();
	}

	private static int rgb(FloatImage image, int y, int x) {
		int r = byteOf(image.get(0, y, x));
		int g = image.channels() >= 3 ? byteOf(image.get(1, y, x)) : r;
		int b = image.channels() >= 3 ? byteOf(image.get(2, y, x)) : r;
		return r << 16 | g << 8 | b;
	}

	private static int byteOf(float v) {
		return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
	}
}
