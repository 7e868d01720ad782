/* cli_table.c — every command and option of openmv-rescue, once.  --help, "help COMMAND",
 * the man page openmv-rescue(1) and the bash completion are all written from this table
 * (src/cli/cmdtable.h).  A new command is one entry in cli_commands and a handler. */
#include "cli_internal.h"

#define ACTIONS "flash erase-fs restore-bootloader init-mram verify"

static const struct ct_command cli_commands[] = {
	{"help", "[COMMAND]", "show the usage, or one command's options and an example", NULL,
	 "openmv-rescue help flash", CT_WORD, cli_cmd_help, -1},
	{"boards", "[TARGET]", "list every supported board, or every fact of one board and the plan "
	 "of each action", NULL, "openmv-rescue boards OPENMV4", CT_TARGET, cli_cmd_boards, -1},
	{"flash", "--board TARGET [--firmware FILE] [--romfs FILE] [--dir DIR] [options]",
	 "write the firmware (and the ROMFS where the board has one)",
	 "Every input file is checked before anything is written; the camera is reset into its "
	 "bootloader, or asked to be replugged.",
	 "openmv-rescue flash --board OPENMV4 --firmware firmware.bin --romfs romfs0.img",
	 CT_NONE, cli_cmd_action, ACTION_FLASH},
	{"erase-fs", "--board TARGET [options]",
	 "wipe the internal filesystem (a bad main.py stops the camera booting)", NULL,
	 "openmv-rescue erase-fs --board OPENMV4 --yes", CT_NONE, cli_cmd_action, ACTION_ERASE_FS},
	{"restore-bootloader", "--board TARGET --file FILE [options]",
	 "rewrite a damaged bootloader through the chip's ROM",
	 "The file is the bootloader image (bootloader.bin, bootloader.dfu, or FlashLayout.tsv for "
	 "the N6). Hardware prompts (a jumper, a switch) say what to do and wait for the device.",
	 "openmv-rescue restore-bootloader --board OPENMV4 --file bootloader.dfu",
	 CT_NONE, cli_cmd_action, ACTION_RESTORE},
	{"init-mram", "--board TARGET [options]",
	 "initialise the Everspin MRAM of special OpenMV AE3 builds", NULL,
	 "openmv-rescue init-mram --board OPENMV_AE3", CT_NONE, cli_cmd_action, ACTION_INIT_MRAM},
	{"download", "[--board TARGET] [--release TAG|latest|development] [--to DIR] [--mirror URL]",
	 "fetch an official OpenMV firmware release, checked by its SHA-256 (no camera needed)",
	 "The release's asset is fetched over HTTPS from the releases API (GitHub's, or --mirror URL) "
	 "and kept in the cache folder only once its SHA-256 matches the digest the release reports; "
	 "a second run uses the kept file, also with no network. A stable release is one zip for "
	 "every board (firmware_<tag>.zip), the development release one zip per board. It prints "
	 "the flash command that uses the zip. Nothing is written to a camera.",
	 "openmv-rescue download --board OPENMV4", CT_NONE, cli_cmd_download, -1},
	{"verify", "flash --board TARGET [--firmware FILE] [--romfs FILE] [--dir DIR] [options]",
	 "read the camera back and compare it with the images a flash would write; write nothing",
	 "Prints for each image: equal, or the first address that differs and how many sectors "
	 "differ; exit status 0 only when every image is equal. For every board whose flash is "
	 "openmv_dfu, dfuse, blhost, picoboot or samba.",
	 "openmv-rescue verify flash --board OPENMV4 --firmware firmware.bin", CT_WORD, cli_cmd_verify, ACTION_FLASH},
	{"list", "[--json] [--watch]",
	 "every connected device: board, mode, USB ID, bus path, serial, version, permission",
	 "With --json the same as a JSON array (field names in the README); --watch keeps listing "
	 "plug and unplug events until Ctrl-C.",
	 "openmv-rescue list --json", CT_NONE, cli_cmd_list, -1},
	{"info", "[--serial SN] [--json]",
	 "everything one device says about itself, read without changing it",
	 "Descriptors, alts or partitions with names, sizes and access, the bootloader version and "
	 "chip ID; the NXP bootloader's properties, the AE3 Secure Enclave's banner and revision, "
	 "SAM-BA's version and chip, the RP2040 ROM version. Nothing is written or erased.",
	 "openmv-rescue info --serial 3B0A1C2D --json", CT_NONE, cli_cmd_info, -1},
	{"replay", "FILE --explain | --check-board",
	 "read a recording made with --record: the session as a timeline, or the camera's identity "
	 "against boards.ini",
	 "--explain prints one line per step and per run of like exchanges, and where it failed; "
	 "--check-board compares the recorded USB IDs, alt names, transfer size and version with "
	 "boards.ini and names every difference (exit 1 when there is one). Nothing is touched.",
	 "openmv-rescue replay session.jsonl --explain", CT_FILE, cli_cmd_replay, -1},
	{"udev-rules", "[--group GROUP] [--boards FILE]",
	 "print the udev rules that let a desktop user open every camera (from boards.ini)",
	 "With --group GROUP the rules for machines without a desktop session give that group "
	 "the devices instead.", "openmv-rescue udev-rules", CT_NONE, cli_cmd_udev, -1},
	{"udev-install", "[--group GROUP] [--dry-run] [--rules-dir DIR]",
	 "install the udev rules (as root) and reload udev",
	 NULL, "sudo openmv-rescue udev-install", CT_NONE, cli_cmd_udev, -1},
};

static const struct ct_option cli_options[] = {
	{"--board", 0, "TARGET", CT_TARGET, NULL, "a board TARGET",
	 "the board (see 'openmv-rescue boards')", ACTIONS " download", OPT_BOARD},
	{"--firmware", 0, "FILE", CT_FILE, NULL, "a file", "the firmware image", "flash", OPT_FIRMWARE},
	{"--romfs", 0, "FILE", CT_FILE, NULL, "a file", "the ROMFS image", "flash", OPT_ROMFS},
	{"--file", 0, "FILE", CT_FILE, NULL, "a file",
	 "the action's input (bootloader.bin or .dfu, FlashLayout.tsv, ...)", ACTIONS, OPT_FILE},
	{"--image", 0, "NAME=FILE", CT_FILE, NULL, "NAME=FILE",
	 "any image by its default name, e.g. firmware_M55_HE.bin=build/he.bin", ACTIONS, OPT_IMAGE},
	{"--dir", 0, "DIR", CT_DIR, NULL, "a folder",
	 "find every image by its default name in DIR", ACTIONS, OPT_DIR},
	{"--from", 0, "PATH", CT_FILE, NULL, "a release zip, a folder, or ide",
	 "pick the board's images from a release zip (firmware_<tag>.zip or firmware_<TARGET>.zip), "
	 "an unpacked release, a build/<TARGET>/bin folder, or OpenMV IDE ('ide': its usual places)",
	 ACTIONS, OPT_FROM},
	{"--n6-loaders", 0, "DIR", CT_DIR, NULL, "a folder",
	 "N6 restore: look for ST's OpenBootloader and external-flash loader here first",
	 "restore-bootloader", OPT_N6_LOADERS},
	{"--release", 0, "TAG", CT_TEXT, NULL, "a release tag, latest or development",
	 "download: the release, e.g. v4.7.0 (default: latest)", "download", OPT_RELEASE},
	{"--to", 0, "DIR", CT_DIR, NULL, "a folder",
	 "download: also copy the checked zip into DIR", "download", OPT_TO},
	{"--mirror", 0, "URL", CT_TEXT, NULL, "a web address",
	 "download: the releases API's address instead of https://api.github.com (https://; http:// "
	 "only on this machine)", "download", OPT_MIRROR},
	{"--no-digest", 0, NULL, CT_NONE, NULL, NULL,
	 "download: take an asset the release reports no SHA-256 for, unchecked", "download",
	 OPT_NO_DIGEST},
	{"--dry-run", 0, NULL, CT_NONE, NULL, NULL,
	 "print the plan and the classic commands; touch no device", ACTIONS " udev-install", OPT_DRY_RUN},
	{"--yes", 'y', NULL, CT_NONE, NULL, NULL,
	 "do not ask before overwriting (for scripts)", ACTIONS, OPT_YES},
	{"--allow-irreversible", 0, NULL, CT_NONE, NULL, NULL,
	 "with --yes, also allow the RT1062 boot eFuse write", "restore-bootloader", OPT_ALLOW_IRREVERSIBLE},
	{"--erase-fs", 0, NULL, CT_NONE, NULL, NULL,
	 "also erase the internal filesystem, in the same run", "flash", OPT_ERASE_FS},
	{"--accept-combined", 0, NULL, CT_NONE, NULL, NULL,
	 "restore with the combined openmv.dfu although it also wipes the filesystem",
	 "restore-bootloader", OPT_ACCEPT_COMBINED},
	{"--no-verify", 0, NULL, CT_NONE, NULL, NULL,
	 "do not read the device back after writing (faster, unchecked)", ACTIONS, OPT_NO_VERIFY},
	{"--full", 0, NULL, CT_NONE, NULL, NULL,
	 "rewrite every sector, also those that already hold the image (openmv_dfu cameras read "
	 "the camera back first and write only what differs)", ACTIONS, OPT_FULL},
	{"--serial", 0, "SN", CT_TEXT, NULL, "a USB serial number",
	 "use only the device with this USB serial number (with --all it may be given several "
	 "times, to pick those cameras)", ACTIONS " info", OPT_SERIAL},
	{"--all", 0, NULL, CT_NONE, NULL, NULL,
	 "every connected camera of the board, in any of its modes, at once: one thread each, one "
	 "live line each, then a table of the results (exit 0 only if every camera succeeded)",
	 ACTIONS, OPT_ALL},
	{"--timeout", 0, "SECONDS", CT_TEXT, NULL, "whole seconds, 1 to 3600",
	 "how long to wait for a device to appear or restart (default: up to 10 s after a reset, "
	 "5 minutes at a prompt)", ACTIONS " list", OPT_TIMEOUT},
	{"--json", 0, NULL, CT_NONE, NULL, NULL, "print JSON (stable field names, see the README)",
	 "list info", OPT_JSON},
	{"--watch", 0, NULL, CT_NONE, NULL, NULL, "list: keep listing plug and unplug events until "
	 "Ctrl-C; with --all: also recover every camera of the board plugged in later, as it "
	 "arrives, until Ctrl-C", "list " ACTIONS, OPT_WATCH},
	{"--group", 0, "GROUP", CT_TEXT, NULL, "a group name such as plugdev",
	 "the rules for machines without a desktop session: GROUP gets the devices",
	 "udev-rules udev-install", OPT_GROUP},
	{"--rules-dir", 0, "DIR", CT_DIR, NULL, "a folder",
	 "write the rules into DIR instead of /etc/udev/rules.d", "udev-install", OPT_RULES_DIR},
	{"--log", 0, "FILE", CT_FILE, NULL, "a file",
	 "write the session log (for support) to FILE, a new file", ACTIONS, OPT_LOG},
	{"--record", 0, "FILE", CT_FILE, NULL, "a file",
	 "record every USB and serial exchange with the camera to FILE, a new file (JSON lines, "
	 "for support and replay)", ACTIONS, OPT_RECORD},
	{"--record-payloads", 0, NULL, CT_NONE, NULL, NULL,
	 "with --record, keep every payload's bytes, not only its SHA-256 (needed to replay)",
	 ACTIONS, OPT_RECORD_PAYLOADS},
	{"--explain", 0, NULL, CT_NONE, NULL, NULL,
	 "print the recording as a timeline (what was asked, what came back, where it failed)",
	 "replay", OPT_REPLAY_EXPLAIN},
	{"--check-board", 0, NULL, CT_NONE, NULL, NULL,
	 "compare the recorded camera's identity with boards.ini, naming every difference", "replay",
	 OPT_CHECK_BOARD},
	{"--use-cubeprogrammer", 0, NULL, CT_NONE, NULL, NULL,
	 "N6 restore: run STM32_Programmer_CLI (found on PATH) instead", "restore-bootloader",
	 OPT_USE_CUBEPROGRAMMER},
	{"--n6-nor-addressing", 0, "MODE", CT_WORD, "layout set-phase", "layout or set-phase",
	 "N6 restore: how OpenBootloader is told where nor0 rows go: layout (the default) or "
	 "set-phase (see README, not yet verified)", "restore-bootloader", OPT_N6_NOR_ADDRESSING},
	{"--boards", 0, "FILE", CT_FILE, NULL, "a file",
	 "use this board database instead of the installed boards.ini", NULL, OPT_BOARDS},
	{"--practice", 0, NULL, CT_NONE, NULL, NULL,
	 "start the wizard on a virtual camera (no command)", "", OPT_PRACTICE},
	{"--help", 'h', NULL, CT_NONE, NULL, NULL, "show this help, or a command's", NULL, OPT_HELP},
	{"--version", 0, NULL, CT_NONE, NULL, NULL, "show the program's version", NULL, OPT_VERSION},
};

const struct ct_program cli_program = {
	.name = "openmv-rescue",
	.tagline = "recover a bricked OpenMV camera or an Arduino board running OpenMV firmware",
	.synopsis = "[--practice]\n"
	            "boards [TARGET]\n"
	            "ACTION --board TARGET [options]\n"
	            "list [--json] [--watch]\n"
	            "info [--serial SN] [--json]\n"
	            "download [--board TARGET] [--release TAG] [--to DIR]\n"
	            "replay FILE --explain | --check-board\n"
	            "udev-rules | udev-install\n"
	            "help [COMMAND]",
	.description =
		"Without arguments, openmv-rescue starts an interactive terminal wizard that lists the "
		"connected cameras, proposes the likely action, checks every file and walks you through "
		"each hardware step (jumpers, switches, replugs).\n\n"
		"With an ACTION it does the same from the command line: every input file is checked "
		"before anything is written, destructive steps ask first, and --dry-run prints the plan "
		"with the classic command line of every step (dfu-util, blhost, ...) without touching "
		"a device. It speaks every protocol itself: USB DFU and ST DfuSe, NXP SDP and the MCU "
		"bootloader, the Alif Secure Enclave ISP, SAM-BA, PICOBOOT and the STM32 phase protocol.",
	.commands = cli_commands,
	.ncommands = sizeof cli_commands / sizeof cli_commands[0],
	.options = cli_options,
	.noptions = sizeof cli_options / sizeof cli_options[0],
	.exit_status = "Exit status: 0 done, 1 the operation failed (a timeout, a missing device, a "
	               "transfer error), 2 bad usage or bad input (nothing touched), 3 cancelled by you.",
	.environment = "OPENMV_RESCUE_BOARDS\tthe board database to use instead of the installed boards.ini\n"
	               "OPENMV_RESCUE_MIRROR\tthe releases API's address for download (as --mirror)\n"
	               "XDG_CACHE_HOME\twhere download keeps releases (default ~/.cache), in openmv-rescue/\n"
	               "NO_COLOR\tthe wizard draws without colour",
	.files = RESCUE_DATADIR "/boards.ini\tevery fact about every board, with its source",
	.see_also = "openmv-rescue-sim(1), dfu-util(1)",
};
