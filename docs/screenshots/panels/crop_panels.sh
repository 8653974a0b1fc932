#!/usr/bin/env bash
# The user guide's per-panel pictures (docs/guide/) are cut from the one main-window screenshot
# (docs/screenshots/main.png, 1600x1000, rendered by `halluscope --run --screenshot`), so they
# always show the same run. Re-run after re-rendering main.png; needs ImageMagick 6 (apt install imagemagick).
set -euo pipefail
cd "$(dirname "$0")"
crop() { convert-im6.q16 ../main.png -crop "$2" +repage "$1.png"; }
crop run       476x642+0+21
crop samples   476x309+0+668
crop threshold 1116x543+484+21
crop live      665x380+484+597
crop attention 448x380+1152+597
