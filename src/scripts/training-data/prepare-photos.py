#!/usr/bin/env python3
"""Converts source photographs to the PNG training images listed in photos.tsv.

Usage: prepare-photos.py OUT_DIR LIST.tsv
  LIST.tsv: one line per image, "<output file name>\t<source image path>".
  For each line, writes OUT_DIR/<output file name> (PNG) and prints
  "<output file name>\t<width>\t<height>\t<channels>" on stdout.

Conversion (deterministic; needs Pillow and numpy):
  * modes RGBA, LA, P, PA -> RGB (via RGBA, alpha dropped; a warning is printed if any alpha < 255),
    L stays 8-bit grey, any other mode -> RGB;
  * if a side exceeds 2048 px, the image is reduced by the smallest integer factor f that brings both
    sides to <= 2048: cropped at the bottom/right to a multiple of f, then each f x f block averaged;
  * rounded (half to even), clipped to 0..255, stored as 8-bit PNG (compress_level=6).
Writes nothing but the listed files in OUT_DIR (each via a temporary file in OUT_DIR, then renamed).
"""
import os
import sys

import numpy as np
from PIL import Image

Image.MAX_IMAGE_PIXELS = None
MAX_SIDE = 2048


def convert(src):
    im = Image.open(src)
    if im.mode in ('RGBA', 'LA', 'P', 'PA'):
        im = im.convert('RGBA')
        alpha = np.asarray(im)[..., 3]
        if alpha.min() < 255:
            print(f'warning: {src}: {(alpha < 255).mean():.4f} of the pixels are not opaque; alpha dropped',
                  file=sys.stderr)
        im = im.convert('RGB')
    elif im.mode != 'L':
        im = im.convert('RGB')
    a = np.asarray(im).astype(np.float64)
    h, w = a.shape[:2]
    f = 1
    while max(h, w) / f > MAX_SIDE:
        f += 1
    if f > 1:
        H, W = h // f * f, w // f * f
        a = a[:H, :W]
        a = a.reshape(H // f, f, W // f, f, *a.shape[2:]).mean(axis=(1, 3))
    return np.clip(np.round(a), 0, 255).astype(np.uint8)


def main(argv):
    if len(argv) != 3:
        sys.exit('usage: prepare-photos.py OUT_DIR LIST.tsv')
    out_dir, list_file = argv[1], argv[2]
    os.makedirs(out_dir, exist_ok=True)
    with open(list_file, encoding='utf-8') as fh:
        for line in fh:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            name, src = line.split('\t')
            if os.sep in name or not name.endswith('.png'):
                sys.exit(f'bad output name: {name!r}')
            a = convert(src)
            dest = os.path.join(out_dir, name)
            tmp = dest + '.part'
            Image.fromarray(a).save(tmp, format='PNG', optimize=False, compress_level=6)
            os.replace(tmp, dest)
            channels = 1 if a.ndim == 2 else a.shape[2]
            print(f'{name}\t{a.shape[1]}\t{a.shape[0]}\t{channels}', flush=True)


if __name__ == '__main__':
    main(sys.argv)
