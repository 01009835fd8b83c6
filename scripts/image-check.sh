#!/usr/bin/env bash
# CI stand-in for `docker build` + `docker run` (no Docker engine runs on CI): the Dockerfile's steps, run by the
# same script (scripts/image.sh) in a clean directory, then the image's entrypoint run as an unprivileged user in
# its /data, as `docker run -v …:/data nhi-census demo` would. First checks that the Dockerfile still calls those
# steps, so the two cannot drift apart. Not covered here: the base image itself and its apt-get step.
# better-sqlite3: the binary this checkout's `npm ci` built is offered as a local prebuild (as in pack-smoke.sh);
# NHI_SMOKE_BUILD_SQLITE=1 compiles it again instead (~80 s).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)
fail() { echo "image-check: FAIL: $*" >&2; exit 1; }

# 1. the Dockerfile runs these steps (and nothing else builds or installs)
for line in 'FROM node:20-bookworm-slim AS build' 'COPY . .' 'RUN sh scripts/image.sh build /opt/nhi-census' \
            'COPY --from=build /opt/nhi-census /opt/nhi-census' 'RUN sh /tmp/image.sh runtime / node && rm /tmp/image.sh' \
            'USER node' 'WORKDIR /data' 'VOLUME /data' 'ENTRYPOINT ["nhi-census"]'; do
  grep -qxF "$line" Dockerfile || fail "the Dockerfile no longer has: $line (update scripts/image-check.sh with it)"
done
[ "$(grep -c '^RUN ' Dockerfile)" = 3 ] || fail "the Dockerfile has RUN steps this check does not run"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
# 2. build stage: the build context (.dockerignore applied), then the same RUN step
mkdir "$tmp/src"
tar -cf - --exclude-from=.dockerignore . | tar -xf - -C "$tmp/src"
. scripts/lib/local-prebuild.sh
local_prebuild "$tmp/prebuilds"
root="$tmp/root"
(cd "$tmp/src" && sh scripts/image.sh build "$root/opt/nhi-census") >"$tmp/build.out" 2>&1 || { cat "$tmp/build.out"; fail "the build stage failed"; }
grep -v 'Unknown env config "better-sqlite3-local-prebuilds"' "$tmp/build.out" || true
grep -q EBADENGINE "$tmp/build.out" && fail "npm ci warned about an engine (above)"
[ -e "$root/opt/nhi-census/node_modules/tsx" ] && fail "the image holds tsx (a development dependency)"
[ -e "$root/opt/nhi-census/src" ] && fail "the image holds the TypeScript sources"
echo "image-check: build stage done in $(( $(date +%s) - started )) s ($(du -sm "$root/opt/nhi-census" | cut -f1) MB in /opt/nhi-census)"

# 3. final stage: the runtime step, then the entrypoint as the unprivileged user in /data
user=nobody
[ "$(id -u)" = 0 ] || user=$(id -un)
sh scripts/image.sh runtime "$root" "$user"
# the image's absolute /opt/nhi-census link, pointed into this directory
ln -sf "$root/opt/nhi-census/bin/nhi-census.js" "$root/usr/local/bin/nhi-census"
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups env HOME=/nonexistent "$@"; else "$@"; fi; }
run() { (cd "$root/data" && as_user env PATH="$root/usr/local/bin:$PATH" NODE_ENV=production nhi-census "$@"); }
[ "$(run --version)" = "$(node -p "require('$repo/package.json').version")" ] || fail "nhi-census --version"
run demo --log-format json >"$tmp/demo.out" 2>"$tmp/demo.err" || { tail -20 "$tmp/demo.err"; fail "nhi-census demo exited non-zero"; }
[ -s "$root/data/nhi-census.db" ] && [ -s "$root/data/reports-out/report.html" ] || fail "demo wrote no database or report in /data"
[ "$(stat -c %U "$root/data/nhi-census.db")" = "$user" ] || fail "the database is not owned by $user"
run query "select count(*) as n from connectors" -f json | grep -q '"n": *[1-9]' || fail "query found no connectors"
echo "image-check: ok: demo and query as $user in /data, $(( $(date +%s) - started )) s in all"
