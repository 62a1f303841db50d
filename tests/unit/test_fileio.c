/*
 * test_fileio: a folder kept with fileio_keep_dir is reached through its
 * descriptor (what a chrooted server's reload relies on), and a path that
 * climbs out of it with ".." is refused.
 */
#include "t.h"
#include "../../src/util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[] = "/tmp/gz-fileio-XXXXXX";
static char kept_dir[64], file[96];

static void kept_folder_is_read_through_its_descriptor(void)
{
	CHECK(fileio_keep_dir("relative/dir") == -1 && errno == EINVAL);
	CHECK(fileio_keep_dir(kept_dir) == 0);
	/* renamed away: a plain open of the old path fails, the kept one still reaches it */
	char moved[96];
	snprintf(moved, sizeof moved, "%s/moved", base);
	CHECK(rename(kept_dir, moved) == 0);
	CHECK(access(file, F_OK) == -1);
	FILE *f = fileio_fopen(file);
	char line[32] = "";
	CHECK(f && fgets(line, sizeof line, f));
	CHECK_STR(line, "kept\n");
	if (f)
		fclose(f);
	DIR *d = fileio_opendir(kept_dir);
	CHECK(d != NULL);
	if (d)
		closedir(d);
	char climb[128];
	snprintf(climb, sizeof climb, "%s/../moved/a.txt", kept_dir);
	CHECK(fileio_open(climb, O_RDONLY) == -1 && errno == EACCES);
	snprintf(climb, sizeof climb, "%s/sub/..", kept_dir);
	CHECK(fileio_open(climb, O_RDONLY) == -1 && errno == EACCES);
	CHECK(rename(moved, kept_dir) == 0);
}

int main(void)
{
	CHECK(mkdtemp(base) != NULL);
	snprintf(kept_dir, sizeof kept_dir, "%s/theme", base);
	snprintf(file, sizeof file, "%s/a.txt", kept_dir);
	CHECK(mkdir(kept_dir, 0755) == 0);
	FILE *f = fopen(file, "w");
	CHECK(f && fputs("kept\n", f) >= 0 && fclose(f) == 0);
	RUN(kept_folder_is_read_through_its_descriptor);
	unlink(file);
	rmdir(kept_dir);
	rmdir(base);
	return T_DONE();
}
