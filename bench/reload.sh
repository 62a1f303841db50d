#!/usr/bin/env bash
# Reload under load (issue 17): wrk on the seed story for SECONDS_PER_RUN
# seconds without a reload, then again while SIGHUP is sent ten times
# (gazette.conf's site_name changed before each, so every reload builds a
# new generation and empties the page cache). Prints req/s, p99 and wrk's
# errors (socket errors and non-2xx answers) for both runs: the reload run
# must show no error. Started as root, the server runs as nobody (a root
# server confines itself to the site folder and cannot read the default
# theme again, so its reloads would only reopen the log).
#   bench/reload.sh            CONNS (64), SECONDS_PER_RUN (10) may be set
source "$(dirname "$0")/lib.sh"
SECS=${SECONDS_PER_RUN:-10}
CONNS=${CONNS:-64}
STORY=/2024/07/05/pakistan-azerbaijan-ties-strengthening-bonds-for-development

make_site "$WORK/site" 50
port=$(free_port)
if [ "$(id -u)" -eq 0 ]; then
	chmod 755 "$WORK"
	chown -R nobody: "$WORK/site"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$GAZETTE" serve --site "$WORK/site" --listen "127.0.0.1:$port" >"$WORK/gazette.log" 2>&1 &
else
	"$GAZETTE" serve --site "$WORK/site" --listen "127.0.0.1:$port" >"$WORK/gazette.log" 2>&1 &
fi
pid=$!
PIDS+=("$pid")
URL="http://127.0.0.1:$port$STORY"
wait_http "$URL"
wrk -t2 -c"$CONNS" -d2s "$URL" >/dev/null # warm up

summary() { # label wrk-output-file
	local rps p99 sock non2xx
	rps=$(awk '/Requests\/sec/ {print $2}' "$2")
	p99=$(awk '$1 == "99%" {print $2}' "$2")
	sock=$(grep -o 'Socket errors:.*' "$2" || echo 'Socket errors: none')
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
	printf '%-10s %10s req/s  p99 %-9s non-2xx %-5s %s\n' "$1" "$rps" "$p99" "${non2xx:-0}" "$sock"
}

wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$URL" >"$WORK/plain.txt"
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$URL" >"$WORK/reload.txt" &
wrkpid=$!
gap=$(awk -v s="$SECS" 'BEGIN { printf "%.2f", s / 11 }')
for i in $(seq 10); do
	sleep "$gap"
	sed -i "s/^site_name = .*/site_name = The Gazette, edition $i/" "$WORK/site/gazette.conf"
	kill -HUP "$pid"
done
wait "$wrkpid"
echo "wrk -t2 -c$CONNS -d${SECS}s on the seed story (50 comments); 10 SIGHUPs in the second run"
summary "no reload" "$WORK/plain.txt"
summary "10 reloads" "$WORK/reload.txt"
echo "reloads logged: $(grep -c 'reload: gazette.conf and the theme reloaded' "$WORK/gazette.log"), refused: $(grep -c 'reload: .*serving on' "$WORK/gazette.log" || true)"
grep -q "edition 10" <(curl -fs "$URL") && echo "the last site_name is served" || { echo "the last site_name is NOT served" >&2; exit 1; }
