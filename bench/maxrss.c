/*
 * maxrss.c - run a command, print its peak resident set size in KiB (ru_maxrss of wait4(2)).
 *
 *   maxrss CMD [ARG...]     prints "<KiB>" on stderr-free stdout; the command's exit status
 *
 * Why not GNU time: its fork copies time's own pages, and the kernel counts the forked
 * copy's high-water mark into the child's ru_maxrss at execve (exec_mmap records the old
 * mm's hiwater).  This wrapper is built small and static, so what it adds is a few pages.
 * ru_maxrss of a waited child is the largest of the child and the children it reaped, so
 * for a runtime it covers the runtime, its init, and the container process after execve.
 * Not part of minirunc; bench/run.sh builds it with musl-gcc when present.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	int status = 0;
	pid_t pid;

	if (argc < 2) {
		dprintf(2, "usage: maxrss CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 2;
	printf("%ld\n", ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
