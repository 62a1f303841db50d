'use strict';
// A published story given a time years ahead (issue 12, point 4): saving it
// would keep it published and pin it to the top of the home page and the
// feeds until then. Saving is refused with a message and nothing changes;
// Publish or schedule with that time schedules it (off the site until then).
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

describe('a future time on a published story', () => {
  let srv;
  before(async () => { srv = await h.startServer(a.makeNewsroom()); });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('Update is refused with a message, Publish schedules it', async () => {
    const ed = await a.signedIn(srv.url, 'editor');
    const title = `Dated ahead ${Date.now()}`;
    const id = await a.writeStory(ed, { title, excerpt: 'x', body: 'A story.', section: '1' });
    const path = await a.publicPath(ed, id);
    const home = (await h.get(srv.url, '/')).body;
    assert.ok(home.includes(title));
    const v = await a.editorValues(ed, id);
    const future = new Date(Date.now() + 3 * 365 * 86400e3).toISOString().slice(0, 19);
    const r = await ed.post(`/admin/stories/${id}/save`, { ...v, section: '1', published_at: future });
    assert.equal(r.status, 422, h.textOf(r.body).slice(0, 200));
    assert.match(h.textOf(r.body), /A published story cannot have a time in the future/);
    assert.equal(h.formValues(r.body, 'editor').values.title, title, 'the form comes back filled');
    const after = await a.editorValues(ed, id);
    assert.equal(after.published_at, v.published_at, 'the stored time is unchanged');
    assert.equal((await h.get(srv.url, path)).status, 200, 'still published at its address');
    // Publish or schedule with that time: scheduled, off the site
    const p = await ed.post(`/admin/stories/${id}/publish`, { ...after, section: '1', published_at: future });
    assert.equal(p.status, 303, h.textOf(p.body).slice(0, 200));
    assert.match(p.headers.location, /msg=scheduled/);
    assert.ok(!(await h.get(srv.url, '/')).body.includes(title), 'not on the home page until then');
  });
});
