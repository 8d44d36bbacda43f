#!/usr/bin/env bash
# CI: the package as users install it. `npm pack`, then `npm install -g` of that tarball into a
# temporary prefix, then the installed binary: --help, lab start --detach, run, lab stop.
# npm ignores the project's .npmrc in global mode, so npm_config_nodedir (default /usr, where
# Debian's nodejs-dev puts the headers) lets better-sqlite3 build without downloading headers.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/netstacks-global-XXXXXX")
trap 'NETSTACKS_HOME="$work/home" "$work/prefix/bin/netstacks" lab stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"
npm install -g --prefix "$work/prefix" --prefer-offline --no-audit --no-fund "$work/$tarball"
bin="$work/prefix/bin/netstacks"
export NETSTACKS_HOME="$work/home" NETSTACKS_SECRETS_BACKEND=vault NETSTACKS_MASTER_KEY=ci-global-install CI=true
"$bin" --help | grep -q 'Usage: netstacks'
"$bin" lab start --detach --devices 2 --platforms cisco_ios --no-quirks --port 0
out=$("$bin" run 'show version' --on 'tag:lab')
echo "$out" | grep -q 'Cisco IOS' || { echo "$out"; echo 'global install: run printed no Cisco IOS version' >&2; exit 1; }
"$bin" lab stop
echo 'global install: ok'
