/*
 * network.h - the seed's bridge recipe, natively (NETWORK.md).
 */
#ifndef MINIRUNC_NETWORK_H
#define MINIRUNC_NETWORK_H

/*
 * `minirunc net SUBCOMMAND ...`: create, delete, hook, ls, reset.
 * root is the global --root (leases live under <root>/net/<bridge>/).
 * argv[0] is the subcommand.  Returns the exit status.
 */
int cmd_net(const char *root, int argc, char **argv);

#endif
