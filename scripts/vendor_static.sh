#!/usr/bin/env bash
# Vendor the front-end files the product serves itself (it runs on intranets: no CDN).
#
# Fetches each pinned package from the npm registry with `npm pack NAME@VERSION`,
# extracts only the files listed below and writes them to static/vendor/NAME/.
# Each package directory is replaced wholesale, so re-running gives the same tree.
# To upgrade: change a version here, re-run, update static/vendor/README.md, commit.
#
# Usage: scripts/vendor_static.sh        (needs npm and the npm registry)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor"

# name@exact-version, then the files to copy as "path-in-package[:path-under-dest]".
# Source maps are deliberately not vendored (size); the browser's devtools may log a
# harmless 404 for bootstrap's *.map references.
PACKAGES=(
  "bootstrap@5.3.9|LICENSE dist/css/bootstrap.min.css dist/js/bootstrap.bundle.min.js"
  "bootstrap-icons@1.13.2|LICENSE font/bootstrap-icons.min.css font/fonts/bootstrap-icons.woff2:fonts/bootstrap-icons.woff2 font/fonts/bootstrap-icons.woff:fonts/bootstrap-icons.woff"
  "htmx.org@2.0.11|LICENSE dist/htmx.min.js"
  "echarts@6.1.0|LICENSE NOTICE licenses/LICENSE-d3 dist/echarts.min.js"
  "world-atlas@2.0.2|LICENSE countries-110m.json countries-50m.json"
  "topojson-client@3.1.0|LICENSE dist/topojson-client.min.js"
)

command -v npm >/dev/null || { echo "vendor_static: npm is required" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

for entry in "${PACKAGES[@]}"; do
  spec="${entry%%|*}"
  files="${entry#*|}"
  name="${spec%@*}"
  version="${spec##*@}"

  work="$TMP/$name"
  mkdir -p "$work"
  tarball="$(cd "$work" && npm pack "$spec" --silent 2>/dev/null | tail -n 1)"
  tar -xzf "$work/$tarball" -C "$work"
  pkg="$work/package"

  got="$(node -p "require('$pkg/package.json').version")"
  [[ "$got" == "$version" ]] || { echo "vendor_static: $name: wanted $version, got $got" >&2; exit 1; }

  out="$DEST/$name"
  rm -rf "$out"
  for f in $files; do
    src="${f%%:*}"
    dst="${f#*:}"   # same as src when there is no ":"
    if [[ "$f" != *:* ]]; then
      case "$src" in
        LICENSE|NOTICE|licenses/*) dst="$src" ;;
        *) dst="$(basename "$src")" ;;
      esac
    fi
    [[ -s "$pkg/$src" ]] || { echo "vendor_static: $spec: missing or empty $src" >&2; exit 1; }
    mkdir -p "$(dirname "$out/$dst")"
    cp "$pkg/$src" "$out/$dst"
    chmod 0644 "$out/$dst"
  done
  echo "vendored $spec -> static/vendor/$name/"
done

du -sh "$DEST"
