#!/usr/bin/env bash
# Installs the Debian packages the tests drive, when they are missing: Chromium (the webview tests) and
# Neovim (the second LSP client). Runs before `npm test`; does nothing when both are there. Without root or
# apt-get it says what is missing, and the tests that need it fail with the reason.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (Debian packages the tests use)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || echo "could not install ${missing[*]}: the tests that need them will fail and say so"
else
  echo "missing ${missing[*]}: install them (apt-get install ${missing[*]}); the tests that need them fail and say so"
fi
exit 0
