#!/usr/bin/env bash
# Packaging smoke test (CI runs it after the tests): `npm pack`, check what the tarball holds, install it into an
# empty prefix (`npm install -g --prefix <tmp> nhi-census-*.tgz`, --offline when the npm cache holds everything,
# else --prefer-offline: package files from the cache `npm ci` filled), then run `nhi-census demo` and
# `nhi-census query` from that prefix in an empty folder (no network: the simulators listen on 127.0.0.1).
# better-sqlite3 is not compiled again (~80 s): the binary `npm ci` built here is offered to its installer
# (prebuild-install) as a local prebuild, keyed by Node's ABI; NHI_SMOKE_BUILD_SQLITE=1 compiles it instead.
# Usage: bash scripts/pack-smoke.sh        (from the repository; leaves nothing behind)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "pack-smoke: FAIL: $*" >&2; exit 1; }

# 1. the tarball (prepare builds dist/, prepack writes npm-shrinkwrap.json from the lockfile)
npm pack --silent --pack-destination "$tmp" >"$tmp/pack.out"
tarball=$(ls "$tmp"/nhi-census-*.tgz)
tar -tzf "$tarball" | sed 's#^package/##' | sort >"$tmp/files"
for f in bin/nhi-census.js dist/src/cli/main.js dist/BUILD scenarios/demo/inventory.yaml docs/cli.md docs/operations.md \
         README.md package.json npm-shrinkwrap.json; do
  grep -qx "$f" "$tmp/files" || fail "the tarball lacks $f"
done
for c in connectors/*/; do grep -qx "dist/${c}index.js" "$tmp/files" || fail "the tarball lacks dist/${c}index.js"; done
if grep -E '^(test|bench|src|connectors|reports|scripts|\.ci)/|\.ts$|^scenarios/demo/.*\.ts$' "$tmp/files"; then fail "the tarball holds sources, tests or benches (above)"; fi
echo "pack-smoke: $(basename "$tarball"): $(wc -l <"$tmp/files") files, $(du -k "$tarball" | cut -f1) KB"

# 2. install into an empty prefix, offline
. scripts/lib/local-prebuild.sh
local_prebuild "$tmp/prebuilds"
t0=$(date +%s)
# --offline needs the dependencies' registry metadata in the npm cache, which `npm ci` (lockfile-driven) does not
# fetch; then the metadata comes from the registry (--prefer-offline) and the package files still from the cache.
# (A global install of a local tarball ignores its npm-shrinkwrap.json, npm/cli#5325: versions follow package.json.)
install() { npm install -g --prefix "$tmp/prefix" --no-audit --no-fund --loglevel=warn "$@" "$tarball" 2>&1 \
  | grep -v 'Unknown env config "better-sqlite3-local-prebuilds"' || true; }
install --offline >"$tmp/install.out"
if ! [ -x "$tmp/prefix/bin/nhi-census" ]; then
  grep -q ENOTCACHED "$tmp/install.out" || { cat "$tmp/install.out"; fail "npm install -g failed"; }
  echo "pack-smoke: registry metadata not all cached: installing with --prefer-offline"
  install --prefer-offline >"$tmp/install.out"
  how="with --prefer-offline"
else
  how="offline"
fi
cat "$tmp/install.out"
echo "pack-smoke: installed $how in $(( $(date +%s) - t0 )) s"

# 3. run it as a user would: from the prefix, in an empty folder
bin="$tmp/prefix/bin/nhi-census"
[ -x "$bin" ] || fail "no $bin"
! [ -e "$tmp/prefix/lib/node_modules/nhi-census/node_modules/tsx" ] || fail "tsx was installed (a development dependency)"
mkdir "$tmp/work" && cd "$tmp/work"
export PATH="$tmp/prefix/bin:$PATH"
want=$(node -p "require('$repo/package.json').version")
[ "$(nhi-census --version)" = "$want" ] || fail "--version is not $want"
nhi-census demo --log-format json >demo.out 2>demo.err || fail "demo exited $? ($(tail -5 demo.err))"
grep -q 'Open reports-out/report.html' demo.out || fail "demo did not say where the report is"
grep -q 'Try: nhi-census query' demo.out || fail "demo did not suggest nhi-census query (on PATH)"
for f in nhi-census.db reports-out/report.html reports-out/report.md reports-out/report.json; do [ -s "$f" ] || fail "demo wrote no $f"; done
n=$(nhi-census query "select count(*) as n from connectors" -f json | node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync(0,'utf8'))[0].n))")
[ "$n" -gt 0 ] || fail "query found no connectors"
nhi-census query "select provider, type, name, app_id from connectors" >connectors.txt || fail "query exited $?"
grep -q '^github' connectors.txt || fail "query printed no github connector"
echo "pack-smoke: ok: demo and query from the installed package ($n connectors), $(( $(date +%s) - started )) s in all"
