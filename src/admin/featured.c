/*
 * featured: uploaded image files (featured images, byline photos).
 *
 * Design decision: nothing the client says about the file is used. The
 * type and extension come from the magic bytes (content/image.c), the
 * name is 16 random bytes from libsodium in hex, and the bytes reach
 * their final name by rename from a temp file in the same folder after
 * an fsync, so /media/ never serves a half-written image and a crash
 * leaves at most a ".tmp-" file behind. The caller writes the file before
 * its store transaction and removes it again if the transaction fails.
 */
#include "featured.h"
#include "../content/image.h"
#include "../http/multipart.h"
#include "../site/site.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FEATURED "featured"
#define NAME_BYTES 16

int image_upload_check(const struct site *site, struct pool *p, const struct upload *up,
		       const char *folder, const char *what, struct featured *out,
		       const char **err)
{
	long limit = site->cfg.upload_limit;
	struct image_info info;
	memset(out, 0, sizeof *out);
	if (up->len > (size_t)limit) {
		*err = pool_printf(p, "The image is too large: the limit is %ld KB.", limit / 1024);
		return -1;
	}
	if (image_sniff(up->data, up->len, &info) != 0) {
		*err = pool_printf(p, "The %s must be a JPEG, PNG, WebP or GIF file; this file is "
				      "not one (its content was checked, not its name). Choose the "
				      "image again.", what);
		return -1;
	}
	out->width = (int)info.width;
	out->height = (int)info.height;
	out->bytes = (long long)up->len;
	out->path = pool_printf(p, "/media/%s/%s", folder, info.ext); /* the name comes at write */
	return 0;
}

int featured_check(const struct site *site, struct pool *p, const struct upload *up,
		   struct featured *out, const char **err)
{
	return image_upload_check(site, p, up, FEATURED, "featured image", out, err);
}

static int mkdir_ok(const char *dir)
{
	return mkdir(dir, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int write_all(int fd, const unsigned char *d, size_t n)
{
	while (n) {
		ssize_t w = write(fd, d, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		d += w;
		n -= (size_t)w;
	}
	return 0;
}

int image_upload_write(const struct site *site, struct pool *p, const struct upload *up,
		       const char *folder, struct featured *out)
{
	struct image_info info;
	if (image_sniff(up->data, up->len, &info) != 0)
		return -1;
	unsigned char raw[NAME_BYTES];
	char hex[2 * NAME_BYTES + 1];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	const char *media = pool_printf(p, "%s/media", site->dir);
	const char *dir = pool_printf(p, "%s/%s", media, folder);
	const char *name = pool_printf(p, "%s.%s", hex, info.ext);
	const char *tmp = pool_printf(p, "%s/.tmp-%s", dir, name);
	const char *final = pool_printf(p, "%s/%s", dir, name);
	if (mkdir_ok(media) || mkdir_ok(dir)) {
		log_error("image upload: %s: %s", dir, strerror(errno));
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		log_error("image upload: %s: %s", tmp, strerror(errno));
		return -1;
	}
	int bad = write_all(fd, up->data, up->len) || fsync(fd);
	bad |= close(fd) != 0;
	if (bad || rename(tmp, final) != 0) {
		log_error("image upload: %s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) { /* the new name itself is durable before the row names it */
		fsync(dfd);
		close(dfd);
	}
	out->path = pool_printf(p, "/media/%s/%s", folder, name);
	out->width = (int)info.width;
	out->height = (int)info.height;
	out->bytes = (long long)up->len;
	return 0;
}

int featured_write(const struct site *site, struct pool *p, const struct upload *up,
		   struct featured *out)
{
	return image_upload_write(site, p, up, FEATURED, out);
}

void image_upload_remove(const struct site *site, struct pool *p, const char *folder,
			 const char *path)
{
	const char *prefix = pool_printf(p, "/media/%s/", folder);
	size_t n = strlen(prefix);
	if (!path || strncmp(path, prefix, n) != 0)
		return;
	const char *name = path + n;
	/* only HEX.ext as featured_write names them: no '/', no dot files */
	if (strspn(name, "0123456789abcdef") != 2 * NAME_BYTES || name[2 * NAME_BYTES] != '.' ||
	    strchr(name, '/') || !image_type_of_ext(name + 2 * NAME_BYTES + 1))
		return;
	const char *file = pool_printf(p, "%s/media/%s/%s", site->dir, folder, name);
	if (unlink(file) != 0 && errno != ENOENT)
		log_error("image upload: %s: %s", file, strerror(errno));
}

void featured_remove(const struct site *site, struct pool *p, const char *path)
{
	image_upload_remove(site, p, FEATURED, path);
}
