/* test_password: the password policy and Argon2id hashing. */
#include "t.h"
#include "../../src/auth/password.h"

#include <sodium.h>

static void policy(void)
{
	const char *site = "The Gazette", *email = "jane.doe@example.com", *name = "Jane Doe";
	CHECK(password_policy("short", site, email, name) != NULL);
	CHECK(password_policy("elevenchars", site, email, name) != NULL);
	CHECK(password_policy("twelve chars", site, email, name) == NULL);
	CHECK(password_policy("ünïcödé-pw12", site, email, name) == NULL); /* 12 characters */
	CHECK(password_policy("ééééé", site, email, name) != NULL);        /* 10 bytes, 5 chars */
	CHECK(password_policy("The Gazette!", site, email, name) == NULL); /* not equal */
	CHECK(password_policy("thegazette  ", "The Gazette  x", email, name) == NULL);
	CHECK(password_policy("jane.doe@example.com", site, email, name) != NULL);
	CHECK(password_policy("JANE.DOE@EXAMPLE.COM", site, email, name) != NULL);
	CHECK(password_policy("Jane Doe Jane", site, email, "Jane Doe Jane") != NULL);
	CHECK(password_policy("janedoejanedoe", site, "janedoejanedoe@example.com", name) != NULL);
	CHECK(password_policy("Gazette Gazette", "Gazette Gazette", email, name) != NULL);
	CHECK(password_policy(NULL, site, email, name) != NULL);
	char big[1100];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(password_policy(big, site, email, name) != NULL);
}

static void hash_and_verify(void)
{
	char h[PASSWORD_HASH_MAX];
	CHECK(password_hash("correct horse battery", h) == 0);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	CHECK(strstr(h, "correct") == NULL);
	CHECK(password_verify(h, "correct horse battery"));
	CHECK(!password_verify(h, "correct horse batterY"));
	CHECK(!password_verify("", "anything at all"));
	CHECK(!password_verify(NULL, "anything at all"));
	char h2[PASSWORD_HASH_MAX];
	password_hash("correct horse battery", h2);
	CHECK(strcmp(h, h2) != 0); /* salted */
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(policy);
	RUN(hash_and_verify);
	return T_DONE();
}
