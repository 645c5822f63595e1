#!/usr/bin/env bash
# Copies the licence of every library linked into the module next to the build output.
set -euo pipefail
src="${1:?unpacked sources}" out="${2:?output folder}"
mkdir -p "$out"
cp "$src/curl/COPYING" "$out/curl.txt"
cp "$src/mbedtls/LICENSE" "$out/mbedtls.txt"
cp "$src/nghttp2/COPYING" "$out/nghttp2.txt"
cp "$src/zlib/LICENSE" "$out/zlib.txt"
cp "$src/brotli/LICENSE" "$out/brotli.txt"
cp "$src/zstd/LICENSE" "$out/zstd.txt"
