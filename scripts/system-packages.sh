#!/usr/bin/env bash
# Makes sure the programs the tests run are installed: Chromium (browser tests), Java (the Nu
# HTML checker), Apache and nginx (tests serve the built site with its .htaccess and its nginx snippet). Installs the
# Debian packages when they are missing and apt-get can be used; otherwise says what to install and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "make test: installing the Debian packages the tests need: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make test: apt-get is not available. Install these yourself, then run make test again: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "make test: installing needs root. Run: sudo apt-get install ${missing[*]}   then make test again." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" fonts-dejavu-core; }; then
  echo "make test: could not install ${missing[*]} with apt-get (see above)." >&2
  exit 1
fi
