/*
 * slug: the URL-path name of a story, made from its title.
 *
 * ASCII letters and digits are kept (lowercased); common Latin accented
 * letters are transliterated ("Café à Bakı" -> "cafe-a-baki", "ß" -> "ss",
 * "ə" -> "e"); letters of other scripts (Cyrillic, Greek, Arabic, Urdu, CJK,
 * ...) are kept as UTF-8, lowercased where the case mapping is a simple
 * offset (Cyrillic, Greek, Armenian). Every run of anything else (spaces,
 * punctuation, apostrophes, symbols) becomes one '-'. Invalid UTF-8 bytes
 * are dropped.
 */
#ifndef GZ_SLUG_H
#define GZ_SLUG_H

#include <stddef.h>

/* The longest slug slug_make writes, in bytes. */
#define SLUG_MAX 200

/*
 * Write the slug of `title` (NUL-terminated UTF-8) to out and return its
 * length in bytes. The slug has at most min(outsize - 1, SLUG_MAX) bytes;
 * when it must be cut it is cut at the last '-' if there is one (else at a
 * character boundary), never inside a UTF-8 sequence, and it never starts
 * or ends with '-'. Returns 0, with out = "", when nothing usable remains
 * (the caller picks a fallback such as the story id). out is always
 * NUL-terminated when outsize > 0.
 */
int slug_make(const char *title, char *out, size_t outsize);

#endif
