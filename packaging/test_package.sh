#!/usr/bin/env bash
# The package test (CTest `package`): builds the .deb with CPack from an existing build, unpacks it
# into a scratch root with `dpkg -x` and runs the installed programs from there, as a user would:
# `halluscope-cli --version`, `halluscope-cli demo --limit 20` (which must find the demo installed
# beside it, not the source tree), `halluscope --version`; validates the desktop entry and the
# AppStream metainfo; checks the man pages; and checks that every library the executables link
# belongs to a Debian package named in Depends, and every Depends entry is a real package.
# Usage: packaging/test_package.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: test_package.sh BUILD_DIR}" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }

need_tools() {
  local missing=()
  command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
  command -v appstreamcli >/dev/null || missing+=(appstream)
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || fail "install ${missing[*]} (apt-get install ${missing[*]}; tools/hs.sh does)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

scratch=$(mktemp -d /tmp/hs-package-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; fail "cpack"; }
deb=$(ls "$scratch"/out/*.deb)
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB, installed $(dpkg-deb -f "$deb" Installed-Size) KiB"
echo "Depends: $depends"
root="$scratch/root"
dpkg -x "$deb" "$root"
bin="$root/usr/bin"

# The installed CLI, with nothing pointing it at the source tree.
[ "$("$bin/halluscope-cli" --version)" = "halluscope-cli $version" ] || fail "halluscope-cli --version"
demo=$(env -u HS_RESOURCES HOME="$scratch/home" XDG_CACHE_HOME="$scratch/cache" \
       "$bin/halluscope-cli" demo --limit 20 --seeds 0 --cv 2 --json) || fail "installed demo"
echo "demo: $demo"
resources=$(sed -n 's/.*"resources":"\([^"]*\)".*/\1/p' <<<"$demo")
[ "$(readlink -f "$resources")" = "$root/usr/share/halluscope" ] || fail "the demo ran from $resources, not the package"
grep -q '"samples":20[,}]' <<<"$demo" || fail "the demo did not score 20 samples"
rc=0; "$bin/halluscope-cli" demo --limit x >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "a bad --limit exits with $rc, not 2"

# Desktop integration and man pages.
man1="$root/usr/share/man/man1"
zcat "$man1/halluscope-cli.1.gz" | grep -q '^\.SS merge$' || fail "halluscope-cli(1) lacks the merge command"
if [ -x "$bin/halluscope" ]; then   # the GUI package (the CUDA one is CLI-only)
  need_tools
  [ "$(QT_QPA_PLATFORM=offscreen "$bin/halluscope" --version 2>/dev/null)" = "HalluScope $version" ] || fail "halluscope --version"
  zcat "$man1/halluscope.1.gz" | grep -q -- '--screenshot' || fail "halluscope(1) lacks its options"
  desktop-file-validate "$root"/usr/share/applications/*.desktop || fail "desktop-file-validate"
  appstreamcli validate --no-net --explain "$root"/usr/share/metainfo/*.metainfo.xml || fail "appstreamcli validate"
  icon=$(sed -n 's/^Icon=//p' "$root"/usr/share/applications/*.desktop)
  for size in scalable/apps/$icon.svg 48x48/apps/$icon.png 256x256/apps/$icon.png; do
    [ -f "$root/usr/share/icons/hicolor/$size" ] || fail "icon $size missing"
  done
fi

# Depends: every package name is real, and covers every library the executables link.
IFS=', ' read -r -a wanted <<<"$(sed 's/ ([^)]*)//g' <<<"$depends")"
for p in "${wanted[@]}"; do
  dpkg-query -W "$p" >/dev/null 2>&1 || apt-cache show "$p" >/dev/null 2>&1 || fail "Depends names '$p', which is no package"
done
for exe in "$bin"/*; do
  for lib in $(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    path=$(ldd "$exe" | awk -v l="$lib" '$1 == l { print $3 }')
    case "$path" in "$root"/*) continue ;; esac   # shipped inside the package
    real=$(readlink -f "$path")
    owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || true)
    owner=${owner%%:*}
    [ -n "$owner" ] || fail "$(basename "$exe") links $lib ($real), which no Debian package owns"
    printf '%s\n' "${wanted[@]}" | grep -qx "$owner" || fail "$(basename "$exe") links $lib from $owner, missing in Depends"
  done
done
echo "package test passed"
