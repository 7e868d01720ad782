/* test_release_json.c — the releases-API JSON (src/plan/release_json.c): the asset of a stable
 * release (firmware_<tag>.zip) and of the development release (firmware_<TARGET>.zip) picked
 * by name with its size, address and SHA-256; a missing asset names those there are; no
 * digest, a malformed digest, oversized and hostile names refused or flagged. */
#include <stdio.h>
#include <string.h>

#include "../common/tap.h"
#include "release_json.h"

#define HEX64 "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef"

static const char stable[] =
	"{\"tag_name\": \"v4.7.0\", \"assets\": ["
	"{\"name\": \"firmware_v4.7.0.zip\", \"size\": 2100000, "
	"\"browser_download_url\": \"https://github.com/openmv/openmv/releases/download/v4.7.0/firmware_v4.7.0.zip\", "
	"\"digest\": \"sha256:" HEX64 "\"},"
	"{\"name\": \"openmv-ide.tar.gz\", \"size\": 5, \"browser_download_url\": \"https://x/y\"}]}";

static int pick(const char *json, const char *target, struct release_pick *p, struct rs_error *e)
{
	rs_clear(e);
	return release_json_pick(json, strlen(json), target, p, e);
}

int main(void)
{
	struct release_pick p;
	struct rs_error err = {0};
	char buf[2048];

	ok(pick(stable, "OPENMV4", &p, &err) == 0, "a stable release: picked (%s)", err.msg);
	ok(!strcmp(p.name, "firmware_v4.7.0.zip") && p.all_boards, "... its all-boards zip (%s)", p.name);
	ok(!strcmp(p.tag, "v4.7.0") && p.size == 2100000, "... its tag and size");
	ok(strstr(p.url, "/v4.7.0/firmware_v4.7.0.zip") != NULL, "... its download address");
	ok(p.has_digest && !strcmp(p.sha256, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	   "... its SHA-256, in lower case (%s)", p.sha256);
	ok(pick(stable, NULL, &p, &err) == 0 && !strcmp(p.name, "firmware_v4.7.0.zip"),
	   "a stable release without a board: the same zip");

	const char *dev = "{\"tag_name\": \"development\", \"assets\": ["
		"{\"name\": \"firmware_OPENMV2.zip\", \"size\": 10, \"browser_download_url\": \"https://h/2\", \"digest\": \"sha256:" HEX64 "\"},"
		"{\"name\": \"firmware_OPENMV4.zip\", \"size\": 20, \"browser_download_url\": \"https://h/4\", \"digest\": null}]}";
	ok(pick(dev, "OPENMV4", &p, &err) == 0 && !strcmp(p.name, "firmware_OPENMV4.zip") && !p.all_boards,
	   "the development release: the board's own zip (%s)", p.name);
	ok(p.size == 20 && !strcmp(p.url, "https://h/4"), "... its size and address");
	ok(!p.has_digest, "... a null digest is reported as none");
	ok(pick(dev, "OPENMV_AE3", &p, &err) == RS_E_NOT_FOUND &&
	   !strcmp(err.msg, "release development has no firmware_OPENMV_AE3.zip for OPENMV_AE3; it has: "
	           "firmware_OPENMV2.zip, firmware_OPENMV4.zip"),
	   "a board without an asset: the assets there are named (%s)", err.msg);
	ok(pick(dev, NULL, &p, &err) == RS_E_INPUT && strstr(err.msg, "--board"),
	   "the development release without a board asks for --board (%s)", err.msg);

	snprintf(buf, sizeof buf, "{\"tag_name\": \"v1\", \"assets\": [{\"name\": \"firmware_v1.zip\", "
	         "\"size\": 9, \"browser_download_url\": \"https://h\", \"digest\": \"sha512:%s\"}]}", HEX64);
	ok(pick(buf, "OPENMV4", &p, &err) == 0 && !p.has_digest, "a sha512 digest is no SHA-256");
	snprintf(buf, sizeof buf, "{\"tag_name\": \"v1\", \"assets\": [{\"name\": \"firmware_v1.zip\", "
	         "\"size\": 9, \"browser_download_url\": \"https://h\", \"digest\": \"sha256:%.63sg\"}]}", HEX64);
	ok(pick(buf, "OPENMV4", &p, &err) == 0 && !p.has_digest, "a digest with a non-hex letter is none");
	snprintf(buf, sizeof buf, "{\"tag_name\": \"v1\", \"assets\": [{\"name\": \"firmware_v1.zip\", "
	         "\"size\": %llu, \"browser_download_url\": \"https://h\"}]}", (unsigned long long)RELEASE_ASSET_MAX + 1);
	ok(pick(buf, "OPENMV4", &p, &err) == RS_E_INPUT && strstr(err.msg, "more than the 512 MiB"),
	   "an asset over 512 MiB refused (%s)", err.msg);
	ok(pick("{\"tag_name\": \"v1\", \"assets\": [{\"name\": \"firmware_v1.zip\", \"size\": 0, "
	        "\"browser_download_url\": \"https://h\"}]}", "OPENMV4", &p, &err) == RS_E_INPUT,
	   "an asset of size 0 refused");
	ok(pick("{\"tag_name\": \"../../etc\", \"assets\": []}", "OPENMV4", &p, &err) == RS_E_INPUT &&
	   strstr(err.msg, "not a plain name"), "a tag that is a path refused (%s)", err.msg);
	ok(pick("{\"tag_name\": \"v1\", \"assets\": []}", "../X", &p, &err) == RS_E_INPUT,
	   "a board name that is a path refused");
	ok(pick("{\"message\": \"Not Found\", \"documentation_url\": \"x\"}", "OPENMV4", &p, &err) ==
	   RS_E_NOT_FOUND && strstr(err.msg, "Not Found"), "GitHub's 404 answer: no release (%s)", err.msg);
	ok(pick("{\"tag_name\": \"v1\", \"assets\": [", "OPENMV4", &p, &err) == RS_E_INPUT &&
	   strstr(err.msg, "not JSON"), "cut-off JSON refused (%s)", err.msg);
	ok(pick("{\"tag_name\": \"v1\", \"tag_name\": \"v2\", \"assets\": []}", "OPENMV4", &p, &err) ==
	   RS_E_INPUT, "duplicate keys refused");
	ok(pick("{\"tag_name\": \"v1\", \"assets\": []}", "OPENMV4", &p, &err) == RS_E_NOT_FOUND &&
	   strstr(err.msg, "it has: no assets at all"), "a release with no assets says so (%s)", err.msg);
	ok(release_json_safe_name("firmware_v4.7.0.zip", 64) && !release_json_safe_name(".x", 64) &&
	   !release_json_safe_name("a/b", 64) && !release_json_safe_name("", 64) &&
	   !release_json_safe_name("abcd", 4), "safe names: plain file names only");
	return tap_done();
}
