#!/bin/sh
# Starts Debian's Chromium for Playwright (infra/local/chromium.mjs) with one --disable-features.
#
# Chromium reads only the last --disable-features switch it is given. Playwright passes its own
# list (PaintHolding, HttpsUpgrades, …) and chromium.mjs adds the features that cost every new
# window CPU; as two switches, Playwright's list would be dropped. Here every --disable-features
# is merged into one, the other arguments pass unchanged and in order, and exec keeps the process
# id and the pipes Playwright talks over (file descriptors 3 and 4).
set -eu
disabled=''
count=$#
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) disabled="${disabled:+$disabled,}${arg#--disable-features=}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
shift "$count"
if [ -n "$disabled" ]; then set -- "$@" "--disable-features=$disabled"; fi
exec "${CHROMIUM_PATH:?set by infra/local/chromium.mjs}" "$@"
