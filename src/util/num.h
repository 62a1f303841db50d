/*
 * num: parsing numbers from untrusted text.
 *
 * Only the plain decimal form is accepted: no sign where none is allowed, no
 * '+', no surrounding spaces, no hex or octal guesses. Leading zeros are
 * allowed ("007" is 7). Every parse takes a range, so "too big" is reported
 * by the parser rather than checked (or forgotten) by the caller.
 */
#ifndef GZ_NUM_H
#define GZ_NUM_H

/* Parse the decimal digits of `s` into *out if the value is <= max.
 * Returns 0 on success, -1 (and *out untouched) for NULL, "", any non-digit
 * (including a leading '+', '-' or space), overflow or a value > max. */
int num_parse_u64(const char *s, unsigned long long max,
		  unsigned long long *out);

/* As num_parse_u64, but an optional leading '-' is allowed and the value
 * must lie in [min, max]. "-" alone, "+1" and "-+1" are refused. */
int num_parse_i64(const char *s, long long min, long long max, long long *out);

/* The value of one hexadecimal digit (either case), or -1: for decoding
 * "%2F" escapes in addresses, forms and imported text. */
int num_hex_digit(char c);

/* The UTC calendar date and time of a Unix time (fields as in struct tm:
 * years since 1900, months 0-11, wday 0 = Sunday; yday left 0). gmtime_r
 * takes glibc's time-zone lock on every call, and pages format dozens of
 * dates from several threads at once. */
struct tm;
void num_utc(long long t, struct tm *out);

#endif
