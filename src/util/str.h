/*
 * str: ASCII character classes, trimming and lowercasing, named by the
 * rule they follow, without the C library's locale.
 *
 * Three kinds of white space meet in Gazette's inputs, and code that mixes
 * them up trims what it should keep:
 *   str_is_space      SP HT LF VT FF CR: C's isspace in the "C" locale
 *                     (form fields, word lists, word counts, wpautop's \s)
 *   str_is_xml_space  SP HT LF CR: XML's S production (WordPress text,
 *                     shortcode attributes, template tags, setting lines)
 *   str_is_blank      SP HT: C's isblank, the blanks within a line; also
 *                     HTTP's optional white space, RFC 9110 5.6.3 (header
 *                     parameters, cookies)
 * Letters and digits are ASCII's alone: bytes of 0x80 and above (UTF-8)
 * are never space, letter or digit here.
 */
#ifndef GZ_STR_H
#define GZ_STR_H

#include <stddef.h>

static inline int str_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int str_is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int str_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline int str_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* An ASCII letter or digit. */
static inline int str_is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || str_is_digit(c);
}

/* 'A'..'Z' as 'a'..'z'; every other byte as it is. */
static inline char str_lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

/* Drops the characters `is` accepts from both ends of the span s[0..*n):
 * advances *s and shortens *n; nothing is written. */
void str_trim(const char **s, size_t *n, int (*is)(char));

/* str_trim on a NUL-terminated string that may be written: a NUL after the
 * last character kept, and the first one kept returned. */
char *str_trim_nul(char *s, int (*is)(char));

/* s with 'A'..'Z' lowercased into out (at most outlen - 1 bytes, always
 * NUL-terminated when outlen > 0); returns the bytes written. NULL is "". */
size_t str_lower_into(char *out, size_t outlen, const char *s);

/* 1 when s is one or more ASCII digits and nothing else (no sign, no
 * space); 0 for NULL and "". */
int str_is_digits(const char *s);

#endif
