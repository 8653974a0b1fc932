#!/usr/bin/env bash
# Re-renders the documentation's screenshots from a build (default build/):
#   docs/screenshots/main.png                 the token-level demo run to its end (the README's picture)
#   docs/screenshots/feature-log-*.png        the published ReDeEP log (needs ../shared), Threshold and Heads
#   docs/screenshots/panels/*.png             cut from main.png (panels/crop_panels.sh, ImageMagick)
# Each shot runs in a fresh home under /tmp/halluscope, with the demo's resources reached through
# /tmp/halluscope/resources, so the pictures show those paths rather than the checkout's.
#   bash tools/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
app=${1:-build}/app/halluscope
[ -x "$app" ] || { echo "screenshots.sh: no $app (build the GUI first)" >&2; exit 2; }
root=/tmp/halluscope
rm -rf "$root"
mkdir -p "$root/home"
ln -s "$repo/resources" "$root/resources"
shot() { # OUT ARGS...: one shot in a fresh home
  local out=$1; shift
  rm -rf "$root/home" && mkdir -p "$root/home"
  (cd "$root/home" && HOME=$root/home XDG_CONFIG_HOME=$root/home/.config XDG_DATA_HOME=$root/home/.local/share \
     XDG_CACHE_HOME=$root/home/.cache HS_RESOURCES=$root/resources QT_QPA_PLATFORM=offscreen \
     "$repo/$app" "$@" --screenshot "$repo/$out" 2>/dev/null)
  echo "wrote $out"
}
shot docs/screenshots/main.png --run --level token
shared=$(cd "${HS_SHARED_DIR:-../shared}" 2>/dev/null && pwd || true)
if [ -n "$shared" ] && [ -d "$shared/data/ragtruth/redeep_official" ]; then
  ln -s "$shared/data/ragtruth" "$root/ragtruth" # the log's companion dataset gives the task types
  log=$root/ragtruth/redeep_official/official_llama2_7B_response_chunk.json
  shot docs/screenshots/feature-log-threshold.png "$log" --show threshold
  shot docs/screenshots/feature-log-heads.png "$log" --show heads
else
  echo "screenshots.sh: ../shared/data/ragtruth/redeep_official is absent: the feature-log shots are left as they are" >&2
fi
if command -v convert-im6.q16 >/dev/null; then
  bash docs/screenshots/panels/crop_panels.sh
else
  echo "screenshots.sh: ImageMagick is absent (apt install imagemagick): the panel pictures are left as they are" >&2
fi
