/*
 * form: the boundary where request bytes become text the rest of Gazette
 * may trust.
 *
 * Design decision: decode and validate in one place, strictly. A body that
 * has a broken %-escape, invalid UTF-8 or a NUL byte is refused outright
 * rather than repaired, so no handler ever has to wonder what it was given;
 * only cookies are lenient (a browser sends every cookie for the site, and
 * one odd cookie set by someone else must not lock a reader out).
 */
#include "form.h"

#include <limits.h>
#include <string.h>

#include "../render/escape.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/str.h"
#include "../util/utf8.h"

static const char *const form_errmsg[FORM_ERR__MAX] = {
	[FORM_OK] = "ok",
	[FORM_EMALFORMED] = "malformed percent-escape in form data",
	[FORM_EBADCHAR] = "form data is not valid UTF-8 or contains a NUL byte",
	[FORM_ETOOMANY] = "too many form fields",
};

const char *form_strerror(enum form_err e)
{
	if ((unsigned)e >= FORM_ERR__MAX)
		return "unknown form error";
	return form_errmsg[e];
}

/* ---- application/x-www-form-urlencoded ---- */

/* Decode s[0..n) into a fresh pool string; the result is never longer. */
static enum form_err unescape(struct pool *p, const char *s, size_t n,
			      const char **out, size_t *outlen)
{
	char *d = pool_alloc(p, n + 1);
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[j++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;
			if (n - i < 3 || (hi = num_hex_digit(s[i + 1])) < 0 ||
			    (lo = num_hex_digit(s[i + 2])) < 0)
				return FORM_EMALFORMED;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return FORM_EBADCHAR;
	*out = d;
	*outlen = j;
	return FORM_OK;
}

/* Number of non-empty '&'-separated pairs in s[0..n). */
static size_t count_pairs(const char *s, size_t n)
{
	size_t count = 0, len = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			len++;
			continue;
		}
		count += len > 0;
		len = 0;
	}
	return count + (len > 0);
}

static enum form_err decode_pair(struct pool *p, const char *s, size_t n,
				 struct kv *kv)
{
	const char *eq = memchr(s, '=', n);
	size_t klen = eq ? (size_t)(eq - s) : n;
	size_t dummy;
	enum form_err e;

	e = unescape(p, s, klen, &kv->key, &dummy);
	if (e != FORM_OK)
		return e;
	if (!eq) {
		kv->val = "";
		kv->vlen = 0;
		return FORM_OK;
	}
	return unescape(p, eq + 1, n - klen - 1, &kv->val, &kv->vlen);
}

enum form_err form_decode(struct pool *p, const char *s, size_t n,
			  size_t max_fields, struct kvlist *out)
{
	size_t want = s ? count_pairs(s, n) : 0;
	size_t i = 0, k = 0;

	out->v = NULL;
	out->n = 0;
	if (want > max_fields)
		return FORM_ETOOMANY;
	if (want == 0)
		return FORM_OK;
	struct kv *v = pool_alloc(p, want * sizeof(*v));
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t len = amp ? (size_t)(amp - (s + i)) : n - i;
		if (len > 0) {
			enum form_err e = decode_pair(p, s + i, len, &v[k++]);
			if (e != FORM_OK)
				return e;
		}
		i += len + 1;
	}
	out->v = v;
	out->n = k;
	return FORM_OK;
}

/* ---- Cookie header ---- */

/* RFC 6265 cookie-name is an RFC 2616 token. */
static int is_token(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* RFC 6265 cookie-octet: visible ASCII except '"', ',', ';' and '\'. */
static int is_cookie_octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' &&
	       c != '\\';
}

static int all_of(const char *s, size_t n, int (*ok)(unsigned char))
{
	for (size_t i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Fill kv from one "name=value" span; 0 when the pair is malformed. */
static int cookie_pair(struct pool *p, const char *s, size_t n, struct kv *kv)
{
	const char *eq;
	size_t klen, vlen;
	const char *val;

	str_trim(&s, &n, str_is_blank);
	eq = memchr(s, '=', n);
	if (!eq)
		return 0;
	klen = (size_t)(eq - s);
	val = eq + 1;
	vlen = n - klen - 1;
	str_trim(&s, &klen, str_is_blank);
	str_trim(&val, &vlen, str_is_blank);
	if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
		val++;
		vlen -= 2;
	}
	if (klen == 0 || !all_of(s, klen, is_token) ||
	    !all_of(val, vlen, is_cookie_octet))
		return 0;
	kv->key = pool_strndup(p, s, klen);
	kv->val = pool_strndup(p, val, vlen);
	kv->vlen = vlen;
	return 1;
}

void cookie_decode(struct pool *p, const char *header, size_t max_fields,
		   struct kvlist *out)
{
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	if (!header)
		return;
	for (const char *c = header; *c; c++)
		cap += *c == ';';
	cap = cap + 1 < max_fields ? cap + 1 : max_fields;
	if (cap == 0)
		return;
	out->v = pool_alloc(p, cap * sizeof(*out->v));
	for (const char *s = header; *s && out->n < cap;) {
		size_t len = strcspn(s, ";");
		out->n += cookie_pair(p, s, len, &out->v[out->n]);
		s += len + (s[len] == ';');
	}
}

const char *kv_get(const struct kvlist *l, const char *key)
{
	if (!l || !key)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

void kv_lf(struct pool *p, struct kvlist *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		const char *v = l->v[i].val;
		if (!memchr(v, '\r', l->v[i].vlen))
			continue;
		char *o = pool_alloc(p, l->v[i].vlen + 1), *w = o;
		for (const char *c = v; *c; c++)
			if (*c != '\r')
				*w++ = *c;
			else if (c[1] != '\n') /* a lone CR is a line break too */
				*w++ = '\n';
		*w = '\0';
		l->v[i].val = o;
		l->v[i].vlen = (size_t)(w - o);
	}
}

/* ---- form_validate ---- */

static const char *trim(struct pool *p, const char *s)
{
	size_t n = strlen(s);

	str_trim(&s, &n, str_is_space);
	/* the raw value belongs to the caller, so the copy keeps it intact */
	return s[n] ? pool_strndup(p, s, n) : s;
}

/* A spec without a message still has to mark the field as failed. */
static const char *msg(const char *m, const char *fallback)
{
	return m ? m : fallback;
}

static const char *check_field(const struct field_spec *f, const char *raw,
			       const char *val)
{
	if (raw && strlen(raw) > f->max_bytes)
		return msg(f->toolong_msg, "This field is too long.");
	if (!*val)
		return f->required ?
			msg(f->missing_msg, "This field is required.") : NULL;
	if (f->valid && !f->valid(val))
		return msg(f->invalid_msg, "This value is not valid.");
	return NULL;
}

size_t form_validate(struct pool *p, const struct field_spec *spec,
		     size_t nspec, const struct kvlist *in,
		     struct field_val *out)
{
	size_t nerr = 0;

	for (size_t i = 0; i < nspec; i++) {
		const char *raw = kv_get(in, spec[i].name);
		out[i].val = raw ? trim(p, raw) : "";
		out[i].error = check_field(&spec[i], raw, out[i].val);
		nerr += out[i].error != NULL;
	}
	return nerr;
}

/* ---- validators ---- */

static int is_local_char(unsigned char c)
{
	return str_is_alnum((char)c) || (c && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

static int local_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_local_char((unsigned char)s[i]) ||
		    (s[i] == '.' && s[i + 1] == '.'))
			return 0;
	return 1;
}

static int label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!str_is_alnum(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int domain_ok(const char *s)
{
	size_t labels = 0;

	for (;;) {
		size_t n = strcspn(s, ".");
		if (!label_ok(s, n))
			return 0;
		labels++;
		if (!s[n])
			return labels >= 2;
		s += n + 1;
	}
}

int field_email(const char *s)
{
	const char *at;

	if (!s || strlen(s) > 254)
		return 0;
	at = strchr(s, '@');
	if (!at || strchr(at + 1, '@'))
		return 0;
	return local_ok(s, (size_t)(at - s)) && domain_ok(at + 1);
}

int field_http_url(const char *s)
{
	if (!url_is_http(s))
		return 0;
	/* url_is_http refuses an empty host or "http:///"; also refuse
	 * "http://?x" and "http://#x", which have no host either */
	const char *host = strstr(s, "//") + 2;
	return *host != '?' && *host != '#';
}

int field_uint(const char *s)
{
	unsigned long long v;

	return num_parse_u64(s, LLONG_MAX, &v) == 0;
}
