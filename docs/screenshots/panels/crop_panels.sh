#!/usr/bin/env bash
# The user guide's per-panel pictures (docs/guide/) are cut from the one main-window screenshot
# (docs/screenshots/main.png, 1600x1000, rendered by `halluscope --run --screenshot`), so they
# always show the same run. Re-run after re-rendering main.png; needs ImageMagick 6 (apt install imagemagick).
set -euo pipefail
cd "$(dirname "$0")"
crop() { convert-im6.q16 ../main.png -crop "$2" +repage "$1.png"; }
crop run       662x555+0+21
crop samples   662x398+0+579
crop threshold 926x543+674+21
crop live      549x380+674+597
crop attention 372x380+1228+597
