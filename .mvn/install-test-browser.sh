#!/usr/bin/env bash
# Run by `./mvnw verify` (profile test-browser) when /usr/bin/chromedriver is missing: the web UI
# tests drive a real headless Chromium through Debian's chromium + chromium-driver packages.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
packages="chromium chromium-driver"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[test-browser] installing Debian's $packages for the web UI tests (once per machine)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  exit 0
fi
cat >&2 <<MSG
[test-browser] The web UI tests need a headless Chromium and its driver at /usr/bin/chromium and
/usr/bin/chromedriver, and this build cannot install them (it installs them itself only as root
on a Debian-like system). Install them once, then run ./mvnw verify again:
    sudo apt-get install chromium chromium-driver
MSG
exit 1
