#!/usr/bin/env bash
# Renders the application icon's PNG sizes from its one SVG (resources/ui/icons/halluscope.svg,
# also the in-app icon). Run after changing the SVG and commit the PNGs; needs rsvg-convert
# (apt install librsvg2-bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" "$here/../ui/icons/halluscope.svg" -o "$here/halluscope-$size.png"
done
