#!/usr/bin/env bash
# CI-only: the generated HTML pages in Debian's headless Chromium, at 1400 px and 390 px wide.
#   Scripts/check-html.sh [page.html ...]   (default: the atlas from the committed snapshot and a
#                                            matrix report of one row, both rendered here)
# matrix.html (the first page) must stay under 300 KB. For each page and width: no horizontal overflow of the page (scrollWidth <= the window), and on
# an atlas page the legend's and the grid's left borders drawn as promised (computed style, not the
# CSS text). Screenshots land in .build/html-check/ for a person to look at.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v chromium >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=600 install -y chromium >/dev/null
fi
out="$root/.build/html-check"
rm -rf "$out"; mkdir -p "$out"
pages=("$@")
if [ ${#pages[@]} -eq 0 ]; then
  swift build --product omp-matrix >/dev/null
  bin="$root/.build/debug/omp-matrix"
  key=$(ls Matrices/atlas/*.json | head -1)
  "$bin" atlas --from "$key" --format html --output "$out/atlas.html" || [ $? -eq 4 ]
  swift build -c release --product omp-probe >/dev/null
  OMP_PROBE="$root/.build/release/omp-probe" "$bin" run --row linux-cpu-training --output "$out/results.json" >/dev/null || [ $? -le 1 ]
  # The two pages as Scripts/run-matrix.sh writes them.
  "$bin" report "$out/results.json" --format html --cells-page matrix-cells.html --output "$out/matrix.html"
  "$bin" report "$out/results.json" --format html-cells --output "$out/matrix-cells.html"
  pages=("$out/atlas.html" "$out/matrix.html" "$out/matrix-cells.html")
fi
# The probe appended to a copy of each page: what the browser computed, posted to the harness
# page, which shows the copy in a frame of the width under test (a headless window is at least
# 500 px wide, so 390 px is a frame) and writes the message into its own DOM for --dump-dom.
probe='<script>
window.addEventListener("load", function () {
  var r = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
  var sw = document.querySelector(".legend .sw[class*=\"w-\"]");
  if (sw) { var s = getComputedStyle(sw); r.legendBorder = s.borderLeftWidth + " " + s.borderLeftColor; }
  var td = document.querySelector(".grid td.w-duplicate-runtime-abort, .grid td.w-pass");
  if (td) { var t = getComputedStyle(td); r.gridBorder = t.borderLeftWidth + " " + t.borderLeftColor; }
  parent.postMessage("HTMLCHECK " + JSON.stringify(r), "*");
});
</script>'
harness() { # width, frame file
  cat <<EOT
<!DOCTYPE html><html><body style="margin:0">
<iframe src="$(basename "$2")" style="width:$1px;height:1600px;border:0"></iframe>
<script>window.addEventListener("message", function (e) {
  var p = document.createElement("pre"); p.textContent = e.data; document.body.appendChild(p); });</script>
</body></html>
EOT
}
failed=0
for page in "${pages[@]}"; do
  name=$(basename "$page" .html)
  size=$(wc -c < "$page")
  echo "$name: $size bytes"
  # The first page of the matrix report stays small enough to open on a phone (the default run's is about 250 KB).
  if [ "$name" = matrix ] && [ "$size" -gt 300000 ]; then echo "  FAIL matrix.html is $size bytes, over 300 KB"; failed=1; fi
  for width in 1400 390; do
    copy="$out/$name-$width-probe.html"
    # The copy drops the page's Content-Security-Policy (it forbids scripts) so the probe can run.
    { grep -v 'Content-Security-Policy' "$page"; printf '%s\n' "$probe"; } > "$copy"
    frame="$out/$name-$width-frame.html"
    harness "$width" "$copy" > "$frame"
    result=$(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$((width + 20)),1600" \
      --virtual-time-budget=8000 --dump-dom "file://$frame" 2>/dev/null | grep -o 'HTMLCHECK {[^<]*}' | head -1 || true)
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$((width + 20)),1600" \
      --virtual-time-budget=8000 --screenshot="$out/$name-$width.png" "file://$frame" >/dev/null 2>&1 || true
    echo "  $width px: ${result:-no result}"
    if [ -z "$result" ]; then failed=1; continue; fi
    python3 - "$result" "$width" "$name" <<'EOF' || failed=1
import json, sys
r = json.loads(sys.argv[1].split(" ", 1)[1]); width = int(sys.argv[2]); name = sys.argv[3]
bad = []
if r["scrollWidth"] > r["innerWidth"]:
    bad.append(f"the page is {r['scrollWidth']} px wide in a {r['innerWidth']} px window")
for key in ("legendBorder", "gridBorder"):
    if name.startswith("atlas"):
        v = r.get(key, "")
        if not v.startswith("5px") or v.endswith("rgb(187, 187, 187)"):
            bad.append(f"{key} is '{v}', not the outcome's 5 px coloured left border")
for b in bad: print(f"  FAIL {name} at {width} px: {b}")
sys.exit(1 if bad else 0)
EOF
  done
done
echo "screenshots: $out/*.png"
exit "$failed"
