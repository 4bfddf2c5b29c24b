#!/usr/bin/env bash
# macOS zip: the dist/ layout with Qt bundled by macdeployqt. Not run on this project's
# Linux build machines; written to the Linux script's shape and untested.
# Usage: [BUILD_DIR=DIR] make-zip.sh   (prints the zip's path last)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/.*TMAIL_VERSION=\\\\\\"\([^\\]*\)\\\\\\".*/\1/p' "$root/common.pri")
name="tmail-$version-macos-$(uname -m)"
if [ -z "${BUILD_DIR:-}" ]; then
    BUILD_DIR="$root/build-zip"
    mkdir -p "$BUILD_DIR"
    (cd "$BUILD_DIR" && qmake -r "$root/tmail.pro" && make -s -j"$(sysctl -n hw.ncpu)") >&2
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dist="$stage/$name"
"$root/packaging/linux/make-dist.sh" "$BUILD_DIR" "$dist" >&2
rm -f "$dist/ssl/"*
install -m 644 "$root/packaging/macos/tmail.plist" "$dist/conf/tmail.plist"
# macdeployqt works on .app bundles; the executables are plain (CONFIG -= app_bundle), so
# deploy through a throwaway bundle and move Frameworks/ and PlugIns/ next to them.
app="$stage/deploy.app/Contents/MacOS"
mkdir -p "$app"
cp "$dist/tmail" "$dist/tmail-manager" "$app/"
macdeployqt "$stage/deploy.app" -executable="$app/tmail" -executable="$app/tmail-manager" \
    -libpath="$BUILD_DIR" >&2
mv "$stage/deploy.app/Contents/Frameworks" "$dist/lib"
mv "$stage/deploy.app/Contents/PlugIns" "$dist/plugins"
cp "$app/tmail" "$app/tmail-manager" "$dist/"
for binary in "$dist/tmail" "$dist/tmail-manager"; do
    install_name_tool -add_rpath @executable_path/lib "$binary" 2>/dev/null || true
done
printf '[Paths]\nPrefix=.\nPlugins=plugins\n' > "$dist/qt.conf"
zip_path="${OUT_DIR:-$root}/$name.zip"
(cd "$stage" && ditto -c -k --keepParent "$name" "$zip_path")
echo "$zip_path"
