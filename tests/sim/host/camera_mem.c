/* A camera's memories: lookup, preload (--load) and dump (--dump). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "camera_priv.h"

struct simmem *camera_memory(struct camera *cam, const char *name)
{
	for (int i = 0; i < cam->n_mem; i++)
		if (strcasecmp(cam->mem[i].name, name) == 0)
			return &cam->mem[i];
	return NULL;
}

struct simmem *camera_memory_at(struct camera *cam, uint32_t addr, uint32_t len)
{
	for (int i = 0; i < cam->n_mem; i++)
		if (simmem_contains(&cam->mem[i], addr, len))
			return &cam->mem[i];
	return NULL;
}

int camera_load(struct camera *cam, const char *where, const uint8_t *data, size_t len, char *err,
		size_t err_len)
{
	uint32_t addr;
	char *end;

	if (strncasecmp(where, "alt", 3) == 0) {
		unsigned long alt = strtoul(where + 3, &end, 10);
		if (end == where + 3 || *end || alt >= (unsigned long)cam->type->n_parts) {
			snprintf(err, err_len, "%s: no bootloader alt \"%s\"", cam->label, where);
			return -1;
		}
		const struct cam_partition *p = &cam->type->parts[alt];
		if (p->kind != CAM_PART_MEMORY || len > p->limit - p->start) {
			snprintf(err, err_len, "%s: %zu bytes do not fit alt %lu (%s)", cam->label, len, alt,
				 p->name);
			return -1;
		}
		addr = p->start;
	} else {
		errno = 0;
		unsigned long a = strtoul(where, &end, 0);
		if (errno || end == where || *end || a > UINT32_MAX) {
			snprintf(err, err_len, "bad address \"%s\" (0xADDR or altN)", where);
			return -1;
		}
		addr = (uint32_t)a;
	}
	struct simmem *m = camera_memory_at(cam, addr, (uint32_t)len);
	if (!m || len > UINT32_MAX) {
		snprintf(err, err_len, "%s: 0x%08X + %zu bytes is not inside one memory", cam->label, addr, len);
		return -1;
	}
	usbsim_lock(cam->sim);
	memcpy(m->bytes + (addr - m->base), data, len); /* as if programmed earlier */
	usbsim_unlock(cam->sim);
	return 0;
}

int camera_dump(struct camera *cam, const char *dir, char *err, size_t err_len)
{
	int rc = 0;

	usbsim_lock(cam->sim);
	for (int i = 0; i < cam->n_mem && rc == 0; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.%s.bin", dir, cam->label, cam->mem[i].name);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(cam->mem[i].bytes, 1, cam->mem[i].size, f) != cam->mem[i].size) {
			snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
			rc = -1;
		}
		if (f && fclose(f) != 0 && rc == 0) {
			snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
			rc = -1;
		}
	}
	usbsim_unlock(cam->sim);
	return rc;
}

void camera_device_time(const struct camera *cam, unsigned long long *erase_ms,
			unsigned long long *program_us)
{
	*erase_ms = *program_us = 0;
	for (int i = 0; i < cam->n_mem; i++) {
		*erase_ms += cam->mem[i].erase_ms_total;
		*program_us += cam->mem[i].program_us_total;
	}
}
