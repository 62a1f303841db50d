/*
 * store_health: detects a connection left read-only by a transient
 * condition (see store_health.h). The check costs one flag read on a
 * healthy connection; only a read-only one also asks the file system.
 */
#include "store_health.h"
#include "store_int.h"

#include <unistd.h>

int store_stale_readonly(struct store *st, const char *path)
{
	if (!st || sqlite3_db_readonly(st->db, "main") != 1)
		return 0;
	return access(path, W_OK) == 0;
}
