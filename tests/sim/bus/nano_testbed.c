/* nano_testbed.c — the USB layer's testbed, for the tty layer.  usbsim.h does not hand out
 * its testbed yet, and umockdev allows one per process, so a tty below a usbsim device must
 * be added to that one: read it from the layer's private struct (the only use of it). */
#include "samba_tty.h"
#include "usbsim_priv.h"

UMockdevTestbed *nano_testbed(struct usbsim *sim)
{
	return sim->tb;
}
