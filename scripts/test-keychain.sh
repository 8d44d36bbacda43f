#!/bin/sh
# Runs test/keychain.test.ts against a real Secret Service: a private D-Bus session with
# gnome-keyring unlocked by a throwaway password, so it works headless (CI, containers) and never
# touches the user's own keychain. Skips (exit 0) when the tools are not installed; on Debian:
#   apt-get install -y dbus gnome-keyring
set -eu
case "$0" in */*) cd "${0%/*}/.." ;; *) cd .. ;; esac

missing=""
command -v dbus-run-session >/dev/null 2>&1 || missing="$missing dbus-run-session (package dbus)"
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing="$missing gnome-keyring-daemon (package gnome-keyring)"
if [ -n "$missing" ]; then
  echo "keychain test skipped: dbus-run-session/gnome-keyring not installed (missing:$missing)"
  exit 0
fi

# The test spawns the built CLI.
[ -f dist/cli/main.js ] || npm run build

exec dbus-run-session -- sh -c '
  eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
  NETSTACKS_TEST_KEYCHAIN=1 exec npx vitest run test/keychain.test.ts
'
