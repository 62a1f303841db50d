/*
 * version: the running build's version, set by make (VERSION: `git
 * describe --always --dirty` in a git checkout, else debian/changelog's).
 * `gazette --version` prints it and /metrics' gazette_build_info shows it.
 */
#ifndef GZ_VERSION_H
#define GZ_VERSION_H

const char *gazette_version(void);

#endif
