#!/usr/bin/env bash
# bench/lighthouse.sh: Lighthouse's performance audit of demo pages, as a
# phone (390 x 844 CSS pixels, 3x, Lighthouse's mobile throttling) and as
# a desktop (1366 x 768), in Debian's chromium. Goal (issue 14): the demo
# story with five pictures scores >= 0.95 on the phone, CLS 0, total
# transfer under 350 KB. Lighthouse is installed into bench/lighthouse/
# from its lockfile on first use (npm ci); make test does not need it.
# By default it audits the home page and the demo story with five photos
# (demo/stories/16-hubble-extreme-deep-field.md); PAGES may name other
# paths (space separated).
source "$(dirname "$0")/lib.sh"
LH=$ROOT/bench/lighthouse
[ -x "$LH/node_modules/.bin/lighthouse" ] || npm ci --prefix "$LH" --no-audit --no-fund >/dev/null
"$GAZETTE" init --demo --site "$WORK/site" >/dev/null
port=$(free_port); start_gazette "$WORK/site" "$port"
PAGES=${PAGES:-"/ /2024/07/04/hubbles-deepest-view-thousands-of-galaxies"}
FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
printf '%-70s %-8s %6s %6s %10s %8s\n' page device score CLS "bytes" "LCP ms"
for page in $PAGES; do
	for device in phone desktop; do
		if [ $device = phone ]; then
			form="--form-factor=mobile --screenEmulation.width=390 --screenEmulation.height=844 --screenEmulation.deviceScaleFactor=3"
		else
			form="--preset=desktop"
		fi
		# shellcheck disable=SC2086
		CHROME_PATH=/usr/bin/chromium "$LH/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$page" \
			--only-categories=performance $form --chrome-flags="$FLAGS" \
			--output=json --output-path="$WORK/lh.json" --quiet
		node -e '
const r = require(process.argv[1]);
const a = r.audits;
console.log([process.argv[2].padEnd(70), process.argv[3].padEnd(8),
  String(r.categories.performance.score).padStart(6),
  String(a["cumulative-layout-shift"].numericValue.toFixed(3)).padStart(6),
  String(a["total-byte-weight"].numericValue).padStart(10),
  String(Math.round(a["largest-contentful-paint"].numericValue)).padStart(8)].join(" "));
' "$WORK/lh.json" "$page" "$device"
	done
done
