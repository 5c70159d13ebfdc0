package io.github.imagify.classic;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import io.github.imagify.image.FloatImage;

/**
 * BM3D (Dabov, Foi, Katkovnik and Egiazarian, "Image denoising by sparse 3D transform-domain collaborative
 * filtering", IEEE TIP 16(8), 2007) for grey images and CBM3D (Dabov et al., "Color image denoising via sparse 3D
 * collaborative filtering with grouping constraint in luminance-chrominance space", ICIP 2007) for RGB.
 * <p>
 * Stage 1 groups similar blocks of the noisy image, hard-thresholds the group's 3D spectrum and aggregates the
 * blocks with weights 1 / (sigma^2 * nonzero coefficients) and a Kaiser window; stage 2 regroups on that basic
 * estimate and Wiener-filters the noisy groups with the basic groups' spectrum as the oracle. Parameters are the
 * paper's normal profile ({@code HT_NORMAL} and the others below). Transforms as in the authors' code: on the
 * blocks, the bior1.5 wavelet in stage 1 up to sigma 40 (8x8 blocks) and the orthonormal 2D DCT otherwise; along
 * the group, the orthonormal Haar transform, whose size is the largest power of two not above the number of
 * matches.
 * Blocks lie inside the image (search windows are cut at the border) and the last block row and column are
 * always reference positions, so every pixel is estimated. The authors' speed-up of a larger step after groups
 * with few nonzero coefficients is left out: every grid position is a reference block. For speed the spectra of
 * all blocks are computed once per stage, which holds N1^2 floats per pixel and channel (twice in stage 2).
 * <p>
 * Colour: RGB goes to the opponent space Y = (R+G+B)/3, U = (R-B)/2, V = (R-2G+B)/4 of the CBM3D code; blocks are
 * matched on Y only and every channel is filtered with those groups, each with its own noise level
 * sigma * ||row of the transform|| and its own aggregation weights.
 */
public final class Bm3d {

	private Bm3d() {}

	/**
	 * One stage's parameters; thresholds as in the paper, for grey levels 0..255.
	 *
	 * @param block     side N1 of the square blocks
	 * @param step      distance between reference blocks
	 * @param maxGroup  N2, the most blocks in a group
	 * @param search    side NS of the search window, centred on the reference block
	 * @param tauMatch  the largest mean squared block difference ||Z_R - Z_x||^2 / N1^2 that still matches
	 * @param lambda2d  stage 1 only: matching compares 2D spectra hard-thresholded at lambda2d * sigma (0: none)
	 * @param lambda3d  stage 1 only: the group's 3D spectrum is hard-thresholded at lambda3d * sigma
	 * @param wavelet   whether the blocks' 2D transform is bior1.5 ({@link #bior15Matrix}) rather than the DCT
	 */
	record Stage(int block, int step, int maxGroup, int search, double tauMatch, double lambda2d, double lambda3d,
			boolean wavelet) {

		/** The blocks' 1D transform: forward (rows give the coefficients) and inverse matrices. */
		double[][][] transform() {
			if (!wavelet) {
				double[][] dct = dctMatrix(block);
				return new double[][][] { dct, transpose(dct) };
			}
			double[][] forward = bior15Matrix(block);
			return new double[][][] { forward, invert(forward) };
		}
	}

	/** The paper's normal profile, sigma &lt;= 40: hard thresholding and Wiener stage. */
	static final Stage HT_NORMAL = new Stage(8, 3, 16, 39, 3000, 0, 2.7, true),
			WIENER_NORMAL = new Stage(8, 3, 32, 39, 400, 0, 0, false);
	/**
	 * The paper's normal profile, sigma &gt; 40: larger blocks and a prefilter on the matching distance, because
	 * the noise swamps the plain distance (the authors' later code replaces this with Hou et al.'s 2010 variant).
	 */
	static final Stage HT_STRONG = new Stage(12, 4, 16, 39, 5000, 2.0, 2.8, false),
			WIENER_STRONG = new Stage(11, 6, 32, 39, 3500, 0, 0, false);
	/** Kaiser window parameter of the aggregation, both stages. */
	static final double KAISER_BETA = 2.0;

	/** Whether {@link #denoise} takes this image at every sigma: grey or RGB, and room for the largest block (12x12). */
	public static boolean accepts(FloatImage in) {
		return (in.channels() == 1 || in.channels() == 3) && Math.min(in.height(), in.width()) >= HT_STRONG.block();
	}

	/** {@link #denoise(FloatImage, double, double)} for images whose grey levels span 0..255. */
	public static FloatImage denoise(FloatImage in, double sigma) {
		return denoise(in, sigma, 255);
	}

	/**
	 * @param in        a grey (1 channel) or RGB (3 channels) image
	 * @param sigma     the noise's standard deviation in the image's units (per RGB channel for colour)
	 * @param dataRange the image's intensity range (255 for 8-bit): BM3D's matching thresholds and the choice of
	 *                  profile are defined for grey levels 0..255 and are scaled to it
	 */
	public static FloatImage denoise(FloatImage in, double sigma, double dataRange) {
		if (!(sigma >= 0) || Double.isInfinite(sigma))
			throw new IllegalArgumentException("BM3D sigma must be finite and >= 0, got " + sigma);
		if (!(dataRange > 0) || Double.isInfinite(dataRange))
			throw new IllegalArgumentException("BM3D data range must be finite and > 0, got " + dataRange);
		int c = in.channels(), h = in.height(), w = in.width();
		if (c != 1 && c != 3) throw new IllegalArgumentException("BM3D takes grey or RGB images, got " + c + " channels");
		if (sigma == 0) return in.copy(); // both stages tend to the identity as sigma -> 0
		boolean strong = sigma * 255 / dataRange > 40;
		Stage ht = strong ? HT_STRONG : HT_NORMAL, wiener = strong ? WIENER_STRONG : WIENER_NORMAL;
		int side = Math.max(ht.block(), wiener.block());
		if (h < side || w < side)
			throw new IllegalArgumentException("BM3D needs an image of at least " + side + "x" + side + " pixels, got " + w + "x" + h);
		double unit2 = (dataRange / 255) * (dataRange / 255);
		float[][] noisy = c == 1 ? new float[][] { in.data() } : toOpponent(in); // only read
		double[] sigmas = new double[c];
		for (int ch = 0; ch < c; ch++) sigmas[ch] = c == 1 ? sigma : sigma * OPPONENT_NORMS[ch];
		float[][] basic = hardThresholding(noisy, h, w, ht, sigmas, ht.tauMatch() * unit2);
		float[][] estimate = wiener(noisy, basic, h, w, wiener, sigmas, wiener.tauMatch() * unit2);
		if (c == 1) return new FloatImage(1, h, w, estimate[0]);
		return fromOpponent(estimate, h, w);
	}

	/** Opponent colour transform of the CBM3D code: rows give Y, U, V from R, G, B. */
	private static final double[][] OPPONENT = { { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, { 0.5, 0, -0.5 }, { 0.25, -0.5, 0.25 } };
	/** Noise in each opponent channel: sigma times the row's L2 norm, for independent noise of sigma per RGB channel. */
	private static final double[] OPPONENT_NORMS = { Math.sqrt(1 / 3.0), Math.sqrt(0.5), Math.sqrt(0.375) };

	private static float[][] toOpponent(FloatImage rgb) {
		int n = rgb.planeSize();
		float[] d = rgb.data();
		float[][] out = new float[3][n];
		for (int i = 0; i < n; i++)
			for (int o = 0; o < 3; o++)
				out[o][i] = (float) (OPPONENT[o][0] * d[i] + OPPONENT[o][1] * d[n + i] + OPPONENT[o][2] * d[2 * n + i]);
		return out;
	}

	private static FloatImage fromOpponent(float[][] yuv, int h, int w) {
		FloatImage out = new FloatImage(3, h, w);
		float[] d = out.data();
		int n = h * w;
		for (int i = 0; i < n; i++) {
			double y = yuv[0][i], u = yuv[1][i], v = yuv[2][i];
			d[i] = (float) (y + u + 2 * v / 3);
			d[n + i] = (float) (y - 4 * v / 3);
			d[2 * n + i] = (float) (y - u + 2 * v / 3);
		}
		return out;
	}

	/** Stage 1: groups matched on the noisy luminance, 3D hard thresholding. */
	private static float[][] hardThresholding(float[][] noisy, int h, int w, Stage p, double[] sigmas, double tau) {
		int n = p.block(), k = n * n;
		double[][][] transform = p.transform();
		Spectra[] spectra = new Spectra[noisy.length];
		for (int ch = 0; ch < noisy.length; ch++) spectra[ch] = new Spectra(noisy[ch], h, w, transform[0]);
		float prefilter = (float) (p.lambda2d() * sigmas[0]);
		return collaborate(h, w, p, spectra[0], tau, prefilter, noisy.length, group -> {
			int size = group.length;
			float[][] blocks = new float[noisy.length][];
			double[] weights = new double[noisy.length];
			float[] tmp = new float[size * k];
			double[] scratch = new double[k];
			for (int ch = 0; ch < noisy.length; ch++) {
				float[] g = spectra[ch].gather(group);
				haar(g, size, k, tmp);
				float threshold = (float) (p.lambda3d() * sigmas[ch]);
				int kept = 0;
				for (int i = 0; i < g.length; i++)
					if (Math.abs(g[i]) > threshold) kept++;
					else g[i] = 0;
				inverseHaar(g, size, k, tmp);
				for (int j = 0; j < size; j++) inverse2d(g, j * k, n, transform[1], scratch);
				blocks[ch] = g;
				// fewer surviving coefficients = less residual noise in the estimate, so more weight
				weights[ch] = kept > 0 ? 1 / (sigmas[ch] * sigmas[ch] * kept) : 1;
			}
			return new Filtered(group, blocks, weights);
		});
	}

	/** Stage 2: groups matched on the basic estimate's luminance, empirical Wiener filter with its spectrum. */
	private static float[][] wiener(float[][] noisy, float[][] basic, int h, int w, Stage p, double[] sigmas, double tau) {
		int n = p.block(), k = n * n;
		double[][][] transform = p.transform();
		Spectra[] noisySpectra = new Spectra[noisy.length], basicSpectra = new Spectra[noisy.length];
		for (int ch = 0; ch < noisy.length; ch++) {
			noisySpectra[ch] = new Spectra(noisy[ch], h, w, transform[0]);
			basicSpectra[ch] = new Spectra(basic[ch], h, w, transform[0]);
		}
		return collaborate(h, w, p, basicSpectra[0], tau, 0, noisy.length, group -> {
			int size = group.length;
			float[][] blocks = new float[noisy.length][];
			double[] weights = new double[noisy.length];
			float[] tmp = new float[size * k];
			double[] scratch = new double[k];
			for (int ch = 0; ch < noisy.length; ch++) {
				float[] g = noisySpectra[ch].gather(group), oracle = basicSpectra[ch].gather(group);
				haar(g, size, k, tmp);
				haar(oracle, size, k, tmp);
				double s2 = sigmas[ch] * sigmas[ch], energy = 0;
				for (int i = 0; i < g.length; i++) {
					double b2 = (double) oracle[i] * oracle[i], shrink = b2 / (b2 + s2);
					g[i] *= (float) shrink;
					energy += shrink * shrink;
				}
				inverseHaar(g, size, k, tmp);
				for (int j = 0; j < size; j++) inverse2d(g, j * k, n, transform[1], scratch);
				blocks[ch] = g;
				// sigma^2 ||w||^2 is the residual noise variance of the group's estimate
				weights[ch] = energy > 0 ? 1 / (s2 * energy) : 1;
			}
			return new Filtered(group, blocks, weights);
		});
	}

	/**
	 * A group's estimate: its block indices (row-major over block positions), per channel the filtered blocks
	 * (group.length x N1^2 pixels) and the aggregation weight.
	 */
	private record Filtered(int[] group, float[][] blocks, double[] weights) {}

	@FunctionalInterface
	private interface GroupFilter {
		Filtered apply(int[] group);
	}

	/**
	 * Runs block matching and {@code filter} for every reference block, then aggregates: a Kaiser-windowed,
	 * weighted average of all block estimates per pixel. Rows of reference blocks are filtered in parallel a
	 * batch at a time and aggregated in row order, so the result does not depend on the thread count.
	 */
	private static float[][] collaborate(int h, int w, Stage p, Spectra match, double tau, float prefilter, int channels,
			GroupFilter filter) {
		int n = p.block(), k = n * n, nbx = w - n + 1;
		int[] ys = referencePositions(h - n, p.step()), xs = referencePositions(w - n, p.step());
		float[] window = kaiser2d(n, KAISER_BETA);
		double[][] num = new double[channels][h * w], den = new double[channels][h * w];
		// the distance bound as a sum over the block's N1^2 coefficients
		float bound = (float) (tau * k);
		int batch = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
		for (int r0 = 0; r0 < ys.length; r0 += batch) {
			List<Filtered[]> rows = IntStream.range(r0, Math.min(ys.length, r0 + batch)).parallel().mapToObj(r -> {
				Matcher matcher = new Matcher(match, p, h, w, bound, prefilter);
				Filtered[] row = new Filtered[xs.length];
				for (int i = 0; i < xs.length; i++) row[i] = filter.apply(matcher.match(ys[r], xs[i]));
				return row;
			}).toList();
			for (Filtered[] row : rows)
				for (Filtered f : row)
					for (int ch = 0; ch < channels; ch++) {
						double wt = f.weights()[ch];
						float[] blocks = f.blocks()[ch];
						for (int j = 0; j < f.group().length; j++) {
							int by = f.group()[j] / nbx, bx = f.group()[j] % nbx;
							for (int y = 0; y < n; y++) {
								int o = (by + y) * w + bx, b = j * k + y * n;
								for (int x = 0; x < n; x++) {
									double ww = wt * window[y * n + x];
									num[ch][o + x] += ww * blocks[b + x];
									den[ch][o + x] += ww;
								}
							}
						}
					}
		}
		float[][] out = new float[channels][h * w];
		for (int ch = 0; ch < channels; ch++)
			for (int i = 0; i < h * w; i++) out[ch][i] = (float) (num[ch][i] / den[ch][i]);
		return out;
	}

	/** 0, step, 2 step, ... up to {@code last}, and {@code last} itself so that the far border is covered. */
	static int[] referencePositions(int last, int step) {
		int n = last / step + 1;
		boolean extra = (n - 1) * step != last;
		int[] out = new int[n + (extra ? 1 : 0)];
		for (int i = 0; i < n; i++) out[i] = i * step;
		if (extra) out[n] = last;
		return out;
	}

	/** The separable 2D transform of every N1 x N1 block of a plane (every position), computed once per stage. */
	private static final class Spectra {
		final int k, nbx;
		/** Block (by, bx) has its N1^2 coefficients at (by * nbx + bx) * N1^2, vertical frequency major. */
		final float[] coefs;

		Spectra(float[] plane, int h, int w, double[][] forward) {
			int n = forward.length, nby = h - n + 1;
			k = n * n;
			nbx = w - n + 1;
			coefs = new float[Math.multiplyExact(Math.multiplyExact(nby, nbx), k)];
			// separable: the 1D transform (rows of forward) of every row segment once, then down the columns of each block
			float[] rows = new float[Math.multiplyExact(h, nbx * n)];
			IntStream.range(0, h).parallel().forEach(y -> {
				for (int bx = 0; bx < nbx; bx++)
					for (int u = 0; u < n; u++) {
						double s = 0;
						for (int x = 0; x < n; x++) s += forward[u][x] * plane[y * w + bx + x];
						rows[(y * nbx + bx) * n + u] = (float) s;
					}
			});
			IntStream.range(0, nby).parallel().forEach(by -> {
				for (int bx = 0; bx < nbx; bx++) {
					int o = (by * nbx + bx) * k;
					for (int v = 0; v < n; v++)
						for (int u = 0; u < n; u++) {
							double s = 0;
							for (int y = 0; y < n; y++) s += forward[v][y] * rows[((by + y) * nbx + bx) * n + u];
							coefs[o + v * n + u] = (float) s;
						}
				}
			});
		}

		/** The spectra of the group's blocks, one after another. */
		float[] gather(int[] group) {
			float[] g = new float[group.length * k];
			for (int j = 0; j < group.length; j++) System.arraycopy(coefs, group[j] * k, g, j * k, k);
			return g;
		}
	}

	/**
	 * Full-search block matching: the blocks in the search window closest to the reference block, at most N2 and
	 * within the distance bound. The reference block is always first; ties go to the block met first in raster
	 * order, so the result is deterministic. Distances are summed over the 2D spectra, as the paper defines them
	 * (for the DCT, which is orthonormal, that is the pixel distance unless the prefilter thresholds them).
	 */
	private static final class Matcher {
		private final Spectra spectra;
		private final int n, radius, maxGroup, lastY, lastX;
		private final float bound, prefilter;
		private final int[] best;
		private final float[] dist, ref;

		Matcher(Spectra spectra, Stage p, int h, int w, float bound, float prefilter) {
			this.spectra = spectra;
			n = p.block();
			radius = p.search() / 2;
			maxGroup = p.maxGroup();
			lastY = h - n;
			lastX = w - n;
			this.bound = bound;
			this.prefilter = prefilter;
			best = new int[maxGroup];
			dist = new float[maxGroup];
			ref = new float[n * n];
		}

		/** The group of the block at (ry, rx): block indices, as many as the largest power of two matched. */
		int[] match(int ry, int rx) {
			int k = n * n, nbx = spectra.nbx, refIndex = ry * nbx + rx;
			float[] c = spectra.coefs;
			for (int q = 0; q < k; q++) ref[q] = thresholded(c[refIndex * k + q]);
			best[0] = refIndex;
			dist[0] = 0;
			int count = 1;
			for (int y = Math.max(0, ry - radius); y <= Math.min(lastY, ry + radius); y++)
				for (int x = Math.max(0, rx - radius); x <= Math.min(lastX, rx + radius); x++) {
					int index = y * nbx + x;
					if (index == refIndex) continue;
					boolean full = count == maxGroup;
					float limit = full ? Math.min(bound, dist[maxGroup - 1]) : bound;
					float d = 0;
					// give up on a candidate as soon as a block row takes it past the limit
					for (int q = 0, o = index * k; q < k && d <= limit; q += n)
						for (int i = q; i < q + n; i++) {
							float diff = ref[i] - thresholded(c[o + i]);
							d += diff * diff;
						}
					if (d > limit || full && d >= limit) continue;
					int pos = Math.min(count, maxGroup - 1);
					for (; pos > 0 && dist[pos - 1] > d; pos--) {
						best[pos] = best[pos - 1];
						dist[pos] = dist[pos - 1];
					}
					best[pos] = index;
					dist[pos] = d;
					if (!full) count++;
				}
			return Arrays.copyOf(best, Integer.highestOneBit(count));
		}

		private float thresholded(float v) {
			return Math.abs(v) > prefilter ? v : 0;
		}
	}

	/** Orthonormal DCT-II matrix: row u is the u-th basis vector. */
	static double[][] dctMatrix(int n) {
		double[][] m = new double[n][n];
		for (int u = 0; u < n; u++)
			for (int x = 0; x < n; x++)
				m[u][x] = Math.sqrt((u == 0 ? 1.0 : 2.0) / n) * Math.cos(Math.PI * (2 * x + 1) * u / (2.0 * n));
		return m;
	}

	/**
	 * The bior1.5 wavelet transform of an n-point signal (n a power of two), as the authors' code builds it: MATLAB's
	 * {@code wavedec} with periodic extension ({@code dwtmode('per')}) to the full log2(n) levels, coefficients
	 * ordered coarse to fine, each basis row then scaled to unit norm. The rows are not orthogonal (the wavelet is
	 * biorthogonal), so the inverse is the inverse matrix, not the transpose.
	 */
	static double[][] bior15Matrix(int n) {
		if (n < 2 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("bior1.5 needs a power of two, got " + n);
		double[][] m = new double[n][];
		for (int x = 0; x < n; x++) { // column x: the transform of the unit vector e_x
			double[] approx = new double[n], column = new double[n];
			approx[x] = 1;
			for (int len = n; len > 1; len /= 2) {
				double[] lo = periodicAnalysis(approx, len, BIOR15_LOW), hi = periodicAnalysis(approx, len, BIOR15_HIGH);
				System.arraycopy(hi, 0, column, len / 2, len / 2); // details of this level after the coarser ones
				approx = lo;
			}
			column[0] = approx[0];
			m[x] = column;
		}
		double[][] rows = transpose(m);
		for (double[] row : rows) {
			double norm = 0;
			for (double v : row) norm += v * v;
			norm = Math.sqrt(norm);
			for (int i = 0; i < n; i++) row[i] /= norm;
		}
		return rows;
	}

	/** bior1.5 analysis filters (MATLAB's Lo_D and Hi_D; the synthesis low-pass is Haar's). */
	private static final double[] BIOR15_LOW = scaled(Math.sqrt(2) / 256, 3, -3, -22, 22, 128, 128, 22, -22, -3, 3),
			BIOR15_HIGH = scaled(Math.sqrt(2) / 256, 0, 0, 0, 0, -128, 128, 0, 0, 0, 0);

	private static double[] scaled(double factor, double... values) {
		for (int i = 0; i < values.length; i++) values[i] *= factor;
		return values;
	}

	/** One level of the periodised DWT of the first {@code len} values: len / 2 filtered, downsampled values. */
	private static double[] periodicAnalysis(double[] signal, int len, double[] filter) {
		int f = filter.length;
		double[] out = new double[len / 2];
		for (int k = 0; k < len / 2; k++)
			for (int j = 0; j < f; j++) out[k] += filter[j] * signal[Math.floorMod(f / 2 + 2 * k - j, len)];
		return out;
	}

	static double[][] transpose(double[][] m) {
		double[][] t = new double[m[0].length][m.length];
		for (int i = 0; i < m.length; i++)
			for (int j = 0; j < m[0].length; j++) t[j][i] = m[i][j];
		return t;
	}

	/** The inverse of a small square matrix, by Gauss-Jordan elimination with partial pivoting. */
	static double[][] invert(double[][] matrix) {
		int n = matrix.length;
		double[][] a = new double[n][], inv = new double[n][n];
		for (int i = 0; i < n; i++) {
			a[i] = matrix[i].clone();
			inv[i][i] = 1;
		}
		for (int col = 0; col < n; col++) {
			int pivot = col;
			for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
			if (Math.abs(a[pivot][col]) < 1e-12) throw new IllegalArgumentException("singular matrix");
			double[] t = a[col]; a[col] = a[pivot]; a[pivot] = t;
			t = inv[col]; inv[col] = inv[pivot]; inv[pivot] = t;
			double d = a[col][col];
			for (int j = 0; j < n; j++) {
				a[col][j] /= d;
				inv[col][j] /= d;
			}
			for (int r = 0; r < n; r++) {
				if (r == col || a[r][col] == 0) continue;
				double factor = a[r][col];
				for (int j = 0; j < n; j++) {
					a[r][j] -= factor * a[col][j];
					inv[r][j] -= factor * inv[col][j];
				}
			}
		}
		return inv;
	}

	/** Replaces the n x n spectrum at {@code off} in {@code g} by its pixels: inverse * spectrum * inverse'. */
	private static void inverse2d(float[] g, int off, int n, double[][] inverse, double[] scratch) {
		for (int y = 0; y < n; y++)
			for (int u = 0; u < n; u++) {
				double s = 0;
				for (int v = 0; v < n; v++) s += inverse[y][v] * g[off + v * n + u];
				scratch[y * n + u] = s;
			}
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				double s = 0;
				for (int u = 0; u < n; u++) s += inverse[x][u] * scratch[y * n + u];
				g[off + y * n + x] = (float) s;
			}
	}

	private static final float SQRT_HALF = (float) Math.sqrt(0.5);

	/**
	 * Orthonormal Haar transform, full decomposition, along the group: {@code size} (a power of two) vectors of
	 * {@code k} values each, transformed elementwise across the vectors.
	 */
	static void haar(float[] g, int size, int k, float[] tmp) {
		for (int len = size; len > 1; len >>= 1) {
			int half = len >> 1;
			for (int i = 0; i < half; i++)
				for (int q = 0; q < k; q++) {
					float a = g[2 * i * k + q], b = g[(2 * i + 1) * k + q];
					tmp[i * k + q] = (a + b) * SQRT_HALF;
					tmp[(half + i) * k + q] = (a - b) * SQRT_HALF;
				}
			System.arraycopy(tmp, 0, g, 0, len * k);
		}
	}

	static void inverseHaar(float[] g, int size, int k, float[] tmp) {
		for (int len = 2; len <= size; len <<= 1) {
			int half = len >> 1;
			for (int i = 0; i < half; i++)
				for (int q = 0; q < k; q++) {
					float a = g[i * k + q], d = g[(half + i) * k + q];
					tmp[2 * i * k + q] = (a + d) * SQRT_HALF;
					tmp[(2 * i + 1) * k + q] = (a - d) * SQRT_HALF;
				}
			System.arraycopy(tmp, 0, g, 0, len * k);
		}
	}

	/** The 2D Kaiser window (outer product of two 1D ones, as MATLAB's kaiser(n, beta)), row-major. */
	static float[] kaiser2d(int n, double beta) {
		double[] w = new double[n];
		for (int i = 0; i < n; i++) {
			double r = n == 1 ? 0 : 2.0 * i / (n - 1) - 1;
			w[i] = besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
		}
		float[] out = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) out[y * n + x] = (float) (w[y] * w[x]);
		return out;
	}

	/** Modified Bessel function of the first kind, order 0, by its power series (converges fast for small x). */
	private static double besselI0(double x) {
		double sum = 1, term = 1;
		for (int m = 1; term > 1e-16 * sum; m++) {
			term *= (x / (2 * m)) * (x / (2 * m));
			sum += term;
		}
		return sum;
	}
}
