/*
 * ipnet: address lists (see ipnet.h). Parsed on each call: the lists are
 * short and asked about once per scrape, not per request.
 */
#include "ipnet.h"
#include "num.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

struct net {
	int family;
	unsigned char addr[16];
	unsigned bits;
};

/* One entry s[0..n): 0 with *out filled, else -1. */
static int net_parse(const char *s, size_t n, struct net *out)
{
	char text[INET6_ADDRSTRLEN + 8];
	if (n == 0 || n >= sizeof text)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	char *slash = strchr(text, '/');
	if (slash)
		*slash = '\0';
	out->family = strchr(text, ':') ? AF_INET6 : AF_INET;
	unsigned max = out->family == AF_INET6 ? 128 : 32;
	if (inet_pton(out->family, text, out->addr) != 1)
		return -1;
	long long bits = max;
	if (slash && num_parse_i64(slash + 1, 0, max, &bits))
		return -1;
	out->bits = (unsigned)bits;
	return 0;
}

static int net_has(const struct net *n, int family, const unsigned char *a)
{
	if (n->family != family)
		return 0;
	unsigned whole = n->bits / 8, rest = n->bits % 8;
	if (memcmp(n->addr, a, whole) != 0)
		return 0;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return rest == 0 || ((n->addr[whole] ^ a[whole]) & mask) == 0;
}

#define SEP " ,\t"

int ipnet_match(const char *list, const char *ip)
{
	unsigned char a[16];
	int family = ip && strchr(ip, ':') ? AF_INET6 : AF_INET;
	if (!ip || !list || inet_pton(family, ip, a) != 1)
		return 0;
	for (const char *p = list + strspn(list, SEP); *p; p += strspn(p, SEP)) {
		size_t n = strcspn(p, SEP);
		struct net net;
		if (net_parse(p, n, &net) == 0 && net_has(&net, family, a))
			return 1;
		p += n;
	}
	return 0;
}

int ipnet_check(const char *list, char *msg, size_t msglen)
{
	for (const char *p = list + strspn(list, SEP); *p; p += strspn(p, SEP)) {
		size_t n = strcspn(p, SEP);
		struct net net;
		if (net_parse(p, n, &net)) {
			snprintf(msg, msglen, "\"%.*s\" is not an address or ADDRESS/PREFIX", (int)n, p);
			return -1;
		}
		p += n;
	}
	return 0;
}
