/*
 * template: a Mustache subset for themes, escaping by value type.
 *
 * The one decision to know: whether text is escaped is a property of the
 * VALUE, not of the tag. C code marks trusted HTML by building it with
 * tv_html; every other string goes through html_text. So XSS safety can be
 * checked where values are built, in C, instead of in every theme file, and
 * the syntax has no raw tag a theme could misuse.
 *
 * Each template is parsed once into a node tree living in its own pool
 * (replacing a template frees its old tree in one call). After loading, the
 * set is never written: render state (context stack, partial depth, step
 * count) lives on the caller's C stack, which is what makes concurrent
 * renders safe. Partials are found by name at render time, so a template
 * may include itself; a depth limit and a step budget bound the work even
 * for hostile input (the fuzzer's).
 */
#include "template.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "../util/fileio.h"
#include "../util/str.h"

/* ------------------------------------------------------------------ */
/* Values                                                             */
/* ------------------------------------------------------------------ */

enum tv_kind { TV_STR, TV_HTML, TV_INT, TV_BOOL, TV_OBJ, TV_LIST };

struct tv_item {
	struct tv_item *next;
	const char *key; /* NULL in lists */
	size_t klen;     /* compared before the bytes: lookups are the hot loop */
	struct tv *v;
};

struct tv {
	enum tv_kind kind;
	const char *s;          /* TV_STR, TV_HTML */
	long long n;            /* TV_INT, TV_BOOL */
	struct pool *pool;      /* TV_OBJ, TV_LIST: where new items come from */
	struct tv_item *head, *tail; /* an object's newest key first */
	size_t count;
	const struct tv_item **index; /* a fixed object's keys in key_cmp order, or NULL */
	unsigned long long keys; /* an object's key_bits, or'ed: which keys it cannot have */
};

/* Two of 64 bits for a key: an object whose mask lacks either has no such
 * key, and the lookup skips it. A card's template asks for keys the card
 * lacks ({{#picture_html}}, the locale's {{t.x}}) and would otherwise
 * walk every frame's keys up to the root. */
static unsigned long long key_bits(const char *key, size_t klen)
{
	if (!klen)
		return 1;
	unsigned a = (unsigned)klen * 7u + (unsigned char)key[0];
	unsigned b = (unsigned char)key[klen - 1] * 13u + (unsigned char)key[klen / 2];
	return (1ull << (a & 63)) | (1ull << (b & 63));
}

static struct tv *tv_new(struct pool *p, enum tv_kind kind)
{
	struct tv *v = pool_alloc(p, sizeof(*v));
	v->kind = kind;
	v->pool = p;
	return v;
}

struct tv *tv_obj(struct pool *p)
{
	return tv_new(p, TV_OBJ);
}

struct tv *tv_list(struct pool *p)
{
	return tv_new(p, TV_LIST);
}

struct tv *tv_str(struct pool *p, const char *s)
{
	struct tv *v = tv_new(p, TV_STR);
	v->s = s ? s : "";
	return v;
}

struct tv *tv_html(struct pool *p, const char *html)
{
	struct tv *v = tv_new(p, TV_HTML);
	v->s = html ? html : "";
	return v;
}

static void tv_link(struct tv *c, const char *key, struct tv *v)
{
	struct tv_item *it = pool_alloc(c->pool, sizeof(*it));
	it->key = key;
	it->klen = key ? strlen(key) : 0;
	it->v = v;
	if (c->tail)
		c->tail->next = it;
	else
		c->head = it;
	c->tail = it;
	c->count++;
}

/* Objects are only ever looked up, never walked, so a put goes in front
 * without a search: the lookup meets the newest value of a key first,
 * which is what replacing it would give. A page puts thousands of keys. */
void tv_put(struct tv *obj, const char *key, struct tv *v)
{
	assert(obj && obj->kind == TV_OBJ && key);
	if (!obj || obj->kind != TV_OBJ || !key || !v || obj->index)
		return;
	struct tv_item *it = pool_alloc(obj->pool, sizeof(*it));
	it->key = key;
	it->klen = strlen(key);
	it->v = v;
	it->next = obj->head;
	obj->head = it;
	obj->keys |= key_bits(key, it->klen);
	if (!obj->tail)
		obj->tail = it;
	obj->count++;
}

void tv_put_str(struct tv *obj, const char *key, const char *s)
{
	if (obj && s)
		tv_put(obj, key, tv_str(obj->pool, s));
}

void tv_put_html(struct tv *obj, const char *key, const char *html)
{
	if (obj && html)
		tv_put(obj, key, tv_html(obj->pool, html));
}

void tv_put_int(struct tv *obj, const char *key, long long n)
{
	if (!obj)
		return;
	struct tv *v = tv_new(obj->pool, TV_INT);
	v->n = n;
	tv_put(obj, key, v);
}

void tv_put_bool(struct tv *obj, const char *key, int b)
{
	if (!obj)
		return;
	struct tv *v = tv_new(obj->pool, TV_BOOL);
	v->n = b != 0;
	tv_put(obj, key, v);
}

void tv_append(struct tv *list, struct tv *item)
{
	assert(list && list->kind == TV_LIST);
	if (list && list->kind == TV_LIST && item)
		tv_link(list, NULL, item);
}

size_t tv_count(const struct tv *list)
{
	return list ? list->count : 0;
}

/* The order of a fixed object's index: by length, then bytes. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

static int item_cmp(const void *a, const void *b)
{
	const struct tv_item *x = *(const struct tv_item *const *)a,
			     *y = *(const struct tv_item *const *)b;
	return key_cmp(x->key, x->klen, y->key, y->klen);
}

/* Fixes obj: no more puts, and lookups binary-search its keys (a locale's
 * 140 strings). A key put twice keeps its newest value, as lookups do. 0
 * ok, -1 out of memory (obj still works, unindexed). */
static int tv_fix(struct tv *obj)
{
	const struct tv_item **v = malloc((obj->count ? obj->count : 1) * sizeof *v);
	if (!v)
		return -1;
	size_t n = 0;
	for (const struct tv_item *it = obj->head; it; it = it->next) {
		size_t i = 0;
		while (i < n && key_cmp(v[i]->key, v[i]->klen, it->key, it->klen) != 0)
			i++;
		if (i == n) /* the first met is the newest */
			v[n++] = it;
	}
	qsort(v, n, sizeof *v, item_cmp);
	struct tv_item **copy = pool_alloc(obj->pool, (n ? n : 1) * sizeof *copy);
	memcpy(copy, v, n * sizeof *v);
	free(v);
	obj->index = (const struct tv_item **)copy;
	obj->count = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Node tree and parser                                               */
/* ------------------------------------------------------------------ */

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
	enum node_kind kind;
	int line;            /* where the tag starts, for error messages */
	const char *str;     /* text bytes, or the NUL-terminated tag name */
	size_t len;
	size_t seg;          /* a tag name's first segment: up to its first '.' */
	unsigned long long bits; /* key_bits of that segment */
	size_t target;       /* a partial's template: its index in the set + 1, 0 none */
	struct node *child;  /* body of a section */
	struct node *next;
};

struct open_sec {
	struct node *sec;    /* NULL for the template itself */
	struct node **tail;  /* where the next node of this level goes */
};

struct parser {
	const char *src;     /* NUL-terminated, no NUL inside */
	size_t len;
	const char *label;   /* file name for messages */
	char *err;
	size_t errlen;
	struct pool *pool;
	size_t line_pos;     /* line number is known up to this offset */
	int line;
	int depth;
	struct open_sec stack[TPL_MAX_NEST + 1];
};

struct tag {
	char sigil;          /* one of # ^ / > ! or 0 for a variable */
	const char *name;
	size_t nlen;
	size_t start, end;   /* offset of "{{" and just past "}}" */
	int line;
};

static int parser_fail(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int parser_fail(struct parser *p, int line, const char *fmt, ...)
{
	if (p->err && p->errlen) {
		int n = snprintf(p->err, p->errlen, "%s:%d: ", p->label, line);
		if (n >= 0 && (size_t)n < p->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -1;
}

/* Line of offset pos; offsets are asked in increasing order, so counting
 * resumes where the last call stopped and a file is scanned once. */
static int parser_line(struct parser *p, size_t pos)
{
	for (; p->line_pos < pos; p->line_pos++)
		if (p->src[p->line_pos] == '\n')
			p->line++;
	return p->line;
}

static void trim(const char **s, const char **e)
{
	size_t n = (size_t)(*e - *s);
	str_trim(s, &n, str_is_xml_space);
	*e = *s + n;
}

static int tag_read(struct parser *p, size_t open, struct tag *t)
{
	const char *close = strstr(p->src + open + 2, "}}");
	t->start = open;
	t->line = parser_line(p, open);
	if (!close)
		return parser_fail(p, t->line, "unterminated '{{'");
	t->end = (size_t)(close - p->src) + 2;
	const char *s = p->src + open + 2, *e = close;
	trim(&s, &e);
	t->sigil = 0;
	if (s < e && strchr("#^/>!{&=", *s)) {
		t->sigil = *s++;
		trim(&s, &e);
	}
	t->name = s;
	t->nlen = (size_t)(e - s);
	return 0;
}

static int name_char(char c)
{
	return str_is_alnum(c) || c == '_' || c == '-';
}

/* "." alone, or dot-separated non-empty segments of [A-Za-z0-9_-]. A
 * partial name may also hold dots anywhere, like the file name it is. */
static int name_ok(const char *s, size_t n, int partial)
{
	if (n == 1 && s[0] == '.')
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (name_char(s[i]))
			continue;
		if (s[i] != '.')
			return 0;
		if (!partial && (i == 0 || i + 1 == n || s[i + 1] == '.'))
			return 0;
	}
	return 1;
}

static int tag_check(struct parser *p, const struct tag *t)
{
	switch (t->sigil) {
	case '!':
		return 0;
	case '{':
	case '&':
		return parser_fail(p, t->line, "'{{%c' is not supported: "
				   "escaping follows the value's type", t->sigil);
	case '=':
		return parser_fail(p, t->line,
				   "delimiter change '{{=' is not supported");
	}
	if (t->nlen == 0)
		return parser_fail(p, t->line, "empty tag name");
	if (!name_ok(t->name, t->nlen, t->sigil == '>'))
		return parser_fail(p, t->line, "bad tag name '%.*s'",
				   (int)(t->nlen > 40 ? 40 : t->nlen), t->name);
	return 0;
}

/* A block tag alone on its line: widen [left, right) to the whole line,
 * newline included, so the output does not keep an empty line. */
static int tag_standalone(const struct parser *p, const struct tag *t,
			  size_t text_start, size_t *left, size_t *right)
{
	size_t q = t->start, e = t->end;
	if (!t->sigil)
		return 0;
	/* Stop at text_start: a tag before us on this line disqualifies. */
	while (q > text_start && str_is_blank(p->src[q - 1]))
		q--;
	if (q > 0 && p->src[q - 1] != '\n')
		return 0;
	while (e < p->len && str_is_blank(p->src[e]))
		e++;
	if (e < p->len) {
		if (p->src[e] == '\n')
			e++;
		else if (p->src[e] == '\r' && p->src[e + 1] == '\n')
			e += 2;
		else
			return 0;
	}
	*left = q;
	*right = e;
	return 1;
}

static struct node *node_new(struct parser *p, enum node_kind kind,
			     const char *s, size_t n, int line)
{
	struct node *nd = pool_alloc(p->pool, sizeof(*nd));
	nd->kind = kind;
	nd->line = line;
	nd->str = kind == N_TEXT ? s : pool_strndup(p->pool, s, n);
	nd->len = n;
	nd->seg = kind == N_TEXT ? n : strcspn(nd->str, ".");
	nd->bits = key_bits(nd->str, nd->seg);
	return nd;
}

static void node_append(struct parser *p, struct node *nd)
{
	struct open_sec *o = &p->stack[p->depth];
	*o->tail = nd;
	o->tail = &nd->next;
}

static void text_emit(struct parser *p, size_t from, size_t to)
{
	if (to > from)
		node_append(p, node_new(p, N_TEXT, p->src + from, to - from, 0));
}

static int section_open(struct parser *p, const struct tag *t)
{
	if (p->depth == TPL_MAX_NEST)
		return parser_fail(p, t->line, "sections nested deeper than %d",
				   TPL_MAX_NEST);
	enum node_kind k = t->sigil == '#' ? N_SECTION : N_INVERTED;
	struct node *nd = node_new(p, k, t->name, t->nlen, t->line);
	node_append(p, nd);
	p->depth++;
	p->stack[p->depth] = (struct open_sec){ nd, &nd->child };
	return 0;
}

static int section_close(struct parser *p, const struct tag *t)
{
	int n = (int)(t->nlen > 40 ? 40 : t->nlen);
	if (p->depth == 0)
		return parser_fail(p, t->line, "'{{/%.*s}}' closes no section",
				   n, t->name);
	const struct node *s = p->stack[p->depth].sec;
	if (s->len != t->nlen || memcmp(s->str, t->name, t->nlen) != 0)
		return parser_fail(p, t->line,
				   "'{{/%.*s}}' does not close '%s' (line %d)",
				   n, t->name, s->str, s->line);
	p->depth--;
	return 0;
}

static int tag_apply(struct parser *p, const struct tag *t)
{
	switch (t->sigil) {
	case '!':
		return 0;
	case '#':
	case '^':
		return section_open(p, t);
	case '/':
		return section_close(p, t);
	case '>':
		node_append(p, node_new(p, N_PARTIAL, t->name, t->nlen, t->line));
		return 0;
	default:
		node_append(p, node_new(p, N_VAR, t->name, t->nlen, t->line));
		return 0;
	}
}

static int parse(struct parser *p, struct node **root)
{
	size_t pos = 0, text_start = 0;
	const char *open;

	*root = NULL;
	p->depth = 0;
	p->stack[0] = (struct open_sec){ NULL, root };
	while ((open = strstr(p->src + pos, "{{"))) {
		struct tag t = { 0 };
		size_t left = 0, right = 0;
		if (tag_read(p, (size_t)(open - p->src), &t) ||
		    tag_check(p, &t))
			return -1;
		if (!tag_standalone(p, &t, text_start, &left, &right)) {
			left = t.start;
			right = t.end;
		}
		text_emit(p, text_start, left);
		if (tag_apply(p, &t))
			return -1;
		pos = text_start = right;
	}
	text_emit(p, text_start, p->len);
	if (p->depth > 0) {
		const struct node *s = p->stack[p->depth].sec;
		return parser_fail(p, s->line, "section '%s' is never closed",
				   s->str);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sets                                                               */
/* ------------------------------------------------------------------ */

struct tpl {
	const char *name;    /* in pool */
	struct pool *pool;   /* owns name, source copy and nodes */
	struct node *root;
	unsigned long long hash; /* of the source text (tpl_reach_hash) */
};

struct tpl_set {
	struct tpl *v;
	size_t n, cap;
	struct pool *gpool;      /* owns globals (tpl_set_strings) */
	struct tv *globals;      /* below every render's context; NULL none */
	unsigned long long ghash; /* of the strings, folded into tpl_reach_hash */
};

struct tpl_set *tpl_set_new(void)
{
	return calloc(1, sizeof(struct tpl_set));
}

void tpl_set_free(struct tpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		pool_free(set->v[i].pool);
	if (set->gpool)
		pool_free(set->gpool);
	free(set->v);
	free(set);
}

/* Index of template `name`, or set->n when absent. A linear scan: a theme
 * has a few dozen templates and a binary search would need sorting on add. */
static size_t set_index(const struct tpl_set *set, const char *name)
{
	size_t i;
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0)
			break;
	return i;
}

static const struct tpl *set_find(const struct tpl_set *set, const char *name)
{
	size_t i = set_index(set, name);
	return i < set->n ? &set->v[i] : NULL;
}

int tpl_has(const struct tpl_set *set, const char *name)
{
	return set && name && set_find(set, name) != NULL;
}

/* Make room for one more template; 0 ok. */
static int set_reserve(struct tpl_set *set)
{
	if (set->n < set->cap)
		return 0;
	size_t cap = set->cap ? set->cap * 2 : 16;
	struct tpl *v = realloc(set->v, cap * sizeof(*v));
	if (!v)
		return -1;
	set->v = v;
	set->cap = cap;
	return 0;
}

/* Points every partial tag at its template (or at none), so a render
 * never searches the set by name: a front page renders a thousand
 * partials. Run after each change to the set: a template may name one
 * added later. */
static void link_nodes(const struct tpl_set *set, struct node *nd)
{
	for (; nd; nd = nd->next) {
		if (nd->kind == N_PARTIAL) {
			size_t i = set_index(set, nd->str);
			nd->target = i < set->n ? i + 1 : 0;
		}
		link_nodes(set, nd->child);
	}
}

static void set_link(struct tpl_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		link_nodes(set, set->v[i].root);
}

/* Parse first, then swap in: a template with an error never replaces a
 * good one. */
static int set_add(struct tpl_set *set, const char *name, const char *text,
		   size_t len, const char *label, char *err, size_t errlen)
{
	struct pool *pool = pool_new();
	struct parser p = {
		.src = pool_strndup(pool, text, len), .len = len,
		.label = label, .err = err, .errlen = errlen,
		.pool = pool, .line = 1,
	};
	struct node *root;
	if (parse(&p, &root)) {
		pool_free(pool);
		return -1;
	}
	size_t i = set_index(set, name);
	if (i == set->n && set_reserve(set)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", label);
		pool_free(pool);
		return -1;
	}
	if (i < set->n)
		pool_free(set->v[i].pool);
	else
		set->n++;
	unsigned long long h = 14695981039346656037ULL; /* FNV-1a */
	for (size_t k = 0; k < len; k++)
		h = (h ^ (unsigned char)text[k]) * 1099511628211ULL;
	set->v[i] = (struct tpl){ pool_strdup(pool, name), pool, root, h };
	set_link(set);
	return 0;
}

struct reach {
	const struct tpl_set *set;
	const struct tpl *seen[TPL_MAX_PARTIAL_DEPTH * 2];
	size_t nseen;
	unsigned long long h;
	const char *var;   /* tpl_reach_uses: the name looked for */
	int found;
};

/* Folds template t, then every partial its nodes name, each once. */
static void reach_tpl(struct reach *r, const struct tpl *t);

static void reach_nodes(struct reach *r, const struct node *nd)
{
	for (; nd; nd = nd->next) {
		if (r->var && nd->kind != N_TEXT && nd->kind != N_PARTIAL &&
		    strcmp(nd->str, r->var) == 0)
			r->found = 1;
		if (nd->kind == N_PARTIAL) {
			const struct tpl *t = set_find(r->set, nd->str);
			r->h = (r->h ^ (t ? 0 : 0x5bd1e995ULL)) * 1099511628211ULL; /* a missing one counts */
			if (t)
				reach_tpl(r, t);
		}
		reach_nodes(r, nd->child);
	}
}

static void reach_tpl(struct reach *r, const struct tpl *t)
{
	for (size_t i = 0; i < r->nseen; i++)
		if (r->seen[i] == t)
			return;
	if (r->nseen == sizeof r->seen / sizeof r->seen[0])
		return;
	r->seen[r->nseen++] = t;
	r->h = (r->h ^ t->hash) * 1099511628211ULL;
	reach_nodes(r, t->root);
}

int tpl_reach_uses(const struct tpl_set *set, const char *name, const char *var)
{
	const struct tpl *t = set && name ? set_find(set, name) : NULL;
	struct reach r = { .set = set, .var = var };
	if (t)
		reach_tpl(&r, t);
	return r.found;
}

unsigned long long tpl_reach_hash(const struct tpl_set *set, const char *name)
{
	const struct tpl *t = set && name ? set_find(set, name) : NULL;
	struct reach r = { .set = set, .h = 14695981039346656037ULL };
	if (!t)
		return 0;
	reach_tpl(&r, t);
	return (r.h ^ set->ghash) * 1099511628211ULL;
}

static unsigned long long fnv(unsigned long long h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL; /* "ab","c" differs from "a","bc" */
}

int tpl_set_strings(struct tpl_set *set, const char *name, const char *const *keys,
		    const char *const *vals, size_t n)
{
	if (!set || !name)
		return -1;
	struct pool *p = pool_new();
	struct tv *g = tv_obj(p), *o = tv_obj(p);
	unsigned long long h = fnv(14695981039346656037ULL, name);
	for (size_t i = 0; i < n; i++) {
		tv_put_str(o, pool_strdup(p, keys[i]), pool_strdup(p, vals[i]));
		h = fnv(fnv(h, keys[i]), vals[i]);
	}
	tv_put(g, pool_strdup(p, name), o);
	(void)tv_fix(o);
	if (set->gpool)
		pool_free(set->gpool);
	set->gpool = p;
	set->globals = g;
	set->ghash = h;
	return 0;
}

int tpl_set_add_string(struct tpl_set *set, const char *name, const char *text,
		       char *err, size_t errlen)
{
	if (!set || !name || !text) {
		if (err && errlen)
			snprintf(err, errlen, "tpl_set_add_string: NULL argument");
		return -1;
	}
	return set_add(set, name, text, strlen(text), name, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Loading a theme from disk                                          */
/* ------------------------------------------------------------------ */

static int read_all(int fd, char *dst, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, dst + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int load_file(struct tpl_set *set, const char *path, const char *name,
		     char *err, size_t errlen)
{
	struct stat st;
	char *text = NULL;
	int rc = -1;
	int fd = fileio_open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		rc = 0; /* a directory named x.html is not a template */
	} else if (st.st_size > TPL_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
			 TPL_MAX_FILE);
	} else if (!(text = malloc((size_t)st.st_size + 1))) {
		snprintf(err, errlen, "%s: out of memory", path);
	} else if (read_all(fd, text, (size_t)st.st_size) < 0) {
		snprintf(err, errlen, "%s: read failed", path);
	} else if (memchr(text, '\0', (size_t)st.st_size)) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
	} else {
		rc = set_add(set, name, text, (size_t)st.st_size, path, err,
			     errlen);
	}
	free(text);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The template name for a directory entry, or NULL when it is not one. */
static char *entry_name(const char *file, char *name, size_t size)
{
	size_t n = strlen(file);
	if (file[0] == '.' || n <= 5 || n - 5 >= size ||
	    strcmp(file + n - 5, ".html") != 0)
		return NULL;
	memcpy(name, file, n - 5);
	name[n - 5] = '\0';
	return name;
}

struct dir_load {
	struct tpl_set *set;
	const char *dir;
	char *err;
	size_t errlen;
	int failed; /* err says why */
};

static int load_entry(void *ctx, const char *file, enum fileio_type type)
{
	struct dir_load *l = ctx;
	char name[256], path[4096];
	if (type != FILEIO_FILE || !entry_name(file, name, sizeof(name)))
		return 0; /* a directory named x.html is not a template */
	l->failed = 1;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", l->dir, file) >= sizeof(path)) {
		snprintf(l->err, l->errlen, "%s: path too long", l->dir);
		return -1;
	}
	if (load_file(l->set, path, name, l->err, l->errlen))
		return -1;
	l->failed = 0;
	return 0;
}

static int load_dir(struct tpl_set *set, const char *dir, int must_exist,
		    char *err, size_t errlen)
{
	struct dir_load l = { set, dir, err, errlen, 0 };
	if (fileio_list(dir, load_entry, &l) == 0)
		return 0;
	if (l.failed)
		return -1;
	if (!must_exist && errno == ENOENT)
		return 0;
	snprintf(err, errlen, "%s: %s", dir, strerror(errno));
	return -1;
}

int tpl_set_load(struct tpl_set **out, const char *site_theme_dir,
		 const char *default_theme_dir, char *err, size_t errlen)
{
	char scratch[1];
	if (!err || !errlen) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	*out = NULL;
	if (!default_theme_dir) {
		snprintf(err, errlen, "tpl_set_load: no default theme dir");
		return -1;
	}
	struct tpl_set *set = tpl_set_new();
	if (!set) {
		snprintf(err, errlen, "tpl_set_load: out of memory");
		return -1;
	}
	if (load_dir(set, default_theme_dir, 1, err, errlen) ||
	    (site_theme_dir && load_dir(set, site_theme_dir, 0, err, errlen))) {
		tpl_set_free(set);
		return -1;
	}
	*out = set;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                          */
/* ------------------------------------------------------------------ */

/* The context stack: one frame per pushed value, on the C stack. */
struct frame {
	const struct tv *v;
	const struct frame *up;
};

struct render {
	const struct tpl_set *set;
	struct buf *out;
	int depth;            /* partials currently open */
	unsigned long steps;  /* nodes visited, against TPL_MAX_STEPS */
};

static const struct tv *obj_get(const struct tv *o, const char *key,
				size_t klen, unsigned long long bits)
{
	if (!o || o->kind != TV_OBJ || (o->keys & bits) != bits)
		return NULL;
	if (o->index) {
		size_t lo = 0, hi = o->count;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct tv_item *it = o->index[mid];
			int c = key_cmp(it->key, it->klen, key, klen);
			if (c == 0)
				return it->v;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return NULL;
	}
	for (const struct tv_item *it = o->head; it; it = it->next)
		if (it->klen == klen && it->key[0] == key[0] && memcmp(it->key, key, klen) == 0)
			return it->v;
	return NULL;
}

/* Mustache resolution: the first segment is searched from the innermost
 * frame outward; the rest descend from where it was found, without going
 * back to the stack, so "a.b" never picks up an unrelated outer "b". */
static const struct tv *ctx_lookup(const struct frame *f, const struct node *nd)
{
	const struct tv *v = NULL;
	const char *name = nd->str;
	size_t seg = nd->seg;

	if (name[0] == '.' && name[1] == '\0')
		return f->v;
	for (; f && !v; f = f->up)
		v = obj_get(f->v, name, seg, nd->bits);
	while (v && name[seg] == '.') {
		name += seg + 1;
		seg = strcspn(name, ".");
		v = obj_get(v, name, seg, key_bits(name, seg));
	}
	return v;
}

static int tv_truthy(const struct tv *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case TV_STR:
	case TV_HTML:
		return v->s[0] != '\0';
	case TV_INT:
	case TV_BOOL:
		return v->n != 0;
	case TV_LIST:
		return v->count > 0;
	case TV_OBJ:
		return 1;
	}
	return 0;
}

static void value_write(struct buf *out, const struct tv *v)
{
	if (!v)
		return;
	switch (v->kind) {
	case TV_STR:
		html_text(out, v->s);
		break;
	case TV_HTML:
		html_raw(out, v->s);
		break;
	case TV_INT: {
		/* by hand: pages print hundreds of numbers, printf is slow */
		char tmp[24], *e = tmp + sizeof tmp, *s = e;
		unsigned long long u = v->n < 0 ? 0ULL - (unsigned long long)v->n
						: (unsigned long long)v->n;
		do
			*--s = (char)('0' + u % 10);
		while (u /= 10);
		if (v->n < 0)
			*--s = '-';
		buf_add(out, s, (size_t)(e - s));
		break;
	}
	default:
		break; /* bools, objects and lists have no text form */
	}
}

static void render_nodes(struct render *r, const struct node *nd,
			 const struct frame *f);

static void render_section(struct render *r, const struct node *nd,
			   const struct frame *f)
{
	const struct tv *v = ctx_lookup(f, nd);
	if (!tv_truthy(v))
		return;
	if (v->kind == TV_LIST) {
		for (const struct tv_item *it = v->head; it; it = it->next) {
			struct frame top = { it->v, f };
			render_nodes(r, nd->child, &top);
		}
	} else if (v->kind == TV_OBJ) {
		struct frame top = { v, f };
		render_nodes(r, nd->child, &top);
	} else {
		render_nodes(r, nd->child, f);
	}
}

static void render_partial(struct render *r, const struct node *nd,
			   const struct frame *f)
{
	const struct tpl *t = nd->target ? &r->set->v[nd->target - 1] : NULL;
	if (!t || r->depth >= TPL_MAX_PARTIAL_DEPTH)
		return;
	r->depth++;
	render_nodes(r, t->root, f);
	r->depth--;
}

static void render_nodes(struct render *r, const struct node *nd,
			 const struct frame *f)
{
	for (; nd; nd = nd->next) {
		if (r->out->err || ++r->steps > TPL_MAX_STEPS)
			return;
		switch (nd->kind) {
		case N_TEXT:
			buf_add(r->out, nd->str, nd->len);
			break;
		case N_VAR:
			value_write(r->out, ctx_lookup(f, nd));
			break;
		case N_SECTION:
			render_section(r, nd, f);
			break;
		case N_INVERTED:
			if (!tv_truthy(ctx_lookup(f, nd)))
				render_nodes(r, nd->child, f);
			break;
		case N_PARTIAL:
			render_partial(r, nd, f);
			break;
		}
	}
}

int tpl_render(const struct tpl_set *set, const char *name,
	       const struct tv *ctx, struct buf *out)
{
	const struct tpl *t = set && name ? set_find(set, name) : NULL;
	if (!t)
		return -1;
	struct render r = { set, out, 0, 0 };
	struct frame base = { set->globals, NULL }; /* the theme's strings */
	struct frame root = { ctx, set->globals ? &base : NULL };
	render_nodes(&r, t->root, &root);
	return out->err || r.steps > TPL_MAX_STEPS ? -1 : 0;
}
