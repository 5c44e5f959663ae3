/*
 * cli_help.h - the help text of every command (cli_help.c), for minirunc.c
 * to print: `minirunc -h`, `help [COMMAND]`, `COMMAND -h`.
 */
#ifndef MINIRUNC_CLI_HELP_H
#define MINIRUNC_CLI_HELP_H

#include <stddef.h>

struct cli_help {
	const char *cmd;     /* the command's name */
	const char *what;    /* one line: what it does (or that minirunc lacks it) */
	const char *usage;   /* what follows "minirunc CMD " on the USAGE line */
	const char *options; /* the OPTIONS lines, each "   --flag  text\n"; "" if none */
	const char *lacks;   /* NULL, or why minirunc does not implement the command */
};

/* The entry for cmd, or NULL for a command neither runc nor minirunc has. */
const struct cli_help *cli_help_find(const char *cmd);

/* Every entry, in the order `minirunc -h` lists them; *n gets the count. */
const struct cli_help *cli_help_all(size_t *n);

#endif
