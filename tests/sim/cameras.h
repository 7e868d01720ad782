/* The virtual cameras' facts: USB IDs, memories, bootloader partitions, ROM layouts.
 * Typed from the seeds and the references (never from the product's boards.ini or
 * code), so that the models are the independent side of every test. */
#ifndef CAMERAS_H
#define CAMERAS_H

#include <stdbool.h>
#include <stdint.h>

#include "simmem.h"

enum cam_timing_profile {
	CAM_T_STM32F4, CAM_T_STM32F7, CAM_T_STM32H7, CAM_T_SPI_NOR, CAM_T_MRAM, CAM_T_OPTION_BYTES,
	CAM_T_COUNT
};

struct cam_region {
	const char *name;
	uint32_t base, size;
	enum simmem_kind kind;
	struct simmem_sectors sectors[4];
	enum cam_timing_profile timing;
	/* How the openmv_dfu bootloader erases while writing here: 0 = the flash sector
	 * is erased when a write starts at its first byte; N = an N-byte block is
	 * erased when the write address is N-aligned.  RAM kinds are never erased. */
	uint32_t boot_erase_unit;
};

enum cam_part_kind { CAM_PART_MEMORY, CAM_PART_RECOVERY_KEY };

/* One alternate setting of the openmv_dfu bootloader. */
struct cam_partition {
	const char *name;
	uint32_t start, limit; /* limit = exclusive end */
	bool rdonly;
	enum cam_part_kind kind;
};

/* The STM32 system-memory (ROM) DFU bootloader of the camera's MCU. */
struct cam_rom {
	const char *mcu;
	uint16_t bcd_device;
	uint16_t transfer_size;
	const char *alts[4]; /* DfuSe memory layout strings, alt 0.. */
	int n_alts;
	struct cam_region extra[3]; /* option bytes, OTP, device feature */
	int n_extra;
};

#define CAM_MAX_REGIONS 3
#define CAM_MAX_PARTS 8

struct camera_type {
	const char *name;    /* the firmware TARGET: "OPENMV4" */
	const char *display; /* "OpenMV Cam H7" */
	const char *mcu;
	uint16_t rt_vid, rt_pid;     /* running firmware (CDC) */
	uint16_t boot_vid, boot_pid; /* openmv_dfu, or the Arduino DfuSe bootloader */
	bool arduino;
	struct cam_region regions[CAM_MAX_REGIONS];
	int n_regions;
	struct cam_partition parts[CAM_MAX_PARTS]; /* openmv_dfu alts */
	int n_parts;
	const struct cam_rom *rom; /* NULL: no ST ROM DFU path */
	const char *arduino_alts[2];
	uint16_t arduino_transfer_size;
};

extern const struct camera_type camera_types[];
extern const int camera_type_count;

const struct camera_type *camera_type_find(const char *name); /* case-insensitive */
const struct simmem_timing *cam_timing(enum cam_timing_profile p, bool realistic);

/* The AE3 RECOVERY alt's 16-byte key (reference alif-isp §3, seed 001). */
extern const uint8_t cam_ae3_recovery_key[16];

#endif
