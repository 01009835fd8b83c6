#!/bin/sh
# The container image's build and run-time steps, shared by the Dockerfile (RUN lines) and CI
# (scripts/image-check.sh runs the same steps in a clean directory, as no Docker engine runs there), so the two
# cannot drift apart.
#   image.sh build <dir>           in a copy of the sources: npm ci (dev dependencies too: compiles better-sqlite3,
#                                  `prepare` builds dist/), npm pack, unpack the package into <dir> (exactly the
#                                  files a user installs: package.json "files"), add the production node_modules.
#   image.sh runtime <root> <user> put `nhi-census` on PATH (<root>/usr/local/bin), and create <root>/data for
#                                  the database and the reports, owned by <user>, who runs the container.
set -eu
case "${1:-}" in
  build)
    dir=$2
    npm ci --no-audit --no-fund --prefer-offline
    tarball=$(npm pack --silent | tail -n 1)
    mkdir -p "$dir"
    tar -xzf "$tarball" -C "$dir" --strip-components=1 --no-same-owner
    rm "$tarball"
    npm prune --omit=dev --no-audit --no-fund
    cp -R node_modules "$dir/node_modules"
    ;;
  runtime)
    root=$2 user=$3
    mkdir -p "$root/usr/local/bin" "$root/data"
    ln -sf /opt/nhi-census/bin/nhi-census.js "$root/usr/local/bin/nhi-census"
    chown "$user" "$root/data"
    ;;
  *) echo "usage: image.sh build <dir> | runtime <root> <user>" >&2; exit 2 ;;
esac
