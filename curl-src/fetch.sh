#!/usr/bin/env bash
# Fetch, verify and unpack the pinned sources listed in sources.tsv.
#
#   curl-src/fetch.sh DOWNLOAD_DIR UNPACK_DIR
#
# Each orig tarball comes from Debian's archive (apt-get source --download-only) or, where
# sources.tsv names one, from the upstream release. Whatever the route, a file is used only
# when its sha256 matches the manifest. apt-get may exit non-zero when a .dsc or
# .debian.tar.xz is missing from the archive although the orig tarball arrived, so the
# checksum, not the exit code, decides.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
manifest="$here/sources.tsv"
download_dir="${1:?download dir}"
unpack_dir="${2:?unpack dir}"
mkdir -p "$download_dir" "$unpack_dir"

say() { printf 'curl-src: %s\n' "$*" >&2; }

verified() {
  local file="$1" sha="$2"
  [[ -f "$file" ]] && [[ "$(sha256sum "$file" | cut -d' ' -f1)" == "$sha" ]]
}

# Debian's archive URIs as this machine's apt already knows them; nothing is hard-coded here.
archive_uris() {
  {
    grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | sed 's/^URIs:[[:space:]]*//' | tr ' ' '\n'
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
  } | grep -E '/debian/?$' | sort -u
}

ensure_deb_src() {
  local list=/etc/apt/sources.list.d/libcurl-wasm-src.sources uris
  [[ -f "$list" ]] && return 0
  if [[ "$(id -u)" != 0 ]]; then
    say "not root: cannot add deb-src entries; relying on sources apt already has"
    return 0
  fi
  uris="$(archive_uris | tr '\n' ' ')"
  if [[ -z "${uris// /}" ]]; then
    say "no Debian archive found in apt's sources"
    return 0
  fi
  say "adding deb-src entries for bookworm and trixie"
  cat > "$list" <<EOF
Types: deb-src
URIs: $uris
Suites: bookworm trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get update -q >&2 || say "apt-get update reported errors; trying anyway"
}

from_debian() {
  local package="$1" prefix="$2" orig="$3" sha="$4" version
  command -v apt-get >/dev/null || return 1
  ensure_deb_src
  for version in $(apt-cache showsrc "$package" 2>/dev/null |
    awk '/^Version:/ {print $2}' | grep -F -- "$prefix" | sort -u); do
    [[ "$version" == "$prefix"* ]] || continue
    say "apt-get source $package=$version"
    (cd "$download_dir" && apt-get source --download-only -q "$package=$version" >&2) || true
    verified "$download_dir/$orig" "$sha" && return 0
  done
  return 1
}

from_upstream() {
  local url="$1" orig="$2" sha="$3"
  [[ "$url" != "-" ]] || return 1
  command -v curl >/dev/null || return 1
  say "downloading $url"
  curl -fsSL --max-time 120 -o "$download_dir/$orig.part" "$url" || return 1
  mv "$download_dir/$orig.part" "$download_dir/$orig"
  verified "$download_dir/$orig" "$sha"
}

unpack() {
  local name="$1" orig="$2" sha="$3" dest="$unpack_dir/$1"
  [[ -f "$dest/.sha256" && "$(cat "$dest/.sha256")" == "$sha" ]] && return 0
  rm -rf "$dest" && mkdir -p "$dest"
  # brotli's Debian tarball unpacks into a folder named after a commit: strip whatever it is.
  tar -xf "$download_dir/$orig" -C "$dest" --strip-components=1
  echo "$sha" > "$dest/.sha256"
  say "unpacked $name"
}

while IFS=$'\t' read -r name version package prefix orig sha url; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if ! verified "$download_dir/$orig" "$sha"; then
    rm -f "$download_dir/$orig"
    from_debian "$package" "$prefix" "$orig" "$sha" || from_upstream "$url" "$orig" "$sha" || {
      say "FAILED: $name $version ($orig) could not be fetched with sha256 $sha"
      exit 1
    }
  fi
  unpack "$name" "$orig" "$sha"
done < "$manifest"
say "all sources verified"
