/*
 * store_front: the SQLite side of store_front.h.
 *
 * The one decision: expiry is a filter on every read (expires_at = 0 or
 * later than now), never a job that must run on time; rows past it are
 * deleted by the next front-page write, so they do not count against the
 * featured limit. Orders (featured pins, blocks) are renumbered 0..n-1 on
 * each move, as sections' are.
 */
#include "store_front.h"
#include "store_int.h"
#include "../util/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE(t) " (" t ".expires_at = 0 OR " t ".expires_at > ?1)"

/* The few pins drive the join: read as a bounded subquery, so that
 * SQLite, which has no statistics for the table, neither scans every
 * story nor builds a Bloom filter over them for it; put in order in C
 * (by_place), not by copying every column through SQLite's sorter; CROSS
 * JOIN reads it as a co-routine, not a temporary table (store_read.c). */
#define PINS(e) "SELECT " STORY_COLS ", fp.lead, fp.expires_at, fp.place FROM" \
	" (SELECT * FROM front_pins fp WHERE" LIVE("fp") " LIMIT 256) fp" \
	CO_JOIN(e) " stories s ON s.id = fp.story_id" STORY_JOINS
static const struct sql_pair SQL_PINS = SQL_PAIR(PINS);
static const char SQL_BANNER[] = "SELECT b.text, b.url, b.expires_at FROM front_banner b"
				 " WHERE" LIVE("b");
static const char SQL_BLOCKS[] = "SELECT " SECTION_COLS ", count FROM front_blocks"
				 " JOIN sections ON id = section_id ORDER BY place, section_id";
static const char SQL_PURGE_PINS[] =
	"DELETE FROM front_pins WHERE expires_at <> 0 AND expires_at <= ?1";
static const char SQL_PURGE_BANNER[] =
	"DELETE FROM front_banner WHERE expires_at <> 0 AND expires_at <= ?1";
static const char SQL_STATUS[] = "SELECT status FROM stories WHERE id = ?1";
static const char SQL_PIN_LEAD[] = "SELECT lead FROM front_pins WHERE story_id = ?1";
static const char SQL_FEATURED_COUNT[] = "SELECT count(*) FROM front_pins WHERE lead = 0";
static const char SQL_DROP_LEAD[] = "DELETE FROM front_pins WHERE lead = 1 AND story_id <> ?1";
static const char SQL_PIN_PUT[] =
	"INSERT INTO front_pins(story_id, lead, place, expires_at)"
	" VALUES(?1, ?2, (SELECT COALESCE(max(place) + 1, 0) FROM front_pins), ?3)"
	" ON CONFLICT(story_id) DO UPDATE SET lead = excluded.lead, expires_at = excluded.expires_at,"
	" place = CASE WHEN front_pins.lead = excluded.lead THEN front_pins.place ELSE excluded.place END";
static const char SQL_UNPIN[] = "DELETE FROM front_pins WHERE story_id = ?1";
static const char SQL_PIN_ORDER[] = "SELECT story_id FROM front_pins WHERE lead = 0"
				    " ORDER BY place, story_id";
static const char SQL_PIN_PLACE[] = "UPDATE front_pins SET place = ?2 WHERE story_id = ?1";
static const char SQL_BANNER_PUT[] =
	"INSERT INTO front_banner(id, text, url, expires_at) VALUES(1, ?1, ?2, ?3)"
	" ON CONFLICT(id) DO UPDATE SET text = excluded.text, url = excluded.url,"
	" expires_at = excluded.expires_at";
static const char SQL_BANNER_DEL[] = "DELETE FROM front_banner";
static const char SQL_SECTION_THERE[] = "SELECT 1 FROM sections WHERE id = ?1";
static const char SQL_BLOCK_PUT[] =
	"INSERT INTO front_blocks(section_id, place, count)"
	" VALUES(?1, (SELECT COALESCE(max(place) + 1, 0) FROM front_blocks), ?2)"
	" ON CONFLICT(section_id) DO UPDATE SET count = excluded.count";
static const char SQL_BLOCK_DEL[] = "DELETE FROM front_blocks WHERE section_id = ?1";
static const char SQL_BLOCK_ORDER[] = "SELECT section_id FROM front_blocks ORDER BY place, section_id";
static const char SQL_BLOCK_PLACE[] = "UPDATE front_blocks SET place = ?2 WHERE section_id = ?1";

static void row_pin(struct pool *p, dbq *s, void *e)
{
	struct front_pin *x = e;
	memset(x, 0, sizeof *x);
	row_story(p, s, &x->story);
	x->lead = q_col_int(s, STORY_NCOLS);
	x->expires_at = q_col_int(s, STORY_NCOLS + 1);
	x->place = q_col_int(s, STORY_NCOLS + 2);
}

/* The lead first, then the featured stories in their places. */
static int by_place(const void *a, const void *b)
{
	const struct front_pin *x = a, *y = b;
	if (x->lead != y->lead)
		return y->lead - x->lead;
	if (x->place != y->place)
		return x->place < y->place ? -1 : 1;
	return x->story.id < y->story.id ? -1 : x->story.id > y->story.id;
}

int store_front_pins(struct store *st, struct pool *p, long long now, struct front_pin **out,
		     size_t *n)
{
	dbq *s = stmt_for(st, &SQL_PINS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, now);
	dep(st, "front");
	int rc = collect(st, p, s, sizeof **out, row_pin, (void **)out, n);
	if (rc == STORE_OK)
		qsort(*out, *n, sizeof **out, by_place);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++)
		rc = stories_done(st, p, &(*out)[i].story, 1);
	return rc;
}

static void row_banner(struct pool *p, dbq *s, void *e)
{
	struct front_banner *x = e;
	x->text = q_col_text(p, s, 0);
	x->url = q_col_text(p, s, 1);
	x->expires_at = q_col_int(s, 2);
}

int store_front_banner(struct store *st, struct pool *p, long long now, struct front_banner *out)
{
	dbq *s = stmt(st, SQL_BANNER);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, now);
	dep(st, "front");
	memset(out, 0, sizeof *out);
	return one(st, p, s, row_banner, out);
}

static void row_block(struct pool *p, dbq *s, void *e)
{
	struct front_block *x = e;
	memset(x, 0, sizeof *x);
	row_section(p, s, &x->section);
	x->count = q_col_int(s, 7);
}

int store_front_blocks(struct store *st, struct pool *p, struct front_block **out, size_t *n)
{
	dbq *s = stmt(st, SQL_BLOCKS);
	if (!s)
		return STORE_ERROR;
	dep(st, "front");
	return collect(st, p, s, sizeof **out, row_block, (void **)out, n);
}

/* Deletes what expired at now. */
static int purge(struct store *st, long long now)
{
	int rc = exec_id(st, SQL_PURGE_PINS, now, "front purge");
	return rc ? rc : exec_id(st, SQL_PURGE_BANNER, now, "front purge");
}

/* Binds ?1 id and ?2 a second integer, then steps: 0 or STORE_ERROR. */
static int exec_2(struct store *st, const char *sql, long long a, long long b, const char *what)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, a);
	q_int(s, 2, b);
	return exec_step(st, s, what);
}

static int invalid(struct store *st, const char *msg)
{
	snprintf(st->err, sizeof st->err, "%s", msg);
	return STORE_INVALID;
}

int store_front_pin(struct store *st, long long story_id, int lead, long long expires_at,
		    long long now)
{
	long long status = 0, was_lead = 0, featured = 0;
	int rc = purge(st, now);
	if (!rc)
		rc = int_row_or_none(st, SQL_STATUS, story_id, &status, "front story");
	if (rc)
		return rc;
	if (status != STORY_PUBLISHED)
		return invalid(st, "Only a published story can be pinned to the front page.");
	int pinned = int_row_or_none(st, SQL_PIN_LEAD, story_id, &was_lead, "front pin");
	if (pinned == STORE_ERROR || int_row(st, SQL_FEATURED_COUNT, 0, &featured, "front count"))
		return STORE_ERROR;
	/* a new featured pin, or the lead becoming one, needs a free place */
	if (!lead && (pinned == STORE_NOTFOUND || was_lead) && featured >= FRONT_FEATURED_MAX)
		return invalid(st, "The front page has 8 featured stories already: unpin one first.");
	if (lead && (rc = exec_id(st, SQL_DROP_LEAD, story_id, "front lead")))
		return rc;
	dbq *s = stmt(st, SQL_PIN_PUT);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	q_int(s, 2, lead ? 1 : 0);
	q_int(s, 3, expires_at);
	if ((rc = exec_step(st, s, "front pin")))
		return rc;
	return store_touch(st, "front");
}

/* Moves id one place by delta in the order sql_order reads, renumbering
 * every row 0..n-1 with sql_place; STORE_NOTFOUND when id is not there. */
static int reorder(struct store *st, const char *sql_order, const char *sql_place, long long id,
		   int delta)
{
	struct pool *p = pool_new();
	long long *v = NULL;
	size_t n = 0, at = 0;
	dbq *s = stmt(st, sql_order);
	int rc = s ? collect(st, p, s, sizeof *v, row_id, (void **)&v, &n) : STORE_ERROR;
	int found = 0;
	for (size_t i = 0; !rc && i < n; i++)
		if (v[i] == id)
			at = i, found = 1;
	if (!rc && !found)
		rc = STORE_NOTFOUND;
	size_t to = delta < 0 ? (at ? at - 1 : at) : (at + 1 < n ? at + 1 : at);
	if (!rc && to != at) {
		long long t = v[at];
		v[at] = v[to];
		v[to] = t;
		for (size_t i = 0; !rc && i < n; i++)
			rc = exec_2(st, sql_place, v[i], (long long)i, "front place");
		if (!rc)
			rc = store_touch(st, "front");
	}
	pool_free(p);
	return rc;
}

int store_front_unpin(struct store *st, long long story_id, long long now)
{
	int rc = purge(st, now);
	if (!rc)
		rc = exec_id(st, SQL_UNPIN, story_id, "front unpin");
	if (rc)
		return rc;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return store_touch(st, "front");
}

int store_front_pin_move(struct store *st, long long story_id, int delta, long long now)
{
	int rc = purge(st, now);
	return rc ? rc : reorder(st, SQL_PIN_ORDER, SQL_PIN_PLACE, story_id, delta);
}

int store_front_banner_set(struct store *st, const char *text, const char *url,
			   long long expires_at, long long now)
{
	int rc = purge(st, now);
	if (rc)
		return rc;
	if (!*text) {
		rc = exec_sql(st, SQL_BANNER_DEL);
	} else {
		dbq *s = stmt(st, SQL_BANNER_PUT);
		if (!s)
			return STORE_ERROR;
		q_text(s, 1, text);
		q_text(s, 2, url);
		q_int(s, 3, expires_at);
		rc = exec_step(st, s, "front banner");
	}
	return rc ? rc : store_touch(st, "front");
}

int store_front_block_put(struct store *st, long long section_id, int count)
{
	dbq *s = stmt(st, SQL_SECTION_THERE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, section_id);
	int there = exists(st, s);
	if (there <= 0)
		return there < 0 ? STORE_ERROR : STORE_NOTFOUND;
	if (count < 1 || count > FRONT_BLOCK_MAX)
		return invalid(st, "A section block shows from 1 to 12 stories.");
	int rc = exec_2(st, SQL_BLOCK_PUT, section_id, count, "front block");
	return rc ? rc : store_touch(st, "front");
}

int store_front_block_remove(struct store *st, long long section_id)
{
	int rc = exec_id(st, SQL_BLOCK_DEL, section_id, "front block remove");
	if (rc)
		return rc;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return store_touch(st, "front");
}

int store_front_block_move(struct store *st, long long section_id, int delta)
{
	return reorder(st, SQL_BLOCK_ORDER, SQL_BLOCK_PLACE, section_id, delta);
}
