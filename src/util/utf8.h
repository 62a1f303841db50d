/*
 * utf8: validation of untrusted bytes at the boundary.
 */
#ifndef GZ_UTF8_H
#define GZ_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, nothing
 * past U+10FFFF) and holds no NUL byte. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);

#endif
