'use strict';
// Embeds (issue 14, docs/embeds.md): a story's URL alone on a line becomes a
// facade with no request to the provider; the public pages' CSP frame-src
// is exactly the enabled providers' iframe hosts; a provider switched off in
// gazette.conf (`embeds_off`) or unticked in Settings leaves its URLs plain links and its host out
// of the CSP; the admin keeps its own policy.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

const HOSTS = {
  youtube: 'https://www.youtube-nocookie.com', vimeo: 'https://player.vimeo.com',
  twitter: 'https://platform.twitter.com', instagram: 'https://www.instagram.com',
  facebook: 'https://www.facebook.com', tiktok: 'https://www.tiktok.com',
  soundcloud: 'https://w.soundcloud.com', spotify: 'https://open.spotify.com',
  datawrapper: 'https://datawrapper.dwcdn.net', flourish: 'https://public.flourish.studio',
  googlemaps: 'https://www.google.com',
};
const YT = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s';
const TT = 'https://www.tiktok.com/@scout2015/video/6718335390845095173';
const VIMEO = 'https://vimeo.com/76979871';
const BODY = `Opening paragraph.\n\n${YT}\n\nA sentence with ${VIMEO} inside stays a link.\n\n${TT}\n\n` +
  '<https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC>\n';

function directive(res, name) {
  const csp = res.headers['content-security-policy'] || '';
  const d = csp.split(';').map((s) => s.trim()).find((s) => s.startsWith(name + ' '));
  return d ? d.slice(name.length + 1).split(/\s+/).sort() : null;
}

// whether the Settings page's box for a provider is ticked
function ticked(html, name) {
  const box = h.findTags(html, 'input').find((t) => t.attrs.name === `embed_${name}`);
  assert.ok(box, `a box for ${name}`);
  return box.attrs.checked !== undefined;
}

// what a browser would submit: unticked boxes left out
function submitted(html) {
  const { values, html: form } = h.formValues(html, 'settings-form');
  for (const t of h.findTags(form, 'input')) {
    if (t.attrs.type === 'checkbox' && t.attrs.checked === undefined) delete values[t.attrs.name];
  }
  return values;
}

function facades(html) {
  return h.findTags(html, 'figure').filter((t) => h.hasClass(t.attrs, 'embed'));
}

test('facades, frame-src of the enabled hosts, and a provider switched off', async (t) => {
  const dir = a.makeNewsroom();
  let srv = await h.startServer(dir);
  t.after(async () => { if (srv) await srv.stop(); });
  const au = await a.signedIn(srv.url, 'author');
  const id = await a.writeStory(au, { title: 'Embeds in a story', body: BODY, excerpt: 'Embeds.' });
  const storyPath = await a.publicPath(au, id);
  assert.ok(storyPath, 'the story has a public address');

  // all providers on (the default)
  let r = await h.get(srv.url, storyPath);
  assert.equal(r.status, 200);
  const figs = facades(r.body);
  assert.deepEqual(figs.map((f) => f.attrs['data-embed']), ['youtube', 'tiktok', 'spotify']);
  assert.equal(figs[0].attrs['data-embed-src'], 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(figs[0].attrs['data-embed-url'], YT);
  assert.equal(figs[1].attrs['data-embed-src'], 'https://www.tiktok.com/embed/v2/6718335390845095173');
  assert.ok(h.hasClass(figs[0].attrs, 'embed-r16x9'));
  // the link card is the no-JavaScript fallback: a link to the original
  const cards = h.findTags(r.body, 'a').filter((l) => h.hasClass(l.attrs, 'embed-card'));
  assert.deepEqual(cards.map((l) => l.attrs.href), [YT, TT, 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC']);
  assert.match(r.body, /<button type="button" class="embed-load">Load YouTube content<\/button>/);
  assert.match(r.body, /Loading it sends data to YouTube\./);
  // nothing of a provider's in the page: no iframe, no script, no image
  assert.doesNotMatch(r.body, /<iframe/i);
  const provider = /youtube|ytimg|vimeo|twitter|twimg|instagram|facebook|fbcdn|tiktok|soundcloud|spotify|scdn|dwcdn|flourish|google/i;
  for (const tag of ['script', 'img', 'link', 'source', 'video', 'audio']) {
    for (const el of h.findTags(r.body, tag)) {
      const u = el.attrs.src || el.attrs.href || el.attrs.srcset || '';
      assert.ok(!provider.test(u), `<${tag}> loads ${u} from a provider`);
    }
  }
  assert.ok(h.findTags(r.body, 'script').some((s) => /^\/static\/embed\.js/.test(s.attrs.src)), 'embed.js is loaded');
  // the page with its facades is valid HTML (Nu HTML Checker)
  const page = path.join(h.tmpDir(), 'story.html');
  fs.writeFileSync(page, r.body);
  const vnu = spawnSync('java', ['-jar', path.join(h.ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar'),
    '--errors-only', '--format', 'gnu', page], { encoding: 'utf8', timeout: 120000 });
  assert.equal(vnu.status, 0, `vnu found errors:\n${vnu.stderr}${vnu.stdout}`);
  // the URL in a sentence stays a plain link
  assert.ok(h.findLinks(r.body).some((l) => l.href === VIMEO));
  assert.equal(facades(r.body).filter((f) => f.attrs['data-embed'] === 'vimeo').length, 0);
  // CSP: frame-src holds exactly the enabled providers' hosts, on every public page
  const all = [...new Set(Object.values(HOSTS))].sort();
  assert.deepEqual(directive(r, 'frame-src'), all);
  assert.deepEqual(directive(await h.get(srv.url, '/'), 'frame-src'), all);
  assert.deepEqual(directive(r, 'script-src'), ["'self'"]);
  // the admin keeps its own policy: never framed, no provider frames
  const adm = await au.get('/admin/stories');
  assert.equal(directive(adm, 'frame-src'), null);
  assert.deepEqual(directive(adm, 'frame-ancestors'), ["'none'"]);
  // the embed script is served as a static file
  const js = await h.get(srv.url, '/static/embed.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  // feeds carry links, not facades (a feed reader runs no script of ours)
  const feed = await h.get(srv.url, '/feed');
  assert.equal(feed.status, 200);
  assert.ok(feed.body.includes('Embeds in a story'));
  assert.ok(!feed.body.includes('data-embed'), 'no facade in the feed');
  assert.ok(feed.body.includes(h.htmlUnescape('https://www.tiktok.com/@scout2015/video/6718335390845095173')));

  // switch YouTube and TikTok off: their URLs are links again, their hosts leave the CSP
  await srv.stop();
  srv = null;
  fs.appendFileSync(path.join(dir, 'gazette.conf'), '\nembeds_off = youtube, tiktok\n');
  srv = await h.startServer(dir);
  r = await h.get(srv.url, storyPath);
  assert.equal(r.status, 200);
  assert.deepEqual(facades(r.body).map((f) => f.attrs['data-embed']), ['spotify']);
  const links = h.findLinks(r.body).map((l) => l.href);
  assert.ok(links.includes(YT), 'the YouTube URL is a plain link');
  assert.ok(links.includes(TT), 'the TikTok URL is a plain link');
  assert.doesNotMatch(r.body, /Load YouTube content|youtube-nocookie/);
  const left = Object.entries(HOSTS).filter(([k]) => k !== 'youtube' && k !== 'tiktok').map(([, v]) => v);
  assert.deepEqual(directive(r, 'frame-src'), [...new Set(left)].sort());
  // the admin's Settings page says which providers are on
  const admin = await a.signedIn(srv.url, 'admin');
  const settings = await admin.get('/admin/settings');
  assert.equal(settings.status, 200);
  const list = h.textOf(h.findElement(settings.body, 'fieldset', (attrs) => attrs.id === 'embeds') || '');
  assert.match(list, /YouTube: off in gazette\.conf/);
  assert.match(list, /TikTok: off in gazette\.conf/);
  const values = submitted(settings.body);
  assert.ok(ticked(settings.body, 'vimeo'), 'Vimeo is ticked');
  assert.ok(ticked(settings.body, 'googlemaps'), 'Google Maps is ticked');
  assert.equal(values.embed_youtube, undefined, 'a provider gazette.conf switched off has no box');

  // Settings switch Spotify off while serving: its URL is a link on the next
  // request, its host leaves the CSP; ticked again, both come back
  const saved = await admin.post('/admin/settings', { ...values, embed_spotify: undefined });
  assert.equal(saved.status, 303);
  r = await h.get(srv.url, storyPath);
  assert.deepEqual(facades(r.body), [], 'no facade left');
  assert.ok(h.findLinks(r.body).map((l) => l.href).includes('https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC'));
  const fewer = left.filter((v) => v !== HOSTS.spotify);
  assert.deepEqual(directive(r, 'frame-src'), [...new Set(fewer)].sort());
  const home = await h.get(srv.url, '/');
  assert.deepEqual(directive(home, 'frame-src'), [...new Set(fewer)].sort(), 'every public page');
  const again = await admin.get('/admin/settings');
  assert.equal(again.status, 200);
  assert.equal(ticked(again.body, 'spotify'), false, 'shown unticked');
  assert.ok(ticked(again.body, 'vimeo'));
  assert.equal((await admin.post('/admin/settings', { ...values })).status, 303);
  r = await h.get(srv.url, storyPath);
  assert.deepEqual(facades(r.body).map((f) => f.attrs['data-embed']), ['spotify']);
  assert.deepEqual(directive(r, 'frame-src'), [...new Set(left)].sort());
  // the switch survives a restart
  await admin.post('/admin/settings', { ...values, embed_spotify: undefined });
  await srv.stop();
  srv = await h.startServer(dir);
  r = await h.get(srv.url, storyPath);
  assert.deepEqual(facades(r.body), []);
  assert.deepEqual(directive(r, 'frame-src'), [...new Set(fewer)].sort());
});

test('every provider off: frame-src \'none\', no script, and an unknown name is refused', async (t) => {
  const off = Object.keys(HOSTS).join(' ');
  const dir = a.makeNewsroom({ conf: { embeds_off: off } });
  const srv = await h.startServer(dir);
  t.after(() => srv.stop());
  const au = await a.signedIn(srv.url, 'author');
  const id = await a.writeStory(au, { title: 'No embeds here', body: `${YT}\n`, excerpt: 'x' });
  const r = await h.get(srv.url, await a.publicPath(au, id));
  assert.equal(r.status, 200);
  assert.deepEqual(directive(r, 'frame-src'), ["'none'"]);
  assert.equal(facades(r.body).length, 0);
  assert.ok(!h.findTags(r.body, 'script').some((s) => /embed\.js/.test(s.attrs.src || '')));
  assert.ok(h.findLinks(r.body).some((l) => l.href === YT));

  const bad = h.makeSite({ demo: false, conf: { embeds_off: 'youtube myspace' } });
  const run = h.gzRun(['serve', '--site', bad, '--listen', '127.0.0.1:1']);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /gazette\.conf:\d+: unknown embed provider "myspace"/);
});

test('imported WordPress embeds become the same facades', async (t) => {
  const w = require('./import-helpers');
  const cd = (s) => `<![CDATA[${s}]]>`;
  const item = (id, slug, content) => `<item><title>Embeds ${id}</title><link>https://old.example/${slug}/</link>
<dc:creator>${cd('editor')}</dc:creator><guid isPermaLink="false">https://old.example/?p=${id}</guid>
<content:encoded>${cd(content)}</content:encoded><excerpt:encoded>${cd('')}</excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date>${cd('2024-05-0' + id + ' 09:00:00')}</wp:post_date><wp:post_date_gmt>${cd('2024-05-0' + id + ' 09:00:00')}</wp:post_date_gmt>
<wp:comment_status>${cd('open')}</wp:comment_status><wp:post_name>${cd(slug)}</wp:post_name>
<wp:status>${cd('publish')}</wp:status><wp:post_type>${cd('post')}</wp:post_type>
<wp:post_password>${cd('')}</wp:post_password><wp:is_sticky>0</wp:is_sticky></item>`;
  const classic = 'Classic intro.\n\n[embed]https://vimeo.com/76979871[/embed]\n\n' +
    'https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC\n\n' +
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" onload="alert(1)" allowfullscreen></iframe>\n\n' +
    '<iframe src="https://evil.example/frame"></iframe>\n\nSee https://youtu.be/dQw4w9WgXcQ in a sentence.';
  const blocks = '<!-- wp:paragraph --><p>Block intro.</p><!-- /wp:paragraph -->\n' +
    '<!-- wp:embed {"url":"https://twitter.com/jack/status/20","type":"rich","providerNameSlug":"twitter"} -->\n' +
    '<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter"><div class="wp-block-embed__wrapper">\n' +
    'https://twitter.com/jack/status/20\n</div></figure>\n<!-- /wp:embed -->\n' +
    '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube"} -->\n' +
    '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">\n' +
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div><figcaption>The caption stays</figcaption></figure>\n<!-- /wp:embed -->';
  const dir = h.makeSite({ demo: false });
  const file = path.join(h.tmpDir(), 'embeds.xml');
  fs.writeFileSync(file, w.wrap(item(1, 'classic-embeds', classic) + item(2, 'block-embeds', blocks)));
  const run = h.gzRun(['import', 'wordpress', file, '--site', dir], { timeout: 120000 });
  assert.equal(run.status, 0, run.stderr);
  const srv = await h.startServer(dir);
  t.after(() => srv.stop());

  let r = await h.get(srv.url, '/2024/05/01/classic-embeds');
  assert.equal(r.status, 200);
  let figs = facades(r.body);
  assert.deepEqual(figs.map((f) => f.attrs['data-embed']), ['vimeo', 'spotify', 'youtube']);
  assert.deepEqual(figs.map((f) => f.attrs['data-embed-src']), ['https://player.vimeo.com/video/76979871?dnt=1',
    'https://open.spotify.com/embed/episode/4uLU6hMCjMI75M1A2tKUQC', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ']);
  assert.deepEqual(figs.map((f) => f.attrs['data-embed-url']), ['https://vimeo.com/76979871',
    'https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC', 'https://www.youtube.com/embed/dQw4w9WgXcQ']);
  assert.doesNotMatch(r.body, /<iframe|onload|alert\(1\)/);
  assert.ok(h.findLinks(r.body).some((l) => l.href === 'https://evil.example/frame'), 'a foreign iframe is a link');
  assert.ok(h.textOf(r.body).includes('See https://youtu.be/dQw4w9WgXcQ in a sentence.'));
  assert.ok(h.findTags(r.body, 'script').some((s) => /^\/static\/embed\.js/.test(s.attrs.src || '')));

  r = await h.get(srv.url, '/2024/05/02/block-embeds');
  assert.equal(r.status, 200);
  figs = facades(r.body);
  assert.deepEqual(figs.map((f) => f.attrs['data-embed']), ['twitter', 'youtube']);
  assert.equal(figs[0].attrs['data-embed-src'], 'https://platform.twitter.com/embed/Tweet.html?id=20');
  assert.ok(h.textOf(r.body).includes('The caption stays'));
  assert.doesNotMatch(r.body, /<iframe/);
});
