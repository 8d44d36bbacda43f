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
# package.json's allowScripts approvals do not apply to a global install (there is no project
# package.json): npm 11 only warns about unreviewed scripts, npm 12 blocks them. Approve the
# native builds explicitly, as the README tells users to.
allow=better-sqlite3,ssh2,cpu-features
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"
npm install -g --prefix "$work/prefix" --prefer-offline --no-audit --no-fund --allow-scripts="$allow" "$work/$tarball"
# the native module was built for this Node (else every store command fails)
(cd "$work/prefix/lib/node_modules/netstacks" && node -e "new (require('better-sqlite3'))(':memory:').close()")
bin="$work/prefix/bin/netstacks"
export NETSTACKS_HOME="$work/home" NETSTACKS_SECRETS_BACKEND=vault NETSTACKS_MASTER_KEY=ci-global-install CI=true
"$bin" --help | grep -q 'Usage: netstacks'
"$bin" lab start --detach --devices 2 --platforms cisco_ios --no-quirks --port 0
out=$("$bin" run 'show version' --on 'tag:lab')
echo "$out" | grep -q 'Cisco IOS' || { echo "$out"; echo 'global install: run printed no Cisco IOS version' >&2; exit 1; }
"$bin" lab stop
echo 'global install: ok'
