/*
 * page_media: files under the site's media/ folder (imported uploads,
 * featured images). The router hands over a path whose every segment was
 * decoded and checked (no "..", no empty segment, no encoded slash), and
 * the file is opened without following a symlink at the last step; the
 * type comes from a short allowlist of extensions, anything else is sent
 * as a download, so an uploaded HTML or SVG file never runs as a page.
 *
 * Files go out by http_file (http/file.h): ETag and 304, byte ranges for
 * audio and video, sendfile. A library variant (media/HASH-WIDTH.EXT,
 * src/media/) or audio or video file (media/HASH.EXT) never changes under
 * its name, so browsers and CDNs may
 * keep it a year without asking again; other files a day. The originals
 * media keeps are in the site's media-originals/, which no route serves.
 */
#include "pages.h"
#include "../http/file.h"
#include "../media/av.h"
#include "../media/media.h"
#include "../site/site.h"
#include "../util/pool.h"

#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext, *type;
} media_types[] = {
	{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" }, { "png", "image/png" },
	{ "gif", "image/gif" },  { "webp", "image/webp" }, { "avif", "image/avif" },
	{ "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },   { "mp4", "video/mp4" },
	{ "webm", "video/webm" }, { "pdf", "application/pdf" },
};

/* The type of path by its extension: the table above, then the audio and
 * video the library takes (av.h: m4a, opus, flac ...). */
static const char *media_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof media_types / sizeof media_types[0]; i++)
		if (strcasecmp(dot + 1, media_types[i].ext) == 0)
			return media_types[i].type;
	return dot ? av_type_of_ext(dot + 1) : NULL;
}

/* 1 when a segment of rel begins with a dot: files being written
 * (.tmp-...), an import's staging folder (.import-PID/), never served. */
static int hidden(const char *rel)
{
	for (const char *s = rel; s; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL)
		if (*s == '.')
			return 1;
	return 0;
}

void page_media(struct req *rq, struct resp *rs)
{
	const char *path = pool_printf(rq->pool, "%s/media/%s", rq->site->dir, rq->params[0]);
	struct stat sb;
	const char *type = media_type(rq->params[0]);
	if (type && media_is_variant(rq->params[0]) && !rq->range && !rq->if_range &&
	    !rq->if_none_match) { /* the common case: from a ready response (file.h) */
		if (hidden(rq->params[0]) || lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			page_not_found(rq, rs, "There is no such file.");
			return;
		}
		http_file_ready(rq, rs, path, &sb, type, "public, max-age=31536000, immutable");
		return;
	}
	int fd = hidden(rq->params[0]) ? -1 : open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		page_not_found(rq, rs, "There is no such file.");
		return;
	}
	if (!type)
		resp_header(rs, "Content-Disposition", "attachment");
	http_file(rq, rs, fd, &sb, type ? type : "application/octet-stream",
		  media_is_variant(rq->params[0]) ? "public, max-age=31536000, immutable"
						  : "public, max-age=86400");
}
