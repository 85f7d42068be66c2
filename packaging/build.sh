#!/usr/bin/env bash
# Build the hpt-gui app from a clean virtual environment, in one command (Linux, macOS).
#
#     bash packaging/build.sh            (from anywhere; the repository is found from here)
#
# 1. creates a temporary venv with $PYTHON (default python3, must be 3.11 or later),
# 2. pip installs the repository with its `packaging` extra (not editable),
# 3. runs PyInstaller with packaging/hpt_gui.spec -> packaging/dist/hpt-gui/ and prints
#    the build time and the bundle size,
# 4. Linux: packaging/dist/hpt-gui-<version>-linux-<arch>.tar.gz (the folder, the icon,
#    hpt-gui.desktop and install.sh);
#    macOS: packaging/dist/hpt-gui.app and packaging/dist/hpt-gui-<version>-macos-<arch>.dmg.
#
# Environment: PYTHON (interpreter for the venv), KEEP_VENV=1 (print and keep the venv),
# PIP_ARGS (extra pip install arguments, e.g. a --constraint file).
# Needs network access to PyPI (or a configured index). Build artefacts stay out of git.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
DIST="$ROOT/packaging/dist"
WORK="$ROOT/packaging/build"

"$PYTHON" - <<'PY' || { echo "build.sh: $PYTHON must be Python 3.11 or later" >&2; exit 1; }
import sys
sys.exit(sys.version_info < (3, 11))
PY
VERSION=$("$PYTHON" packaging/version_info.py)
OS=$(uname -s)
ARCH=$(uname -m)
echo "== hpt-gui $VERSION for $OS $ARCH"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hpt-build.XXXXXX")
cleanup() {
    if [ "${KEEP_VENV:-0}" = 1 ]; then echo "venv kept: $TMP/venv"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
start=$(date +%s)

echo "== clean virtual environment in $TMP/venv ($("$PYTHON" --version))"
"$PYTHON" -m venv "$TMP/venv"
VPY="$TMP/venv/bin/python"
"$VPY" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2086
"$VPY" -m pip install --quiet ${PIP_ARGS:-} "$ROOT[packaging]"
"$VPY" -m pip list --format=freeze > "$TMP/versions.txt"
grep -iE '^(hpt-gui|pyinstaller|pyside6|scikit-learn|numpy|joblib|optuna)' "$TMP/versions.txt" \
    | sed 's/^/   /'
installed=$(date +%s)
echo "   installed in $(( installed - start )) s"

echo "== PyInstaller (packaging/hpt_gui.spec)"
rm -rf "$DIST/hpt-gui" "$DIST/hpt-gui.app"
"$VPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath "$WORK" --distpath "$DIST" packaging/hpt_gui.spec
built=$(date +%s)
BUNDLE="$DIST/hpt-gui"
[ -x "$BUNDLE/hpt-gui" ] || { echo "build.sh: no $BUNDLE/hpt-gui" >&2; exit 1; }
echo "   PyInstaller took $(( built - installed )) s"
"$BUNDLE/hpt-gui" models > /dev/null \
    || { echo "build.sh: the frozen 'hpt-gui models' failed" >&2; exit 1; }
echo "   the frozen 'hpt-gui models' runs"

if [ "$OS" = Linux ]; then
    # Qt's xcb platform plugin needs these; PyInstaller bundles them only when the build
    # machine has them (apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1).
    for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1; do
        [ -e "$BUNDLE/_internal/$lib" ] || echo "WARNING: $lib is not in the bundle; " \
            "the window will need it on the user's machine (install it here and rebuild)"
    done
    NAME="hpt-gui-$VERSION-linux-$ARCH"
    echo "== $DIST/$NAME.tar.gz"
    STAGE="$TMP/stage/$NAME"
    mkdir -p "$STAGE"
    cp -R "$BUNDLE" "$STAGE/hpt-gui"
    cp hpt_gui/resources/hpt-gui.png packaging/linux/hpt-gui.desktop "$STAGE/"
    cp packaging/linux/install.sh "$STAGE/install.sh"
    chmod 755 "$STAGE/install.sh"
    tar -C "$TMP/stage" -czf "$DIST/$NAME.tar.gz" "$NAME"
    PACKAGE="$DIST/$NAME.tar.gz"
elif [ "$OS" = Darwin ]; then
    APP="$DIST/hpt-gui.app"
    [ -d "$APP" ] || { echo "build.sh: the spec made no $APP" >&2; exit 1; }
    NAME="hpt-gui-$VERSION-macos-$ARCH"
    echo "== $DIST/$NAME.dmg"
    STAGE="$TMP/dmg"
    mkdir -p "$STAGE"
    # ditto keeps the bundle's symlinks, extended attributes and (ad-hoc) signature.
    ditto "$APP" "$STAGE/hpt-gui.app"
    ln -s /Applications "$STAGE/Applications"  # drag the app onto it to install
    rm -f "$DIST/$NAME.dmg"
    hdiutil create -volname "hpt-gui $VERSION" -srcfolder "$STAGE" -fs HFS+ \
        -format UDZO -ov "$DIST/$NAME.dmg"
    PACKAGE="$DIST/$NAME.dmg"
    echo "   app bundle: $(du -sh "$APP" | cut -f1)"
else
    echo "build.sh: $OS is not Linux or macOS; on Windows use packaging/build.ps1" >&2
    exit 1
fi

end=$(date +%s)
echo "== done in $(( end - start )) s (install $(( installed - start )) s," \
    "PyInstaller $(( built - installed )) s, package $(( end - built )) s)"
echo "   bundle:  $BUNDLE  $(du -sh "$BUNDLE" | cut -f1), $(find "$BUNDLE" -type f | wc -l) files"
echo "   package: $PACKAGE  $(du -sh "$PACKAGE" | cut -f1)"
