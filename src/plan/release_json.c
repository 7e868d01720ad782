/* release_json.c — see release_json.h: the releases-API JSON read with jansson, the asset for
 * a board picked by its name. */
#include "release_json.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

bool release_json_safe_name(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n >= max || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-+", s[i]))
			return false;
	return true;
}

/* "sha256:<64 hex>" into out (lower case); false for anything else (absent, null, another
 * algorithm, a short or non-hex value). */
static bool take_digest(json_t *d, char out[65])
{
	const char *s = json_string_value(d);
	if (!s || strncmp(s, "sha256:", 7) || strlen(s + 7) != 64)
		return false;
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)s[7 + i]))
			return false;
		out[i] = (char)tolower((unsigned char)s[7 + i]);
	}
	out[64] = '\0';
	return true;
}

/* The names of every asset, for "it has: ..." */
static void asset_names(json_t *assets, char *out, size_t n)
{
	size_t i, used = 0;
	json_t *a;
	out[0] = '\0';
	json_array_foreach(assets, i, a) {
		const char *name = json_string_value(json_object_get(a, "name"));
		if (!name)
			continue;
		int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - used) {
			snprintf(out + used, n - used, "%s", used ? ", ..." : "...");
			return;
		}
		used += (size_t)w;
	}
	if (!used)
		snprintf(out, n, "no assets at all");
}

static json_t *find_asset(json_t *assets, const char *want)
{
	size_t i;
	json_t *a;
	json_array_foreach(assets, i, a) {
		const char *name = json_string_value(json_object_get(a, "name"));
		if (name && !strcmp(name, want))
			return a;
	}
	return NULL;
}

/* The asset's fields into out; its name is already known to be the one wanted. */
static int take_asset(json_t *a, struct release_pick *out, struct rs_error *err)
{
	json_t *size = json_object_get(a, "size");
	const char *url = json_string_value(json_object_get(a, "browser_download_url"));
	if (!json_is_integer(size) || json_integer_value(size) <= 0)
		return rs_fail(err, RS_E_INPUT, "the release's asset %s has no size", out->name);
	if (!url || !url[0] || strlen(url) >= sizeof out->url)
		return rs_fail(err, RS_E_INPUT, "the release's asset %s has no usable download address",
		               out->name);
	out->size = (uint64_t)json_integer_value(size);
	if (out->size > RELEASE_ASSET_MAX)
		return rs_fail(err, RS_E_INPUT, "the release's asset %s is %llu bytes, more than the "
		               "%llu MiB a firmware zip can be", out->name, (unsigned long long)out->size,
		               (unsigned long long)(RELEASE_ASSET_MAX >> 20));
	snprintf(out->url, sizeof out->url, "%s", url);
	out->has_digest = take_digest(json_object_get(a, "digest"), out->sha256);
	return 0;
}

/* The tag and the asset name it implies for target. */
static int want_name(json_t *root, const char *target, struct release_pick *out,
                     struct rs_error *err)
{
	const char *tag = json_string_value(json_object_get(root, "tag_name"));
	if (!tag) {
		const char *msg = json_string_value(json_object_get(root, "message"));
		return rs_fail(err, RS_E_NOT_FOUND, "the server's answer names no release%s%s%s",
		               msg ? " (it says: " : "", msg ? msg : "", msg ? ")" : "");
	}
	if (!release_json_safe_name(tag, sizeof out->tag))
		return rs_fail(err, RS_E_INPUT, "the release's tag is not a plain name");
	snprintf(out->tag, sizeof out->tag, "%s", tag);
	out->all_boards = strcmp(tag, RELEASE_DEV_TAG) != 0;
	if (!out->all_boards && !target)
		return rs_fail(err, RS_E_INPUT, "the development release has one zip per board: name "
		               "the board with --board TARGET");
	if (target && !release_json_safe_name(target, 41))
		return rs_fail(err, RS_E_INPUT, "'%s' is not a board TARGET", target);
	if (out->all_boards)
		snprintf(out->name, sizeof out->name, "firmware_%s.zip", tag);
	else
		snprintf(out->name, sizeof out->name, "firmware_%s.zip", target);
	return 0;
}

int release_json_pick(const char *buf, size_t len, const char *target, struct release_pick *out,
                      struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	if (len > RELEASE_JSON_MAX)
		return rs_fail(err, RS_E_INPUT, "the server's release description is over %u MiB",
		               RELEASE_JSON_MAX >> 20);
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(root)) {
		json_decref(root);
		return rs_fail(err, RS_E_INPUT, "the server's release description is not JSON "
		               "(line %d: %s)", je.line, je.text);
	}
	int rc = want_name(root, target, out, err);
	json_t *assets = json_object_get(root, "assets");
	if (!rc && !json_is_array(assets))
		rc = rs_fail(err, RS_E_INPUT, "release %s lists no assets", out->tag);
	if (!rc) {
		json_t *a = find_asset(assets, out->name);
		if (!a) {
			char names[300];
			asset_names(assets, names, sizeof names);
			rc = rs_fail(err, RS_E_NOT_FOUND, "release %s has no %s%s%s; it has: %s", out->tag,
			             out->name, target ? " for " : "", target ? target : "", names);
		} else
			rc = take_asset(a, out, err);
	}
	json_decref(root);
	if (rc) {
		char keep[sizeof out->tag];
		memcpy(keep, out->tag, sizeof keep);
		memset(out, 0, sizeof *out);
		memcpy(out->tag, keep, sizeof keep);
	}
	return rc;
}
