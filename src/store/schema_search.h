/*
 * schema_search: the full-text index migration, kept apart from schema.h
 * because it is long and SQLite-specific (FTS5). Included by schema.h only.
 *
 * The one decision: the index is kept by triggers, not by the code that
 * writes stories. Whoever changes a story, its tags, its section's or its
 * author's name (the newsroom, the importer, the demo loader, a hand-run
 * sqlite3) changes the index in the same transaction, and only published
 * stories (status 3) are ever in it.
 *
 * story_fts: rowid = stories.id; columns title, excerpt, body (Markdown
 * source), tags, section, author. The default ranking is bm25 weighted
 * towards title and tags (store_search ranks with gz_rank, the same
 * formula and weights). stories_sitemap let the sitemaps of before issue
 * 12 find a page's newest change from an index; the sitemap migration
 * (schema.h) drops it, sitemap_pages doing that job.
 */
#ifndef GZ_SCHEMA_SEARCH_H
#define GZ_SCHEMA_SEARCH_H

/* Index the published stories matching WHERE (an SQL condition on s). */
#define FTS_INDEX(where) \
	"INSERT INTO story_fts(rowid, title, excerpt, body, tags, section, author)" \
	" SELECT s.id, s.title, s.excerpt, s.body_md," \
	" COALESCE((SELECT group_concat(t.name, ' ') FROM story_tags x" \
	" JOIN tags t ON t.id = x.tag_id WHERE x.story_id = s.id), '')," \
	" COALESCE((SELECT name FROM sections WHERE id = s.section_id), '')," \
	" COALESCE((SELECT name FROM users WHERE id = s.author_id), '')" \
	" FROM stories s WHERE s.status = 3 AND (" where ");"
/* Drop the index rows WHERE (a condition on rowid). */
#define FTS_DROP(where) "DELETE FROM story_fts WHERE " where ";"
#define FTS_REDO(drop, idx) FTS_DROP(drop) FTS_INDEX(idx)

/* a story's tag row moved: its old and new story are indexed again */
#define FTS_TAG_UPD(of) \
	"CREATE TRIGGER story_fts_tag_upd AFTER UPDATE" of " ON story_tags BEGIN " \
	FTS_REDO("rowid IN (OLD.story_id, NEW.story_id)", "s.id IN (OLD.story_id, NEW.story_id)") \
	" END;"
#define SEARCH_MIGRATION \
	"CREATE VIRTUAL TABLE story_fts USING fts5(title, excerpt, body, tags, section, author," \
	" tokenize = 'porter unicode61 remove_diacritics 2');" \
	"INSERT INTO story_fts(story_fts, rank) VALUES('rank', 'bm25(10, 4, 1, 6, 2, 2)');" \
	"CREATE INDEX stories_sitemap ON stories(status, published_at, id, updated_at);" \
	FTS_INDEX("1") \
	"CREATE TRIGGER story_fts_ins AFTER INSERT ON stories BEGIN " \
	FTS_INDEX("s.id = NEW.id") " END;" \
	"CREATE TRIGGER story_fts_upd AFTER UPDATE OF title, excerpt, body_md, status," \
	" section_id, author_id ON stories BEGIN " \
	FTS_REDO("rowid = OLD.id", "s.id = NEW.id") " END;" \
	"CREATE TRIGGER story_fts_del AFTER DELETE ON stories BEGIN " \
	FTS_DROP("rowid = OLD.id") " END;" \
	"CREATE TRIGGER story_fts_tag_ins AFTER INSERT ON story_tags BEGIN " \
	FTS_REDO("rowid = NEW.story_id", "s.id = NEW.story_id") " END;" \
	"CREATE TRIGGER story_fts_tag_del AFTER DELETE ON story_tags BEGIN " \
	FTS_REDO("rowid = OLD.story_id", "s.id = OLD.story_id") " END;" \
	FTS_TAG_UPD("") \
	"CREATE TRIGGER story_fts_tag_name AFTER UPDATE OF name ON tags BEGIN " \
	FTS_REDO("rowid IN (SELECT story_id FROM story_tags WHERE tag_id = NEW.id)", \
		 "s.id IN (SELECT story_id FROM story_tags WHERE tag_id = NEW.id)") " END;" \
	"CREATE TRIGGER story_fts_section_name AFTER UPDATE OF name ON sections BEGIN " \
	FTS_REDO("rowid IN (SELECT id FROM stories WHERE section_id = NEW.id)", \
		 "s.section_id = NEW.id") " END;" \
	"CREATE TRIGGER story_fts_author_name AFTER UPDATE OF name ON users BEGIN " \
	FTS_REDO("rowid IN (SELECT id FROM stories WHERE author_id = NEW.id)", \
		 "s.author_id = NEW.id") " END;"

#endif
