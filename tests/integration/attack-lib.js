'use strict';
// The attack corpus shared by tests/integration/attack.test.js and
// tests/e2e/xss.test.js: XSS payloads (each would call alert() or set
// top.__xss if it ran), a structural detector of live markup in a page, SQL
// injection probes, and path traversal and open-redirect targets.

// Payloads: script tags, event handlers, javascript:/data: URLs, SVG/MathML,
// broken and nested tags, entity and Unicode tricks, attribute and element
// breakouts, mutation-XSS shapes, template and Markdown syntax.
const XSS = [
  '<script>alert(1)</script>',
  '<script>top.__xss=1</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<script src=data:,top.__xss=1></script>',
  '<script/src=data:,alert(1)>',
  '<script\ttype="text/javascript">top.__xss=1</script>',
  '<scr<script>ipt>alert(1)</script>',
  '<<script>alert(1)//<</script>',
  '</script><script>top.__xss=1</script>',
  '</textarea><script>top.__xss=1</script>',
  '</title><script>top.__xss=1</script>',
  '</style><script>top.__xss=1</script>',
  '</noscript><script>top.__xss=1</script>',
  '"><script>top.__xss=1</script>',
  "'><script>top.__xss=1</script>",
  '\\"><img src=x onerror=top.__xss=1>',
  '"><img src=x onerror=alert(1)>',
  '<img src=x onerror=alert(1)>',
  '<img src=x onerror="top.__xss=1">',
  '<img/src/onerror=top.__xss=1>',
  '<IMG SRC=x OnErRoR=top.__xss=1>',
  '<img src=x onerror=&#116;op.__xss=1>',
  '<img src=x onerror="&#x74;op.__xss=1">',
  '<img src=x onerror=\\u0061lert(1)>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<img """><script>top.__xss=1</script>">',
  '<img src=x onerror=top.__xss=1',
  '<img src=x onerror=top.__xss=1//',
  '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041>',
  '<svg onload=top.__xss=1>',
  '<svg/onload=top.__xss=1>',
  '<svg onload=alert(1)//',
  '<svg><script>top.__xss=1</script></svg>',
  '<svg><style><img src=x onerror=top.__xss=1></style></svg>',
  '<svg><a xlink:href="javascript:top.__xss=1"><text x="20" y="20">x</text></a></svg>',
  '<svg><animate onbegin=top.__xss=1 attributeName=x dur=1s>',
  '<svg><set attributeName=onmouseover to=alert(1)>',
  '<svg><foreignObject><iframe srcdoc="&lt;script&gt;parent.__xss=1&lt;/script&gt;"></iframe></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=top.__xss=1>',
  '<math href="javascript:top.__xss=1">x</math>',
  '<noscript><p title="</noscript><img src=x onerror=top.__xss=1>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=top.__xss=1>',
  '<!--<img src="--><img src=x onerror=top.__xss=1//">',
  '<![CDATA[<script>top.__xss=1</script>]]>',
  '<?xml version="1.0"?><script>top.__xss=1</script>',
  '<template><script>top.__xss=1</script></template>',
  '<body onload=top.__xss=1>',
  '<frameset onload=top.__xss=1>',
  '<details open ontoggle=top.__xss=1>',
  '<input autofocus onfocus=top.__xss=1>',
  '<select autofocus onfocus=top.__xss=1>',
  '<textarea autofocus onfocus=top.__xss=1>',
  '<keygen autofocus onfocus=top.__xss=1>',
  '<video><source onerror=top.__xss=1>',
  '<audio src=x onerror=top.__xss=1>',
  '<marquee onstart=top.__xss=1>',
  '<x contenteditable onblur=top.__xss=1>lose focus!',
  '<xss onafterscriptexecute=top.__xss=1><script>1</script>',
  '<div onpointerover="top.__xss=1">MOVE</div>',
  '<dialog open onclose=top.__xss=1>',
  '<slot onclick=top.__xss=1>',
  '<a href="http://example.com" onclick="top.__xss=1">x</a>',
  '" onmouseover="top.__xss=1',
  "' onfocus='top.__xss=1' autofocus='",
  '" autofocus onfocus="top.__xss=1',
  '" style="animation-name:x" onanimationstart="top.__xss=1',
  '<iframe src="javascript:top.__xss=1"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<iframe src=data:text/html,%3Cscript%3Eparent.__xss=1%3C/script%3E>',
  '<object data="javascript:top.__xss=1">',
  '<embed src="javascript:top.__xss=1">',
  '<a href="javascript:top.__xss=1">x</a>',
  '<a href="JaVaScRiPt:top.__xss=1">x</a>',
  '<a href="&#106;avascript:top.__xss=1">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;top.__xss=1">x</a>',
  '<a href="java&#x09;script:top.__xss=1">x</a>',
  '<a href="jav&#x0A;ascript:top.__xss=1">x</a>',
  '<a href="javas\tcript:top.__xss=1">x</a>',
  '<a href=" javascript:top.__xss=1">x</a>',
  '<a href="\u0001javascript:top.__xss=1">x</a>',
  '<a href=javascript&colon;top.__xss=1>x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<form action="javascript:top.__xss=1"><button>x</button></form>',
  '<button formaction="javascript:top.__xss=1">x</button>',
  '<isindex action=javascript:top.__xss=1 type=image>',
  '<meta http-equiv="refresh" content="0;url=javascript:top.__xss=1">',
  '<base href="javascript:top.__xss=1//">',
  '<link rel=import href="data:text/html,<script>top.__xss=1</script>">',
  '<style>@import \'javascript:top.__xss=1\';</style>',
  '<style>*{background:url("javascript:top.__xss=1")}</style>',
  '<div style="background:url(javascript:top.__xss=1)">',
  '<div style="width:expression(top.__xss=1)">',
  '<table background="javascript:top.__xss=1">',
  '<td background="javascript:top.__xss=1">',
  'javascript:top.__xss=1',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>top.__xss=1</script>',
  'vbscript:msgbox(1)',
  'http://example.com/"onmouseover="top.__xss=1',
  "http://example.com/'onmouseover='top.__xss=1",
  'http://example.com/<script>top.__xss=1</script>',
  'http://"><script>top.__xss=1</script>',
  'https://example.com/" onmouseover="top.__xss=1',
  'http://example.com/?q=<script>top.__xss=1</script>',
  'www.example.com/"><script>top.__xss=1</script>',
  '[x](javascript:top.__xss=1)',
  '![x](javascript:top.__xss=1)',
  '<javascript:top.__xss=1>',
  '[x](data:text/html,<script>top.__xss=1</script>)',
  '[url=javascript:top.__xss=1]x[/url]',
  '{{constructor.constructor(\'top.__xss=1\')()}}',
  '{{{s}}}{{>main}}{{#x}}',
  '${top.__xss=1}',
  '&lt;script&gt;top.__xss=1&lt;/script&gt;',
  '%3Cscript%3Etop.__xss=1%3C/script%3E',
  '%253Cscript%253Etop.__xss=1%253C/script%253E',
  '\\u003cscript\\u003etop.__xss=1\\u003c/script\\u003e',
  '\uff1cscript\uff1etop.__xss=1\uff1c/script\uff1e',
  '<scr\u0131pt>top.__xss=1</scr\u0131pt>',
  '\u202e<script>top.__xss=1</script>',
  '<scr\u200bipt>top.__xss=1</script>',
  '<img src=x onerror=top.__xss=1>\u2028\u2029',
  '<svg><animatetransform onbegin=top.__xss=1>',
];

// A payload made unique per use (so duplicate detection never kicks in).
function tagged(p, i) {
  return `${p} #${i}`;
}

// ---------------------------------------------------------------- live markup

const ENTITY = /&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);?/g;
const NAMED = { colon: ':', tab: '\t', newline: '\n', lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decodeEntities(s) {
  return String(s).replace(ENTITY, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      try { return String.fromCodePoint(cp); } catch { return m; }
    }
    return Object.prototype.hasOwnProperty.call(NAMED, e.toLowerCase()) ? NAMED[e.toLowerCase()] : m;
  });
}

// What a browser would make of a URL attribute: entities decoded, control
// characters and whitespace dropped, lowercased.
function urlScheme(v) {
  const s = decodeEntities(v).replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):/.exec(s);
  return m ? m[1] : '';
}

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'data',
  'poster', 'codebase', 'dynsrc', 'lowsrc', 'cite', 'longdesc', 'usemap', 'ping']);
const BAD_TAGS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'base',
  'isindex', 'keygen', 'template', 'xss', 'marquee', 'dialog', 'slot', 'video', 'audio', 'source',
  'foreignobject', 'animate', 'set', 'xml', 'noscript']);
const OK_SCHEMES = new Set(['', 'http', 'https', 'mailto']);

// Problems that would let a payload run or change the page, found by
// scanning every start tag of a response body. An empty list means no live
// markup. Gazette's own pages must come out empty (a baseline test checks).
function liveMarkup(html) {
  const problems = [];
  const tagRe = /<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  const attrRe = /([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
  let m;
  let bodies = 0;
  while ((m = tagRe.exec(html))) {
    const tag = m[1].toLowerCase();
    const at = m.index;
    const attrs = {};
    let a;
    attrRe.lastIndex = 0;
    while ((a = attrRe.exec(m[2]))) {
      const v = a[2] !== undefined ? a[2] : a[3] !== undefined ? a[3] : a[4] !== undefined ? a[4] : '';
      attrs[a[1].toLowerCase()] = v;
    }
    const where = `${m[0].slice(0, 80)} @${at}`;
    if (BAD_TAGS.has(tag)) problems.push(`<${tag}> element: ${where}`);
    if (tag === 'body' && ++bodies > 1) problems.push(`second <body>: ${where}`);
    if (tag === 'script') {
      const close = html.indexOf('</script>', tagRe.lastIndex);
      const inline = close === -1 ? '' : html.slice(tagRe.lastIndex, close).trim();
      const data = attrs.type === 'application/ld+json' && !attrs.src && !/[<>]/.test(inline);
      if (!data && (!attrs.src || !/^\/static\//.test(attrs.src) || inline !== '')) problems.push(`script: ${where}`);
    }
    if (tag === 'style') problems.push(`<style> element: ${where}`);
    if (tag === 'meta' && attrs['http-equiv'] !== undefined) problems.push(`meta http-equiv: ${where}`);
    if (tag === 'link' && attrs.rel && /import/i.test(attrs.rel)) problems.push(`link import: ${where}`);
    for (const [k, v] of Object.entries(attrs)) {
      if (/^on/.test(k)) problems.push(`event handler ${k}: ${where}`);
      if (k === 'srcdoc') problems.push(`srcdoc: ${where}`);
      if (k === 'style' && /expression|javascript:|url\(/i.test(decodeEntities(v))) problems.push(`style: ${where}`);
      if (URL_ATTRS.has(k) && !OK_SCHEMES.has(urlScheme(v))) {
        // data: images are fine in <img src>, never elsewhere
        if (!(tag === 'img' && k === 'src' && /^data:image\/(png|gif|jpeg|webp);/i.test(v))) {
          problems.push(`${k}=${urlScheme(v)}: ${where}`);
        }
      }
      if (k === 'autofocus' && tag !== 'input' && tag !== 'textarea') problems.push(`autofocus: ${where}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- SQL injection probes

const SQLI = [
  "'",
  "''",
  '"',
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR "1"="1',
  "1 OR 1=1",
  "1' AND 1=2 UNION SELECT name, sql FROM sqlite_master --",
  "') UNION SELECT 1,2,3,4,5,6,7,8 --",
  "1; DROP TABLE comments; --",
  "'); DELETE FROM comments; --",
  "%' AND 1=1 AND '%'='",
  "1) OR (1=1",
  "' || (SELECT secret FROM settings) || '",
  "\\'; SELECT sqlite_version(); --",
  "1 AND randomblob(100000000)",
  "' AND 0=like('ABCDEFG',upper(hex(randomblob(100000000)))) --",
  "admin'/*",
  '*/ OR 1=1 /*',
  'NEAR(a b) OR "x" *',
  '"foo" AND NOT "bar" OR ^baz',
  '-1',
  '99999999999999999999999999',
  '0x7fffffff',
];

// ---------------------------------------------------------------- traversal and redirects

const TRAVERSAL = [
  '/static/../gazette.conf',
  '/static/..%2fgazette.conf',
  '/static/..%2Fgazette.db',
  '/static/%2e%2e/gazette.conf',
  '/static/%2e%2e%2fgazette.conf',
  '/static/%252e%252e%252fgazette.conf',
  '/static/..%252fgazette.conf',
  '/static/%c0%ae%c0%ae/gazette.conf',
  '/static/..%c0%afgazette.conf',
  '/static/....//....//etc/passwd',
  '/static/..\\gazette.conf',
  '/static/..%5cgazette.conf',
  '/static/style.css%00.txt',
  '/static/style.css%00',
  '/static/%00',
  '/static//etc/passwd',
  '/static/%2fetc%2fpasswd',
  '/static/.',
  '/static/..',
  '/static/.%2e/gazette.conf',
  '/static/../../../../../../etc/passwd',
  '/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/media/../gazette.db',
  '/media/..%2fgazette.db',
  '/media/%2e%2e/gazette.conf',
  '/media/%252e%252e%252fgazette.conf',
  '/media/2024/../../gazette.db',
  '/media/..%5c..%5cgazette.db',
  '/media/x%00.jpg',
  '/../gazette.conf',
  '/%2e%2e/gazette.conf',
  '/gazette.conf',
  '/gazette.db',
  '/theme/../gazette.conf',
];

// Paths whose answer must never redirect off-site.
const REDIRECT_PROBES = [
  '//evil.example/',
  '//evil.example/%2e%2e',
  '/\\evil.example/',
  '/%2F%2Fevil.example/',
  '/%5Cevil.example/',
  '///evil.example/',
  '/http://evil.example/',
  '/?p=1',
  '/?p=http://evil.example/',
  '/?redirect_to=http://evil.example/',
  '/?redirect=//evil.example',
  '/?url=https://evil.example',
  '/?next=//evil.example',
  '/?return=%2F%2Fevil.example',
  '/section/',
  '/section//evil.example',
  '/tag/x/',
  '/2024/07/05/x/',
  '/feed/',
  '/search?q=x&redirect_to=http://evil.example/',
  '/admin?redirect_to=http://evil.example/',
  '/admin/login?redirect_to=http://evil.example/',
  '/admin/login?redirect_to=//evil.example/',
  '/admin/login?redirect_to=/\\evil.example/',
  '/wp-login.php?redirect_to=http://evil.example/',
  '/wp-admin/',
];

// True when a Location stays on the site at base (relative, or absolute to base).
function onSite(location, base) {
  if (location === undefined) return true;
  if (/^[\s\u0000-\u001f]/.test(location)) return false;
  const u = new URL(location, base + '/');
  const b = new URL(base + '/');
  return u.origin === b.origin;
}

module.exports = { XSS, tagged, liveMarkup, decodeEntities, urlScheme, SQLI, TRAVERSAL, REDIRECT_PROBES, onSite };
