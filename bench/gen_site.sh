#!/usr/bin/env bash
# Generates a big site: gen_site.sh DIR STORIES COMMENTS. The schema comes
# from `gazette init`; rows are written by SQL in one transaction (the
# serving path is what is measured, so related lists are left empty).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dir=$1 stories=${2:-100000} comments=${3:-1000000}
"${GAZETTE_BIN:-$ROOT/gazette}" init --demo --site "$dir" >/dev/null
sqlite3 "$dir/gazette.db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $stories)
INSERT INTO stories(slug, title, excerpt, body_md, body_html, section_id, author_id, status,
                    published_at, created_at, updated_at, reading_minutes)
SELECT 'generated-story-' || i,
       'Generated story ' || i || ' on regional trade, energy and transport',
       'An excerpt for story ' || i || ', summarising talks on trade and energy links.',
       'Paragraph one of story ' || i || ' about ports, pipelines and railways.' || char(10) || char(10) ||
       'Paragraph two, with more on trade agreements and investment in the region.',
       '<p>Paragraph one of story ' || i || ' about ports, pipelines and railways.</p>' || char(10) ||
       '<p>Paragraph two, with more on trade agreements and investment in the region.</p>' || char(10),
       1 + i % 6, 1 + i % 4, 3, 1500000000 + i * 600, 1500000000 + i * 600, 1500000000 + i * 600, 1
FROM n;
INSERT INTO story_tags(story_id, tag_id, position)
SELECT id, 1 + id % 10, 0 FROM stories WHERE slug LIKE 'generated-story-%';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $comments)
INSERT INTO comments(story_id, parent_id, author, email, url, body, body_html, status, created_at, ip)
SELECT (SELECT min(id) FROM stories WHERE slug LIKE 'generated-story-%') + i % $stories, 0,
       'Reader ' || (i % 5000), 'reader' || (i % 5000) || '@example.com', '',
       'Comment ' || i || ': a reader''s view on the story.',
       '<p>Comment ' || i || ': a reader&#39;s view on the story.</p>' || char(10),
       1, 1500000000 + i * 60, '127.0.0.1'
FROM n;
UPDATE stories SET comment_count = (SELECT count(*) FROM comments c WHERE c.story_id = stories.id AND c.status = 1);
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
# the comment threads written by SQL above are rendered now, as an import's
# would be, not by the server while it is measured
"${GAZETTE_BIN:-$ROOT/gazette}" threads --site "$dir" >/dev/null
# flush the generator's unsynced writes, so start-up is not charged for them
sync "$dir/gazette.db"
