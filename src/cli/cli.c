/*
 * cli: what the commands share.
 */
#include "cli.h"

#include <stdio.h>

int cli_usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "gazette %s: %s\nRun `gazette %s --help` for usage.\n", cmd, msg, cmd);
	return 2;
}
