/*
 * form: decoding untrusted request input (form bodies, query strings,
 * cookies) into key/value lists, and validating forms as tables of fields
 * (after kcgi's struct kvalid).
 *
 * Everything decoded here is valid UTF-8 without NUL bytes, so handlers and
 * the store never see raw bytes. All memory comes from the caller's pool;
 * nothing here needs freeing.
 */
#ifndef GZ_FORM_H
#define GZ_FORM_H

#include <stddef.h>

struct pool;

struct kv {
	const char *key;   /* NUL-terminated */
	const char *val;   /* NUL-terminated, never NULL */
	size_t vlen;       /* strlen(val) */
};

struct kvlist {
	struct kv *v;      /* in input order; duplicates are kept */
	size_t n;
};

enum form_err {
	FORM_OK = 0,
	FORM_EMALFORMED,   /* a bad or truncated %XX escape */
	FORM_EBADCHAR,     /* decoded key or value not UTF-8, or holds NUL */
	FORM_ETOOMANY,     /* more pairs than the caller allows */
	FORM_ERR__MAX
};

/* A short message fit for a log line; never NULL. */
const char *form_strerror(enum form_err e);

/* Decode an application/x-www-form-urlencoded body or a query string
 * (s[0..n), need not be NUL-terminated; s may be NULL when n is 0).
 * Pairs are split on '&' and empty pairs skipped; '=' is optional (no '='
 * gives an empty value); '+' is a space; %XX is decoded. More than
 * max_fields pairs is FORM_ETOOMANY, checked before anything is decoded.
 * On any error *out is left empty ({NULL, 0}). */
enum form_err form_decode(struct pool *p, const char *s, size_t n,
			  size_t max_fields, struct kvlist *out);

/* Decode a Cookie header ("a=1; b=2", RFC 6265). Values are not
 * percent-decoded; one pair of surrounding double quotes is stripped.
 * Pairs without '=', with an empty or non-token name, or with a value
 * outside RFC 6265's cookie-octets are skipped; pairs past max_fields are
 * dropped. Never fails: header may be NULL. */
void cookie_decode(struct pool *p, const char *header, size_t max_fields,
		   struct kvlist *out);

/* Turns every CRLF and lone CR in the values of l into LF (browsers post
 * textarea lines with CRLF); changed values are new copies from p. */
void kv_lf(struct pool *p, struct kvlist *l);

/* The value of the first pair named `key`, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);

/*
 * A form is an array of field_spec; form_validate fills a parallel array
 * of field_val. Index both by an enum ending in __MAX.
 */
struct field_spec {
	const char *name;
	size_t max_bytes;          /* on the raw value; every field has one */
	int required;
	const char *missing_msg;   /* required and absent or blank */
	const char *toolong_msg;   /* raw value longer than max_bytes */
	int (*valid)(const char *val); /* NULL: any text; only run if non-empty */
	const char *invalid_msg;
};

struct field_val {
	const char *val;    /* trimmed of ASCII whitespace; "" when absent.
			     * Kept even when `error` is set, to refill the form. */
	const char *error;  /* NULL, or the spec's message for the first failed
			     * check (a generic one when the spec gives none) */
};

/* Validate each spec'd field of `in` into out[i] (out has nspec entries;
 * trimmed copies come from p). Checks, first failure wins: too long, then
 * missing (required only), then valid(). Fields not in the spec are
 * ignored. Returns the number of fields with an error. */
size_t form_validate(struct pool *p, const struct field_spec *spec,
		     size_t nspec, const struct kvlist *in,
		     struct field_val *out);

/* Validators for field_spec.valid: 1 when acceptable. */

/* A practical address check: one '@'; a local part of letters, digits and
 * !#$%&'*+-/=?^_`{|}~. (no leading, trailing or double dot, <= 64 bytes);
 * a domain of at least two labels of letters, digits and '-' (not at either
 * end of a label, <= 63 bytes each); ASCII only; <= 254 bytes in all. */
int field_email(const char *s);
/* An absolute http:// or https:// URL with a host (see url_is_http). */
int field_http_url(const char *s);
/* Decimal digits only, fitting in 63 bits (a SQLite rowid). */
int field_uint(const char *s);

#endif
