/*
 * featured: featured images chosen before a preview, waiting for their
 * save, and the older files of stories and bylines. Since issue 14
 * featured images and byline photos are saved through the media library
 * (admin_media.c, src/media/: variants, metadata stripped); files made
 * before under media/featured/ and media/people/ are still served and
 * removed here when replaced.
 *
 * Design decision: nothing the client says about the file is used. The
 * type and extension come from the magic bytes (content/image.c), the
 * name is 16 random bytes from libsodium in hex, and the bytes reach
 * their final name by rename from a temp file in the same folder after
 * an fsync, so /media/ never serves a half-written image and a crash
 * leaves at most a ".tmp-" file behind. The caller writes the file before
 * its store transaction and removes it again if the transaction fails.
 *
 * An image chosen before a preview (or with a form that came back with an
 * error) waits in the site's pending-images/ folder, which /media/ does
 * not serve, under a token NAME.SIG: SIG is the site's HMAC of the name
 * and the user's id, so a form can name only a waiting image its own user
 * uploaded, and never a path. Waiting images older than a day go.
 */
#include "featured.h"
#include "../content/image.h"
#include "../http/multipart.h"
#include "../site/site.h"
#include "../util/fileio.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FEATURED "featured"
#define NAME_BYTES 16
#define PENDING_DIR "pending-images" /* in the site folder, outside media/ */
#define PENDING_SIG_HEX 32
#define PENDING_MAX_AGE 86400

static int mkdir_ok(const char *dir)
{
	return mkdir(dir, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Writes data as dir/name: a temp file, fsync, rename, fsync of the
 * folder (made, with its parent, when missing). 0 ok, -1 logged. */
static int put_file(const char *parent, const char *dir, const char *name, struct pool *p,
		    const unsigned char *data, size_t len)
{
	const char *tmp = pool_printf(p, "%s/.tmp-%s", dir, name);
	const char *final = pool_printf(p, "%s/%s", dir, name);
	if ((parent && mkdir_ok(parent)) || mkdir_ok(dir)) {
		log_error("image upload: %s: %s", dir, strerror(errno));
		return -1;
	}
	if (fileio_create_synced(tmp, data, len)) { /* leaves nothing */
		log_error("image upload: %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (rename(tmp, final) != 0) {
		log_error("image upload: %s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	fileio_sync_dir(dir); /* the new name itself is durable before anything names it */
	return 0;
}

/* A new random file name for an image of type ext: HEX.ext. */
static const char *new_name(struct pool *p, const char *ext)
{
	unsigned char raw[NAME_BYTES];
	char hex[2 * NAME_BYTES + 1];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	return pool_printf(p, "%s.%s", hex, ext);
}

/* 1 when name is HEX.ext as new_name makes them: no '/', no dot files. */
static int name_ok(const char *name)
{
	return strspn(name, "0123456789abcdef") == 2 * NAME_BYTES && name[2 * NAME_BYTES] == '.' &&
	       !strchr(name, '/') && image_type_of_ext(name + 2 * NAME_BYTES + 1);
}

void image_upload_remove(const struct site *site, struct pool *p, const char *folder,
			 const char *path)
{
	const char *prefix = pool_printf(p, "/media/%s/", folder);
	size_t n = strlen(prefix);
	if (!path || strncmp(path, prefix, n) != 0)
		return;
	const char *name = path + n;
	if (!name_ok(name))
		return;
	const char *file = pool_printf(p, "%s/media/%s/%s", site->dir, folder, name);
	if (unlink(file) != 0 && errno != ENOENT)
		log_error("image upload: %s: %s", file, strerror(errno));
}

void featured_remove(const struct site *site, struct pool *p, const char *path)
{
	image_upload_remove(site, p, FEATURED, path);
}

/* ---- images waiting for their story (chosen before a preview) ---- */

static const char *pending_sig(const struct site *site, struct pool *p, long long user_id,
			       const char *name)
{
	char sig[PENDING_SIG_HEX + 1];
	site_sign(site, pool_printf(p, "pending-image:%lld:%s", user_id, name), sig,
		  PENDING_SIG_HEX);
	return pool_strdup(p, sig);
}

/* Deletes waiting images older than PENDING_MAX_AGE: nothing names them. */
static void pending_purge(const char *dir, time_t now)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(sb.st_mode) && sb.st_mtime < now - PENDING_MAX_AGE)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

int featured_pending_put(const struct site *site, struct pool *p, const struct upload *up,
			 long long user_id, const char **token)
{
	struct image_info info;
	if (image_sniff(up->data, up->len, &info) != 0)
		return -1;
	const char *dir = pool_printf(p, "%s/" PENDING_DIR, site->dir);
	const char *name = new_name(p, info.ext);
	pending_purge(dir, time(NULL));
	if (put_file(NULL, dir, name, p, up->data, up->len))
		return -1;
	*token = pool_printf(p, "%s.%s", name, pending_sig(site, p, user_id, name));
	return 0;
}

/* The file name in a token NAME.SIG signed for user_id, or NULL. */
static const char *pending_name(const struct site *site, struct pool *p, const char *token,
				long long user_id)
{
	const char *dot = token ? strrchr(token, '.') : NULL;
	if (!dot || strlen(dot + 1) != PENDING_SIG_HEX)
		return NULL;
	const char *name = pool_strndup(p, token, (size_t)(dot - token));
	if (!name_ok(name) ||
	    !site_sign_ok(site, pool_printf(p, "pending-image:%lld:%s", user_id, name), dot + 1,
			  PENDING_SIG_HEX))
		return NULL;
	return name;
}

int featured_pending_get(const struct site *site, struct pool *p, const char *token,
			 long long user_id, struct upload *out)
{
	const char *name = pending_name(site, p, token, user_id);
	if (!name)
		return -1;
	const char *file = pool_printf(p, "%s/" PENDING_DIR "/%s", site->dir, name);
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    sb.st_size > site->cfg.upload_limit) {
		close(fd);
		return -1;
	}
	unsigned char *data = pool_alloc(p, (size_t)sb.st_size);
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, data + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)sb.st_size)
		return -1;
	*out = (struct upload){ .name = "featured_image", .filename = name, .type = "",
				.data = data, .len = got };
	return 0;
}

void featured_pending_drop(const struct site *site, struct pool *p, const char *token,
			   long long user_id)
{
	const char *name = pending_name(site, p, token, user_id);
	if (name)
		unlink(pool_printf(p, "%s/" PENDING_DIR "/%s", site->dir, name));
}
