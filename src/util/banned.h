/*
 * banned: functions Gazette's own code must not call, as git's banned.h and
 * curl's checksrc do. Each has a safer spelling here: snprintf or buf_*
 * instead of sprintf/strcpy/strcat, memcpy with a known length instead of
 * strncpy/strncat, a local splitter instead of strtok (hidden state, not
 * thread-safe), the _r forms of gmtime/localtime/ctime/asctime, mkstemp
 * instead of mktemp/tmpnam, fgets instead of gets.
 *
 * The Makefile force-includes this header (-include) into every object
 * under src/, so a use is a compile error naming the function. The system
 * headers that declare these are included first, so their own prototypes
 * are untouched. tests/lint/banned.sh greps src/ for the same list, which
 * also catches code built without the Makefile.
 */
#ifndef GZ_BANNED_H
#define GZ_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)

#undef sprintf
#undef vsprintf
#define sprintf(...) BANNED(sprintf)
#define vsprintf(...) BANNED(vsprintf)

#undef gets
#define gets(x) BANNED(gets)
#undef mktemp
#define mktemp(x) BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam)

#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef ctime_r
#define ctime_r(t, buf) BANNED(ctime_r)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef asctime_r
#define asctime_r(t, buf) BANNED(asctime_r)

#endif
