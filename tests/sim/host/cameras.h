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
	/* An MPU region guards it (boot_config.h .region != -1): read-only until block 0 of the
	 * partition is written, read-only again after the manifest (boot/src/common/dfu.c). */
	bool mpu;
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

/* An NXP i.MX RT camera's ROM serial downloader and MCU bootloader (reference
 * nxp-sdp-mboot.md). */
struct cam_nxp {
	uint16_t sdp_vid, sdp_pid;   /* the ROM in serial-download mode */
	uint16_t fl_vid, fl_pid;     /* the flashloader / secure bootloader */
	uint32_t version;            /* get-property 1 */
	unsigned max_packet;         /* get-property 0x0B, unless the camera options say otherwise */
	uint32_t flexspi_base;       /* the memory-mapped external flash (memory "flexspi") */
	struct cam_region fuses;     /* the eFuse words, one u32 per index (not memory-mapped) */
};

#define CAM_MAX_REGIONS 3
#define CAM_MAX_PARTS 8

/* A bootloader whose device model lives outside this library (tests/sim/serialside, on the
 * tty layer and the Nano models): the AE3's Secure Enclave behind its serial ISP bridge, the
 * Nano 33 BLE's SAM-BA port, the RP2040's BOOTSEL device. */
enum cam_ext_boot { CAM_EXT_NONE, CAM_EXT_ALIF_SE, CAM_EXT_SAMBA, CAM_EXT_BOOTSEL };

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
	const struct cam_nxp *nxp; /* NULL: not an NXP camera */
	bool n6_phase_rom; /* the ROM speaks ST's DFU phase protocol and loads OpenBootloader */
	uint16_t sketch_pid; /* Arduino boards: the run-time PID of a sketch (0: none) */
	enum cam_ext_boot ext_boot;
};

extern const struct camera_type camera_types[];
extern const int camera_type_count;

const struct camera_type *camera_type_find(const char *name); /* case-insensitive */
const struct simmem_timing *cam_timing(enum cam_timing_profile p, bool realistic);

/* The AE3 RECOVERY alt's 16-byte key (reference alif-isp §3, seed 001). */
extern const uint8_t cam_ae3_recovery_key[16];

#endif
