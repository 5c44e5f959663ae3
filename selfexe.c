/*
 * selfexe.c - before minirunc enters any container namespace, it re-executes
 * itself from a sealed in-memory copy.
 *
 * Why: a process in the container can open /proc/<pid>/exe of a runtime
 * process that has joined its namespaces (or make its own entrypoint
 * `#!/proc/self/exe`) and write through it into the host's minirunc binary
 * (CVE-2019-5736).  Running from a memfd sealed against writes, shrinking
 * and growing leaves nothing of the host binary to reach: /proc/<pid>/exe
 * is "/memfd:minirunc (deleted)" and cannot be opened for writing.
 * runc counterpart: libcontainer/nsenter/cloned_binary.c.  runc marks the
 * copy with an environment variable; minirunc asks the kernel instead
 * (F_GET_SEALS on /proc/self/exe), which a caller cannot fake.
 */
#include "selfexe.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

#define SELFEXE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

/* Are we already running from a sealed copy? */
static int
selfexe_is_sealed(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals;

	if (fd < 0)
		return 0;
	seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	return seals >= 0 && (seals & SELFEXE_SEALS) == SELFEXE_SEALS;
}

#if defined(__LP64__)
typedef Elf64_Ehdr selfexe_ehdr;
typedef Elf64_Phdr selfexe_phdr;
#define SELFEXE_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr selfexe_ehdr;
typedef Elf32_Phdr selfexe_phdr;
#define SELFEXE_CLASS ELFCLASS32
#endif

/*
 * How much of the binary execve(2) reads: up to the end of the last segment in the program
 * headers (elf(5)).  What follows (section headers, symbols, a -g build's debug info: 600 KB
 * of an 800 KB glibc build) is never mapped, so it need not be copied.  Anything odd in the
 * headers: the whole file, as before.
 */
static off_t
selfexe_load_end(int fd, off_t size)
{
	selfexe_ehdr eh;
	selfexe_phdr ph[32];
	off_t end = 0;
	size_t len;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != SELFEXE_CLASS ||
	    eh.e_phentsize != sizeof(selfexe_phdr) || eh.e_phnum == 0 || eh.e_phnum > 32)
		return size;
	len = (size_t)eh.e_phnum * sizeof(selfexe_phdr);
	if (pread(fd, ph, len, (off_t)eh.e_phoff) != (ssize_t)len)
		return size;
	for (int i = 0; i < eh.e_phnum; i++)
		if ((off_t)(ph[i].p_offset + ph[i].p_filesz) > end)
			end = (off_t)(ph[i].p_offset + ph[i].p_filesz);
	if (end < (off_t)(eh.e_phoff + len))
		end = (off_t)(eh.e_phoff + len);
	return end > 0 && end <= size ? end : size;
}

/* The binary's loaded part into a new memfd, then sealed (memfd_create(2), fcntl(2)
 * "File Sealing"). */
static int
selfexe_copy(struct err *e)
{
	struct stat st;
	off_t off = 0;
	int src, mfd;

	src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0 || fstat(src, &st) < 0)
		return err_set(e, "open /proc/self/exe:");
	st.st_size = selfexe_load_end(src, st.st_size);
	mfd = memfd_create("minirunc", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0) {
		close(src);
		return err_set(e, "memfd_create:");
	}
	while (off < st.st_size) {
		ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
		if (n <= 0) {
			err_set(e, "copy /proc/self/exe into a memfd:");
			goto fail;
		}
	}
	close(src);
	if (fcntl(mfd, F_ADD_SEALS, SELFEXE_SEALS) < 0) {
		src = -1;
		err_set(e, "seal the memfd:");
		goto fail;
	}
	return mfd;
fail:
	if (src >= 0)
		close(src);
	close(mfd);
	return -1;
}

int
selfexe_ensure_sealed(char **argv, struct err *e)
{
	int mfd;

	if (selfexe_is_sealed())
		return 0;
	mfd = selfexe_copy(e);
	if (mfd < 0)
		return -1;
	log_debug("re-exec from a sealed memfd copy  (runc: nsenter/cloned_binary.c)");
	fexecve(mfd, argv, environ);
	err_set(e, "re-exec from the sealed copy:");
	close(mfd);
	return -1;
}
