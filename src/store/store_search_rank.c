/*
 * store_search_rank: gz_rank, store_search.c's ranking function, an FTS5
 * auxiliary function and so the SQLite engine's own code (it may call
 * sqlite3_*; see tests/lint/engine.js).
 */
#include "store_search.h"
#include "store_int.h"

#include <math.h>
#include <string.h>

/* the FTS5 API's address, to register gz_rank */
static const char SQL_FTS5_API[] = "SELECT fts5(?1)";

/* gz_rank(story_fts, DF, w0, w1, ...): FTS5's bm25 (sqlite/ext/fts5
 * fts5_aux.c: k1 1.2, b 0.75, the same idf floor), lower is better, with
 * each phrase's number of stories read from DF (a blob of doubles, one per
 * phrase of the MATCH) instead of from a walk of its whole list. */
#define K1 1.2
#define B 0.75

struct rank_data {
	int n;
	double avgdl;
	double idf[STORE_SEARCH_TERMS];
};

static struct rank_data *rank_data(const Fts5ExtensionApi *api, Fts5Context *fts,
				   sqlite3_value *dfs)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	if (d)
		return d;
	long long rows = 0, tokens = 0;
	int n = api->xPhraseCount(fts);
	if (n > STORE_SEARCH_TERMS || sqlite3_value_bytes(dfs) != n * (int)sizeof(double) ||
	    api->xRowCount(fts, &rows) || api->xColumnTotalSize(fts, -1, &tokens))
		return NULL;
	d = sqlite3_malloc(sizeof *d);
	if (!d)
		return NULL;
	d->n = n;
	d->avgdl = rows ? (double)tokens / (double)rows : 1.0;
	const unsigned char *blob = sqlite3_value_blob(dfs);
	for (int i = 0; i < n; i++) {
		double df;
		memcpy(&df, blob + i * sizeof df, sizeof df);
		df = df > (double)rows ? (double)rows : df;
		d->idf[i] = log((0.5 + (double)rows - df) / (0.5 + df));
		if (d->idf[i] <= 0.0)
			d->idf[i] = 1e-6;
	}
	if (api->xSetAuxdata(fts, d, sqlite3_free) != SQLITE_OK)
		return NULL; /* xSetAuxdata freed it */
	return d;
}

static void gz_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	struct rank_data *d = nval >= 1 ? rank_data(api, fts, val[0]) : NULL;
	if (!d) {
		sqlite3_result_error(ctx, "gz_rank: bad arguments", -1);
		return;
	}
	double freq[STORE_SEARCH_TERMS] = { 0 };
	int ninst = 0, ntok = 0;
	if (api->xInstCount(fts, &ninst) || api->xColumnSize(fts, -1, &ntok)) {
		sqlite3_result_error(ctx, "gz_rank: no instances", -1);
		return;
	}
	for (int i = 0; i < ninst; i++) {
		int ph, col, off;
		if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK && ph >= 0 && ph < d->n)
			freq[ph] += col + 1 < nval ? sqlite3_value_double(val[col + 1]) : 1.0;
	}
	double score = 0.0;
	for (int i = 0; i < d->n; i++)
		score += d->idf[i] * (freq[i] * (K1 + 1.0)) /
			 (freq[i] + K1 * (1 - B + B * (double)ntok / d->avgdl));
	sqlite3_result_double(ctx, -score);
}

int search_rank_ready(struct store *st)
{
	if (st->search_rank)
		return STORE_OK;
	fts5_api *api = NULL;
	dbq *s = stmt(st, SQL_FTS5_API);
	if (s) {
		sqlite3_bind_pointer(s->lite, 1, (void *)&api, "fts5_api_ptr", NULL);
		q_step(s);
		done(s);
	}
	if (!api || api->iVersion < 2 ||
	    api->xCreateFunction(api, "gz_rank", NULL, gz_rank, NULL) != SQLITE_OK)
		return fail(st, "search rank function");
	st->search_rank = 1;
	return STORE_OK;
}
