#!/bin/sh
# Install hpt-gui for the current user (no root needed), from the unpacked tarball:
#
#     ./install.sh               copy the app to ~/.local/share/hpt-gui, add it to the
#                                applications menu and link ~/.local/bin/hpt-gui
#     ./install.sh --uninstall   remove all three again
#
# XDG_DATA_HOME (default ~/.local/share) is honoured.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
APP_DIR="$DATA/hpt-gui"
DESKTOP="$DATA/applications/hpt-gui.desktop"
BIN="$HOME/.local/bin/hpt-gui"

refresh_menu() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APP_DIR"
    rm -f "$DESKTOP"
    if [ -L "$BIN" ] && [ "$(readlink "$BIN")" = "$APP_DIR/hpt-gui" ]; then rm -f "$BIN"; fi
    refresh_menu
    echo "hpt-gui removed (your projects and settings are left alone)."
    exit 0
fi
if [ $# -gt 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
fi
[ -x "$HERE/hpt-gui/hpt-gui" ] || { echo "no hpt-gui/hpt-gui next to $0" >&2; exit 1; }

# A fresh copy: files of an older version must not linger in _internal/.
rm -rf "$APP_DIR"
mkdir -p "$APP_DIR" "$DATA/applications"
cp -R "$HERE/hpt-gui/." "$APP_DIR/"
cp "$HERE/hpt-gui.png" "$APP_DIR/hpt-gui.png"

# The menu entry with absolute paths (the shipped file says Exec=hpt-gui, Icon=hpt-gui).
sed -e "s|^Exec=.*|Exec=\"$APP_DIR/hpt-gui\" %f|" \
    -e "s|^Icon=.*|Icon=$APP_DIR/hpt-gui.png|" \
    "$HERE/hpt-gui.desktop" > "$DESKTOP"
chmod 644 "$DESKTOP"

# The command line (hpt-gui run ..., hpt-gui export ...), when ~/.local/bin is usable.
if [ ! -e "$BIN" ] || [ -L "$BIN" ]; then
    mkdir -p "$(dirname "$BIN")"
    ln -sfn "$APP_DIR/hpt-gui" "$BIN"
fi
refresh_menu

echo "hpt-gui installed in $APP_DIR"
echo "  menu entry: $DESKTOP"
echo "  command:    $BIN (add ~/.local/bin to PATH if 'hpt-gui' is not found)"
