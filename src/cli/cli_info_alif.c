/* cli_info_alif.c — what `openmv-rescue info` reads from the AE3's Secure Enclave over its
 * serial ISP bridge: the boot stage (ENQUIRY), the banner with the SE firmware version and the
 * chip's revision, part and life cycle (GET_REVISION).  ISP START and STOP open and close the
 * session; nothing is written and the SE is not reset (Alif Security Toolkit
 * toolkit/isp/isp_core.py; reference alif-isp-openmv-ide-n6.md §1.6). */
#include <jansson.h>
#include <stdio.h>

#include "alif_isp.h"
#include "cli_list.h"
#include "identity.h"
#include "plan.h"
#include "serialdev.h"

static void revision_json(const struct board *b, const struct alif_isp_revision *rev, json_t *o)
{
	char serial[17];
	for (int i = 0; i < 8; i++)
		snprintf(serial + 2 * i, 3, "%02X", rev->serial[i]);
	json_object_set_new(o, "se_revision", json_string(rev->rev_name));
	json_object_set_new(o, "se_part", rev->part[0] ? json_string(rev->part) : json_null());
	json_object_set_new(o, "se_life_cycle", json_string(alif_isp_lcs_name(rev->lcs)));
	json_object_set_new(o, "chip_uid", json_string(serial));
	json_object_set_new(o, "se_provisioned", json_boolean(!rev->hbk0_blank));
	char why[300];
	bool same = !identity_check_se_part(b, rev->part, why, sizeof why);
	json_object_set_new(o, "identity", json_pack("{s:b, s:s}", "ok", same, "found", same ? "matches boards.ini" : why));
}

/* The baud rate the SE boots at, as the restore's banner step carries it (boards.ini
 * restore.baud, the step's value): info talks to the SE as that step does.  0: none. */
static int boot_baud(const struct board *b)
{
	static struct plan p;
	struct rs_error e = {0};
	if (plan_build(b, ACTION_RESTORE, NULL, &p, &e))
		return 0;
	for (int i = 0; i < p.nsteps; i++)
		if (p.steps[i].kind == STEP_ISP_BANNER)
			return (int)p.steps[i].value.value;
	return 0;
}

void cli_info_alif_se(const struct devinfo *d, json_t *o)
{
	char name[128];
	struct rs_error e = {0};
	struct sp_port *port;
	int baud = boot_baud(d->board);
	if (!baud || serialdev_find_wait(&d->board->usb[USB_SE_BRIDGE], 0, NULL, NULL, name, sizeof name, &e) ||
	    serialdev_open(name, baud, &port, &e))
		return;
	json_object_set_new(o, "port", json_string(name));
	struct alif_isp isp;
	alif_isp_init(&isp, port, baud);
	struct alif_isp_enquiry q;
	char banner[256];
	struct alif_isp_revision rev;
	if (alif_isp_start(&isp, 2, &e)) {
		json_object_set_new(o, "se_answer", json_sprintf("no answer: %s (it may need the hard-maintenance switch and "
		                    "the user button, see restore-bootloader)", e.msg));
	} else {
		if (!alif_isp_enquiry(&isp, &q, &e)) {
			json_object_set_new(o, "se_boot_stage", json_string(q.seram ? "SERAM" : q.serom ? "SEROM (ROM recovery)" : "unknown"));
			json_object_set_new(o, "se_maintenance", json_boolean(q.maintenance));
		}
		if (!alif_isp_get_banner(&isp, banner, sizeof banner, &e))
			json_object_set_new(o, "se_banner", json_string(banner));
		if (!alif_isp_get_revision(&isp, &rev, &e))
			revision_json(d->board, &rev, o);
		alif_isp_stop(&isp, &e);
	}
	serialdev_close(port);
}
