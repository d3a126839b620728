#!/usr/bin/env bash
# Build and smoke-test the Linux deliverables. Too slow for every CI run (a few minutes):
# run it by hand, or with `SPIE_PACKAGING=1 bash .ci/run`, and paste its output in the release note.
#   1. the wheel, installed (non-editable) in a fresh venv, exports the example to PDF;
#   2. the PyInstaller one-folder bundle: --version and a headless PDF export with it;
#   3. desktop-file-validate and appstreamcli on the desktop integration files.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-$(mktemp -d /tmp/spie-build.XXXXXX)}
export QT_QPA_PLATFORM=offscreen
echo "== répertoire de travail : $WORK"

echo "== 1. roue (wheel) et installation non éditable"
python3 -m venv "$WORK/build-env"
"$WORK/build-env/bin/pip" install -q build
"$WORK/build-env/bin/python" -m build --wheel --outdir "$WORK/dist" "$ROOT" >/dev/null
WHEEL=$(ls "$WORK"/dist/spie_desktop-*.whl)
echo "roue : $(basename "$WHEEL") ($(du -h "$WHEEL" | cut -f1))"
python3 -m venv "$WORK/wheel-env"
"$WORK/wheel-env/bin/pip" install -q "$WHEEL"
cd "$WORK"
"$WORK/wheel-env/bin/spie-desktop" --version
"$WORK/wheel-env/bin/spie-desktop" templates
EXAMPLE=$("$WORK/wheel-env/bin/python" -c "import sys; from spie_desktop.interchange import create_example_copy; print(create_example_copy(sys.argv[1]))" "$WORK/exemple")
echo "exemple : $EXAMPLE"
"$WORK/wheel-env/bin/spie-desktop" export pdf "$EXAMPLE" -o "$WORK/exemple-depuis-la-roue.pdf"
echo "PDF depuis la roue : $(du -h "$WORK/exemple-depuis-la-roue.pdf" | cut -f1)"
"$WORK/wheel-env/bin/spie-desktop" --quit-after-show "$EXAMPLE"
echo "fenêtre affichée puis fermée : OK"
cd "$ROOT"

echo "== 2. paquet PyInstaller (un dossier)"
"$WORK/wheel-env/bin/pip" install -q "pyinstaller>=6.10"
"$WORK/wheel-env/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$WORK/bundle" --workpath "$WORK/pyi-build" packaging/spie-desktop.spec
BUNDLE="$WORK/bundle/spie-desktop"
"$BUNDLE/spie-desktop" --version
"$BUNDLE/spie-desktop" export pdf "$EXAMPLE" -o "$WORK/exemple-depuis-le-paquet.pdf"
echo "PDF depuis le paquet : $(du -h "$WORK/exemple-depuis-le-paquet.pdf" | cut -f1)"
"$BUNDLE/spie-desktop" --quit-after-show "$EXAMPLE"
echo "fenêtre du paquet affichée puis fermée : OK"
echo "taille du paquet Linux : $(du -sh "$BUNDLE" | cut -f1)"
tar -C "$WORK/bundle" -czf "$WORK/spie-desktop-linux.tar.gz" spie-desktop
echo "archive : $(du -h "$WORK/spie-desktop-linux.tar.gz" | cut -f1)"

echo "== 3. intégration au bureau"
desktop-file-validate packaging/linux/fr.spie_desktop.SpieDesktop.desktop
echo "desktop-file-validate : OK"
appstreamcli validate --no-net packaging/linux/fr.spie_desktop.SpieDesktop.metainfo.xml
echo "== terminé"
