# bench/lib.sh: helpers shared by the benchmark scripts (sourced).
# Every server here listens on 127.0.0.1 only and is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GAZETTE=${GAZETTE_BIN:-$ROOT/gazette}
WORK=$(mktemp -d /tmp/gazette-bench-XXXXXX)
chmod 755 "$WORK" # nginx workers read from it as www-data
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url [tries of 50 ms]
	for _ in $(seq "${2:-100}"); do
		curl -fs -o /dev/null "$1" && return 0
		sleep 0.05
	done
	echo "server at $1 did not come up" >&2
	return 1
}

# A demo site whose seed story has $1 approved comments in all; with a third
# argument, a postgresql:// URL, the site lives in that (empty) database.
make_site() { # dir ncomments [db-url]
	if [ -n "${3:-}" ]; then
		"$GAZETTE" init --demo --db "$3" --site "$1" >/dev/null
	else
		"$GAZETTE" init --demo --site "$1" >/dev/null
	fi
	printf 'comment_min_seconds = 0\ncomment_rate_per_minute = 100000000\nper_ip_connections = 10000\nthreads = %s\n' "${THREADS:-4}" >>"$1/gazette.conf"
	local have nl=char
	[ -n "${3:-}" ] && nl=chr
	have=$(site_sql "$1" "SELECT count(*) FROM comments WHERE story_id = 1 AND status = 1")
	site_sql "$1" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $(($2 - have)))
INSERT INTO comments(story_id, parent_id, author, email, url, body, body_html, status, created_at, ip)
SELECT 1, 0, 'Reader ' || i, 'reader' || i || '@example.com', '',
  'A thoughtful comment number ' || i || ' on the ties between Pakistan and Azerbaijan, with a second sentence about trade and energy.' ||
  $nl(10) || $nl(10) || 'And a second paragraph, as readers write them.',
  '<p>A thoughtful comment number ' || i || ' on the ties between Pakistan and Azerbaijan, with a second sentence about trade and energy.</p>' ||
  $nl(10) || '<p>And a second paragraph, as readers write them.</p>' || $nl(10), 1, 1720200000 + i * 60, '127.0.0.1' FROM n;
UPDATE stories SET comment_count = (SELECT count(*) FROM comments WHERE story_id = 1 AND status = 1) WHERE id = 1;"
	"$GAZETTE" threads --site "$1" >/dev/null # as an import leaves them
}

# SQL on a site's store: its gazette.db, or the database its conf names.
site_sql() { # dir sql
	local url
	url=$(sed -n 's/^[[:space:]]*db[[:space:]]*=[[:space:]]*\(postgres[^[:space:]]*\).*/\1/p' "$1/gazette.conf" | tail -n 1)
	if [ -n "$url" ]; then
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$2"
	else
		sqlite3 "$1/gazette.db" "$2"
	fi
}

start_gazette() { # site port [flags...]  (GAZETTE: the binary)
	local site=$1 port=$2
	shift 2
	# GAZETTE_OUT: where its output (the access log) goes, default a file
	"$GAZETTE" serve --site "$site" --listen "127.0.0.1:$port" "$@" >"${GAZETTE_OUT:-$WORK/gazette-$port.log}" 2>&1 &
	PIDS+=($!)
	wait_http "http://127.0.0.1:$port/"
}

# nginx serving one directory as static files, 2 workers (one per core).
# Both servers log every request unbuffered: nginx's default, Gazette's;
# with a third argument "nolog", nginx logs nothing (the physical limit).
start_nginx() { # root port [nolog]
	local log="$WORK/nginx-$2/access.log"
	[ "${3:-}" = nolog ] && log=off
	mkdir -p "$WORK/nginx-$2"
	cat >"$WORK/nginx-$2/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx-$2/nginx.pid;
error_log $WORK/nginx-$2/error.log;
events { worker_connections 4096; }
http {
  access_log $log; # a line per request, as Gazette writes (or off)
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { text/html html; }
  client_body_temp_path $WORK/nginx-$2; proxy_temp_path $WORK/nginx-$2;
  fastcgi_temp_path $WORK/nginx-$2; uwsgi_temp_path $WORK/nginx-$2; scgi_temp_path $WORK/nginx-$2;
  server { listen 127.0.0.1:$2; root $1; index index.html; }
}
CONF
	nginx -c "$WORK/nginx-$2/nginx.conf" -g 'daemon off;' &
	PIDS+=($!)
	wait_http "http://127.0.0.1:$2/"
}

# Requests per second (and p99 in ms) of one wrk run.
wrk_rate() { # url connections seconds [more wrk arguments, e.g. -s script.lua]
	local out url=$1 conns=$2 secs=$3
	shift 3
	out=$(wrk -t2 -c"$conns" -d"$secs"s --latency "$@" "$url")
	local rps p99
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
	if echo "$out" | grep -q "Non-2xx\|Socket errors"; then
		echo "$out" | grep "Non-2xx\|Socket errors" >&2
	fi
	echo "$rps ${p99:-0}"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# The median of each server's rates ($WORK/r-NAME, a rate per line) into
# $WORK/medians as NAME=RATE lines, printed.
medians() { # names...
	echo
	for who in "$@"; do printf '%s=%s\n' "$who" "$(median <"$WORK/r-$who")"; done >"$WORK/medians"
	cat "$WORK/medians"
}
