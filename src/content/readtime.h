/*
 * readtime: the "N min read" figure shown with a story.
 */
#ifndef GZ_READTIME_H
#define GZ_READTIME_H

/* Average adult silent-reading speed for news prose. */
#define READTIME_WPM 230

/*
 * Minutes needed to read `text` (plain text, e.g. from markdown_to_text):
 * words / READTIME_WPM rounded up, and never less than 1, so an empty or
 * NULL text still says "1 min". A word is a run of bytes other than ASCII
 * whitespace.
 */
int reading_minutes(const char *text);

#endif
