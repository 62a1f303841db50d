/*
 * mail_relay: libcurl's SMTP (see mail_relay.h).
 */
#include "mail_relay.h"
#include "../site/config.h"
#include "../util/buf.h"
#include "../util/log.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define CONNECT_SECONDS 10L
#define SEND_SECONDS 30L

struct mail_relay {
	char url[256], user[128], password[128];
	long use_ssl;
	struct curl_slist *resolve;  /* host:port:address, fixed at start */
	char *ca;                    /* the CA bundle's bytes, or NULL */
	size_t ca_len;
};

/* A whole (small) file into b: 0, or -1. */
static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	int bad = ferror(f) || b->err;
	fclose(f);
	return bad ? -1 : 0;
}

/* The first line of the password file into r->password. */
static int read_password(struct mail_relay *r, const char *file, const char *site_dir, char *err,
			 size_t errlen)
{
	char path[800];
	snprintf(path, sizeof path, "%s%s%s", file[0] == '/' ? "" : site_dir,
		 file[0] == '/' ? "" : "/", file);
	FILE *f = fopen(path, "r");
	if (!f || !fgets(r->password, sizeof r->password, f)) {
		snprintf(err, errlen, "smtp_password_file %s: cannot read it", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	r->password[strcspn(r->password, "\r\n")] = '\0';
	return 0;
}

/* The relay's host resolved now, for libcurl to use after the chroot. */
static void resolve_now(struct mail_relay *r)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	if (!u || curl_url_set(u, CURLUPART_URL, r->url, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
		goto out;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	if (host[0] == '[' || getaddrinfo(host, port, &hints, &ai) || !ai) /* [v6]: a literal */
		goto out;
	/* every address, for libcurl to try in turn: "host:port:a1,a2,[v6]" */
	char line[1024];
	int len = snprintf(line, sizeof line, "%s:%s:", host, port), n = 0;
	for (struct addrinfo *x = ai; x && len < (int)sizeof line - 64; x = x->ai_next) {
		char addr[INET6_ADDRSTRLEN];
		int v6 = x->ai_family == AF_INET6;
		const void *a = v6 ? (const void *)&((struct sockaddr_in6 *)x->ai_addr)->sin6_addr
				   : (const void *)&((struct sockaddr_in *)x->ai_addr)->sin_addr;
		if ((v6 || x->ai_family == AF_INET) && inet_ntop(x->ai_family, a, addr, sizeof addr))
			len += snprintf(line + len, sizeof line - (size_t)len, v6 ? "%s[%s]" : "%s%s",
					n++ ? "," : "", addr);
	}
	if (n)
		r->resolve = curl_slist_append(NULL, line);
	freeaddrinfo(ai);
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

int mail_relay_open(const struct config *c, const char *site_dir, struct mail_relay **out,
		    char *err, size_t errlen)
{
	*out = NULL;
	if (!*c->smtp_url)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "libcurl cannot start");
		return -1;
	}
	struct mail_relay *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(r->url, sizeof r->url, "%s", c->smtp_url);
	snprintf(r->user, sizeof r->user, "%s", c->smtp_user);
	snprintf(r->password, sizeof r->password, "%s", c->smtp_password);
	if (*c->smtp_password_file && read_password(r, c->smtp_password_file, site_dir, err, errlen)) {
		mail_relay_free(r);
		return -1;
	}
	r->use_ssl = !strcmp(c->smtp_starttls, "off")        ? (long)CURLUSESSL_NONE
		     : !strcmp(c->smtp_starttls, "optional") ? (long)CURLUSESSL_TRY
							     : (long)CURLUSESSL_ALL;
	resolve_now(r);
	struct buf ca = BUF_INIT;
	if (read_file(CA_BUNDLE, &ca) == 0)
		r->ca = buf_detach(&ca, &r->ca_len);
	buf_release(&ca);
	*out = r;
	return 0;
}

void mail_relay_free(struct mail_relay *r)
{
	if (!r)
		return;
	sodium_memzero(r->password, sizeof r->password);
	curl_slist_free_all(r->resolve);
	free(r->ca);
	free(r);
	curl_global_cleanup();
}

struct reader {
	const char *parts[3];
	size_t part, off;
};

/* libcurl's read callback: the headers, the blank line, the body. */
static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *rd = arg;
	size_t room = size * nmemb, done = 0;
	while (done < room && rd->part < 3) {
		const char *s = rd->parts[rd->part];
		size_t left = strlen(s + rd->off), n = left < room - done ? left : room - done;
		memcpy(dst + done, s + rd->off, n);
		done += n;
		rd->off += n;
		if (!s[rd->off]) {
			rd->part++;
			rd->off = 0;
		}
	}
	return done;
}

int mail_relay_send(struct mail_relay *r, const char *from, const char *to, const char *headers,
		    const char *body, char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "libcurl: no handle");
		return -1;
	}
	char ebuf[CURL_ERROR_SIZE] = "", mfrom[300], mto[300];
	snprintf(mfrom, sizeof mfrom, "<%s>", from);
	snprintf(mto, sizeof mto, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, mto);
	struct reader rd = { { headers, "\r\n", body }, 0, 0 };
	curl_easy_setopt(h, CURLOPT_URL, r->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_SECONDS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_SECONDS);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_USE_SSL, r->use_ssl);
	if (r->resolve)
		curl_easy_setopt(h, CURLOPT_RESOLVE, r->resolve);
	if (r->ca) {
		struct curl_blob blob = { r->ca, r->ca_len, CURL_BLOB_NOCOPY };
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (*r->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, r->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, r->password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}
