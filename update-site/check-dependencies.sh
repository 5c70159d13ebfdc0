#!/usr/bin/env bash
# Compares Imagify's runtime dependency jars with what Fiji ships, and exits 1 on a clash.
#
#   update-site/check-dependencies.sh [maven options, e.g. -Pall-platforms or -o]
#
# What Fiji ships: the dependencyManagement of the pom-scijava version our pom.xml inherits (Fiji is built from
# it). It manages more than any one Fiji holds, so "shipped by Fiji" means "Fiji's version if Fiji has it"; the
# Updater has the last word when uploading (see README.md). For each of our runtime jars:
#   - same groupId:artifactId managed at the same version          -> shipped by Fiji (do not upload)
#   - same groupId:artifactId managed at another version           -> CLASH
#   - same artifactId under another groupId managed by pom-scijava  -> CLASH: Fiji's Updater and populate-app tell
#     jars apart by file name without version, so the two would be taken for versions of one file
#   - otherwise                                                    -> new (upload)
# Then, over the jars' classes (and target/classes when built): a class in two jars -> CLASH; a jar carrying
# unrelocated classes of a library that Fiji ships (guava, protobuf, jackson, gson, jna, slf4j, javacpp,
# commons-*) -> CLASH. Relocated copies (org/nd4j/shade/...) are listed for information.
# Needs bash, mvn and unzip (or the JDK's jar); a first run downloads maven-help-plugin once.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Maven quietly; its output only when it fails
mvn_() { mvn -B -q "$@" >"$tmp/mvn.log" 2>&1 || { cat "$tmp/mvn.log" >&2; echo "mvn $* failed" >&2; exit 2; }; }
offline=()   # pom-scijava's own versions are read without our options (a -Dxyz.version=... would change them)
for arg in "$@"; do case $arg in -o | --offline) offline=(-o) ;; esac; done

# --- our runtime jars: "g:a:type[:classifier]:version:scope:/path/to.jar -- module ..." ------------------------
mvn_ "$@" dependency:list -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true -DoutputFile="$tmp/ours.raw"
sed -n 's/^ *\([^ ]*:[^ ]*\).*$/\1/p' "$tmp/ours.raw" |
	awk -F: '{ if (NF == 6) print $1, $2, "-", $4, $6; else if (NF == 7) print $1, $2, $4, $5, $7 }' |
	sort >"$tmp/ours"   # groupId artifactId classifier version path

# --- what pom-scijava manages: effective dependencyManagement of an empty pom with the same parent ------------
parent=$(sed -n '/<parent>/,/<\/parent>/s/.*<version>\(.*\)<\/version>.*/\1/p' pom.xml)
cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<parent><groupId>org.scijava</groupId><artifactId>pom-scijava</artifactId><version>$parent</version><relativePath/></parent>
<groupId>check</groupId><artifactId>check</artifactId><version>0</version><packaging>pom</packaging></project>
EOF
mvn_ "${offline[@]}" -f "$tmp/pom.xml" help:effective-pom -Doutput="$tmp/effective.xml"
awk '/<dependencyManagement>/ { on = 1 } /<\/dependencyManagement>/ { on = 0 }
	/<exclusions>/ { ex = 1 } /<\/exclusions>/ { ex = 0; next } ex { next }
	on && /<dependency>/ { g = a = v = "" }
	on && /<groupId>/    { gsub(/.*<groupId>|<\/groupId>.*/, ""); g = $0 }
	on && /<artifactId>/ { gsub(/.*<artifactId>|<\/artifactId>.*/, ""); a = $0 }
	on && /<version>/    { gsub(/.*<version>|<\/version>.*/, ""); v = $0 }
	on && /<\/dependency>/ { print g, a, v }' "$tmp/effective.xml" | sort -u >"$tmp/fiji"

clashes=0
clash() { printf '  CLASH  %s\n' "$*"; clashes=$((clashes + 1)); }

echo "Imagify runtime jars vs. pom-scijava $parent (Fiji):"
printf '  %-52s %-16s %-16s %s\n' "jar (groupId:artifactId[:classifier])" ours Fiji verdict
while read -r g a c v path; do
	name="$g:$a$([ "$c" = - ] || echo ":$c")"
	fiji=$(awk -v g="$g" -v a="$a" '$1 == g && $2 == a { print $3; exit }' "$tmp/fiji")
	other=$(awk -v g="$g" -v a="$a" '$1 != g && $2 == a { print $1 ":" $2 " " $3; exit }' "$tmp/fiji")
	if [ -n "$fiji" ] && [ "$fiji" = "$v" ]; then verdict="shipped by Fiji (do not upload)"
	elif [ -n "$fiji" ]; then verdict="CLASH: other version"; clashes=$((clashes + 1))
	elif [ -n "$other" ]; then verdict="CLASH: same file name as Fiji's ${other% *}"; fiji=${other#* }; clashes=$((clashes + 1))
	else verdict="new (upload)"; fiji=-
	fi
	printf '  %-52s %-16s %-16s %s\n' "$name" "$v" "$fiji" "$verdict"
done <"$tmp/ours"

# --- classes: one line "class jar" per class file --------------------------------------------------------------
list() { if command -v unzip >/dev/null; then unzip -Z1 "$1"; else jar tf "$1"; fi; }
while read -r g a c v path; do
	list "$path" | awk -v ga="$g:$a" '/\.class$/ && !/^META-INF\// && !/module-info\.class$/ { print $0, ga }'
done <"$tmp/ours" >"$tmp/classes"
if [ -d target/classes ]; then
	(cd target/classes && find . -name '*.class' | sed 's|^\./||; s|$| imagify|') >>"$tmp/classes"
fi

echo
echo "Classes in more than one jar:"
# classifier jars of one artifact count as one jar (the same groupId:artifactId)
sort -u "$tmp/classes" | awk '{ n[$1]++; j[$1] = j[$1] " " $2 } END { for (c in n) if (n[c] > 1) print j[c] }' |
	sort | uniq -c >"$tmp/dups"
if [ -s "$tmp/dups" ]; then
	while read -r n jars; do clash "$n classes in:$jars"; done <"$tmp/dups"
else
	echo "  none"
fi

echo
echo "Unrelocated copies of libraries Fiji ships, in a jar that is not that library:"
# package prefix -> the artifact that owns it; the longest matching prefix wins (com/sun/jna/platform/)
cat >"$tmp/owners" <<'EOF'
com/sun/jna/ net.java.dev.jna:jna
com/sun/jna/platform/ net.java.dev.jna:jna-platform
com/google/common/ com.google.guava:guava
com/google/thirdparty/ com.google.guava:guava
com/google/protobuf/ com.google.protobuf:protobuf-java
com/google/gson/ com.google.code.gson:gson
com/fasterxml/jackson/annotation/ com.fasterxml.jackson.core:jackson-annotations
com/fasterxml/jackson/core/ com.fasterxml.jackson.core:jackson-core
com/fasterxml/jackson/databind/ com.fasterxml.jackson.core:jackson-databind
org/slf4j/ org.slf4j:slf4j-api
org/bytedeco/javacpp/ org.bytedeco:javacpp
org/bytedeco/openblas/ org.bytedeco:openblas
org/apache/commons/io/ commons-io:commons-io
org/apache/commons/codec/ commons-codec:commons-codec
org/apache/commons/lang3/ org.apache.commons:commons-lang3
org/apache/commons/math3/ org.apache.commons:commons-math3
org/apache/commons/compress/ org.apache.commons:commons-compress
org/apache/commons/collections4/ org.apache.commons:commons-collections4
org/threeten/bp/ org.threeten:threetenbp
EOF
awk 'NR == FNR { owner[$1] = $2; next }
	{ best = ""; for (p in owner) if (index($1, p) == 1 && length(p) > length(best)) best = p
	  if (best != "" && owner[best] != $2) print $2, owner[best], best }' "$tmp/owners" "$tmp/classes" |
	sort | uniq -c >"$tmp/copies"
if [ -s "$tmp/copies" ]; then
	while read -r n jar owner prefix; do clash "$jar has $n classes of $owner ($prefix)"; done <"$tmp/copies"
else
	echo "  none"
fi

echo
echo "Relocated copies (no clash):"
awk '{ split($1, p, "/"); if (p[1] "/" p[2] "/" p[3] == "org/nd4j/shade") print $2, "org/nd4j/shade/" p[4] }' "$tmp/classes" |
	sort | uniq -c | awk '{ printf "  %-28s %6d classes under %s\n", $2, $1, $3 }'

echo
if [ "$clashes" -gt 0 ]; then
	echo "$clashes clash(es): fix them in pom.xml (exclusion, or Fiji's version) before publishing."
	exit 1
fi
echo "No clash with Fiji's jars."
