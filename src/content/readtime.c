/*
 * readtime: reading time from a word count (see readtime.h).
 *
 * Words are counted by ASCII whitespace alone, not by a word-breaking
 * algorithm: the figure is a rounded estimate, and UTF-8 letters of any
 * script are never whitespace, so every language counts the same way.
 */
#include "readtime.h"
#include "../util/str.h"

#include <stddef.h>

static size_t count_words(const char *s)
{
	size_t words = 0;
	int in_word = 0;

	for (; *s; s++) {
		if (str_is_space(*s))
			in_word = 0;
		else if (!in_word) {
			in_word = 1;
			words++;
		}
	}
	return words;
}

int reading_minutes(const char *text)
{
	size_t words = text ? count_words(text) : 0;
	size_t minutes = (words + READTIME_WPM - 1) / READTIME_WPM;

	if (minutes < 1)
		return 1;
	return minutes > 100000 ? 100000 : (int)minutes;
}
