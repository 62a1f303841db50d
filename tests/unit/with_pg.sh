#!/bin/sh
# Runs a command against a PostgreSQL server of its own: initdb in a new
# temporary folder, the server on 127.0.0.1 at a free port (its Unix socket
# in that folder; fsync, synchronous_commit and full_page_writes off: a
# throwaway cluster), run as `nobody` when we are root (PostgreSQL
# refuses root), then stopped (immediate) and the folder removed, whatever
# the command's outcome. The command gets PGHOST, PGPORT, PGUSER and
# PGDATABASE, and GAZETTE_TEST_PG, the same as a libpq connection string
# (a test connects only with that one, so a PGHOST of the caller's never
# names a server a test would write to), and GAZETTE_TEST_PG_TMP, that
# folder, for files the run keeps beside the server (helpers.js's template
# sites); its exit status is this script's.
#   tests/unit/with_pg.sh COMMAND [ARG...]
# PG_BIN: the server's binaries (default Debian's PostgreSQL 15); PG_OPTS:
# more server options, after (so over) ours (bench/pg.sh: fsync on).
set -eu
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ]; then
	echo "with_pg.sh: no PostgreSQL server in $bin (./scripts/install-deps.sh --test installs postgresql-15)" >&2
	exit 2
fi
dir=$(mktemp -d /tmp/gazette-pg.XXXXXX)
as=""
if [ "$(id -u)" -eq 0 ]; then
	chown nobody "$dir"
	as="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
fi
stop() {
	$as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
$as "$bin/initdb" -D "$dir/data" -U gazette --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 2; }
# A free port: the kernel's choice for a socket just closed (a race with
# another process is retried below).
tries=0
while :; do
	port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
	if $as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_OPTS:-}" start >/dev/null 2>&1; then
		break
	fi
	tries=$((tries + 1))
	if [ "$tries" -ge 3 ]; then
		cat "$dir/server.log" >&2
		exit 2
	fi
done
rc=0
GAZETTE_TEST_PG="host=127.0.0.1 port=$port user=gazette dbname=postgres" GAZETTE_TEST_PG_TMP=$dir \
	PGHOST=127.0.0.1 PGPORT=$port PGUSER=gazette PGDATABASE=postgres "$@" || rc=$?
exit "$rc"
