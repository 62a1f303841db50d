/*
 * schema: the versioned migrations, oldest first. Migration i brings the
 * database from PRAGMA user_version i to i+1; store_open applies the ones a
 * database has not seen, each in its own transaction. Never edit a shipped
 * migration: add a new one. The SQL is kept portable (no SQLite-only types)
 * for the PostgreSQL backend to follow.
 */
#ifndef GZ_SCHEMA_H
#define GZ_SCHEMA_H

#include "schema_search.h"

/* Sitemaps (the migration after story_tags_list): ids per page, as
 * STORE_SITEMAP_IDS in store_feeds.h, and what the triggers write. */
#define SITEMAP_IDS "2000"
#define SITEMAP_NOW "CAST(strftime('%s', 'now') AS INTEGER)"
#define SITEMAP_MERGE " DO UPDATE SET count = count + excluded.count," \
	" lastmod = max(lastmod, excluded.lastmod);"
/* Adds delta published links and a change at time t to the page of id
 * (and, but for stories, to the URL of id), when cond. */
#define SITEMAP_PAGE_ADD(kind, id, delta, cond, t) \
	"INSERT INTO sitemap_pages SELECT " kind ", (" id " - 1) / " SITEMAP_IDS ", " delta "," \
	" COALESCE(" t ", 0) WHERE " cond " AND " id " IS NOT NULL" \
	" ON CONFLICT(kind, page)" SITEMAP_MERGE
#define SITEMAP_ADD(kind, id, delta, cond, t) \
	SITEMAP_PAGE_ADD(kind, id, delta, cond, t) \
	"INSERT INTO sitemap_urls SELECT " kind ", " id ", " delta ", COALESCE(" t ", 0)" \
	" WHERE " cond " AND " id " IS NOT NULL ON CONFLICT(kind, id)" SITEMAP_MERGE
/* A story's own page, its section's and its author's (row: OLD or NEW). */
#define SITEMAP_STORY(row, delta, cond, t) \
	SITEMAP_PAGE_ADD("0", row ".id", delta, cond, t) \
	SITEMAP_ADD("1", row ".section_id", delta, cond, t) \
	SITEMAP_ADD("3", row ".author_id", delta, cond, t)
#define SITEMAP_STORY_TIME(row) "(SELECT updated_at FROM stories WHERE id = " row ".story_id)"
/* The starting rows of one kind: SELECT key, updated_at FROM ... */
#define SITEMAP_FILL(kind, rows) \
	"INSERT INTO sitemap_urls SELECT " kind ", k, count(*), max(u) FROM (" rows ") GROUP BY k;" \
	"INSERT INTO sitemap_pages SELECT kind, (id - 1) / " SITEMAP_IDS ", sum(count)," \
	" max(lastmod) FROM sitemap_urls WHERE kind = " kind " GROUP BY 2;"

static const char *const schema_migrations[] = {
	/* 1: the reader's site */
	"CREATE TABLE users("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE,"
	" email TEXT NOT NULL UNIQUE, bio TEXT NOT NULL DEFAULT '',"
	" role TEXT NOT NULL DEFAULT 'author', pass_hash TEXT,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE sections("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE,"
	" position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE tags("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE);"
	"CREATE TABLE stories("
	" id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
	" excerpt TEXT NOT NULL DEFAULT '', body_md TEXT NOT NULL,"
	" body_html TEXT NOT NULL, section_id INTEGER REFERENCES sections(id),"
	" author_id INTEGER NOT NULL REFERENCES users(id),"
	" status INTEGER NOT NULL, published_at INTEGER,"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	" reading_minutes INTEGER NOT NULL DEFAULT 1,"
	" comment_count INTEGER NOT NULL DEFAULT 0,"
	" comments_open INTEGER NOT NULL DEFAULT 1,"
	" version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX stories_pub ON stories(status, published_at);"
	"CREATE INDEX stories_section ON stories(section_id, status, published_at);"
	"CREATE INDEX stories_author ON stories(author_id, status, published_at);"
	"CREATE TABLE story_tags("
	" story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
	" tag_id INTEGER NOT NULL REFERENCES tags(id),"
	" position INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(story_id, tag_id));"
	"CREATE INDEX story_tags_tag ON story_tags(tag_id, story_id);"
	"CREATE TABLE related("
	" story_id INTEGER NOT NULL, rank INTEGER NOT NULL,"
	" related_id INTEGER NOT NULL, score REAL NOT NULL,"
	" PRIMARY KEY(story_id, rank));"
	"CREATE TABLE comments("
	" id INTEGER PRIMARY KEY,"
	" story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
	" parent_id INTEGER NOT NULL DEFAULT 0, author TEXT NOT NULL,"
	" email TEXT NOT NULL, url TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"
	" status INTEGER NOT NULL, created_at INTEGER NOT NULL,"
	" ip TEXT NOT NULL DEFAULT '', user_agent TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX comments_story ON comments(story_id, status, created_at);"
	"CREATE INDEX comments_commenter ON comments(email, author, status);"
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	/* 2: the change log that keeps every process's page cache exact */
	"CREATE TABLE changes(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" tag TEXT NOT NULL, at INTEGER NOT NULL);",
	/* 3: old URLs that answer 301 (slug changes, imported permalinks) */
	"CREATE TABLE redirects(old_path TEXT PRIMARY KEY, new_path TEXT NOT NULL,"
	" created_at INTEGER NOT NULL);",
	/* 4: full-text search (schema_search.h). SQLite-only: the PostgreSQL backend
	 * keeps a tsvector column instead, behind the same store_search.h. Only
	 * published stories are indexed; triggers keep the index in step inside
	 * whatever transaction writes a story, its tags, section or author. */
	SEARCH_MIGRATION,
	/* 5: the newsroom (issue 3): accounts, sessions, sign-in throttling,
	 * two-factor recovery codes, revisions, comment status times */
	"ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE sessions(id TEXT PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL,"
	" ip TEXT NOT NULL DEFAULT '', user_agent TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE sign_in_failures(key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL);"
	"CREATE TABLE recovery_codes(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" code_hash TEXT NOT NULL, PRIMARY KEY(user_id, code_hash));"
	"CREATE TABLE revisions(id INTEGER PRIMARY KEY,"
	" story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
	" user_id INTEGER NOT NULL, created_at INTEGER NOT NULL, version INTEGER NOT NULL,"
	" title TEXT NOT NULL, slug TEXT NOT NULL, excerpt TEXT NOT NULL, body_md TEXT NOT NULL,"
	" status INTEGER NOT NULL, published_at INTEGER, changed TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX revisions_story ON revisions(story_id, id);"
	"ALTER TABLE stories ADD COLUMN featured_image TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN status_at INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX comments_status ON comments(status, status_at);",
	/* WordPress import (store_import.h): which Gazette row each WordPress
	 * id became, per source site, with a hash of what was imported, so a
	 * second import changes nothing and --update finds what changed. The
	 * index on redirects(new_path) keeps store_redirect_put's retargeting
	 * an indexed update when thousands of permalinks go in at once. */
	"CREATE TABLE import_map(source TEXT NOT NULL, kind TEXT NOT NULL,"
	" wp_id TEXT NOT NULL, gz_id INTEGER NOT NULL, hash TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY(source, kind, wp_id));"
	"CREATE INDEX import_map_gz ON import_map(kind, gz_id);"
	"CREATE INDEX redirects_new ON redirects(new_path);",
	/* Comment HTML is derived when a comment is written (comment_text.h),
	 * never while serving; '' for rows from before, rendered on read. */
	"ALTER TABLE comments ADD COLUMN body_html TEXT NOT NULL DEFAULT '';"
	/* the duplicate check looks a commenter up on one story */
	"CREATE INDEX comments_story_email ON comments(story_id, email);",
	/* Lists are ordered by (published_at, id): indexes that hold both,
	 * so a page of a 100,000-story list is read in order, not sorted */
	"DROP INDEX stories_pub; DROP INDEX stories_section; DROP INDEX stories_author;"
	"CREATE INDEX stories_pub ON stories(status, published_at, id);"
	"CREATE INDEX stories_section ON stories(section_id, status, published_at, id);"
	"CREATE INDEX stories_author ON stories(author_id, status, published_at, id);",
	/* Featured images (admin_editor.c): the pixel size read from the
	 * uploaded file's header (og:image:width/height) and its bytes (the
	 * RSS enclosure's length) */
	"ALTER TABLE stories ADD COLUMN featured_width INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN featured_height INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN featured_bytes INTEGER NOT NULL DEFAULT 0;",
	/* the last two-factor time step accepted per user: a code is good once */
	"ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;",
	/* Comment threads rendered when comments change (store_thread.h).
	 * The triggers drop a thread and mark it stale in the transaction
	 * that changes what it shows; a re-marked story moves to the newest
	 * mark (n), so a commit rebuilds its own marks first. Existing
	 * threads start stale, for the scheduler to build. */
	"CREATE TABLE comment_threads(story_id INTEGER PRIMARY KEY,"
	" variant INTEGER NOT NULL, html TEXT NOT NULL);"
	"CREATE TABLE comment_threads_stale(n INTEGER PRIMARY KEY,"
	" story_id INTEGER NOT NULL UNIQUE);"
	"CREATE TRIGGER comment_threads_ins AFTER INSERT ON comments WHEN NEW.status = 1 BEGIN"
	" DELETE FROM comment_threads WHERE story_id = NEW.story_id;"
	" INSERT OR REPLACE INTO comment_threads_stale(story_id) VALUES(NEW.story_id); END;"
	"CREATE TRIGGER comment_threads_upd AFTER UPDATE OF status, story_id, parent_id, author,"
	" url, body, body_html, created_at ON comments WHEN OLD.status = 1 OR NEW.status = 1 BEGIN"
	" DELETE FROM comment_threads WHERE story_id IN (OLD.story_id, NEW.story_id);"
	" INSERT OR REPLACE INTO comment_threads_stale(story_id) VALUES(OLD.story_id);"
	" INSERT OR REPLACE INTO comment_threads_stale(story_id) VALUES(NEW.story_id); END;"
	"CREATE TRIGGER comment_threads_del AFTER DELETE ON comments WHEN OLD.status = 1 BEGIN"
	" DELETE FROM comment_threads WHERE story_id = OLD.story_id;"
	" INSERT OR REPLACE INTO comment_threads_stale(story_id) VALUES(OLD.story_id); END;"
	/* reply links carry the story's address */
	"CREATE TRIGGER comment_threads_story AFTER UPDATE OF slug, published_at ON stories"
	" WHEN OLD.slug IS NOT NEW.slug OR OLD.published_at IS NOT NEW.published_at BEGIN"
	" DELETE FROM comment_threads WHERE story_id = NEW.id;"
	" INSERT OR REPLACE INTO comment_threads_stale(story_id) VALUES(NEW.id); END;"
	"CREATE TRIGGER comment_threads_story_del AFTER DELETE ON stories BEGIN"
	" DELETE FROM comment_threads WHERE story_id = OLD.id;"
	" DELETE FROM comment_threads_stale WHERE story_id = OLD.id; END;"
	"INSERT INTO comment_threads_stale(story_id)"
	" SELECT DISTINCT story_id FROM comments WHERE status = 1;",
	/* a story's tags in their order, read from an index, not sorted */
	"CREATE INDEX story_tags_position ON story_tags(story_id, position);",
	/* Related lists due for recomputing (store_related_mark_due): one row
	 * while due, its seq bumped by each mark, so a recompute that started
	 * before the newest mark does not clear it. */
	"CREATE TABLE related_due(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);",
	/* The editor's kept drafts (issue 11, store_draft.h): a form posted
	 * after its session ended (kind 1, user_id NULL until the next sign-in
	 * claims it) and the autosaves of a signed-in editor (kind 2). Rows
	 * older than a day are never read and are purged on the next write. */
	"CREATE TABLE editor_drafts(token TEXT PRIMARY KEY,"
	" user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	" story_id INTEGER NOT NULL, kind INTEGER NOT NULL, base_version INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL, title TEXT NOT NULL, slug TEXT NOT NULL,"
	" excerpt TEXT NOT NULL, body TEXT NOT NULL, section TEXT NOT NULL, tags TEXT NOT NULL,"
	" author TEXT NOT NULL, published_at TEXT NOT NULL, comments_open INTEGER NOT NULL);"
	"CREATE INDEX editor_drafts_user ON editor_drafts(user_id, story_id, kind);"
	"CREATE INDEX editor_drafts_age ON editor_drafts(created_at);",
	/* Sections and people (issue 11): nested sections (parent_id, and
	 * path, the address below /section/ derived when written: "world/asia"),
	 * a description, and the byline's photo (a file under media/people/,
	 * with its pixel size) and links (one http(s) URL a line). */
	"ALTER TABLE sections ADD COLUMN parent_id INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sections ADD COLUMN description TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE sections ADD COLUMN path TEXT NOT NULL DEFAULT '';"
	"UPDATE sections SET path = slug;"
	"CREATE UNIQUE INDEX sections_path ON sections(path);"
	"CREATE INDEX sections_parent ON sections(parent_id, position);"
	"ALTER TABLE users ADD COLUMN photo TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN photo_width INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN photo_height INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN links TEXT NOT NULL DEFAULT '';",
	/* Staff replies (issue 11, comment_reply.h): who wrote a comment (0:
	 * a reader) and the role they had then, for the thread's badge. A
	 * story given another author re-renders its thread, whose "Author of
	 * this story" badges follow the story's author. */
	"ALTER TABLE comments ADD COLUMN user_id INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE comments ADD COLUMN user_role TEXT NOT NULL DEFAULT '';"
	"CREATE TRIGGER comment_threads_author AFTER UPDATE OF author_id ON stories"
	" WHEN OLD.author_id IS NOT NEW.author_id AND EXISTS(SELECT 1 FROM comments"
	" WHERE story_id = NEW.id AND user_id != 0 AND status = 1) BEGIN"
	" DELETE FROM comment_threads WHERE story_id = NEW.id;"
	" INSERT OR REPLACE INTO comment_threads_stale(story_id) VALUES(NEW.id); END;",
	/* Keyset lists (issue 12): a section's or a tag's page, feed and
	 * sitemap read its published stories newest first from one index,
	 * never by joining and sorting all of them. story_tags keeps a copy
	 * of its story's status and published_at; section_stories lists each
	 * story under its section and every ancestor of it, with the same
	 * copies. Triggers keep both. A section's stories are placed again
	 * when its path changes (moves rewrite parents before children). */
	/* the search index reads a tag row's story and tag, not the copies */
	"DROP TRIGGER story_fts_tag_upd;" FTS_TAG_UPD(" OF story_id, tag_id")
	"ALTER TABLE story_tags ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE story_tags ADD COLUMN published_at INTEGER;"
	"UPDATE story_tags SET status = s.status, published_at = s.published_at"
	" FROM stories s WHERE s.id = story_tags.story_id;"
	"CREATE INDEX story_tags_list ON story_tags(tag_id, status, published_at, story_id);"
	"CREATE TRIGGER story_tags_copy AFTER INSERT ON story_tags BEGIN"
	" UPDATE story_tags SET status = s.status, published_at = s.published_at"
	" FROM stories s WHERE s.id = NEW.story_id"
	" AND story_tags.story_id = NEW.story_id AND story_tags.tag_id = NEW.tag_id; END;"
	"CREATE TABLE section_stories(section_id INTEGER NOT NULL, story_id INTEGER NOT NULL,"
	" status INTEGER NOT NULL, published_at INTEGER, PRIMARY KEY(story_id, section_id))"
	" WITHOUT ROWID;"
	"INSERT INTO section_stories SELECT a.id, s.id, s.status, s.published_at"
	" FROM stories s JOIN sections d ON d.id = s.section_id"
	" JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/');"
	"CREATE INDEX section_stories_list ON section_stories(section_id, status, published_at,"
	" story_id);"
	"CREATE TRIGGER section_stories_add AFTER INSERT ON stories BEGIN"
	/* tags written before their story (a bulk loader) get its copies */
	" UPDATE story_tags SET status = NEW.status, published_at = NEW.published_at"
	" WHERE story_id = NEW.id;"
	" INSERT INTO section_stories SELECT a.id, NEW.id, NEW.status, NEW.published_at"
	" FROM sections d JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')" " WHERE d.id = NEW.section_id; END;"
	"CREATE TRIGGER section_stories_move AFTER UPDATE OF section_id ON stories"
	" WHEN OLD.section_id IS NOT NEW.section_id BEGIN"
	" DELETE FROM section_stories WHERE story_id = NEW.id;"
	" INSERT INTO section_stories SELECT a.id, NEW.id, NEW.status, NEW.published_at"
	" FROM sections d JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')" " WHERE d.id = NEW.section_id; END;"
	"CREATE TRIGGER story_lists_follow AFTER UPDATE OF status, published_at ON stories"
	" BEGIN UPDATE story_tags SET status = NEW.status, published_at = NEW.published_at"
	" WHERE story_id = NEW.id;"
	" UPDATE section_stories SET status = NEW.status, published_at = NEW.published_at"
	" WHERE story_id = NEW.id; END;"
	"CREATE TRIGGER section_stories_del AFTER DELETE ON stories BEGIN"
	" DELETE FROM section_stories WHERE story_id = OLD.id; END;"
	"CREATE TRIGGER section_stories_path AFTER UPDATE OF path ON sections"
	" WHEN OLD.path IS NOT NEW.path BEGIN"
	" DELETE FROM section_stories WHERE story_id IN"
	" (SELECT id FROM stories WHERE section_id = NEW.id);"
	" INSERT INTO section_stories SELECT a.id, s.id, s.status, s.published_at"
	" FROM stories s JOIN sections d ON d.id = s.section_id"
	" JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')"
	" WHERE s.section_id = NEW.id; END;"
	"CREATE TRIGGER section_stories_gone AFTER DELETE ON sections BEGIN"
	" DELETE FROM section_stories WHERE section_id = OLD.id; END;",
	/* Spent comment-form stamps (issue 12, store_stamp.h): a stamp is good
	 * for one comment per client. key is a keyed hash of the stamp and the
	 * client; shown_at (seconds) the form's time, by which rows are purged
	 * once older than comment_form_max_age. */
	"CREATE TABLE comment_stamps(key TEXT PRIMARY KEY, shown_at INTEGER NOT NULL);"
	"CREATE INDEX comment_stamps_age ON comment_stamps(shown_at);",
	/* Sitemaps (issue 12, store_feeds.h): a sitemap page holds the URLs
	 * whose id falls in one range of SITEMAP_IDS ids (stories by their
	 * id; sections, tags and authors by theirs), so its content and
	 * address never shift when another story is published. These
	 * triggers keep, per page (sitemap_pages) and per section, tag and
	 * author URL (sitemap_urls), the number of published links there (a
	 * story; a story in the section, with the tag, by the author) and the
	 * newest change seen there: the index is one read of a small table,
	 * a page one read of its own rows. stories_sitemap_id lets a page
	 * read its stories from an index, not from rows that hold bodies. */
	"CREATE TABLE sitemap_pages(kind INTEGER NOT NULL, page INTEGER NOT NULL,"
	" count INTEGER NOT NULL, lastmod INTEGER NOT NULL, PRIMARY KEY(kind, page));"
	"CREATE TABLE sitemap_urls(kind INTEGER NOT NULL, id INTEGER NOT NULL,"
	" count INTEGER NOT NULL, lastmod INTEGER NOT NULL, PRIMARY KEY(kind, id));"
	"CREATE INDEX stories_sitemap_id ON stories(status, id, published_at, updated_at, slug);"
	"INSERT INTO sitemap_pages SELECT 0, (id - 1) / " SITEMAP_IDS ", count(*), max(updated_at)"
	" FROM stories WHERE status = 3 GROUP BY 2;"
	SITEMAP_FILL("1", "SELECT section_id AS k, updated_at AS u FROM stories"
		     " WHERE status = 3 AND section_id IS NOT NULL")
	SITEMAP_FILL("2", "SELECT x.tag_id AS k, s.updated_at AS u FROM story_tags x"
		     " JOIN stories s ON s.id = x.story_id WHERE x.status = 3")
	SITEMAP_FILL("3", "SELECT author_id AS k, updated_at AS u FROM stories WHERE status = 3")
	"CREATE TRIGGER sitemap_story_ins AFTER INSERT ON stories WHEN NEW.status = 3 BEGIN "
	SITEMAP_STORY("NEW", "1", "1", "NEW.updated_at") "END;"
	"CREATE TRIGGER sitemap_story_upd AFTER UPDATE OF status, slug, title, published_at,"
	" updated_at, section_id, author_id ON stories WHEN OLD.status = 3 OR NEW.status = 3 BEGIN "
	SITEMAP_STORY("OLD", "-1", "OLD.status = 3", "NEW.updated_at")
	SITEMAP_STORY("NEW", "1", "NEW.status = 3", "NEW.updated_at")
	"INSERT INTO sitemap_pages SELECT 2, (tag_id - 1) / " SITEMAP_IDS ", 0, NEW.updated_at"
	" FROM story_tags WHERE story_id = NEW.id ON CONFLICT(kind, page)" SITEMAP_MERGE
	"INSERT INTO sitemap_urls SELECT 2, tag_id, 0, NEW.updated_at"
	" FROM story_tags WHERE story_id = NEW.id ON CONFLICT(kind, id)" SITEMAP_MERGE "END;"
	"CREATE TRIGGER sitemap_story_del AFTER DELETE ON stories WHEN OLD.status = 3 BEGIN "
	SITEMAP_STORY("OLD", "-1", "1", SITEMAP_NOW) "END;"
	"CREATE TRIGGER sitemap_tag_ins AFTER INSERT ON story_tags WHEN NEW.status = 3 BEGIN "
	SITEMAP_ADD("2", "NEW.tag_id", "1", "1", SITEMAP_STORY_TIME("NEW")) "END;"
	"CREATE TRIGGER sitemap_tag_upd AFTER UPDATE OF status, tag_id ON story_tags"
	" WHEN OLD.status = 3 OR NEW.status = 3 BEGIN "
	SITEMAP_ADD("2", "OLD.tag_id", "-1", "OLD.status = 3", SITEMAP_STORY_TIME("NEW"))
	SITEMAP_ADD("2", "NEW.tag_id", "1", "NEW.status = 3", SITEMAP_STORY_TIME("NEW")) "END;"
	"CREATE TRIGGER sitemap_tag_del AFTER DELETE ON story_tags WHEN OLD.status = 3 BEGIN "
	SITEMAP_ADD("2", "OLD.tag_id", "-1", "1", SITEMAP_NOW) "END;"
	/* a new address is a change of the URL and of the page that lists it */
	"CREATE TRIGGER sitemap_section_path AFTER UPDATE OF path ON sections BEGIN "
	SITEMAP_ADD("1", "NEW.id", "0", "1", SITEMAP_NOW) "END;"
	"CREATE TRIGGER sitemap_tag_slug AFTER UPDATE OF slug ON tags BEGIN "
	SITEMAP_ADD("2", "NEW.id", "0", "1", SITEMAP_NOW) "END;"
	"CREATE TRIGGER sitemap_author_slug AFTER UPDATE OF slug ON users BEGIN "
	SITEMAP_ADD("3", "NEW.id", "0", "1", SITEMAP_NOW) "END;"
	/* the old sitemaps' index: nothing reads it now, every story write
	 * paid for it */
	"DROP INDEX IF EXISTS stories_sitemap;",
	/* The media library (issue 14, store_media.h): one row per picture
	 * src/media/ processed. hash names its files (media/HASH-W.EXT,
	 * media-originals/HASH.EXT) and is unique: the same picture twice is
	 * one entry. name is the file name given, sanitized, for people and
	 * search only. variants lists "WxH" of each width made, formats the
	 * extensions each was written in. focal_x/focal_y: the point crops
	 * keep, 0..1 from the top left. */
	"CREATE TABLE media(id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, mime TEXT NOT NULL, ext TEXT NOT NULL,"
	" width INTEGER NOT NULL, height INTEGER NOT NULL, bytes INTEGER NOT NULL,"
	" alt TEXT NOT NULL DEFAULT '', caption TEXT NOT NULL DEFAULT '',"
	" credit TEXT NOT NULL DEFAULT '',"
	" focal_x REAL NOT NULL DEFAULT 0.5 CHECK(focal_x BETWEEN 0 AND 1),"
	" focal_y REAL NOT NULL DEFAULT 0.5 CHECK(focal_y BETWEEN 0 AND 1),"
	" uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" created_at INTEGER NOT NULL, variants TEXT NOT NULL, formats TEXT NOT NULL);"
	"CREATE INDEX media_newest ON media(created_at, id);",
	/* Featured images through the media library (issue 14, admin_media.c):
	 * the library item a story's featured image is; featured_image keeps
	 * the served path (a variant's, /media/HASH-W.jpg, or an older
	 * story's /media/featured/ file), so old and imported stories work
	 * as before. A library item in use is not deleted (the admin refuses),
	 * and a row deleted anyway leaves the story's image path. */
	"ALTER TABLE stories ADD COLUMN featured_media_id INTEGER"
	" REFERENCES media(id) ON DELETE SET NULL;"
	"CREATE INDEX stories_featured_media ON stories(featured_media_id)"
	" WHERE featured_media_id IS NOT NULL;",
	/* "Updated" (issue 15, h-bylines, store_byline.h): when an editor
	 * last marked a published story as updated (0: never). Not every
	 * save: updated_at keeps that. The story page shows it, JSON-LD's
	 * dateModified follows it. */
	"ALTER TABLE stories ADD COLUMN revised_at INTEGER NOT NULL DEFAULT 0;",
	/* Corrections (issue 15, h-bylines, store_byline.h): dated notes
	 * appended to a story, never edited, shown at its end and listed at
	 * /corrections, newest first. */
	"CREATE TABLE corrections(id INTEGER PRIMARY KEY,"
	" story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
	" body TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL);"
	"CREATE INDEX corrections_story ON corrections(story_id, created_at);"
	"CREATE INDEX corrections_newest ON corrections(created_at, id);",
	/* Co-bylines (issue 15, h-bylines, store_story.h): the authors after
	 * a story's first (stories.author_id), in byline order. Their author
	 * pages and feeds list the story too. */
	"CREATE TABLE story_coauthors(story_id INTEGER NOT NULL REFERENCES stories(id)"
	" ON DELETE CASCADE, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" position INTEGER NOT NULL, PRIMARY KEY(story_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX story_coauthors_user ON story_coauthors(user_id, story_id);",
	/* Static pages (issue 15, store_sitepage.h): About, Contact,
	 * Imprint, Privacy. Undated and never listed: a table of their own,
	 * so no list, feed, search or news sitemap query can meet them. path
	 * is the address without its leading '/': the slug, or the parent's
	 * path, '/', the slug (one level: a parent is a top-level page).
	 * status 0 draft, 1 published. */
	"CREATE TABLE pages(id INTEGER PRIMARY KEY, slug TEXT NOT NULL,"
	" path TEXT NOT NULL UNIQUE, parent_id INTEGER REFERENCES pages(id),"
	" title TEXT NOT NULL, body_md TEXT NOT NULL, body_html TEXT NOT NULL,"
	" status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1)),"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX pages_parent ON pages(parent_id) WHERE parent_id IS NOT NULL;",
	/* Menus (issue 15, store_menu.h): the header's and the footer's
	 * links, in order; a header item may hold one level of items.
	 * kind 0 an external http(s) link (url), 1 a section, 2 a static
	 * page, 3 a story (target_id); a target's address is read when the
	 * menu is, so a renamed section or a moved page stays linked. */
	"CREATE TABLE menu_items(id INTEGER PRIMARY KEY,"
	" menu INTEGER NOT NULL CHECK(menu IN (0, 1)),"
	" parent_id INTEGER REFERENCES menu_items(id) ON DELETE CASCADE,"
	" position INTEGER NOT NULL, label TEXT NOT NULL DEFAULT '',"
	" kind INTEGER NOT NULL CHECK(kind BETWEEN 0 AND 3),"
	" target_id INTEGER NOT NULL DEFAULT 0, url TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX menu_items_menu ON menu_items(menu, position);",
	/* The edited front page (issue 15, store_front.h): pinned stories (the
	 * lead, lead = 1, at most one; featured ones in `place` order), the
	 * breaking-news banner (one row) and the section blocks in the editors'
	 * order. expires_at 0: never; a row past it is not shown and is purged
	 * by the next front-page write. */
	"CREATE TABLE front_pins(story_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,"
	" lead INTEGER NOT NULL DEFAULT 0 CHECK(lead IN (0, 1)), place INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX front_pins_lead ON front_pins(lead) WHERE lead = 1;"
	"CREATE TABLE front_banner(id INTEGER PRIMARY KEY CHECK(id = 1), text TEXT NOT NULL,"
	" url TEXT NOT NULL, expires_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE front_blocks(section_id INTEGER PRIMARY KEY REFERENCES sections(id) ON DELETE CASCADE,"
	" place INTEGER NOT NULL, count INTEGER NOT NULL CHECK(count BETWEEN 1 AND 12));",
	/* "Most read" (issue 15, store_reads.h): reads of each story per hour
	 * (unix time / 3600), counted in memory and added by the scheduler; no
	 * reader data at all. */
	"CREATE TABLE story_reads(story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
	" hour INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(hour, story_id)) WITHOUT ROWID;",
	/* The WordPress export keeps what WordPress shows (issue 15, h-wpout,
	 * export_wxr.c). excerpt_auto: the excerpt is one the importer made
	 * from the opening of the text (WordPress had none), so the export
	 * leaves excerpt:encoded empty; any later change of the excerpt (the
	 * editor, --update) makes it the newsroom's own (the trigger). Rows
	 * from before: an imported story whose excerpt is the opening of its
	 * text, as the importer cuts it, is taken as automatic. date_offset:
	 * seconds east of UTC of the source's wp:post_date (post_date minus
	 * post_date_gmt), so the export writes an imported story, and its
	 * comments, in the source's local time; NULL: the site's zone. */
	"ALTER TABLE stories ADD COLUMN excerpt_auto INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN date_offset INTEGER;"
	"CREATE TRIGGER stories_excerpt_own AFTER UPDATE OF excerpt ON stories"
	" WHEN NEW.excerpt IS NOT OLD.excerpt AND NEW.excerpt_auto = 1 BEGIN"
	" UPDATE stories SET excerpt_auto = 0 WHERE id = NEW.id; END;"
	"UPDATE stories SET excerpt_auto = 1 WHERE excerpt <> ''"
	" AND id IN (SELECT gz_id FROM import_map WHERE kind IN ('post', 'page'))"
	" AND (excerpt = body_md OR substr(body_md, 1, length(excerpt) + 2) = excerpt || char(10, 10)"
	" OR (excerpt LIKE '%…' AND substr(body_md, 1, length(excerpt) - 1)"
	" = substr(excerpt, 1, length(excerpt) - 1)));",
	/* Authors' first and last names (issue 15, h-wpout, store_user.h):
	 * kept from wp:author_first_name / wp:author_last_name on import,
	 * edited in the profile form, exported; '' when not given. */
	"ALTER TABLE users ADD COLUMN first_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN last_name TEXT NOT NULL DEFAULT '';",
	/* "Most read" ranked by the scheduler at each flush (store_reads.h), so
	 * a front page render reads a few rows instead of summing a day of
	 * counts. */
	"CREATE TABLE reads_top(rank INTEGER PRIMARY KEY, story_id INTEGER NOT NULL,"
	" count INTEGER NOT NULL);",
	/* Ad and analytics slots (issue 15, h-slots, store_slots.h): the
	 * origins an admin declared for the public pages' CSP (uses: bits
	 * 1 script, 2 image, 4 connect, 8 frame) and the audit log of every
	 * change to slots or origins, with who made it. The slots' HTML is in
	 * settings (slot_top, slot_in_article, slot_sidebar, slot_footer,
	 * slot_paragraph). */
	"CREATE TABLE slot_origins(origin TEXT PRIMARY KEY,"
	" uses INTEGER NOT NULL CHECK(uses BETWEEN 1 AND 15), added_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit_log(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" action TEXT NOT NULL, detail TEXT NOT NULL);",
	/* A story in several sections (issue 15, h-wpin: a WordPress post
	 * filed in several categories, store_import.h): story_sections holds
	 * its sections besides its own (stories.section_id, which keeps its
	 * address and breadcrumb). section_stories, which every section list,
	 * feed and front-page block reads, lists the story under each of them
	 * and their ancestors: the triggers that place a story now place it
	 * under all of its sections (INSERT OR IGNORE: a section may be
	 * another's ancestor). */
	"CREATE TABLE story_sections(story_id INTEGER NOT NULL REFERENCES stories(id)"
	" ON DELETE CASCADE, section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,"
	" PRIMARY KEY(story_id, section_id)) WITHOUT ROWID;"
	"CREATE INDEX story_sections_section ON story_sections(section_id, story_id);"
	"DROP TRIGGER section_stories_move;"
	"CREATE TRIGGER section_stories_move AFTER UPDATE OF section_id ON stories"
	" WHEN OLD.section_id IS NOT NEW.section_id BEGIN"
	" DELETE FROM section_stories WHERE story_id = NEW.id;"
	" INSERT OR IGNORE INTO section_stories SELECT a.id, NEW.id, NEW.status, NEW.published_at"
	" FROM sections d JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')"
	" WHERE d.id = NEW.section_id"
	" OR d.id IN (SELECT section_id FROM story_sections WHERE story_id = NEW.id); END;"
	"DROP TRIGGER section_stories_path;"
	"CREATE TRIGGER section_stories_path AFTER UPDATE OF path ON sections"
	" WHEN OLD.path IS NOT NEW.path BEGIN"
	" DELETE FROM section_stories WHERE story_id IN"
	" (SELECT id FROM stories WHERE section_id = NEW.id"
	" UNION SELECT story_id FROM story_sections WHERE section_id = NEW.id);"
	" INSERT OR IGNORE INTO section_stories SELECT a.id, s.id, s.status, s.published_at"
	" FROM stories s JOIN sections d ON d.id = s.section_id OR d.id IN"
	" (SELECT section_id FROM story_sections x WHERE x.story_id = s.id)"
	" JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')"
	" WHERE s.id IN (SELECT id FROM stories WHERE section_id = NEW.id"
	" UNION SELECT story_id FROM story_sections WHERE section_id = NEW.id); END;"
	"CREATE TRIGGER story_sections_add AFTER INSERT ON story_sections BEGIN"
	" INSERT OR IGNORE INTO section_stories SELECT a.id, s.id, s.status, s.published_at"
	" FROM stories s JOIN sections d ON d.id = NEW.section_id"
	" JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')"
	" WHERE s.id = NEW.story_id; END;"
	"CREATE TRIGGER story_sections_del AFTER DELETE ON story_sections BEGIN"
	" DELETE FROM section_stories WHERE story_id = OLD.story_id;"
	" INSERT OR IGNORE INTO section_stories SELECT a.id, s.id, s.status, s.published_at"
	" FROM stories s JOIN sections d ON d.id = s.section_id OR d.id IN"
	" (SELECT section_id FROM story_sections x WHERE x.story_id = s.id)"
	" JOIN sections a ON a.id = d.id OR (a.path != ''"
	" AND substr(d.path, 1, length(a.path) + 1) = a.path || '/')"
	" WHERE s.id = OLD.story_id; END;",
	/* Tags by name whatever the case (issue 15, h-wpin,
	 * store_import_tag_by_name): WordPress tags that differ only in case
	 * ("Election", "election") become one tag on import. */
	"CREATE INDEX tags_name_nocase ON tags(name COLLATE NOCASE);",
	/* A story's other sections in the sitemap (issue 15, h-wpin): a
	 * section is listed while it holds a published story, its own or one
	 * filed there too (story_sections), so the sitemap's counts follow
	 * those rows and their stories' status, as sitemap_story_* do for a
	 * story's own section. A deleted story's rows go by cascade after the
	 * story, so its counts are taken off before (BEFORE DELETE). */
	"CREATE TRIGGER sitemap_more_ins AFTER INSERT ON story_sections BEGIN "
	SITEMAP_ADD("1", "NEW.section_id", "1",
		    "EXISTS(SELECT 1 FROM stories WHERE id = NEW.story_id AND status = 3)",
		    SITEMAP_STORY_TIME("NEW")) "END;"
	"CREATE TRIGGER sitemap_more_del AFTER DELETE ON story_sections BEGIN "
	SITEMAP_ADD("1", "OLD.section_id", "-1",
		    "EXISTS(SELECT 1 FROM stories WHERE id = OLD.story_id AND status = 3)",
		    SITEMAP_NOW) "END;"
	"CREATE TRIGGER sitemap_more_story_upd AFTER UPDATE OF status, updated_at ON stories"
	" WHEN OLD.status = 3 OR NEW.status = 3 BEGIN"
	" INSERT INTO sitemap_pages SELECT 1, (section_id - 1) / " SITEMAP_IDS ","
	" (NEW.status = 3) - (OLD.status = 3), NEW.updated_at FROM story_sections"
	" WHERE story_id = NEW.id ON CONFLICT(kind, page)" SITEMAP_MERGE
	" INSERT INTO sitemap_urls SELECT 1, section_id, (NEW.status = 3) - (OLD.status = 3),"
	" NEW.updated_at FROM story_sections WHERE story_id = NEW.id ON CONFLICT(kind, id)"
	SITEMAP_MERGE " END;"
	"CREATE TRIGGER sitemap_more_story_del BEFORE DELETE ON stories WHEN OLD.status = 3 BEGIN"
	" INSERT INTO sitemap_pages SELECT 1, (section_id - 1) / " SITEMAP_IDS ", -1, " SITEMAP_NOW
	" FROM story_sections WHERE story_id = OLD.id ON CONFLICT(kind, page)" SITEMAP_MERGE
	" INSERT INTO sitemap_urls SELECT 1, section_id, -1, " SITEMAP_NOW
	" FROM story_sections WHERE story_id = OLD.id ON CONFLICT(kind, id)" SITEMAP_MERGE " END;",
	/* A story's own language (issue 15, docs/languages.md): a BCP 47 tag
	 * (checked by the editor's form, locale_tag_ok), '' for the site's
	 * `language`; the story page sets lang and dir on its article. */
	"ALTER TABLE stories ADD COLUMN lang TEXT NOT NULL DEFAULT '';",
	/* A story's co-author count and whether it has a correction, kept on
	 * the story row by triggers (however the rows come and go: the
	 * editor, the importer, a deleted user's cascade): every list row
	 * read them through two correlated subqueries, two index searches
	 * per card. */
	"ALTER TABLE stories ADD COLUMN coauthor_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;"
	"UPDATE stories SET"
	" coauthor_count = (SELECT count(*) FROM story_coauthors WHERE story_id = stories.id),"
	" corrected = EXISTS(SELECT 1 FROM corrections WHERE story_id = stories.id);"
#define RECOUNT_COAUTHORS(row)                                                            \
	" UPDATE stories SET coauthor_count = (SELECT count(*) FROM story_coauthors"          \
	" WHERE story_id = " row ".story_id) WHERE id = " row ".story_id;"
#define RECHECK_CORRECTED(row)                                                            \
	" UPDATE stories SET corrected = EXISTS(SELECT 1 FROM corrections"                   \
	" WHERE story_id = " row ".story_id) WHERE id = " row ".story_id;"
	"CREATE TRIGGER coauthor_count_ins AFTER INSERT ON story_coauthors BEGIN"
	RECOUNT_COAUTHORS("NEW") " END;"
	"CREATE TRIGGER coauthor_count_del AFTER DELETE ON story_coauthors BEGIN"
	RECOUNT_COAUTHORS("OLD") " END;"
	"CREATE TRIGGER coauthor_count_upd AFTER UPDATE OF story_id ON story_coauthors BEGIN"
	RECOUNT_COAUTHORS("OLD") RECOUNT_COAUTHORS("NEW") " END;"
	"CREATE TRIGGER corrected_ins AFTER INSERT ON corrections BEGIN"
	RECHECK_CORRECTED("NEW") " END;"
	"CREATE TRIGGER corrected_del AFTER DELETE ON corrections BEGIN"
	RECHECK_CORRECTED("OLD") " END;"
	"CREATE TRIGGER corrected_upd AFTER UPDATE OF story_id ON corrections BEGIN"
	RECHECK_CORRECTED("OLD") RECHECK_CORRECTED("NEW") " END;",
	/* Mail (issue 17, h-mail; docs/mail.md): the outgoing queue the
	 * scheduler sends from (attempts, next attempt, last error); the
	 * events that call for mail, written by triggers in the transaction
	 * that makes them (a story put up for review, a comment held, an
	 * approved reply, a reply subscription asked for), so a request never
	 * builds or sends mail; readers' reply subscriptions (double opt-in:
	 * confirmed_at), signed links used once, staff's choice of one mail
	 * per event (0) or a daily digest (1) and its lines. Rows older than a
	 * day (an import) raise no event. */
	"CREATE TABLE mail_queue(id INTEGER PRIMARY KEY, recipient TEXT NOT NULL,"
	" headers TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, sent_at INTEGER,"
	" last_error TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX mail_queue_due ON mail_queue(next_at) WHERE sent_at IS NULL;"
	"CREATE TABLE mail_events(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	" ref_id INTEGER NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE TABLE mail_subscriptions(id INTEGER PRIMARY KEY AUTOINCREMENT," /* a signed link never names a later row */
	" comment_id INTEGER NOT NULL UNIQUE REFERENCES comments(id) ON DELETE CASCADE,"
	" email TEXT NOT NULL, created_at INTEGER NOT NULL, confirmed_at INTEGER,"
	" stopped_at INTEGER);"
	"CREATE TABLE mail_links_used(key TEXT PRIMARY KEY, used_at INTEGER NOT NULL);"
	"CREATE TABLE mail_digest(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL"
	" REFERENCES users(id) ON DELETE CASCADE, line TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"ALTER TABLE users ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN mail_digest_at INTEGER NOT NULL DEFAULT 0;"
	"CREATE TRIGGER mail_story_review_ins AFTER INSERT ON stories WHEN NEW.status = 1"
	" AND NEW.updated_at > " SITEMAP_NOW " - 86400 BEGIN"
	" INSERT INTO mail_events(kind, ref_id, created_at) VALUES('review', NEW.id, " SITEMAP_NOW ");"
	" END;"
	"CREATE TRIGGER mail_story_review_upd AFTER UPDATE OF status ON stories"
	" WHEN NEW.status = 1 AND OLD.status <> 1 BEGIN"
	" INSERT INTO mail_events(kind, ref_id, created_at) VALUES('review', NEW.id, " SITEMAP_NOW ");"
	" END;"
	"CREATE TRIGGER mail_comment_ins AFTER INSERT ON comments"
	" WHEN NEW.created_at > " SITEMAP_NOW " - 86400 AND (NEW.status = 0"
	" OR (NEW.status = 1 AND NEW.parent_id <> 0)) BEGIN"
	" INSERT INTO mail_events(kind, ref_id, created_at) VALUES("
	" CASE NEW.status WHEN 0 THEN 'held' ELSE 'reply' END, NEW.id, " SITEMAP_NOW ");"
	" END;"
	"CREATE TRIGGER mail_comment_approved AFTER UPDATE OF status ON comments"
	" WHEN NEW.status = 1 AND OLD.status <> 1 AND NEW.parent_id <> 0 BEGIN"
	" INSERT INTO mail_events(kind, ref_id, created_at) VALUES('reply', NEW.id, " SITEMAP_NOW ");"
	" END;"
	"CREATE TRIGGER mail_subscribe AFTER INSERT ON mail_subscriptions BEGIN"
	" INSERT INTO mail_events(kind, ref_id, created_at) VALUES('confirm', NEW.id, " SITEMAP_NOW ");"
	" END;",
	/* Mail, second pass (issue 17, h-mail2; docs/mail.md). mail_comments:
	 * what mail knows of a comment. Its id is what a held comment's
	 * approve and spam links name: AUTOINCREMENT (never reused, starting
	 * above every comment id so a link signed before this names no row)
	 * and gone with its comment, so a link made for a deleted comment
	 * cannot act on a later one that takes its id. replied_at: the reply
	 * notice was made (once per reply, however often it is re-approved).
	 * mailed_at: a subscription's confirmation was mailed (one mail per
	 * address per MAIL_CONFIRM_GAP; those asked for meanwhile wait for
	 * the next). Subscriptions from before count as mailed. */
	"CREATE TABLE mail_comments(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" comment_id INTEGER NOT NULL UNIQUE REFERENCES comments(id) ON DELETE CASCADE,"
	" replied_at INTEGER);"
	"INSERT INTO sqlite_sequence(name, seq)"
	" SELECT 'mail_comments', COALESCE(max(id), 0) FROM comments;"
	"ALTER TABLE mail_subscriptions ADD COLUMN mailed_at INTEGER;"
	"UPDATE mail_subscriptions SET mailed_at = created_at" /* but those still waiting for it */
	" WHERE id NOT IN (SELECT ref_id FROM mail_events WHERE kind = 'confirm');"
	"DELETE FROM mail_events WHERE kind = 'confirm';"
	"DROP TRIGGER mail_subscribe;" /* confirmations are found by mailed_at */
	"CREATE INDEX mail_subscriptions_unmailed ON mail_subscriptions(created_at)"
	" WHERE mailed_at IS NULL;"
	"CREATE INDEX mail_subscriptions_email ON mail_subscriptions(email COLLATE NOCASE, mailed_at);",
	/* 40: search on PostgreSQL (issue 16): schema_pg.h's 40 makes its
	 * story_fts words as FTS5's unicode61 makes these (case folded by ICU,
	 * accents by unaccent, marked by ts_headline); nothing to do here, the
	 * numbering being shared. */
	"/* schema_pg.h's 40: search on PostgreSQL */ SELECT 1;",
	/* 41: a spent stamp's post (issue 16): a number the comment batch
	 * draws for each post it stores in one round trip, written with the
	 * spend, by which the comment's insert right after it in the same
	 * transaction knows the spend was its own (comment_queue.c); 0 for
	 * stamps spent otherwise. */
	"ALTER TABLE comment_stamps ADD COLUMN post INTEGER NOT NULL DEFAULT 0;",
	/* New migrations go here, at the end, one string each. */
};

#define SCHEMA_VERSION ((int)(sizeof schema_migrations / sizeof schema_migrations[0]))

#endif
