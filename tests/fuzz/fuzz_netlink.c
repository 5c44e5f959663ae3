/*
 * fuzz_netlink.c - libFuzzer target: raw bytes as a datagram from the kernel, through
 * nl_reply_parse() and the RTM_NEWLINK / RTM_NEWADDR attribute readers it hands messages
 * to.  What a hostile or buggy peer could put in a netlink reply must never read out of
 * bounds, overflow or hang.
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *         tests/fuzz/fuzz_netlink.c netlink.c util.c -o fuzz_netlink
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse every data message the way the operations do, and look at the results so the
 * compiler cannot drop the work. */
static int
fuzz_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link l;
	struct nl_addr4 a;
	size_t *sum = arg;

	if (nlh->nlmsg_type == RTM_NEWLINK && nl_link_parse(nlh, &l) == 0)
		*sum += strlen(l.name) + strlen(l.kind) + (size_t)l.index;
	else if (nlh->nlmsg_type == RTM_NEWADDR && nl_addr_parse(nlh, &a) == 1)
		*sum += (size_t)a.prefix + a.local.s_addr;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_reply r = {0};
	uint32_t *buf;
	size_t sum = 0;

	/* The real receive buffer is malloc'd (aligned) and NL_RECV_BUF long. */
	if (size > NL_RECV_BUF)
		return 0;
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	/* Expect the sequence number of the first message, so most inputs reach the
	 * message-type switch instead of being skipped as stale. */
	if (size >= sizeof(struct nlmsghdr))
		r.seq = ((const struct nlmsghdr *)(const void *)buf)->nlmsg_seq;
	(void)nl_reply_parse(buf, size, 0, &r, fuzz_msg, &sum);
	if (r.done && strlen(r.ext_msg) >= sizeof(r.ext_msg))
		abort();
	free(buf);
	return sum == 1 ? 0 : 0;
}
