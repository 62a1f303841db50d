/*
 * str: see str.h. The one decision: character classes are tests of their
 * own, never <ctype.h>, whose answers move with the process's locale and
 * whose argument must be cast to unsigned char at every call.
 */
#include "str.h"

#include <string.h>

void str_trim(const char **s, size_t *n, int (*is)(char))
{
	while (*n && is(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is((*s)[*n - 1]))
		(*n)--;
}

char *str_trim_nul(char *s, int (*is)(char))
{
	const char *t = s;
	size_t n = strlen(s);
	str_trim(&t, &n, is);
	s += t - s;
	s[n] = '\0';
	return s;
}

size_t str_lower_into(char *out, size_t outlen, const char *s)
{
	size_t o = 0;
	if (!outlen)
		return 0;
	for (; s && *s && o + 1 < outlen; s++)
		out[o++] = str_lower_ascii(*s);
	out[o] = '\0';
	return o;
}

int str_is_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!str_is_digit(*s))
			return 0;
	return 1;
}
