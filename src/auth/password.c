/*
 * password: Argon2id hashes and the password policy (see password.h).
 *
 * Verifying against an unknown account still runs one Argon2id hash, so
 * the time a sign-in takes does not tell whether the email exists.
 */
#include "password.h"
#include "../util/str.h"
#include "../util/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Lowercased s without spaces, into out; "" for NULL. */
static void fold(const char *s, char *out, size_t outlen)
{
	size_t o = 0;
	for (; s && *s && o + 1 < outlen; s++)
		if (!str_is_space(*s))
			out[o++] = str_lower_ascii(*s);
	out[o] = '\0';
}

static int same(const char *folded_pw, const char *other)
{
	char f[PASSWORD_MAX_BYTES + 1];
	fold(other, f, sizeof f);
	return f[0] && strcmp(folded_pw, f) == 0;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

const char *password_policy(const char *pw, const char *site_name, const char *email,
			    const char *name)
{
	if (!pw || utf8_chars(pw) < PASSWORD_MIN_CHARS)
		return "The password must be at least 12 characters long.";
	if (strlen(pw) > PASSWORD_MAX_BYTES)
		return "The password must be at most 1024 bytes long.";
	if (!utf8_valid(pw, strlen(pw)))
		return "The password must be valid text.";
	char f[PASSWORD_MAX_BYTES + 1], local[256] = "";
	fold(pw, f, sizeof f);
	if (email) {
		const char *at = strchr(email, '@');
		size_t n = at ? (size_t)(at - email) : 0;
		if (n < sizeof local) {
			memcpy(local, email, n);
			local[n] = '\0';
		}
	}
	if (same(f, site_name) || same(f, email) || same(f, local) || same(f, name))
		return "The password must not be the site's name, your email address or your name.";
	return NULL;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *pw)
{
	if (!hash || !*hash) {
		char dummy[PASSWORD_HASH_MAX];
		password_hash(pw ? pw : "", dummy); /* same cost as a real check */
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw ? pw : "", pw ? strlen(pw) : 0) == 0;
}

static int read_line(FILE *in, char *out, size_t outlen)
{
	if (!fgets(out, (int)outlen, in))
		return -1;
	size_t n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

static int read_noecho(const char *prompt, char *out, size_t outlen)
{
	struct termios old, quiet;
	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return read_line(stdin, out, outlen);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	int rc = read_line(stdin, out, outlen);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

int password_read(const char *prompt, int confirm, char *out, size_t outlen)
{
	if (!isatty(STDIN_FILENO))
		return read_line(stdin, out, outlen);
	if (read_noecho(prompt, out, outlen))
		return -1;
	if (!confirm)
		return 0;
	char again[PASSWORD_MAX_BYTES + 2];
	int rc = read_noecho("Again: ", again, sizeof again);
	int match = rc == 0 && strcmp(again, out) == 0;
	sodium_memzero(again, sizeof again);
	if (!match)
		fputs("The two passwords differ.\n", stderr);
	return match ? 0 : -1;
}
