/* The virtual cameras' facts, with where each comes from.
 *
 * Sources (abbreviations used below):
 *   seed 000/001/002/003/004 — ../shared/seeds (the firmware guide pages)
 *   ref-dfu  — reference dfu-dfuse-picoboot-samba.md
 *   ref-alif — reference alif-isp-openmv-ide-n6.md
 *   facts    — board-facts research notes, quoting openmv/openmv boards/<B>/boot_config.h
 *              and boot/src/ports/stm32/{stm32_flash,stm32_qspi,stm32_xspi}.c
 *
 * ASSUMPTIONS (not in any source; chosen to be plausible, all in this file):
 *   A1 Arduino bootloaders' DfuSe layout strings and wTransferSize 4096: chosen so that
 *      the seeds' writes (0x08040000, 0x90B00000, 0x90F00000, 0x90FC0000) and erases
 *      (0x08020000, 0x90000000) are legal; sector 0 (the Arduino bootloader) read-only.
 *   A2 Arduino sketch PIDs 0266/025f for the Giga and the Nicla (the Portenta's 025b, DFU PID
 *      minus 0x100, is the IDE's; the others follow it).
 *   A3 STM32F765 ROM layout strings (the F7 sector map written in the F4 ROM's style).
 *   A4 Timing values (datasheet-typical orders of magnitude, not measured).
 *   A5 AE3 OSPI erases 4 KiB blocks on aligned writes (ref-alif §2.2 says 4 KB for SPI
 *      partitions); the STM32 QSPI/xSPI erase 64 KiB blocks (facts, stm32_qspi.c).
 *   A6 bcdDevice 0x0100 for the running firmware (the openmv_dfu bootloader's is its version, bl=).
 *   A7 RT1062: ITCM at 0 and DTCM at 0x20000000 modelled as 512 KiB each (the flexible
 *      RAM's largest split); the external NOR erases 4 KiB sectors (the FCB region and the
 *      erase-fs erase are 4 KiB: seed 002, seed 000); the eFuse bank as 128 words.
 *   A8 The N6 boot ROM's DFU: wTransferSize 1024 and the DFU state machine of ST's
 *      OpenBootloader; it answers GetPhase with the FSBL phase and load address, asks to be
 *      detached after the FSBL (TF-A's device side, ref-alif §4.2), product string values.
 *   A9 N6 RAM addresses of OpenBootloader's layout (0x34280000) and external-memory loader
 *      (0x34300000); AXISRAM 0x34000000-0x34400000 (boards.ini check.stack, N6).
 *   A10 OpenBootloader's alt names (only their ids, in the middleware's order, are facts).
 */
#include <strings.h>

#include "cameras.h"

const uint8_t cam_ae3_recovery_key[16] = {0x15, 0x9E, 0x7D, 0x42, 0x96, 0x1A, 0x71, 0xEB,
					  0x73, 0xA3, 0x26, 0x29, 0x2B, 0x08, 0x09, 0x0E};

#define KiB 1024u
#define MiB (1024u * 1024u)

/* STM32F4 1 MiB: 4x16K, 1x64K, 7x128K (facts: stm32_flash.c F4 table; ref-dfu §1.7 layout). */
#define F4_SECTORS {{4, 16 * KiB}, {1, 64 * KiB}, {7, 128 * KiB}}
/* STM32F7 2 MiB: 4x32K, 1x128K, 7x256K (facts: stm32_flash.c F7 table). */
#define F7_SECTORS {{4, 32 * KiB}, {1, 128 * KiB}, {7, 256 * KiB}}
/* STM32H743/H747 2 MiB: 16x128K, bank 2 from 0x08100000 (facts; ref-dfu §1.14.10). */
#define H7_SECTORS {{16, 128 * KiB}}

#define H7_FLASH {"flash", 0x08000000, 2 * MiB, SIMMEM_NOR, H7_SECTORS, CAM_T_STM32H7, 0}
/* 32 MiB QSPI/xSPI NOR addressed from 0 by the bootloader (facts: boot_config.h). */
#define STM32_SPI(name) {name, 0, 32 * MiB, SIMMEM_NOR, {{512, 64 * KiB}}, CAM_T_SPI_NOR, 64 * KiB}

/* ST ROM bootloaders (ref-dfu §1.7, §1.13, §1.14). */
static const struct cam_rom rom_f4 = {
	"STM32F427", 0x2200, 2048,
	{"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", "@Option Bytes  /0x1FFFC000/01*016 e",
	 "@OTP Memory /0x1FFF7800/01*512 e,01*016 e", "@Device Feature/0xFFFF0000/01*004 e"},
	4,
	{{"option-bytes", 0x1FFFC000, 16, SIMMEM_RAM, {{1, 16}}, CAM_T_OPTION_BYTES, 0},
	 {"otp", 0x1FFF7800, 528, SIMMEM_NOR, {{1, 528}}, CAM_T_OPTION_BYTES, 0},
	 {"device-feature", 0xFFFF0000, 4, SIMMEM_RAM, {{1, 4}}, CAM_T_OPTION_BYTES, 0}},
	3,
};
static const struct cam_rom rom_f7 = { /* A3 */
	"STM32F765", 0x2200, 2048,
	{"@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg", "@Option Bytes  /0x1FFF0000/01*032 e"},
	2,
	{{"option-bytes", 0x1FFF0000, 32, SIMMEM_RAM, {{1, 32}}, CAM_T_OPTION_BYTES, 0}},
	1,
};
/* H743: bcdDevice 0x0200 and wTransferSize 1024 (ref-dfu §1.7); three spaces after the name. */
static const struct cam_rom rom_h7 = {
	"STM32H743", 0x0200, 1024,
	{"@Internal Flash   /0x08000000/16*128Kg", "@Option Bytes   /0x5200201C/01*128 e"},
	2,
	{{"option-bytes", 0x5200201C, 128, SIMMEM_RAM, {{1, 128}}, CAM_T_OPTION_BYTES, 0}},
	1,
};

#define OPENMV_H7P_PARTS                                                                         \
	{{"BOOTLOADER", 0x08000000, 0x08020000, true, CAM_PART_MEMORY, false},                          \
	 {"FILESYSTEM", 0x08020000, 0x08040000, false, CAM_PART_MEMORY, false},                         \
	 {"FIRMWARE", 0x08040000, 0x08200000, false, CAM_PART_MEMORY, false},                           \
	 {"SPI_FLASH", 0x00000000, 0x02000000, false, CAM_PART_MEMORY, false},                          \
	 {"ROMFS0", 0x01800000, 0x02000000, false, CAM_PART_MEMORY, false}}

/* Arduino STM32H747 boards (seed 002 §10.7.8; facts: ARDUINO_* board_config). */
#define ARDUINO_REGIONS                                                                          \
	{H7_FLASH, {"qspi", 0x90000000, 16 * MiB, SIMMEM_NOR, {{4096, 4 * KiB}}, CAM_T_SPI_NOR, 0}}
#define ARDUINO_ALTS /* A1 */                                                                    \
	{"@Internal Flash   /0x08000000/01*128Ka,15*128Kg", "@External Flash   /0x90000000/4096*4Kg"}

/* RT1062: ROM 1FC9:0135, flashloader 15A2:0073 (seed 003, reference nxp §1.1, §2.1); the
 * flashloader's version K2.8.0 (ref-alif §2.3); MaxPacketSize 1012 (reference nxp §2.7
 * simulator default); FlexSPI NOR 16 MiB at 0x60000000 (seed 002 §10.7.7). */
static const struct cam_nxp nxp_rt1062 = {
	0x1FC9, 0x0135, 0x15A2, 0x0073, 0x4B020800, 1012, 0x60000000,
	{"fuses", 0xFFFFFE00, 512, SIMMEM_RAM, {{1, 512}}, CAM_T_OPTION_BYTES, 0}, /* A7 */
};

const struct camera_type camera_types[] = {
	/* Runtime and DFU IDs: seed 002 §10.7.5, seed 000; partitions: facts OPENMV2. */
	{"OPENMV2", "OpenMV Cam M4", "STM32F427", 0x37C5, 0x1202, 0x37C5, 0x9202, false,
	 {{"flash", 0x08000000, 1 * MiB, SIMMEM_NOR, F4_SECTORS, CAM_T_STM32F4, 0}}, 1,
	 {{"BOOTLOADER", 0x08000000, 0x08008000, true, CAM_PART_MEMORY, false},
	  {"FILESYSTEM", 0x08008000, 0x08010000, false, CAM_PART_MEMORY, false},
	  {"FIRMWARE", 0x08010000, 0x080E0000, false, CAM_PART_MEMORY, false},
	  {"ROMFS0", 0x080E0000, 0x08100000, false, CAM_PART_MEMORY, false}}, 4,
	 &rom_f4, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_NONE},
	{"OPENMV3", "OpenMV Cam M7", "STM32F765", 0x37C5, 0x1203, 0x37C5, 0x9203, false,
	 {{"flash", 0x08000000, 2 * MiB, SIMMEM_NOR, F7_SECTORS, CAM_T_STM32F7, 0}}, 1,
	 {{"BOOTLOADER", 0x08000000, 0x08008000, true, CAM_PART_MEMORY, false},
	  {"FILESYSTEM", 0x08008000, 0x08020000, false, CAM_PART_MEMORY, false},
	  {"FIRMWARE", 0x08020000, 0x081C0000, false, CAM_PART_MEMORY, false},
	  {"ROMFS0", 0x081C0000, 0x08200000, false, CAM_PART_MEMORY, false}}, 4,
	 &rom_f7, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_NONE},
	{"OPENMV4", "OpenMV Cam H7", "STM32H743", 0x37C5, 0x1204, 0x37C5, 0x9204, false,
	 {H7_FLASH}, 1,
	 {{"BOOTLOADER", 0x08000000, 0x08020000, true, CAM_PART_MEMORY, false},
	  {"FILESYSTEM", 0x08020000, 0x08040000, false, CAM_PART_MEMORY, false},
	  {"FIRMWARE", 0x08040000, 0x081E0000, false, CAM_PART_MEMORY, false},
	  {"ROMFS0", 0x081E0000, 0x08200000, false, CAM_PART_MEMORY, false}}, 4,
	 &rom_h7, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_NONE},
	{"OPENMV4P", "OpenMV Cam H7 Plus", "STM32H743", 0x37C5, 0x124A, 0x37C5, 0x924A, false,
	 {H7_FLASH, STM32_SPI("qspi")}, 2, OPENMV_H7P_PARTS, 5, &rom_h7, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_NONE},
	{"OPENMVPT", "OpenMV Pure Thermal", "STM32H743", 0x37C5, 0x1205, 0x37C5, 0x9205, false,
	 {H7_FLASH, STM32_SPI("qspi")}, 2, OPENMV_H7P_PARTS, 5, &rom_h7, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_NONE},
	/* N6: no internal flash; alt order FIRMWARE before FILESYSTEM (facts OPENMV_N6).  Its
	 * recovery ROM and OpenBootloader: model_n6.c (A8-A10); RAM for what they load (A9). */
	{"OPENMV_N6", "OpenMV Cam N6", "STM32N657", 0x37C5, 0x1206, 0x37C5, 0x9206, false,
	 {STM32_SPI("xspi"), {"axisram", 0x34000000, 4 * MiB, SIMMEM_RAM, {{1, 4 * MiB}}, CAM_T_OPTION_BYTES, 0}}, 2,
	 {{"BOOTLOADER", 0x00000000, 0x00080000, true, CAM_PART_MEMORY, false},
	  {"FIRMWARE", 0x00080000, 0x00400000, false, CAM_PART_MEMORY, false},
	  {"FILESYSTEM", 0x00400000, 0x00800000, false, CAM_PART_MEMORY, false},
	  {"ROMFS0", 0x00800000, 0x02000000, false, CAM_PART_MEMORY, false}}, 4,
	 NULL, {NULL, NULL}, 0, NULL, true, 0, CAM_EXT_NONE},
	/* AE3: MRAM 0x80000000 (6 MB, ref-alif §1.9), OSPI addressed from 0; alt table seed
	 * 002 §10.7.6 + ref-alif §1.9; alt 7 checks the key and stores nothing (seed 001).  The
	 * MRAM partitions have MPU regions 4-8, the OSPI ones none (boards/OPENMV_AE3/boot_config.h);
	 * the STM32 boards' partitions have none (region -1; and port_mpu_config is empty below
	 * ARMv8-M, boot/src/common/mpu.c). */
	{"OPENMV_AE3", "OpenMV AE3", "Alif AE302F80F55D5", 0x37C5, 0x16E3, 0x37C5, 0x96E3, false,
	 {{"mram", 0x80000000, 0x600000, SIMMEM_RAM, {{1, 0x600000}}, CAM_T_MRAM, 0},
	  {"ospi", 0, 32 * MiB, SIMMEM_NOR, {{8192, 4 * KiB}}, CAM_T_SPI_NOR, 4 * KiB}}, 2, /* A5 */
	 {{"BOOT", 0x80000000, 0x80020000, true, CAM_PART_MEMORY, true},
	  {"HP", 0x80020000, 0x80320000, false, CAM_PART_MEMORY, true},
	  {"HE", 0x80320000, 0x8047E000, false, CAM_PART_MEMORY, true},
	  {"ROMFS1", 0x8047E000, 0x8057E000, false, CAM_PART_MEMORY, true},
	  {"TOC", 0x8057E000, 0x80580000, false, CAM_PART_MEMORY, true},
	  {"RWFS", 0x00000000, 0x00800000, false, CAM_PART_MEMORY, false},
	  {"ROMFS0", 0x00800000, 0x02000000, false, CAM_PART_MEMORY, false},
	  {"RECOVERY", 0x00000000, 0x00001000, false, CAM_PART_RECOVERY_KEY, false}}, 8,
	 NULL, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_ALIF_SE},
	/* RT1062: firmware 37C5:1060 (ref-alif §2.2 table); A7. */
	{"OPENMV_RT1060", "OpenMV Cam RT1062", "MIMXRT1062", 0x37C5, 0x1060, 0x15A2, 0x0073, false,
	 {{"itcm", 0x00000000, 512 * KiB, SIMMEM_RAM, {{1, 512 * KiB}}, CAM_T_MRAM, 0},
	  {"dtcm", 0x20000000, 512 * KiB, SIMMEM_RAM, {{1, 512 * KiB}}, CAM_T_MRAM, 0},
	  {"flexspi", 0x60000000, 16 * MiB, SIMMEM_NOR, {{4096, 4 * KiB}}, CAM_T_SPI_NOR, 0}}, 3,
	 {{0}}, 0, NULL, {NULL, NULL}, 0, &nxp_rt1062, false, 0, CAM_EXT_NONE},
	/* Arduino DFU IDs: seed 002 §10.7.8; running OpenMV firmware 2341:04xx (facts: fw repo
	 * boards/<B>/board_config.mk, as boards.ini cites it); a running sketch 2341:02xx, the IDE's
	 * touchToResetPids (ref-alif §2.1; the Giga's and Nicla's by the same pattern, A2). */
	{"ARDUINO_PORTENTA_H7", "Arduino Portenta H7", "STM32H747", 0x2341, 0x045b, 0x2341, 0x035b, true,
	 ARDUINO_REGIONS, 2, {{0}}, 0, &rom_h7, ARDUINO_ALTS, 4096, NULL, false, 0x025b, CAM_EXT_NONE},
	{"ARDUINO_GIGA", "Arduino Giga", "STM32H747", 0x2341, 0x0466, 0x2341, 0x0366, true,
	 ARDUINO_REGIONS, 2, {{0}}, 0, &rom_h7, ARDUINO_ALTS, 4096, NULL, false, 0x0266, CAM_EXT_NONE},
	{"ARDUINO_NICLA_VISION", "Arduino Nicla Vision", "STM32H747", 0x2341, 0x045f, 0x2341, 0x035f, true,
	 ARDUINO_REGIONS, 2, {{0}}, 0, &rom_h7, ARDUINO_ALTS, 4096, NULL, false, 0x025f, CAM_EXT_NONE},
	/* Nano 33 BLE Sense: SAM-BA bootloader 2341:005a (ref-dfu §3.1), OpenMV firmware 2341:015a
	 * (facts: fw repo board_config.mk); the nRF52840's 1 MiB of flash in 4 KiB pages, which the
	 * SAM-BA model owns while the bootloader runs (serialside/serialside_nano.c). */
	{"ARDUINO_NANO_33_BLE_SENSE", "Arduino Nano 33 BLE Sense", "nRF52840", 0x2341, 0x015a, 0x2341, 0x005a, false,
	 {{"flash", 0, 1 * MiB, SIMMEM_NOR, {{256, 4 * KiB}}, CAM_T_SPI_NOR, 0}}, 1,
	 {{0}}, 0, NULL, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_SAMBA},
	/* Nano RP2040 Connect: BOOTSEL 2E8A:0003 (ref-dfu §2.1), OpenMV firmware 2341:015e (facts);
	 * 16 MiB of flash at 0x10000000 (ref-dfu §2), owned by the PICOBOOT model in BOOTSEL. */
	{"ARDUINO_NANO_RP2040_CONNECT", "Arduino Nano RP2040 Connect", "RP2040", 0x2341, 0x015e, 0x2E8A, 0x0003, false,
	 {{"flash", 0x10000000, 16 * MiB, SIMMEM_NOR, {{4096, 4 * KiB}}, CAM_T_SPI_NOR, 0}}, 1,
	 {{0}}, 0, NULL, {NULL, NULL}, 0, NULL, false, 0, CAM_EXT_BOOTSEL},
};
const int camera_type_count = sizeof camera_types / sizeof camera_types[0];

const struct camera_type *camera_type_find(const char *name)
{
	for (int i = 0; i < camera_type_count; i++)
		if (strcasecmp(camera_types[i].name, name) == 0)
			return &camera_types[i];
	return NULL;
}

/* A4.  Internal flash: 16K ~300 ms, 128K ~1 s (the H7 ROM reports 1000 ms per 128K
 * sector in seed 004's log), programming ~4 us/byte (F4/F7 32-bit), ~0.5 us/byte
 * (H7 256-bit words).  SPI NOR: 4K ~45 ms, 64K ~150 ms, 256-byte page ~0.4 ms. */
static const struct simmem_timing realistic[CAM_T_COUNT] = {
	[CAM_T_STM32F4] = {200, 400, 4096},
	[CAM_T_STM32F7] = {200, 400, 4096},
	[CAM_T_STM32H7] = {200, 400, 512},
	[CAM_T_SPI_NOR] = {38, 112, 1600},
	[CAM_T_MRAM] = {0, 0, 100},
	[CAM_T_OPTION_BYTES] = {0, 0, 0},
};
/* Fast: every erase 1 ms, programming free — tests stay quick, polls stay honest. */
static const struct simmem_timing fast = {1, 0, 0};

const struct simmem_timing *cam_timing(enum cam_timing_profile p, bool is_realistic)
{
	return is_realistic ? &realistic[p] : &fast;
}
