/* exec_image.c — see exec_image.h. */
#include "exec_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int exec_image_open(struct run_ctx *rc, int index, struct exec_image *im, struct rs_error *err)
{
	memset(im, 0, sizeof *im);
	im->rc = rc;
	if (index < 0 || index >= rc->plan->nimages)
		return rs_fail(err, RS_E_INPUT, "internal: step without an image");
	if (rc->generated[index]) {
		im->data = rc->generated[index];
		im->len = rc->generated_len[index];
		return 0;
	}
	const struct plan_image *pi = &rc->plan->images[index];
	int fd = open(pi->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rs_fail(err, RS_E_INPUT, "%s: %s", pi->path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || st.st_size == 0 || (pi->size && (uint64_t)st.st_size != pi->size)) {
		close(fd);
		return rs_fail(err, RS_E_INPUT, "%s changed since it was checked; start again", pi->path);
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return rs_fail(err, RS_E_INPUT, "%s: cannot be read (%s)", pi->path, strerror(errno));
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	im->map = m;
	im->data = m;
	im->len = (size_t)st.st_size;
	return 0;
}

void exec_image_release(struct exec_image *im, uint64_t done)
{
	if (!im->map || done > im->len)
		return;
	/* release whole pages already used, keeping one page of slack */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t upto = ((size_t)done / page) * page;
	upto = upto > page ? upto - page : 0;
	if (upto > im->dropped) {
		madvise((uint8_t *)im->map + im->dropped, upto - im->dropped, MADV_DONTNEED);
		im->dropped = upto;
	}
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct exec_image *im = ctx;
	run_progress(im->rc, done, total);
	exec_image_release(im, done);
}

static bool on_stop(void *ctx)
{
	struct exec_image *im = ctx;
	return run_should_stop(im->rc);
}

struct rs_progress exec_image_progress(struct exec_image *im)
{
	struct rs_progress p = {on_progress, on_stop, im};
	return p;
}

void exec_image_rewind(struct exec_image *im)
{
	im->dropped = 0; /* a second pass (read-back) starts from the beginning */
}

void exec_image_close(struct exec_image *im)
{
	if (im->map)
		munmap(im->map, im->len);
	memset(im, 0, sizeof *im);
}
