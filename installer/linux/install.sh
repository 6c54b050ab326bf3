#!/bin/sh
# Install the unpacked Posko bundle for the current user (no root, no Python needed):
#   tar xzf posko-VERSION-linux-x86_64.tar.gz && posko/install.sh
# copies the bundle to ~/.local/opt/posko, links ~/.local/bin/posko and adds the menu
# entry and icon. `install.sh --uninstall` removes them again (never your data folder,
# ~/.local/share/posko).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
OPT=$HOME/.local/opt/posko
BIN=$HOME/.local/bin
if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$OPT" "$BIN/posko" "$DATA/applications/posko.desktop" \
        "$DATA/icons/hicolor/256x256/apps/posko.png"
    echo "Posko removed (your data in $DATA/posko is untouched)"
    exit 0
fi
if [ "$HERE" != "$OPT" ]; then
    rm -rf "$OPT.new"
    mkdir -p "$(dirname "$OPT")"
    cp -a "$HERE" "$OPT.new"
    rm -rf "$OPT"
    mv "$OPT.new" "$OPT"
fi
mkdir -p "$BIN" "$DATA/applications" "$DATA/icons/hicolor/256x256/apps"
ln -sf "$OPT/posko" "$BIN/posko"
cp "$OPT/share/posko.png" "$DATA/icons/hicolor/256x256/apps/posko.png"
sed -e "s|^Exec=posko|Exec=$OPT/posko|" -e "s|^TryExec=posko|TryExec=$OPT/posko|" \
    "$OPT/share/posko.desktop" > "$DATA/applications/posko.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
echo "Posko installed in $OPT; run 'posko' ($BIN must be on PATH) or pick Posko in the menu"
