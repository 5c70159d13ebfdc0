#!/usr/bin/env bash
# Rebuilds the extra training photographs listed in photos.tsv (they are not committed; see README.md).
# Usage: src/scripts/training-data/fetch-photos.sh OUT_DIR
#
# Downloads the exact Debian bookworm package versions named in photos.tsv with `apt-get download` (into a
# private, temporary apt state: nothing is installed and the system's apt configuration is neither used nor
# changed, so root is not needed), checks each .deb against its SHA-256, unpacks it with `dpkg-deb -x`,
# converts the listed files with prepare-photos.py into OUT_DIR/*.png and writes OUT_DIR/MANIFEST.tsv and
# OUT_DIR/LICENSES/. Running it again rebuilds the same files.
# Needs: bash, apt-get, dpkg-deb, sha256sum, python3 with Pillow and numpy, the Debian archive keyring
# (package debian-archive-keyring) and network access to a Debian mirror.
# Environment (all optional):
#   DEB_DIR          folder of .deb files: used instead of downloading when one has the right SHA-256;
#                    downloads are kept there (a cache for re-runs; also where to put .debs fetched by hand)
#   DEBIAN_MIRROR    default http://deb.debian.org/debian (a snapshot.debian.org archive URL works too)
#   DEBIAN_KEYRING   default /usr/share/keyrings/debian-archive-keyring.gpg
#   PYTHON           default python3 (or /usr/bin/python3 if python3 lacks Pillow/numpy). JPEG decoding can
#                    differ slightly between libjpeg versions; the reference output was made with Debian
#                    bookworm's python3-pil 9.4.0 (libjpeg62-turbo 2.1.5) and python3-numpy.
set -euo pipefail

die() { printf 'fetch-photos: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'fetch-photos: %s\n' "$*" >&2; }

[ $# -eq 1 ] || die "usage: $0 OUT_DIR"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
table=$here/photos.tsv
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=${DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
py=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && ! "$py" -c 'import PIL, numpy' 2>/dev/null && [ -x /usr/bin/python3 ]; then
  py=/usr/bin/python3 # e.g. a pyenv/venv python3 first on PATH without Pillow: use the system one
fi

for tool in apt-get dpkg-deb sha256sum "$py"; do
  command -v "$tool" >/dev/null || die "'$tool' not found (a Debian/Ubuntu system with apt and dpkg is needed)"
done
"$py" -c 'import PIL, numpy' 2>/dev/null || die "$py needs Pillow and numpy (Debian: apt-get install python3-pil python3-numpy)"
[ -f "$table" ] || die "$table not found"
[ -f "$here/prepare-photos.py" ] || die "$here/prepare-photos.py not found"

mkdir -p "$1"
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fetch-photos.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- read photos.tsv: file package version path licence credit licence_file use deb_sha256 note
declare -a files=() pkgs=() vers=() paths=() lics=() credits=() licfiles=() uses=() notes=()
declare -A debsha=() debver=()
while IFS=$'\t' read -r file pkg ver path lic credit licfile use sha note; do
  case "$file" in ''|'#'*|file) continue ;; esac
  [ -n "$sha" ] || die "photos.tsv: incomplete row for $file"
  files+=("$file"); pkgs+=("$pkg"); vers+=("$ver"); paths+=("$path"); lics+=("$lic")
  credits+=("$credit"); licfiles+=("$licfile"); uses+=("$use"); notes+=("$note")
  if [ -n "${debsha[$pkg]:-}" ] && { [ "${debsha[$pkg]}" != "$sha" ] || [ "${debver[$pkg]}" != "$ver" ]; }; then
    die "photos.tsv: package $pkg has two versions or checksums"
  fi
  debsha[$pkg]=$sha; debver[$pkg]=$ver
done < "$table"
[ ${#files[@]} -gt 0 ] || die "no photos in $table"
mapfile -t packages < <(printf '%s\n' "${!debsha[@]}" | sort)
log "${#files[@]} photos from ${#packages[@]} packages"

# ---- find or download the .deb files
debdir=${DEB_DIR:-$tmp/debs}
mkdir -p "$debdir"
declare -A debfile=() hashof=()
find_deb() { # sets debfile[$1] if a .deb with the wanted SHA-256 is in $debdir
  local f
  for f in "$debdir"/*.deb; do
    [ -f "$f" ] || continue
    [ -n "${hashof[$f]:-}" ] || hashof[$f]=$(sha256sum < "$f" | cut -d' ' -f1)
    if [ "${hashof[$f]}" = "${debsha[$1]}" ]; then debfile[$1]=$f; return 0; fi
  done
  return 1
}
missing=()
for p in "${packages[@]}"; do find_deb "$p" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  [ -f "$keyring" ] || die "Debian archive keyring $keyring not found (install debian-archive-keyring or set DEBIAN_KEYRING)"
  a=$tmp/apt
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/empty" "$a/dl"
  : > "$a/status"
  echo "deb [signed-by=$keyring] $mirror bookworm main" > "$a/sources.list"
  # A self-contained apt configuration: the host's sources, preferences and apt.conf.d are ignored.
  cat > "$a/apt.conf" <<EOF
Dir::Etc::Parts "$a/empty";
Dir::Etc::Main "/dev/null";
Dir::Etc::SourceList "$a/sources.list";
Dir::Etc::SourceParts "$a/empty";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$a/empty";
Dir::State "$a";
Dir::State::Lists "$a/lists";
Dir::State::status "$a/status";
Dir::Cache "$a/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
EOF
  [ "$(id -u)" -ne 0 ] || echo 'APT::Sandbox::User "root";' >> "$a/apt.conf"
  export APT_CONFIG=$a/apt.conf
  log "reading the bookworm package index from $mirror"
  apt-get -q -q update >&2 || die "apt-get update failed for $mirror bookworm (network? keyring?)"
  gone() {
    die "$1=$2 can no longer be downloaded from $mirror bookworm (probably replaced by a newer version).
  Get that exact version from snapshot.debian.org: https://snapshot.debian.org/binary/$1/ -> $2
  (or https://snapshot.debian.org/mr/binary/$1/$2/binfiles gives the file hash; the .deb is then at
  https://snapshot.debian.org/file/<hash>), put the .deb into a folder and rerun with DEB_DIR=<that folder>;
  or rerun with DEBIAN_MIRROR=http://snapshot.debian.org/archive/debian/20240101T000000Z (a date when $2 was in bookworm).
  Expected SHA-256: ${debsha[$1]}"
  }
  for p in "${missing[@]}"; do # check all before downloading anything
    uri=$(apt-get -q -q download --print-uris "$p=${debver[$p]}" 2>/dev/null) || gone "$p" "${debver[$p]}"
    case "$uri" in *"SHA256:${debsha[$p]}"*) ;;
      *) die "the archive's $p=${debver[$p]} does not have the SHA-256 ${debsha[$p]} of photos.tsv: $uri" ;; esac
  done
  for p in "${missing[@]}"; do
    v=${debver[$p]}
    log "downloading $p=$v"
    mkdir -p "$a/dl/$p"
    (cd "$a/dl/$p" && apt-get -q -q download "$p=$v" >&2) || gone "$p" "$v"
    for f in "$a/dl/$p"/*.deb; do mv -f "$f" "$debdir/"; unset "hashof[$debdir/${f##*/}]"; done
    find_deb "$p" || die "downloaded $p=$v but its SHA-256 is not ${debsha[$p]} (photos.tsv); the archive changed?"
  done
fi

# ---- unpack and convert
: > "$tmp/list.tsv"
for p in "${packages[@]}"; do
  mkdir -p "$tmp/x/$p"
  dpkg-deb -x "${debfile[$p]}" "$tmp/x/$p"
done
for i in "${!files[@]}"; do
  src=$tmp/x/${pkgs[$i]}${paths[$i]}
  [ -f "$src" ] || die "${paths[$i]} not found in ${pkgs[$i]}=${vers[$i]}"
  printf '%s\t%s\n' "${files[$i]}" "$src" >> "$tmp/list.tsv"
done
log "converting ${#files[@]} images into $out"
"$py" "$here/prepare-photos.py" "$out" "$tmp/list.tsv" > "$tmp/sizes.tsv"

declare -A size=()
while IFS=$'\t' read -r f w h c; do size[$f]="$w"$'\t'"$h"$'\t'"$c"; done < "$tmp/sizes.tsv"
{
  printf 'file\twidth\theight\tchannels\tsource\tlicence\tlicence_file\tnote\tcredit\tuse\n'
  for i in "${!files[@]}"; do
    f=${files[$i]}
    [ -n "${size[$f]:-}" ] || die "no output for $f"
    printf '%s\t%s\tDebian %s %s: %s\t%s\tLICENSES/%s\t%s\t%s\t%s\n' "$f" "${size[$f]}" "${pkgs[$i]}" "${vers[$i]}" \
      "${paths[$i]}" "${lics[$i]}" "${licfiles[$i]}" "${notes[$i]}" "${credits[$i]}" "${uses[$i]}"
  done
} > "$tmp/MANIFEST.tsv"
mv -f "$tmp/MANIFEST.tsv" "$out/MANIFEST.tsv"

mkdir -p "$out/LICENSES"
cp -f "$here"/LICENSES/* "$out/LICENSES/"
for i in "${!files[@]}"; do
  [ -f "$out/LICENSES/${licfiles[$i]}" ] || die "licence file LICENSES/${licfiles[$i]} (for ${files[$i]}) is missing"
done
log "done: ${#files[@]} PNGs, $out/MANIFEST.tsv, $out/LICENSES/"
