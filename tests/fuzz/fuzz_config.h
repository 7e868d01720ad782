/* fuzz_config.h — a parsed USB configuration descriptor (the struct libusb hands the
 * product) built from the fuzz input stream: interfaces, alternate settings with their
 * class, protocol and string index, endpoints, and the "extra" bytes where class-specific
 * descriptors such as DFU's functional descriptor live.  Layout of the stream:
 *   [n interfaces 1..4] then per interface [n alts 1..16] then per alt
 *   [number class subclass protocol iInterface n-endpoints 0..3 extra-len] [extra bytes]
 *   and per endpoint [address attributes maxpacket-lo maxpacket-hi];
 *   then [config extra-len] [config extra bytes].
 */
#ifndef FUZZ_CONFIG_H
#define FUZZ_CONFIG_H

#include <libusb.h>

struct libusb_config_descriptor *fuzz_config_build(void);
void fuzz_config_free(struct libusb_config_descriptor *cfg);

#endif
