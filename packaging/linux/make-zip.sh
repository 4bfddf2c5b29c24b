#!/usr/bin/env bash
# Builds tmail-VERSION-linux-x86_64.zip: the dist/ layout plus lib/ (every library the
# binaries and plugins need that a plain Debian/Ubuntu does not guarantee) and plugins/,
# with RUNPATH $ORIGIN/lib, so that it runs where Qt is not installed.
# Usage: [BUILD_DIR=DIR] [OUT_DIR=DIR] make-zip.sh   (prints the zip's path last)
# Without BUILD_DIR it builds in build-zip/ first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/.*TMAIL_VERSION=\\\\\\"\([^\\]*\)\\\\\\".*/\1/p' "$root/common.pri")
[ -n "$version" ] || { echo "make-zip: no TMAIL_VERSION in common.pri" >&2; exit 1; }
out_dir=${OUT_DIR:-$root}
name="tmail-$version-linux-x86_64"

for tool in patchelf zip ldd; do
    command -v "$tool" >/dev/null || { echo "make-zip: $tool is missing (apt-get install patchelf zip)" >&2; exit 1; }
done

if [ -z "${BUILD_DIR:-}" ]; then
    BUILD_DIR="$root/build-zip"
    mkdir -p "$BUILD_DIR"
    (cd "$BUILD_DIR" && qmake6 -r "$root/tmail.pro" >/dev/null && make -s -j"$(nproc)" sub-shared sub-server sub-gui) >&2
fi
[ -x "$BUILD_DIR/server/tmail" ] || { echo "make-zip: $BUILD_DIR/server/tmail is missing" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dist="$stage/$name"
"$root/packaging/linux/make-dist.sh" "$BUILD_DIR" "$dist" >&2
# Never ship a key, a live config or data: run makes them on first start.
rm -f "$dist/ssl/"* "$dist/conf/tmail.cfg"
rm -rf "$dist/db/"* "$dist/store/"*
install -m 600 "$root/packaging/linux/tmail.service" "$dist/conf/tmail.service"
install -m 644 /dev/stdin "$dist/qt.conf" <<'CONF'
[Paths]
Prefix=.
Plugins=plugins
CONF

# Qt plugins the programs load.
qt_plugins=$(qmake6 -query QT_INSTALL_PLUGINS)
plugins="sqldrivers/libqsqlite.so sqldrivers/libqsqlmysql.so sqldrivers/libqsqlpsql.so
         tls/libqopensslbackend.so tls/libqcertonlybackend.so
         platforms/libqoffscreen.so platforms/libqminimal.so platforms/libqxcb.so
         xcbglintegrations/libqxcb-glx-integration.so xcbglintegrations/libqxcb-egl-integration.so
         imageformats/libqico.so imageformats/libqjpeg.so imageformats/libqgif.so"
for plugin in $plugins; do
    if [ -f "$qt_plugins/$plugin" ]; then
        install -D -m 644 "$qt_plugins/$plugin" "$dist/plugins/$plugin"
    fi
done

# Libraries every glibc system has, and the X/GL stack that comes with the machine's
# display (its drivers must match): left out. Everything else ldd resolves goes in lib/.
is_system_lib() {
    case "$1" in
        linux-vdso.so*|ld-linux*|libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|libresolv.so*|libutil.so*) return 0 ;;
        libstdc++.so*|libgcc_s.so*) return 0 ;;
        # Qt's TLS backend loads the system's OpenSSL 3 by full path; a bundled copy that
        # tmail links would be a second instance in the process, and every handshake fails.
        libssl.so*|libcrypto.so*) return 0 ;;
        libGL.so*|libGLX.so*|libEGL.so*|libOpenGL.so*|libGLdispatch.so*|libgbm.so*|libdrm.so*) return 0 ;;
        libX11.so*|libX11-xcb.so*|libxcb.so.1|libXau.so*|libXdmcp.so*|libwayland-*) return 0 ;;
    esac
    return 1
}
mkdir -p "$dist/lib"
objects=("$dist/tmail")
[ -x "$dist/tmail-manager" ] && objects+=("$dist/tmail-manager")
while IFS= read -r -d '' plugin; do objects+=("$plugin"); done < <(find "$dist/plugins" -name '*.so' -print0)
for object in "${objects[@]}"; do
    while read -r lib arrow path _; do
        [ "$arrow" = "=>" ] || continue
        if [ "$path" = "not" ]; then
            echo "make-zip: $object needs $lib, which is not installed" >&2
            exit 1
        fi
        is_system_lib "$lib" && continue
        [ -f "$dist/lib/$lib" ] || install -m 644 "$(readlink -f "$path")" "$dist/lib/$lib"
    done < <(ldd "$object")
done

# Stripped before patchelf rewrites their headers (the other order can corrupt them).
strip --strip-unneeded "$dist/tmail"
[ -x "$dist/tmail-manager" ] && strip --strip-unneeded "$dist/tmail-manager"
# RUNPATH: the programs look in lib/, libraries beside themselves, plugins two levels up.
patchelf --set-rpath '$ORIGIN/lib' "$dist/tmail"
[ -x "$dist/tmail-manager" ] && patchelf --set-rpath '$ORIGIN/lib' "$dist/tmail-manager"
for lib in "$dist/lib/"*.so*; do
    patchelf --set-rpath '$ORIGIN' "$lib"
done
find "$dist/plugins" -name '*.so' -exec patchelf --set-rpath '$ORIGIN/../../lib' {} \;

mkdir -p "$out_dir"
zip_path="$(cd "$out_dir" && pwd)/$name.zip"
rm -f "$zip_path"
(cd "$stage" && zip -q -r -y "$zip_path" "$name")
echo "$zip_path"
