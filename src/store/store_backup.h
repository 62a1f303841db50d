/*
 * store_backup: a copy of the site database while the site serves, through
 * SQLite's online backup API. The copy is the database at one moment: the
 * source connection holds one read transaction (a WAL snapshot) for the
 * whole copy, so writers go on (WAL lets them) and the copy never
 * restarts, whatever they commit meanwhile. Pages go over a few at a time
 * with a short sleep between steps, so the copy's reads and writes come in
 * small bursts beside the server's readers.
 */
#ifndef GZ_STORE_BACKUP_H
#define GZ_STORE_BACKUP_H

#include <stddef.h>

#define STORE_BACKUP_PAGES 256     /* pages per step (1 MB of 4 KB pages) */
#define STORE_BACKUP_PAUSE_US 2000 /* microseconds between steps */

/* Copies the database at src to a new file dest (which must not exist;
 * nothing is left there on failure). 0 ok; -1 with the reason in err. */
int store_backup_copy(const char *src, const char *dest, char *err, size_t errlen);

#endif
