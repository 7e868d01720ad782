#!/bin/sh
# io_boundary.sh SRCDIR — the product reaches a device in one place only: src/io (usb_io.c,
# serial_io.c), where --record sees every exchange.  No other file of src/ or screens/ may
# call the libusb or libserialport functions that talk to a device.  Speaks TAP.
root=$1
usb='libusb_(control_transfer|bulk_transfer|interrupt_transfer|get_string_descriptor_ascii|open|close|claim_interface|release_interface|set_interface_alt_setting|reset_device|clear_halt|detach_kernel_driver|attach_kernel_driver|get_device_descriptor|get_active_config_descriptor|get_config_descriptor|get_device_list|hotplug_register_callback)'
serial='sp_(open|close|list_ports|set_baudrate|set_dtr|set_rts|blocking_read|blocking_read_next|nonblocking_read|blocking_write|nonblocking_write|flush|drain)'
n=0
failed=0
for what in usb serial; do
	eval "pattern=\$$what"
	hits=$(grep -rnE "\\b$pattern\\s*\\(" "$root/src" "$root/screens" --include='*.c' | grep -v "^$root/src/io/")
	n=$((n + 1))
	if [ -z "$hits" ]; then
		echo "ok $n - no $what device call outside src/io"
	else
		echo "not ok $n - $what device calls outside src/io:"
		echo "$hits" | sed 's/^/# /'
		failed=1
	fi
done
# and the boundary itself makes them (a rename must not leave it empty)
n=$((n + 1))
if grep -qE "\\blibusb_control_transfer\\(" "$root/src/io/usb_io.c" && grep -qE "\\bsp_blocking_write\\(" "$root/src/io/serial_io.c"; then
	echo "ok $n - src/io makes the calls"
else
	echo "not ok $n - src/io/usb_io.c or serial_io.c does not make the calls"
	failed=1
fi
echo "1..$n"
exit $failed
