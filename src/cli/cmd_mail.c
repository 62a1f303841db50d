/*
 * cmd_mail: `gazette mail --site DIR test ADDRESS` sends one message now
 * through the relay of gazette.conf, bypassing the queue, and prints the
 * relay's answer: the way to check smtp_* settings before serving.
 */
#include "cli.h"
#include "../mail/mail.h"
#include "../mail/mail_relay.h"
#include "../site/site.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: gazette mail --site DIR test ADDRESS\n\n"
	"Sends a test message to ADDRESS now through the relay set in gazette.conf\n"
	"(smtp_url, smtp_user, smtp_password or smtp_password_file, smtp_from,\n"
	"smtp_starttls) and prints the relay's answer. docs/mail.md.\n";

int cmd_mail(int argc, char **argv)
{
	const char *dir = NULL;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "--site"))
		dir = argv[2];
	if (!dir || strcmp(argv[3], "test"))
		return cli_usage_error("mail", "expected --site DIR test ADDRESS");
	struct site site;
	char err[512];
	if (cli_site_open(&site, dir, err, sizeof err) ||
	    mail_relay_open(&site.cfg, site.dir, &site.mail, err, sizeof err)) {
		fprintf(stderr, "gazette mail: %s\n", err);
		return 1;
	}
	int rc = mail_send_test(&site, argv[4], (long long)time(NULL), err, sizeof err);
	if (rc)
		fprintf(stderr, "gazette mail: not sent: %s\n", err);
	else
		printf("sent a test message to %s through %s\n", argv[4], site.cfg.smtp_url);
	mail_relay_free(site.mail);
	site.mail = NULL;
	site_release(&site);
	return rc ? 1 : 0;
}
