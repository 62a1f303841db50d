#!/bin/sh
# Fails (exit 1) when a theme template carries what the site's
# Content-Security-Policy blocks (style-src and script-src 'self'): a
# style="" attribute, a <style> element, or a <script> without src=
# (JSON-LD, type="application/ld+json", is data and runs nothing).
# The browser would silently drop it, so the page would look or behave
# differently from what the template says. Use a class in the theme's CSS
# and a script file under the theme instead.
#   tests/lint/themes.sh [ROOT]   (ROOT defaults to the repository; ROOT/themes is checked)
root=${1:-$(dirname "$0")/../..}
cd "$root" || exit 2
files=$(find themes -type f -name '*.html' 2>/dev/null | sort)
[ -n "$files" ] || { echo "themes.sh: no templates under $root/themes"; exit 2; }
# shellcheck disable=SC2086
hits=$(grep -niE '[[:space:]]style[[:space:]]*=|<style[[:space:]>]|<script([[:space:]][^>]*)?>' $files |
	sed -E 's#<script[^>]*[[:space:]](src[[:space:]]*=|type="application/ld\+json")[^>]*>##gI' |
	grep -iE '[[:space:]]style[[:space:]]*=|<style[[:space:]>]|<script')
if [ -n "$hits" ]; then
	echo "templates with inline style or script (blocked by the CSP; use a CSS class or a script file):"
	echo "$hits"
	exit 1
fi
echo "themes.sh: no inline style or script in themes/"
