#!/usr/bin/env bash
# On a Debian machine with apt (not on the GPU machine, which has no network): download the
# header-only and SQLite dependencies as .deb files and unpack them into .deps/root, plus a copy of
# ../shared/data into .deps/shared for the GPU runs (the device tool carries only the repository).
#   bash tools/gpu/fetch_deps.sh     then carry ".deps" with every GPU run
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .deps/debs .deps/root
(cd .deps/debs && apt-get download nlohmann-json3-dev doctest-dev libsqlite3-dev libsqlite3-0)
for f in .deps/debs/*.deb; do dpkg -x "$f" .deps/root; done
if [ -d ../shared/data ]; then mkdir -p .deps/shared && cp -r ../shared/data .deps/shared/; fi
echo "ready: .deps/root (headers, libsqlite3) and .deps/shared"
