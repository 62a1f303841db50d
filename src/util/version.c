/*
 * version: the one object compiled with make's VERSION (see version.h),
 * so a new version rebuilds this file alone.
 */
#include "version.h"

#ifndef GAZETTE_VERSION
#define GAZETTE_VERSION "unknown"
#endif

const char *gazette_version(void)
{
	return GAZETTE_VERSION;
}
