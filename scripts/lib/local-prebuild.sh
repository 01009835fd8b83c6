# Sourced by scripts/pack-smoke.sh and scripts/image-check.sh: offers the better-sqlite3 binary `npm ci` already built
# as a local prebuild under "$1", so a clean install reuses it instead of compiling again (~80 s). Set
# NHI_SMOKE_BUILD_SQLITE=1 to compile anyway.
local_prebuild() {
  if [ "${NHI_SMOKE_BUILD_SQLITE:-0}" != 1 ] && [ -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ]; then
    v=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
    mkdir -p "$1/build/Release"
    cp node_modules/better-sqlite3/build/Release/better_sqlite3.node "$1/build/Release/"
    tar -czf "$1/better-sqlite3-v$v-node-v$(node -p process.versions.modules)-$(node -p process.platform)-$(node -p process.arch).tar.gz" \
      -C "$1" build
    export npm_config_better_sqlite3_local_prebuilds="$1"
  fi
}
