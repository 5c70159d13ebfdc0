#!/usr/bin/env bash
# Writes the TIFF corpus that TiffCorpusTest reads: small TIFFs as other programs write them (libtiff's
# tiffcp and tiffcrop, python3-tifffile, ImageMagick), and expected.tsv with what each holds. Needs Debian's
# libtiff-tools, python3-tifffile and imagemagick. Run from anywhere; rewrites this folder's .tif files.
# Sizes are odd on purpose (40x30 with 16x16 tiles leaves partial edge tiles).
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.tif expected.tsv
/usr/bin/python3 - <<'PY'
import numpy as np, tifffile
h, w = 30, 40
y, x = np.mgrid[0:h, 0:w]
base = (np.sin(x / 5.0) * np.cos(y / 4.0) + 1) / 2              # 0..1, smooth with structure
grey8 = (base * 250).astype(np.uint8)
grey16 = (base * 60000 + 100).astype(np.uint16)
float32 = (base * 3.0 - 1.0).astype(np.float32)                   # negative values, as unclipped noisy data
rgb8 = np.stack([grey8, 255 - grey8, (x * 6).astype(np.uint8)], -1)
rgb16 = np.stack([grey16, 65535 - grey16, (x * 1500).astype(np.uint16)], -1)
stack16 = np.stack([grey16 // (k + 1) for k in range(3)])
rows = []
def out(name, data, **kw):
    tifffile.imwrite(name, data, **kw)
# sources for libtiff and ImageMagick (uncompressed, strips)
out('src_rgb8.tif', rgb8, photometric='rgb')
# the size of the issue's report (400x300 RGB through tiffcp), grey-valued 20x20 blocks so that it compresses well
blocks = np.kron(np.random.default_rng(3).integers(0, 256, (15, 20)), np.ones((20, 20))).astype(np.uint8)
out('src_rgb8_400x300.tif', np.stack([blocks] * 3, -1), photometric='rgb')
out('src_grey16.tif', grey16)
out('src_float32.tif', float32)
out('tifffile_grey8.tif', grey8)
out('tifffile_grey16_bigendian.tif', grey16, byteorder='>')
out('tifffile_float32_negative.tif', float32)
out('tifffile_float32_zlib.tif', float32, compression='zlib')
out('tifffile_grey16_tiled.tif', grey16, tile=(16, 16))
out('tifffile_grey16_bigtiff.tif', grey16, bigtiff=True)
out('tifffile_rgb8_bigtiff_tiled.tif', rgb8, photometric='rgb', bigtiff=True, tile=(16, 16))
out('tifffile_rgb8_planar.tif', np.moveaxis(rgb8, -1, 0), photometric='rgb', planarconfig='separate')
out('tifffile_rgb16.tif', rgb16, photometric='rgb')
out('tifffile_stack16.tif', stack16, photometric='minisblack')
hyper = np.stack([np.stack([np.stack([grey16 // (1 + t + z + c) for c in range(2)]) for z in range(3)]) for t in range(2)])
out('tifffile_imagej_hyperstack.tif', hyper, imagej=True, resolution=(1 / 0.25, 1 / 0.25),
    metadata={'axes': 'TZCYX', 'spacing': 1.5, 'unit': 'um'})
ome = np.stack([np.stack([grey16 // (1 + z + 2 * c) for z in range(3)]) for c in range(2)])  # C, Z, Y, X
out('tifffile_ome.ome.tif', ome, ome=True, metadata={'axes': 'CZYX', 'PhysicalSizeX': 0.2, 'PhysicalSizeY': 0.2,
    'PhysicalSizeZ': 1.0, 'PhysicalSizeXUnit': 'µm', 'PhysicalSizeYUnit': 'µm', 'PhysicalSizeZUnit': 'µm'})
PY
# libtiff: the directory after the pixels, as GIMP and most acquisition software write it
for c in none lzw zip packbits jpeg; do tiffcp -c $c src_rgb8.tif tiffcp_rgb8_$c.tif; done
for c in lzw zip packbits; do tiffcp -c $c src_rgb8_400x300.tif tiffcp_rgb8_400x300_$c.tif; done
tiffcp -t -w 16 -l 16 src_rgb8.tif tiffcp_rgb8_tiled.tif
tiffcp -B -c lzw src_rgb8.tif tiffcp_rgb8_bigendian_lzw.tif
tiffcp -p separate src_rgb8.tif tiffcp_rgb8_planar.tif
tiffcp -8 -c zip src_rgb8.tif tiffcp_rgb8_bigtiff_zip.tif
tiffcp -c lzw:2 src_grey16.tif tiffcp_grey16_lzw_predictor.tif
tiffcp -c zip:3 src_float32.tif tiffcp_float32_zip_float_predictor.tif
tiffcp -c packbits src_grey16.tif src_rgb8.tif tiffcp_two_pages.tif
tiffcrop -c packbits src_rgb8.tif tiffcrop_rgb8_packbits.tif
tiffcrop -c lzw src_grey16.tif tiffcrop_grey16_lzw.tif
# ImageMagick
convert src_rgb8.tif -compress LZW magick_rgb8_lzw.tif
convert src_rgb8.tif -compress Zip magick_rgb8_zip.tif
convert src_rgb8.tif -compress JPEG -quality 95 magick_rgb8_jpeg.tif
convert src_grey16.tif -endian MSB -compress None magick_grey16_msb.tif
convert src_rgb8.tif -depth 16 magick_rgb16.tif
convert src_grey16.tif -compress None -define quantum:format=floating-point -depth 32 magick_float32.tif 2>/dev/null || test -s magick_float32.tif  # ImageMagick 6 warns about the predictor tag and exits 1 after writing
rm src_*.tif
# expected.tsv: what each file holds, as tifffile sees it (pixels decoded by libtiff: tifffile needs imagecodecs
# for LZW and JPEG), for the test to compare
/usr/bin/python3 - <<'PY'
import glob, subprocess, numpy as np, tifffile
rows = ['file\twidth\theight\tchannels\tslices\tframes\tbit_depth\tmean\tlossy']
decoded = '/tmp/imagify-corpus-decoded.tif'
for f in sorted(glob.glob('*.tif')):
    subprocess.run(['tiffcp', '-c', 'none', f, decoded], check=True)
    # tifffile's own files are read as series (stacks, hyperstacks, OME); other programs' first page alone, since
    # tiffcp copies tifffile's shape description unchanged into files it has rearranged
    series = f.startswith('tifffile_')
    with tifffile.TiffFile(f) as t:
        s = t.series[0] if series else t.pages[0]
        shape, axes, bits = s.shape, s.axes, t.pages[0].bitspersample
    two_pages = f.startswith('tiffcp_two_pages')  # two different images: ImageJ opens the first
    with tifffile.TiffFile(decoded) as t:
        a = (t.series[0] if series else t.pages[0]).asarray().astype(np.float64)
    def n(ax): return shape[axes.index(ax)] if ax in axes else 1
    rgb = 'S' in axes
    channels = n('C') * (3 if rgb and bits > 8 else 1)
    slices, frames = n('Z') * n('I') * n('Q'), n('T')
    if two_pages: channels, slices, frames = 1, 1, 1
    depth = 24 if rgb and bits == 8 else bits
    rows.append(f"{f}\t{n('X')}\t{n('Y')}\t{channels}\t{slices}\t{frames}\t{depth}\t{a.mean():.7g}\t{str('jpeg' in f).lower()}")
open('expected.tsv', 'w').write('\n'.join(rows) + '\n')
PY
rm -f /tmp/imagify-corpus-decoded.tif
