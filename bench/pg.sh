#!/usr/bin/env bash
# PostgreSQL against SQLite on one node, in the same run (issue 16):
#  1. the uncached story page (--no-cache: every request renders from the
#     store), the same demo content and 50 comments on both, wrk -c64,
#     ROUNDS interleaved rounds; the ratio PG/SQLite, and where the time
#     goes: per request, the time spent in database statements (/metrics'
#     gazette_db_seconds_total, the node's own clock around each statement)
#     against the whole answer; PERF=1 adds `perf record -a` during each
#     store's first round (time by process: gazette, postgres, wrk; top symbols);
#  2. durable comments/s: posts answered 303 after their commit, SQLite with
#     synchronous=FULL, PostgreSQL with fsync and synchronous_commit on
#     (the group commit of bench/comments.sh; goal PG >= 2,000/s), and on
#     PostgreSQL where its time goes: statements per stored comment and
#     comments per COMMIT (the group commit's batch), from
#     pg_stat_statements.
# The server is tests/unit/with_pg.sh's (a throwaway cluster in /tmp, fsync
# turned back on here). ROUNDS, SECONDS_PER_RUN, THREADS may be set;
# ONLY=comments runs part 2 alone, STORES=pg (or lite) one store of it,
# POSTERS its connections (8); PERF=1 also profiles the posting (the whole
# machine, by process); STATEMENTS=1 lists PostgreSQL's statements by calls.
if [ -z "${GAZETTE_TEST_PG:-}" ]; then
	PG_OPTS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_utility=on ${PG_OPTS:-}" \
		exec "$(dirname "$0")/../tests/unit/with_pg.sh" "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER_RUN:-8}
CONNS=64
STORY=/2024/07/05/pakistan-azerbaijan-ties-strengthening-bonds-for-development
PGURL="postgresql://gazette@127.0.0.1:$PGPORT"

psql -X -q -d "$PGURL/postgres" -c 'CREATE DATABASE bench_post'

# ---- the uncached story page, both stores interleaved
pages() {
	psql -X -q -d "$PGURL/postgres" -c 'CREATE DATABASE bench_read'
	make_site "$WORK/lite" 50
	make_site "$WORK/pg" 50 "$PGURL/bench_read"
	for s in lite pg; do printf 'metrics_allow = 127.0.0.1\n' >>"$WORK/$s/gazette.conf"; done
	lp=$(free_port); start_gazette "$WORK/lite" "$lp" --no-cache
	pp=$(free_port); start_gazette "$WORK/pg" "$pp" --no-cache
	port() { [ "$1" = lite ] && echo "$lp" || echo "$pp"; }

	# the same page from both: comments and story text (the form stamps differ)
	page() { curl -fs "http://127.0.0.1:$(port "$1")$STORY" | sed 's/name="gz_ts" value="[^"]*"//g; s/name="gz_sig" value="[^"]*"//g'; }
	lc=$(page lite | grep -c 'class="comment depth'); pc=$(page pg | grep -c 'class="comment depth')
	[ "$lc" = 50 ] && [ "$pc" = 50 ] || { echo "comments on the page: SQLite $lc, PostgreSQL $pc (want 50)" >&2; exit 1; }
	cmp -s <(page lite) <(page pg) || echo "note: the two pages differ (diff <(page lite) <(page pg))" >&2

	# seconds in the database and in whole answers, and answers, so far
	metric() { # store -> "db_seconds duration_seconds count"
		curl -fs "http://127.0.0.1:$(port "$1")/metrics" | awk '
			/^gazette_db_seconds_total\{/ { db += $NF }
			/^gazette_http_request_duration_seconds_sum\{/ { t += $NF }
			/^gazette_http_request_duration_seconds_count\{/ { n += $NF }
			END { printf "%.9f %.9f %d\n", db, t, n }'
	}

	for s in lite pg; do wrk -t2 -c$CONNS -d2s "http://127.0.0.1:$(port $s)$STORY" >/dev/null; done
	: >"$WORK/r-lite"; : >"$WORK/r-pg"
	echo "uncached story page ($(page lite | wc -c) bytes, 50 comments): wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS interleaved rounds, THREADS=${THREADS:-4}"
	printf '%-6s %-12s %10s %8s %12s %12s %8s\n' round store req/s p99_ms us/request db_us/req db_share
	for r in $(seq "$ROUNDS"); do
		for s in lite pg; do
			read -r db0 t0 n0 < <(metric $s)
			if [ "${PERF:-}" = 1 ] && [ "$r" = 1 ]; then
				# the whole machine: PostgreSQL's backends are other processes
				perf record -a -o "$WORK/perf-$s.data" -- sleep "$SECS" >/dev/null 2>&1 &
				perfpid=$!
			fi
			read -r rps p99 < <(wrk_rate "http://127.0.0.1:$(port $s)$STORY" $CONNS "$SECS")
			[ -n "${perfpid:-}" ] && { wait "$perfpid" || true; perfpid=; }
			read -r db1 t1 n1 < <(metric $s)
			echo "$rps" >>"$WORK/r-$s"
			awk -v r="$r" -v s="$s" -v rps="$rps" -v p99="$p99" -v db0="$db0" -v db1="$db1" \
				-v t0="$t0" -v t1="$t1" -v n="$((n1 - n0))" 'BEGIN {
				if (n < 1) n = 1
				db = db1 - db0; t = t1 - t0; share = 0
				if (t > 0) share = 100 * db / t
				name = "postgresql"; if (s == "lite") name = "sqlite"
				printf "%-6s %-12s %10s %8s %12.1f %12.1f %7.0f%%\n", r, name, rps, p99, t / n * 1e6, db / n * 1e6, share }'
		done
	done
	medians lite pg
	source "$WORK/medians"
	awk -v l="$lite" -v p="$pg" 'BEGIN { printf "ratio postgresql/sqlite, uncached story page: %.2f\n", p / l }'
	if [ "${PERF:-}" = 1 ]; then
		for s in lite pg; do
			echo "--- perf, $s: by process, then the top symbols"
			perf report -i "$WORK/perf-$s.data" --sort comm --stdio 2>/dev/null | grep '%' | head -n 6
			perf report -i "$WORK/perf-$s.data" --sort comm,dso,symbol --stdio 2>/dev/null | grep '%' | head -n 20
		done
	fi
	kill "${PIDS[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	PIDS=()
}
[ "${ONLY:-}" = comments ] || pages

# ---- durable comments/s, one store after the other (a cached node, as served)
echo
printf '%-12s %10s %12s %10s\n' store posts/s stored/s non-303
for s in ${STORES:-lite pg}; do
	site="$WORK/post-$s"
	if [ $s = pg ]; then make_site "$site" 50 "$PGURL/bench_post"; else make_site "$site" 50; fi
	printf 'trusted_proxy = 127.0.0.1\n' >>"$site/gazette.conf"
	p=$(free_port); start_gazette "$site" "$p"
	GZ_TS=$(curl -fs "http://127.0.0.1:$p$STORY" | sed -n 's/.*name="gz_ts" value="\([^"]*\)".*/\1/p' | head -1)
	export GZ_TS
	[ -n "$GZ_TS" ] || { echo "no form stamp on the page" >&2; exit 1; }
	before=$(site_sql "$site" "SELECT count(*) FROM comments")
	[ $s = pg ] && site_sql "$site" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
	if [ "${PERF:-}" = 1 ]; then
		perf record -a -o "$WORK/perf-post-$s.data" -- sleep "$SECS" >/dev/null 2>&1 &
		perfpid=$!
	fi
	wrk -t1 -c"${POSTERS:-8}" -d"${SECS}s" -s "$ROOT/bench/post_comment.lua" "http://127.0.0.1:$p" >"$WORK/post-$s.out"
	if [ -n "${perfpid:-}" ]; then
		wait "$perfpid" || true
		perfpid=
		echo "--- perf, posting on $s: by process, then the top symbols"
		perf report -i "$WORK/perf-post-$s.data" --no-children --sort comm --stdio 2>/dev/null | grep '%' | head -n 6
		perf report -i "$WORK/perf-post-$s.data" --no-children --sort comm,dso,symbol --stdio 2>/dev/null | grep "%" | head -n 40
	fi
	after=$(site_sql "$site" "SELECT count(*) FROM comments")
	awk -v s="$s" -v a="$((after - before))" -v secs="$SECS" -v rps="$(awk '/Requests\/sec/ {print $2}' "$WORK/post-$s.out")" \
		-v bad="$(awk '/Non-2xx/ {print $NF}' "$WORK/post-$s.out")" 'BEGIN {
		name = "postgresql"; if (s == "lite") name = "sqlite"
		if (bad == "") bad = 0
		printf "%-12s %10.0f %12.0f %10s\n", name, rps, a / secs, bad }'
	echo "$(((after - before) / SECS))" >"$WORK/c-$s"
	[ $s = pg ] && site_sql "$site" "SELECT round(sum(calls) FILTER (WHERE query <> 'COMMIT')::numeric / $((after - before)), 1),
		round($((after - before))::numeric / NULLIF(sum(calls) FILTER (WHERE query = 'COMMIT'), 0), 2)
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())" |
		awk -F'|' '{ printf "postgresql: %s statements per stored comment, %s comments per COMMIT\n", $1, $2 }'
	[ $s = pg ] && [ "${STATEMENTS:-}" = 1 ] && site_sql "$site" "SELECT calls, round(total_exec_time::numeric, 1) AS ms,
		left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY calls DESC LIMIT 25"
done
echo "goal: postgresql >= 2000 stored comments/s (got $(cat "$WORK/c-pg"))"
