/*
 * slug: story titles to URL-path names (see slug.h).
 *
 * The key design decision: there is no Unicode database here, so instead of
 * asking "is this a letter?" we ask "is this one of the known punctuation,
 * symbol, space or format ranges?". Everything else above ASCII counts as a
 * letter. A title in a script we never thought of then still gives a
 * readable slug, and the worst a gap in our ranges can do is keep a symbol.
 * Each code point is written whole or not at all, which is what keeps a cut
 * slug valid UTF-8.
 */
#include "slug.h"

#include <stdint.h>
#include <string.h>

/* What a code point becomes. */
enum kind {
	K_LETTER, /* kept (lowercased where simple) */
	K_SEP,    /* part of a '-' run */
	K_DROP,   /* invisible: combining marks, zero-width and format chars */
};

struct range {
	uint32_t lo, hi;
	const char *to; /* transliteration, or NULL for a kind */
	enum kind kind;
};

/* Latin letters with their ASCII spelling, ascending. */
static const struct range LATIN[] = {
	{ 0xC0, 0xC5, "a", 0 }, { 0xC6, 0xC6, "ae", 0 }, { 0xC7, 0xC7, "c", 0 },
	{ 0xC8, 0xCB, "e", 0 }, { 0xCC, 0xCF, "i", 0 }, { 0xD0, 0xD0, "d", 0 },
	{ 0xD1, 0xD1, "n", 0 }, { 0xD2, 0xD6, "o", 0 }, { 0xD8, 0xD8, "o", 0 },
	{ 0xD9, 0xDC, "u", 0 }, { 0xDD, 0xDD, "y", 0 }, { 0xDE, 0xDE, "th", 0 },
	{ 0xDF, 0xDF, "ss", 0 }, { 0xE0, 0xE5, "a", 0 }, { 0xE6, 0xE6, "ae", 0 },
	{ 0xE7, 0xE7, "c", 0 }, { 0xE8, 0xEB, "e", 0 }, { 0xEC, 0xEF, "i", 0 },
	{ 0xF0, 0xF0, "d", 0 }, { 0xF1, 0xF1, "n", 0 }, { 0xF2, 0xF6, "o", 0 },
	{ 0xF8, 0xF8, "o", 0 }, { 0xF9, 0xFC, "u", 0 }, { 0xFD, 0xFD, "y", 0 },
	{ 0xFE, 0xFE, "th", 0 }, { 0xFF, 0xFF, "y", 0 },
	/* Latin Extended-A, in code point order */
	{ 0x100, 0x105, "a", 0 }, { 0x106, 0x10D, "c", 0 },
	{ 0x10E, 0x111, "d", 0 }, { 0x112, 0x11B, "e", 0 },
	{ 0x11C, 0x123, "g", 0 }, { 0x124, 0x127, "h", 0 },
	{ 0x128, 0x131, "i", 0 }, { 0x132, 0x133, "ij", 0 },
	{ 0x134, 0x135, "j", 0 }, { 0x136, 0x138, "k", 0 },
	{ 0x139, 0x142, "l", 0 }, { 0x143, 0x14B, "n", 0 },
	{ 0x14C, 0x151, "o", 0 }, { 0x152, 0x153, "oe", 0 },
	{ 0x154, 0x159, "r", 0 }, { 0x15A, 0x161, "s", 0 },
	{ 0x162, 0x167, "t", 0 }, { 0x168, 0x173, "u", 0 },
	{ 0x174, 0x175, "w", 0 }, { 0x176, 0x178, "y", 0 },
	{ 0x179, 0x17E, "z", 0 }, { 0x17F, 0x17F, "s", 0 },
	{ 0x18F, 0x18F, "e", 0 },                           /* Azerbaijani Ə */
	{ 0x218, 0x219, "s", 0 }, { 0x21A, 0x21B, "t", 0 }, /* Romanian ș ț */
	{ 0x259, 0x259, "e", 0 },                           /* ə */
	{ 0x1E9E, 0x1E9E, "ss", 0 },
};

/* Non-letters above ASCII, ascending. Gaps are letters. */
static const struct range OTHER[] = {
	{ 0x80, 0xBF, NULL, K_SEP },	/* C1 controls, NBSP, ¡..¿ */
	{ 0xD7, 0xD7, NULL, K_SEP },	/* × */
	{ 0xF7, 0xF7, NULL, K_SEP },	/* ÷ */
	{ 0x2B0, 0x2FF, NULL, K_SEP },	/* modifier letters: ʼ ʻ ˈ */
	{ 0x300, 0x36F, NULL, K_DROP }, /* combining diacritics */
	{ 0x37E, 0x37E, NULL, K_SEP },	{ 0x387, 0x387, NULL, K_SEP },
	{ 0x55A, 0x55F, NULL, K_SEP },	{ 0x589, 0x58A, NULL, K_SEP },
	{ 0x5BE, 0x5BE, NULL, K_SEP },	{ 0x5C0, 0x5C0, NULL, K_SEP },
	{ 0x5C3, 0x5C3, NULL, K_SEP },	{ 0x5C6, 0x5C6, NULL, K_SEP },
	{ 0x5F3, 0x5F4, NULL, K_SEP },
	{ 0x600, 0x605, NULL, K_DROP }, /* Arabic number signs */
	{ 0x606, 0x60F, NULL, K_SEP },	/* ، and friends */
	{ 0x61B, 0x61B, NULL, K_SEP },	{ 0x61C, 0x61C, NULL, K_DROP },
	{ 0x61D, 0x61F, NULL, K_SEP },	/* ؟ */
	{ 0x640, 0x640, NULL, K_DROP }, /* tatweel: decorative stretch */
	{ 0x66A, 0x66D, NULL, K_SEP },	{ 0x6D4, 0x6D4, NULL, K_SEP }, /* ۔ */
	{ 0x6DD, 0x6DE, NULL, K_SEP },	{ 0x6E9, 0x6E9, NULL, K_SEP },
	{ 0x964, 0x965, NULL, K_SEP },	/* danda */
	{ 0xE3F, 0xE3F, NULL, K_SEP },	{ 0xE4F, 0xE4F, NULL, K_SEP },
	{ 0xE5A, 0xE5B, NULL, K_SEP },	{ 0x1680, 0x1680, NULL, K_SEP },
	{ 0x2000, 0x200A, NULL, K_SEP },	/* spaces */
	{ 0x200B, 0x200F, NULL, K_DROP }, /* zero-width, ZWJ, marks */
	{ 0x2010, 0x2029, NULL, K_SEP },	/* dashes, quotes, bullets */
	{ 0x202A, 0x202E, NULL, K_DROP }, /* bidi embedding */
	{ 0x202F, 0x205F, NULL, K_SEP },
	{ 0x2060, 0x206F, NULL, K_DROP },
	{ 0x2070, 0x2BFF, NULL, K_SEP },	/* symbols, arrows, math, shapes */
	{ 0x2E00, 0x2E7F, NULL, K_SEP },	/* supplemental punctuation */
	{ 0x3000, 0x3004, NULL, K_SEP },	{ 0x3008, 0x303F, NULL, K_SEP },
	{ 0x30FB, 0x30FB, NULL, K_SEP },	/* katakana middle dot */
	{ 0xD800, 0xF8FF, NULL, K_SEP },	/* surrogates, private use */
	{ 0xFD3E, 0xFD3F, NULL, K_SEP },
	{ 0xFE00, 0xFE0F, NULL, K_DROP }, /* variation selectors */
	{ 0xFE10, 0xFE1F, NULL, K_SEP },	{ 0xFE20, 0xFE2F, NULL, K_DROP },
	{ 0xFE30, 0xFE6F, NULL, K_SEP },	{ 0xFEFF, 0xFEFF, NULL, K_DROP },
	{ 0xFF00, 0xFF0F, NULL, K_SEP },	{ 0xFF1A, 0xFF20, NULL, K_SEP },
	{ 0xFF3B, 0xFF40, NULL, K_SEP },	{ 0xFF5B, 0xFF65, NULL, K_SEP },
	{ 0xFFF0, 0xFFFF, NULL, K_SEP },
	{ 0x1F000, 0x1FBFF, NULL, K_SEP },	/* emoji and pictographs */
	{ 0xE0000, 0xE0FFF, NULL, K_DROP }, /* tags, variation selectors */
	{ 0xF0000, 0x10FFFF, NULL, K_SEP }, /* private use */
};

static const struct range *range_find(const struct range *t, size_t n,
				      uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return &t[mid];
	}
	return NULL;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Decode one strict UTF-8 sequence at s (NUL-terminated). Returns its
 * length, or 0 for a byte that does not start a valid sequence (overlong,
 * surrogate, beyond U+10FFFF, truncated): the caller drops that byte.
 */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0; /* also stops at the NUL */
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Lowercase where the mapping is a fixed offset or an even/odd pair. */
static uint32_t lower(uint32_t c)
{
	if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 0x20; /* Greek, Cyrillic */
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 0x25;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 0x3F;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50; /* Ѐ..Џ */
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	     (c >= 0x4D0 && c <= 0x52F)) && c % 2 == 0)
		return c + 1; /* Ѡ, Ғ, Ҹ, Һ, Ә ... */
	if (c >= 0x4C1 && c <= 0x4CE && c % 2 == 1)
		return c + 1;
	if (c == 0x4C0)
		return 0x4CF;
	if (c >= 0x531 && c <= 0x556)
		return c + 0x30; /* Armenian */
	return c;
}

static size_t utf8_encode(uint32_t cp, char *t)
{
	if (cp < 0x800) {
		t[0] = (char)(0xC0 | cp >> 6);
		t[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		t[0] = (char)(0xE0 | cp >> 12);
		t[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	t[0] = (char)(0xF0 | cp >> 18);
	t[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	t[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	t[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The ASCII letter or digit cp spells (lowercased, fullwidth folded), or 0. */
static char ascii_alnum(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
		return (char)cp;
	if (cp >= 'A' && cp <= 'Z')
		return (char)(cp | 0x20);
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return (char)(cp - 0xFF10 + '0');
	if (cp >= 0xFF21 && cp <= 0xFF3A)
		return (char)(cp - 0xFF21 + 'a');
	if (cp >= 0xFF41 && cp <= 0xFF5A)
		return (char)(cp - 0xFF41 + 'a');
	return 0;
}

/*
 * What cp turns into: K_LETTER with its spelling in t[0..*n), or K_SEP,
 * or K_DROP.
 */
static enum kind classify(uint32_t cp, char *t, size_t *n)
{
	const struct range *r;

	if ((t[0] = ascii_alnum(cp)) != 0) {
		*n = 1;
		return K_LETTER;
	}
	if (cp < 0x80)
		return K_SEP;
	if ((r = range_find(LATIN, NELEM(LATIN), cp))) {
		*n = strlen(r->to);
		memcpy(t, r->to, *n);
		return K_LETTER;
	}
	if ((r = range_find(OTHER, NELEM(OTHER), cp)))
		return r->kind;
	*n = utf8_encode(lower(cp), t);
	return K_LETTER;
}

struct slug_out {
	char *s;
	size_t len, cap;
	int dash; /* a '-' is owed before the next letter */
	int full; /* a piece did not fit: stop */
};

/* Append one letter's spelling whole, with the '-' it is owed. */
static void slug_put(struct slug_out *o, const char *t, size_t n)
{
	size_t need = n + (o->dash && o->len > 0);

	if (need > o->cap - o->len) {
		o->full = 1;
		return;
	}
	if (o->dash && o->len > 0)
		o->s[o->len++] = '-';
	memcpy(o->s + o->len, t, n);
	o->len += n;
	o->dash = 0;
}

/* A slug cut inside a word loses that word, unless it is the only one. */
static void slug_cut(struct slug_out *o)
{
	char *dash;

	if (o->dash)
		return; /* the cut fell between words */
	o->s[o->len] = '\0';
	dash = strrchr(o->s, '-');
	if (dash)
		o->len = (size_t)(dash - o->s);
}

int slug_make(const char *title, char *out, size_t outsize)
{
	struct slug_out o = { .s = out };
	const unsigned char *p = (const unsigned char *)title;

	if (!out || outsize == 0)
		return 0;
	o.cap = outsize - 1 < SLUG_MAX ? outsize - 1 : SLUG_MAX;
	while (p && *p && !o.full) {
		uint32_t cp;
		char t[4];
		size_t n = utf8_decode(p, &cp), tn = 0;

		if (n == 0) { /* invalid byte: dropped */
			p++;
			continue;
		}
		p += n;
		switch (classify(cp, t, &tn)) {
		case K_LETTER: slug_put(&o, t, tn); break;
		case K_SEP: o.dash = 1; break;
		case K_DROP: break;
		}
	}
	if (o.full)
		slug_cut(&o);
	out[o.len] = '\0';
	return (int)o.len;
}
