'use strict';
// Issue 15, stories: the site time zone (every date and time shown to readers
// and editors is local, stored times stay UTC, feeds and JSON-LD carry the
// offset, a bad zone name stops the server at start).
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

let dir; let srv; let ed;

function sql(query) {
  return h.sqlRows(dir, query);
}
// The <updated> of a story's entry in its author's Atom feed (the site's
// feed holds only the newest stories).
async function atomUpdated(storyHtml, title) {
  const author = /<a class="byline-author" rel="author" href="([^"]+)"/.exec(storyHtml)[1];
  const atom = (await h.get(srv.url, `${author}/feed.atom`)).body;
  const at = atom.indexOf(`<title>${title}</title>`);
  assert.ok(at > 0, `${title} is in ${author}/feed.atom`);
  return /<updated>([^<]+)<\/updated>/.exec(atom.slice(at, atom.indexOf('</entry>', at)))[1];
}
const jsonld = (html) => JSON.parse(h.htmlUnescape(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)[1]))['@graph'][0];

before(async () => {
  dir = a.makeNewsroom({ conf: { timezone: 'America/New_York' } });
  srv = await h.startServer(dir);
  ed = await a.signedIn(srv.url, 'editor');
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

describe('the site time zone', () => {
  let id; let storyPath;
  test('the editor reads and shows the publication time in the zone; the database keeps UTC', async () => {
    id = await a.writeStory(ed, { title: 'Zoned story', excerpt: 'When it happened', body: 'Body text.',
      published_at: '2024-07-05T05:30:00' });
    // 05:30 in New York on 5 July (EDT, UTC-4) is 09:30 UTC
    assert.equal(sql(`SELECT published_at FROM stories WHERE id = ${id}`)[0].published_at, 1720171800);
    const editor = await ed.get(`/admin/stories/${id}`);
    const input = h.findTags(editor.body, 'input').find((t) => t.attrs.id === 'published_at');
    assert.equal(input.attrs.value, '2024-07-05T05:30:00');
    assert.match(h.textOf(editor.body), /Publication time \(America\/New_York\)/);
    // a winter time is read with the winter offset (EST, UTC-5)
    const vals = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...vals, published_at: '2024-01-10T08:00:00' });
    assert.equal(r.status, 303);
    assert.equal(sql(`SELECT published_at FROM stories WHERE id = ${id}`)[0].published_at, 1704891600);
    const back = await ed.post(`/admin/stories/${id}/publish`, { ...(await a.editorValues(ed, id)), published_at: '2024-07-05T05:30:00' });
    assert.equal(back.status, 303);
    storyPath = await a.publicPath(ed, id);
    assert.equal(storyPath, '/2024/07/05/zoned-story', 'addresses keep their UTC date');
    const list = await ed.get('/admin/stories');
    assert.match(h.textOf(list.body), /2024-07-05T05:30/);
  });

  test('the story page shows the local date and time; JSON-LD and Open Graph carry the offset', async () => {
    const r = await h.get(srv.url, storyPath);
    assert.equal(r.status, 200);
    assert.match(r.body, /<time datetime="2024-07-05T05:30:00-04:00">5 July 2024, 05:30<\/time>/);
    const ld = jsonld(r.body);
    assert.equal(ld.datePublished, '2024-07-05T05:30:00-04:00');
    assert.match(ld.dateModified, /[-+]\d\d:\d\d$/);
    assert.match(r.body, /<meta property="article:published_time" content="2024-07-05T05:30:00-04:00">/);
  });

  test('feeds carry the offset', async () => {
    const atom = await h.get(srv.url, '/feed.atom');
    assert.match(atom.body, /<published>2024-07-05T05:30:00-04:00<\/published>/);
    const rss = await h.get(srv.url, '/feed');
    assert.match(rss.body, /<pubDate>Fri, 05 Jul 2024 05:30:00 -0400<\/pubDate>/);
    const json = JSON.parse((await h.get(srv.url, '/feed.json')).body);
    assert.ok(json.items.some((it) => it.date_published === '2024-07-05T05:30:00-04:00'));
  });

  test('lists show the local date: 02:00 UTC on the 6th is still the 5th in New York', async () => {
    const id2 = await a.writeStory(ed, { title: 'Late night', excerpt: 'x', body: 'y', published_at: '2024-07-05T22:00:00' });
    assert.equal(sql(`SELECT published_at FROM stories WHERE id = ${id2}`)[0].published_at, 1720231200);
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /<time datetime="2024-07-05T22:00:00-04:00">5 July 2024<\/time>/);
  });

  test('a zone the system does not know stops the server at start with a clear message', () => {
    const bad = h.makeSite({ demo: false, conf: { timezone: 'Mars/Olympus' } });
    const r = h.gzRun(['serve', '--site', bad, '--listen', '127.0.0.1:1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /gazette\.conf:\d+: time zone "Mars\/Olympus": no such zone/);
    const dots = h.makeSite({ demo: false, conf: { timezone: '../../etc/passwd' } });
    const r2 = h.gzRun(['serve', '--site', dots, '--listen', '127.0.0.1:1']);
    assert.notEqual(r2.status, 0);
    assert.match(r2.stderr + r2.stdout, /time zone "\.\.\/\.\.\/etc\/passwd": not a zone name/);
  });
});

describe('"Updated": an editor marks a published story, not every save', () => {
  let id; let storyPath;
  test('a plain save shows no "Updated"; dateModified stays the publication time', async () => {
    id = await a.writeStory(ed, { title: 'Marked story', excerpt: 'x', body: 'First text.', published_at: '2024-03-01T10:00:00' });
    storyPath = await a.publicPath(ed, id);
    const vals = await a.editorValues(ed, id);
    assert.match((await ed.get(`/admin/stories/${id}`)).body, /<input id="mark_updated" name="mark_updated" type="checkbox" value="1">/, 'the box starts unticked');
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...vals, body: 'First text, typo fixed.' });
    assert.equal(r.status, 303);
    const page = await h.get(srv.url, storyPath);
    assert.match(page.body, /typo fixed/);
    assert.doesNotMatch(page.body, /Updated/);
    assert.equal(jsonld(page.body).dateModified, '2024-03-01T10:00:00-05:00');
    // feeds: the entry's updated time is what readers saw change, not the save
    assert.equal(await atomUpdated(page.body, 'Marked story'), '2024-03-01T10:00:00-05:00');
  });

  test('ticking "Mark as updated" shows "Updated <time>" in the zone and moves dateModified', async () => {
    const before = Math.floor(Date.now() / 1000);
    const vals = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...vals, body: 'New facts.', mark_updated: '1' });
    assert.equal(r.status, 303);
    const at = sql(`SELECT revised_at FROM stories WHERE id = ${id}`)[0].revised_at;
    assert.ok(at >= before && at <= before + 5, `revised_at ${at}`);
    const page = await h.get(srv.url, storyPath);
    const m = /<span class="byline-updated">Updated <time datetime="([^"]+)">([^<]+)<\/time><\/span>/.exec(page.body);
    assert.ok(m, 'the Updated line');
    assert.equal(Date.parse(m[1]) / 1000, at);
    assert.match(m[1], /[-+]0[45]:00$/, 'in New York time');
    assert.match(m[2], /^\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d$/);
    assert.equal(Date.parse(jsonld(page.body).dateModified) / 1000, at);
    assert.equal(Date.parse(await atomUpdated(page.body, 'Marked story')) / 1000, at, 'the Atom entry follows the mark');
    assert.match((await ed.get(`/admin/stories/${id}/revisions`)).body, /marked updated/);
    // the next plain save keeps the mark as it was
    const again = await ed.post(`/admin/stories/${id}/publish`, { ...(await a.editorValues(ed, id)), body: 'New facts, again.' });
    assert.equal(again.status, 303);
    assert.equal(sql(`SELECT revised_at FROM stories WHERE id = ${id}`)[0].revised_at, at);
  });

  test('a draft cannot be marked updated', async () => {
    const d = await a.writeStory(ed, { title: 'Draft mark', excerpt: 'x', body: 'y' }, 'save');
    const r = await ed.post(`/admin/stories/${d}/save`, { ...(await a.editorValues(ed, d)), body: 'z', mark_updated: '1' });
    assert.equal(r.status, 303);
    assert.equal(sql(`SELECT revised_at FROM stories WHERE id = ${d}`)[0].revised_at, 0);
  });
});

describe('corrections: appended, dated, listed at /corrections', () => {
  let id1; let id2; let path1; let path2;
  const correct = (id, text) => ed.post(`/admin/stories/${id}/corrections`, { correction: text });

  test('an editor appends a correction; the story shows it at its end and in JSON-LD', async () => {
    id1 = await a.writeStory(ed, { title: 'Bridge opens', excerpt: 'x', body: 'The bridge is 300 m long.' });
    id2 = await a.writeStory(ed, { title: 'Council vote', excerpt: 'x', body: 'The vote was 7 to 2.' });
    path1 = await a.publicPath(ed, id1);
    path2 = await a.publicPath(ed, id2);
    const empty = await h.get(srv.url, '/corrections');
    assert.equal(empty.status, 200);
    assert.match(empty.body, /No corrections have been published/);
    assert.doesNotMatch((await h.get(srv.url, path1)).body, /story-corrections/);
    const r = await correct(id1, 'An earlier version gave the length as 300 m; it is 330 m. <b>sorry</b>');
    assert.equal(r.status, 303);
    assert.match(r.headers.location, new RegExp(`^/admin/stories/${id1}/corrections\\?msg=corrected$`));
    const admin = await ed.get(r.headers.location);
    assert.match(h.textOf(admin.body), /Correction appended/);
    assert.match(h.textOf(admin.body), /it is 330 m/);
    const page = await h.get(srv.url, path1);
    const body = page.body.indexOf('class="story-body"'); const sec = page.body.indexOf('class="story-corrections"');
    assert.ok(body > 0 && sec > body, 'the corrections follow the story');
    assert.match(page.body, /<li><time datetime="[^"]+-0[45]:00">\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d<\/time>: An earlier version gave the length as 300 m; it is 330 m. &lt;b&gt;sorry&lt;\/b&gt;<\/li>/);
    const ld = jsonld(page.body);
    assert.equal(ld.correction.length, 1);
    assert.equal(ld.correction[0]['@type'], 'CorrectionComment');
    assert.equal(ld.correction[0].text, 'An earlier version gave the length as 300 m; it is 330 m. <b>sorry</b>');
    assert.match(ld.correction[0].datePublished, /[-+]0[45]:00$/);
  });

  test('/corrections lists them newest first and follows every change (cached)', async () => {
    const first = await h.get(srv.url, '/corrections');
    assert.match(first.body, /Bridge opens/);
    assert.equal((await h.get(srv.url, '/corrections')).body, first.body, 'served again the same');
    sql(`UPDATE corrections SET created_at = created_at - 60 WHERE story_id = ${id1}`); // an older one
    assert.equal((await correct(id2, 'The vote was 6 to 3.')).status, 303);
    const second = await h.get(srv.url, '/corrections');
    const iVote = second.body.indexOf('The vote was 6 to 3.'); const iBridge = second.body.indexOf('it is 330 m');
    assert.ok(iVote > 0 && iBridge > iVote, 'newest first');
    assert.match(second.body, new RegExp(`<a href="${path2}">Council vote</a>`));
    // a retitled story: the list shows the new title
    const vals = await a.editorValues(ed, id2);
    assert.equal((await ed.post(`/admin/stories/${id2}/publish`, { ...vals, title: 'Council vote, recounted' })).status, 303);
    assert.match((await h.get(srv.url, '/corrections')).body, /Council vote, recounted/);
    // an unpublished story leaves the list, and comes back with it
    const un = await ed.post(`/admin/stories/${id2}/unpublish`, await a.editorValues(ed, id2));
    assert.equal(un.status, 303);
    const third = await h.get(srv.url, '/corrections');
    assert.doesNotMatch(third.body, /The vote was 6 to 3/);
    assert.match(third.body, /it is 330 m/);
    const re = await ed.post(`/admin/stories/${id2}/publish`, await a.editorValues(ed, id2));
    assert.equal(re.status, 303);
    assert.match((await h.get(srv.url, '/corrections')).body, /The vote was 6 to 3/);
  });

  test('refused: an empty or too long correction (422), a draft (409); nothing stored', async () => {
    const n = () => sql('SELECT count(*) AS n FROM corrections')[0].n;
    const before = n();
    const e1 = await correct(id1, '   ');
    assert.equal(e1.status, 422);
    assert.match(h.textOf(e1.body), /Write the correction/);
    const e2 = await correct(id1, 'x'.repeat(2001));
    assert.equal(e2.status, 422);
    assert.match(h.textOf(e2.body), /too long/);
    const d = await a.writeStory(ed, { title: 'Draft to correct', excerpt: 'x', body: 'y' }, 'save');
    const e3 = await correct(d, 'A note.');
    assert.equal(e3.status, 409);
    assert.match(h.textOf(e3.body), /Only a published story takes corrections/);
    assert.equal((await ed.post('/admin/stories/99999/corrections', { correction: 'x' })).status, 404);
    assert.equal(n(), before);
  });

  test('a contributor cannot append a correction to a published story', async () => {
    const co = await a.signedIn(srv.url, 'contributor');
    const r = await co.post(`/admin/stories/${id1}/corrections`, { correction: 'Not mine to say.' });
    assert.equal(r.status, 403);
    assert.doesNotMatch((await h.get(srv.url, path1)).body, /Not mine to say/);
  });
});

describe('co-bylines: several authors, in order, each linked', () => {
  const uid = (role) => sql(`SELECT id FROM users WHERE email = '${a.email(role)}'`)[0].id;
  let id; let storyPath;
  const byline = (html) => /<span class="byline-by">([\s\S]*?)<\/span>/.exec(html)[1];

  test('the editor offers co-author selects; the byline reads "By A, B and C" with every name linked', async () => {
    const form = await ed.get('/admin/stories/new');
    assert.match(form.body, /<select id="coauthor-1" name="coauthor"><option value="">None<\/option>/);
    id = await a.writeStory(ed, { title: 'Three hands', excerpt: 'x', body: 'Written together.',
      author: uid('author'), coauthor: [uid('admin'), '', uid('contributor')] });
    assert.deepEqual(sql(`SELECT user_id, position FROM story_coauthors WHERE story_id = ${id} ORDER BY position`),
      [{ user_id: uid('admin'), position: 1 }, { user_id: uid('contributor'), position: 2 }]);
    storyPath = await a.publicPath(ed, id);
    const page = await h.get(srv.url, storyPath);
    const slug = (role) => h.slugify(a.userName(role));
    assert.equal(byline(page.body),
      `By <a class="byline-author" rel="author" href="/author/${slug('author')}">Test Author</a>` +
      `, <a class="byline-author" rel="author" href="/author/${slug('admin')}">Test Admin</a>` +
      ` and <a class="byline-author" rel="author" href="/author/${slug('contributor')}">Test Contributor</a>`);
    assert.deepEqual(jsonld(page.body).author.map((p) => p.name), ['Test Author', 'Test Admin', 'Test Contributor']);
    assert.ok(jsonld(page.body).author.every((p) => p['@type'] === 'Person' && /^http.*\/author\//.test(p.url)));
    // the editor shows them chosen, in order
    const again = await ed.get(`/admin/stories/${id}`);
    assert.match(again.body, new RegExp(`<select id="coauthor-1" name="coauthor">.*?<option value="${uid('admin')}" selected>`, 's'));
    assert.match(again.body, new RegExp(`<select id="coauthor-2" name="coauthor">.*?<option value="${uid('contributor')}" selected>`, 's'));
  });

  test('two authors read "By A and B"; a repeat or the first author is left out; order is kept', async () => {
    const vals = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...vals, author: uid('author'),
      coauthor: [uid('contributor'), uid('author'), uid('contributor'), ''] });
    assert.equal(r.status, 303);
    const page = await h.get(srv.url, storyPath);
    assert.match(byline(page.body), /^By <a [^>]+>Test Author<\/a> and <a [^>]+>Test Contributor<\/a>$/);
    assert.match((await ed.get(`/admin/stories/${id}/revisions`)).body, /co-authors/);
  });

  test("a co-author's page and feed list the story; dropping them takes it off", async () => {
    const slug = h.slugify(a.userName('contributor'));
    const list = await h.get(srv.url, `/author/${slug}`);
    assert.equal(list.status, 200);
    assert.match(list.body, /Three hands/);
    assert.match((await h.get(srv.url, `/author/${slug}/feed`)).body, /Three hands/);
    // every card carries the whole byline: the lists, the front page, search
    const cardOf = (body) => {
      const at = body.indexOf('>Three hands</a>');
      assert.ok(at > 0, 'the card is listed');
      const rest = body.slice(at);
      return rest.match(/<span class="summary-byline">(.*?)<\/span>/s)[1];
    };
    for (const where of [`/author/${slug}`, '/', '/search?q=together']) {
      const b = cardOf((await h.get(srv.url, where)).body);
      assert.match(b, new RegExp(`^By <a href="/author/${h.slugify(a.userName('author'))}" rel="author">Test Author</a>` +
        ` and <a href="/author/${slug}" rel="author">Test Contributor</a>$`), where);
    }
    const vals = await a.editorValues(ed, id);
    assert.equal((await ed.post(`/admin/stories/${id}/publish`, { ...vals, author: uid('author'), coauthor: ['', '', '', ''] })).status, 303);
    assert.equal(sql(`SELECT count(*) AS n FROM story_coauthors WHERE story_id = ${id}`)[0].n, 0);
    const gone = await h.get(srv.url, `/author/${slug}`);
    assert.equal(gone.status, 404, 'a contributor without a published story has no page');
    assert.match(byline((await h.get(srv.url, storyPath)).body), /^By <a [^>]+>Test Author<\/a>$/);
  });

  test('an unknown co-author is refused (422) and nothing changes; a form without the selects keeps them', async () => {
    const vals = await a.editorValues(ed, id);
    assert.equal((await ed.post(`/admin/stories/${id}/publish`, { ...vals, author: uid('author'), coauthor: [uid('admin')] })).status, 303);
    const bad = await ed.post(`/admin/stories/${id}/publish`, { ...(await a.editorValues(ed, id)), author: uid('author'), coauthor: ['99999'] });
    assert.equal(bad.status, 422);
    assert.match(h.textOf(bad.body), /Choose co-authors from the list/);
    assert.equal(sql(`SELECT user_id FROM story_coauthors WHERE story_id = ${id}`)[0].user_id, uid('admin'));
    // editorValues reads inputs only (no selects): a save without them keeps the byline
    assert.equal((await ed.post(`/admin/stories/${id}/publish`, { ...(await a.editorValues(ed, id)), body: 'Edited.' })).status, 303);
    assert.equal(sql(`SELECT user_id FROM story_coauthors WHERE story_id = ${id}`)[0].user_id, uid('admin'));
  });
});

describe('the new markup validates', () => {
  test('a story with co-authors, "Updated" and corrections, /corrections and the admin pages pass the Nu HTML Checker', async () => {
    const vnu = path.join(h.ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    const id = await a.writeStory(ed, { title: 'Valid markup', excerpt: 'x', body: 'Text.', published_at: '2024-01-01T10:00:00',
      coauthor: [sql(`SELECT id FROM users WHERE email = '${a.email('admin')}'`)[0].id] });
    const p = await a.publicPath(ed, id);
    await ed.post(`/admin/stories/${id}/publish`, { ...(await a.editorValues(ed, id)), body: 'Text, more.', mark_updated: '1' });
    await ed.post(`/admin/stories/${id}/corrections`, { correction: 'A fix & a "quote".' });
    const tmp = h.tmpDir();
    const pages = { story: [null, p], corrections: [null, '/corrections'],
      editor: [ed, `/admin/stories/${id}`], 'admin-corrections': [ed, `/admin/stories/${id}/corrections`] };
    const files = [];
    for (const [n, [client, u]] of Object.entries(pages)) {
      const r = client ? await client.get(u) : await h.get(srv.url, u);
      assert.equal(r.status, 200, u);
      const f = path.join(tmp, n + '.html');
      fs.writeFileSync(f, r.body);
      files.push(f);
    }
    assert.match(fs.readFileSync(files[0], 'utf8'), /story-corrections[\s\S]*byline-updated|byline-updated[\s\S]*story-corrections/);
    const r = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, `vnu found errors:\n${r.stderr}${r.stdout}`);
  });
});
