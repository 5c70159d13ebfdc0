#!/usr/bin/env bash
# Builds Imagify and copies it with its dependency jars into a Fiji installation, then says what changed.
#
#   update-site/install-into-fiji.sh FIJI_DIR [maven options, e.g. -Pall-platforms]
#
# FIJI_DIR must exist (an empty folder gives a scratch layout to inspect or upload from). Close Fiji first.
# Uses pom-scijava's populate-app goal (mvn install -Dscijava.app.directory=FIJI_DIR): it needs Maven online
# (with -o it skips silently) and replaces older versions of a jar it copies, but keeps a newer one it finds.
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 1 ] || { echo "usage: $0 FIJI_DIR [maven options]" >&2; exit 2; }
dir=$1; shift
[ -d "$dir" ] || { echo "$dir is not a folder (for a scratch install: mkdir -p '$dir')" >&2; exit 2; }
dir=$(cd "$dir" && pwd)
for arg in "$@"; do
	case $arg in -o | --offline) echo "populate-app does nothing offline: drop $arg" >&2; exit 2 ;; esac
done

jars() { (cd "$dir" && { find jars plugins -name '*.jar' 2>/dev/null || true; } | sort); }  # none yet: empty
before=$(mktemp); log=$(mktemp)
trap 'rm -f "$before" "$log"' EXIT
jars >"$before"

echo "Building Imagify and populating $dir (log: mvn output on failure) ..."
if ! mvn -B -DskipTests install -Dscijava.app.directory="$dir" "$@" >"$log" 2>&1; then
	tail -40 "$log"; exit 1
fi
if ! grep -q 'populate-app (populate-app)' "$log" || grep -q 'requires online mode' "$log"; then
	echo "populate-app did not run (offline in settings.xml?); the log ends:" >&2; tail -20 "$log" >&2; exit 1
fi

echo
echo "Added (size, file):"
jars | comm -13 "$before" - | while read -r f; do du -h "$dir/$f" | sed "s|$dir/|  |"; done
echo
echo "Removed (older versions that populate-app replaced):"
jars | comm -13 - "$before" | sed 's/^/  /'
# populate-app keeps a newer jar of the same name that it finds: then Imagify runs with that one
if grep -E 'newer version for .* was detected|incompatible' "$log"; then
	echo "populate-app kept newer jars above instead of Imagify's: check them against update-site/README.md"
fi

launcher=
for l in fiji-linux-x64 ImageJ-linux64 fiji-macos Contents/MacOS/ImageJ-macosx fiji-windows-x64.exe ImageJ-win64.exe; do
	[ -e "$dir/$l" ] && { launcher=$dir/$l; break; }
done
echo
echo "Check it headless (Fiji's launcher exits 0 even when a command fails, so look for the output file):"
echo "  ${launcher:-$dir/<Fiji launcher>} --headless --run \"Imagify Denoise\" \\"
echo "    \"input='$PWD/sample-images/camera_noise25.png',output='/tmp/camera_restored.tif'\""
echo "  ls -l /tmp/camera_restored.tif"
