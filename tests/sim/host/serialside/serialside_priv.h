/* serialside_priv.h — the layer's state, shared by its files (not for simhost). */
#ifndef SERIALSIDE_PRIV_H
#define SERIALSIDE_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include <umockdev.h>

#include "serialside.h"

#define SIDE_MAX_CAMS 8
#define SIDE_MAX_JOBS 64
/* The tty hangs below an interface number the USB layer did not use: it already made the
 * entries of the identity's own interfaces (tests/sim/nano/samba_tty.h NANO_TTY_IFNUM). */
#define SIDE_CDC_TTY_IFNUM 2
#define SIDE_FTDI_TTY_IFNUM 1

struct omv_fw_model;
struct arduino_fw_model;
struct samba_model;
struct ttysim;
struct rp2040_usb;
struct alif_se;

struct side_cam {
	struct serialside *side;
	struct camera *cam;
	struct serialside_opts o;
	/* firmware mode: one of the two models, for the identity fw_dev */
	struct omv_fw_model *omv;
	struct arduino_fw_model *ard;
	struct usbsim_dev *fw_dev;
	/* samba mode */
	struct samba_model *samba;
	struct ttysim *samba_port;
	struct ttysim *samba_tx;  /* the same port, as its own thread knows it */
	struct usbsim_dev *samba_dev;
	/* bootsel mode */
	struct rp2040_usb *bootsel;
	bool nano_fault_used;     /* nano-fault=replaced struck: the board now in its place has none */
	/* the AE3's Secure Enclave and its bridge */
	struct alif_se *se;
	struct usbsim_dev *se_dev;
	bool se_alif_heard;       /* the handshake arrived (under side->lock) */
	bool se_pressed;          /* the hands pressed the button for it */
	/* the SE's counters at its last reset, as the worker last saw them */
	unsigned se_resets, se_burns, se_rom_writes, se_mram_reads;
	unsigned se_writes_synced;  /* the SE's writes (se_writes()) when the MRAM was last copied back */
	bool se_boot_written;     /* the application area (the bootloader) was written */
	bool se_boot_read;        /* or read back only (verify restore-bootloader) */
	bool se_replaced;         /* se-fault=replaced has struck: the bridge now is another one */
};

enum side_job_kind {
	JOB_REBOOT_TO_BOOTLOADER, /* a running firmware asked for its bootloader */
	JOB_RESET,                /* a running firmware was reset plainly (power-up window) */
	JOB_BOOTLOADER_LEFT,      /* a bootloader reset itself (K#, REBOOT) */
	JOB_REPLACED,             /* nano-fault=replaced: it vanished; another board comes */
	JOB_HANDS_BOOTLOADER,     /* serialside_hands(1) for one camera */
	JOB_POWER_CYCLE,          /* serialside_hands(2); the AE3's after its bootloader write */
	JOB_SE_POWER_CYCLE,       /* the AE3's after a system-package write or ROM recovery */
	JOB_SE_BUTTON,            /* the AE3: switch on, press the user button */
	JOB_SE_VANISH,            /* the AE3: its SE bridge (or only its tty) leaves (se-fault) */
};

struct side_job {
	enum side_job_kind kind;
	struct side_cam *c;
	struct usbsim_dev *identity; /* the job is void once the camera shows another one */
	uint64_t due_us;
};

struct serialside {
	struct usbsim *sim;
	UMockdevTestbed *tb;
	struct side_cam *cams[SIDE_MAX_CAMS];
	int n;
	pthread_t worker;
	bool worker_started, stopping;
	pthread_mutex_t lock;     /* jobs, stopping, the se_* flags */
	pthread_cond_t cond;
	struct side_job jobs[SIDE_MAX_JOBS];
	int njobs;
};

/* serialside.c */
void side_post(struct side_cam *c, enum side_job_kind kind, struct usbsim_dev *identity, unsigned delay_ms);
uint64_t side_now_us(void);

/* serialside_fw.c: the running firmware's tty */
void side_fw_enter(struct side_cam *c, struct usbsim_dev *dev);
void side_fw_leave(struct side_cam *c);

/* serialside_nano.c: SAM-BA and BOOTSEL */
void side_nano_attach(struct side_cam *c);
struct usbsim_dev *side_samba_enter(struct side_cam *c);
void side_samba_leave(struct side_cam *c);
struct usbsim_dev *side_bootsel_enter(struct side_cam *c);
void side_bootsel_leave(struct side_cam *c);

/* serialside_se.c: the AE3's Secure Enclave */
void side_se_attach(struct side_cam *c);
int side_se_plug(struct side_cam *c, char *err, size_t err_len);
void side_se_tick(struct side_cam *c);         /* the automatic hands, about every 10 ms */
void side_se_button(struct side_cam *c);
void side_se_power_cycle(struct side_cam *c, bool finished);
void side_se_unplug(struct side_cam *c);
void side_se_vanish(struct side_cam *c);       /* worker: se-fault vanish, tty-gone, replaced */

#endif
