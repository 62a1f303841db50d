/*
 * tags.h: walking the tags of sanitized HTML in a fuzz target (ours are
 * regular: <name attr="value" bare ...> or </name>), shared by
 * sanitize_fuzz.c and slot_fuzz.c. Included once per target: its
 * functions are static.
 */
#ifndef GZ_FUZZ_TAGS_H
#define GZ_FUZZ_TAGS_H

#include <stdlib.h>
#include <string.h>

/* 1 when name[0..n) is one of list (NULL-terminated). */
static int tag_in(const char *const *list, const char *name, size_t n)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], name, n) == 0)
			return 1;
	return 0;
}

/* The next attribute of a tag, from *a up to *end (the tag's '>'): its
 * name (followed by ="value" or nothing), or NULL at the tag's end. *a
 * moves past the attribute and its quoted value, and *end past a '>'
 * inside that value. A '=' without a quoted value, or a value never
 * closed, aborts: our output never writes one. */
static const char *attr_next(const char **a, const char **end)
{
	for (; *a < *end; (*a)++) {
		if (**a != ' ')
			continue;
		const char *name = *a + 1;
		size_t nl = strcspn(name, "= >");
		*a = name + nl;
		if (name[nl] == '=') { /* a bare "async" has no value */
			if (name[nl + 1] != '"')
				abort();
			const char *qe = strchr(name + nl + 2, '"');
			if (!qe || !(*end = strchr(qe, '>')))
				abort();
			*a = qe + 1;
		}
		return name;
	}
	return NULL;
}

#endif
