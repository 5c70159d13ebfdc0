#!/usr/bin/env bash
# Synthetic Z-stacks for 3D benchmarks (src/test/java/.../testing/TestVolumes.java): curved filaments and blobs through
# an anisotropic Gaussian PSF (sigma 1 px in XY, 2.5 planes in Z), pixel width 0.1 um, voxel depth 0.3 um, Poisson
# noise at PEAK photons. Writes OUT/noisy/volN.tif (16-bit counts) and OUT/clean/volN.tif (32-bit expected counts),
# the same files for the same arguments.
# Usage, from the repository root after `mvn -B -DskipTests package` (which compiles the test classes too):
#   src/scripts/volumes/write-test-volumes.sh OUT [count=4] [peak=30] [depth=32] [size=128] [seed=1]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUT [count] [peak] [depth] [size] [seed]" >&2; exit 2; }
java -Djava.awt.headless=true -cp "target/test-classes:target/classes:target/lib/*" io.github.imagify.testing.TestVolumes "$@"
