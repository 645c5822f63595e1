#!/usr/bin/env bash
# Installs what the build and the tests need on a Debian machine, when it is missing:
# Emscripten (Debian's package), CMake, nginx with its stream module, tinyproxy, Dante and
# websockify (servers nobody here wrote, for tests), OpenSSL (test certificates), zstd (test bodies),
# and the CA roots that get embedded.
set -euo pipefail

needed=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

have_cmd emcc || needed+=(emscripten)
have_cmd cmake || needed+=(cmake)
have_cmd make || needed+=(make)
have_cmd nginx || [[ -x /usr/sbin/nginx ]] || needed+=(nginx-light)
have_cmd openssl || needed+=(openssl)
have_cmd zstd || needed+=(zstd)
[[ -x /usr/bin/tinyproxy ]] || needed+=(tinyproxy)
[[ -x /usr/sbin/danted ]] || needed+=(dante-server)
[[ -x /usr/bin/websockify ]] || needed+=(websockify)
[[ -e /usr/lib/nginx/modules/ngx_stream_module.so ]] || needed+=(libnginx-mod-stream)
[[ -x /usr/bin/chromium ]] || needed+=(chromium)
have_pkg ca-certificates || needed+=(ca-certificates)
have_cmd xz || needed+=(xz-utils)
have_cmd bzip2 || needed+=(bzip2)

if (( ${#needed[@]} )); then
  if [[ "$(id -u)" != 0 ]]; then
    echo "setup: missing ${needed[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "setup: installing ${needed[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${needed[@]}" >&2
fi

# Debian's servers start themselves on install; the tests run their own instances.
for service in nginx tinyproxy danted; do
  if have_cmd systemctl && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done
