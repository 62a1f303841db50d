/*
 * ipnet: whether a client address lies in a list of networks, such as
 * gazette.conf's metrics_allow: "127.0.0.0/8 ::1 10.1.2.0/24", entries
 * separated by spaces or commas, each an IPv4 or IPv6 address with an
 * optional /prefix (none: that address alone).
 */
#ifndef GZ_IPNET_H
#define GZ_IPNET_H

#include <stddef.h>

/* 1 when ip (text, as inet_ntop writes it) is in list; 0 otherwise, and
 * for an address that does not parse. */
int ipnet_match(const char *list, const char *ip);

/* 0 when every entry of list parses; else -1 with the first bad one named
 * in msg. */
int ipnet_check(const char *list, char *msg, size_t msglen);

#endif
