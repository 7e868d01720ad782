/* download.c — see download.h: the releases API and the asset over HTTP(S) with libcurl;
 * the SHA-256 with nettle while the bytes arrive; the cache's files in download_cache.c. */
#include "download.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "download_cache.h"

/* Timeouts: a connection must be made within 20 s, and a transfer that moves less than
 * 1 KiB/s for 30 s is given up (inferred: values a slow link still passes). */
#define DL_CONNECT_TIMEOUT_S 20L
#define DL_LOW_SPEED_BYTES 1024L
#define DL_LOW_SPEED_TIME_S 30L
#define DL_MAX_REDIRECTS 8L   /* GitHub redirects an asset once, to its storage */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_start(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

const char *dl_base(const struct dl_request *rq)
{
	const char *env = getenv(DL_MIRROR_ENV);
	return rq->mirror && rq->mirror[0] ? rq->mirror : env && env[0] ? env : DL_DEFAULT_BASE;
}

/* May url be fetched?  https:// anywhere; http:// only from this machine (the tests' local
 * server), which *plain then allows for its redirects too.  host gets the host name. */
static int url_allowed(const char *url, bool *plain, char *host, size_t n, struct rs_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL;
	int rc = 0;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) || curl_url_get(u, CURLUPART_HOST, &h, 0))
		rc = rs_fail(err, RS_E_INPUT, "'%s' is not a web address", url);
	else {
		bool local = !strcmp(h, "127.0.0.1") || !strcmp(h, "[::1]") || !strcmp(h, "localhost");
		*plain = !strcmp(scheme, "http") && local;
		if (strcmp(scheme, "https") && !*plain)
			rc = rs_fail(err, RS_E_INPUT, "'%s' is not an https:// address (http:// is used only "
			             "for a mirror on this machine)", url);
		snprintf(host, n, "%s", h);
	}
	curl_free(scheme);
	curl_free(h);
	curl_url_cleanup(u);
	return rc;
}

/* One transfer of url, its body to write(ctx); the HTTP status in *status. */
struct xfer {
	const struct dl_request *rq;
	uint64_t total;       /* for the progress: what the release says, 0 unknown */
	size_t (*write)(char *p, size_t sz, size_t nm, void *ctx);
	void *ctx;
	long status;
	char host[256];
	char curl_msg[CURL_ERROR_SIZE];
};

/* libcurl's transfer callback: the stop request, and the bytes against the release's size
 * (the asset only; the JSON has no total worth showing) */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ut, curl_off_t un)
{
	(void)dltotal, (void)ut, (void)un;
	const struct xfer *x = ctx;
	if (x->rq->cancel && __atomic_load_n(x->rq->cancel, __ATOMIC_RELAXED))
		return 1; /* CURLE_ABORTED_BY_CALLBACK */
	if (x->rq->progress && x->total)
		x->rq->progress(x->rq->ctx, (uint64_t)dlnow, x->total);
	return 0;
}

static CURLcode transfer(const char *url, bool plain, struct xfer *x, const char *accept)
{
	pthread_once(&curl_once, curl_start);
	CURL *h = curl_easy_init();
	if (!h)
		return CURLE_OUT_OF_MEMORY;
	const char *protocols = plain ? "https,http" : "https";
	struct curl_slist *hdr = NULL;
	char a[128];
	snprintf(a, sizeof a, "Accept: %s", accept);
	hdr = curl_slist_append(hdr, a);
	/* the REST API version the JSON's fields are read as (docs.github.com REST, versions) */
	hdr = curl_slist_append(hdr, "X-GitHub-Api-Version: 2022-11-28");
	x->curl_msg[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, DL_MAX_REDIRECTS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, DL_CONNECT_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, DL_LOW_SPEED_BYTES);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, DL_LOW_SPEED_TIME_S);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)RELEASE_ASSET_MAX);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* the wizard runs this in a thread */
	curl_easy_setopt(h, CURLOPT_USERAGENT, "openmv-rescue/" RESCUE_VERSION); /* GitHub wants one */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->curl_msg);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, x->write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x->ctx);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
	CURLcode c = curl_easy_perform(h);
	x->status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x->status);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	return c;
}

/* The one line for a failed transfer; what is "the release description" or the asset. */
static int transfer_error(CURLcode c, const struct xfer *x, const char *what, uint64_t got,
                          uint64_t want, struct rs_error *err)
{
	const char *why = x->curl_msg[0] ? x->curl_msg : curl_easy_strerror(c);
	switch (c) {
	case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_RESOLVE_PROXY: case CURLE_COULDNT_CONNECT:
		return rs_fail(err, RS_E_IO, "could not connect to %s (%s): no network? If you have the "
		               "firmware zip already, use --from FILE", x->host, why);
	case CURLE_ABORTED_BY_CALLBACK:
		return rs_fail(err, RS_E_CANCELLED, "the download of %s was stopped; nothing kept", what);
	case CURLE_PARTIAL_FILE: case CURLE_RECV_ERROR: case CURLE_GOT_NOTHING:
		if (want)
			return rs_fail(err, RS_E_IO, "%s: the server stopped sending after %llu of %llu bytes "
			               "(%s); nothing kept, run the same command again", what,
			               (unsigned long long)got, (unsigned long long)want, why);
		return rs_fail(err, RS_E_IO, "%s: the server stopped sending (%s)", what, why);
	case CURLE_OPERATION_TIMEDOUT:
		return rs_fail(err, RS_E_TIMEOUT, "%s: %s stopped answering (%s); nothing kept", what,
		               x->host, why);
	case CURLE_FILESIZE_EXCEEDED:
		return rs_fail(err, RS_E_INPUT, "%s is over %llu MiB: not a firmware zip; nothing kept",
		               what, (unsigned long long)(RELEASE_ASSET_MAX >> 20));
	case CURLE_UNSUPPORTED_PROTOCOL:
		return rs_fail(err, RS_E_INPUT, "%s: redirected to an address that is not https:// (%s)",
		               what, why);
	default:
		return rs_fail(err, RS_E_IO, "%s: %s", what, why);
	}
}

/* --- the releases API ------------------------------------------------------------------ */

struct membuf {
	char *p;
	size_t len;
	bool too_big;
};

static size_t to_mem(char *p, size_t sz, size_t nm, void *ctx)
{
	struct membuf *m = ctx;
	size_t add = sz * nm;
	if (m->len + add > RELEASE_JSON_MAX) {
		m->too_big = true;
		return 0;
	}
	char *q = realloc(m->p, m->len + add + 1);
	if (!q)
		return 0;
	memcpy(q + m->len, p, add);
	m->p = q;
	m->len += add;
	return add;
}

/* The release's JSON from the server; *unreachable when no connection could be made. */
static int fetch_release(const struct dl_request *rq, const char *key, struct membuf *m,
                         bool *unreachable, struct rs_error *err)
{
	const char *base = dl_base(rq);
	char url[1024];
	bool plain;
	struct xfer x = {.rq = rq, .write = to_mem, .ctx = m};
	size_t blen = strlen(base);
	while (blen && base[blen - 1] == '/')
		blen--;
	snprintf(url, sizeof url, "%.*s/repos/%s/releases/%s%s", (int)blen, base, DL_REPO,
	         strcmp(key, "latest") ? "tags/" : "", key);
	int rc = url_allowed(url, &plain, x.host, sizeof x.host, err);
	if (rc)
		return rc;
	CURLcode c = transfer(url, plain, &x, "application/vnd.github+json");
	*unreachable = c == CURLE_COULDNT_CONNECT || c == CURLE_COULDNT_RESOLVE_HOST ||
	               c == CURLE_COULDNT_RESOLVE_PROXY;
	if (m->too_big)
		return rs_fail(err, RS_E_INPUT, "the release description from %s is over %u MiB", x.host,
		               RELEASE_JSON_MAX >> 20);
	if (c != CURLE_OK)
		return transfer_error(c, &x, "the release description", 0, 0, err);
	if (x.status == 404)
		return rs_fail(err, RS_E_NOT_FOUND, "%s has no release %s of %s (HTTP 404)", x.host, key,
		               DL_REPO);
	if (x.status != 200)
		return rs_fail(err, RS_E_IO, "%s answered HTTP %ld for the release %s", x.host, x.status, key);
	return 0;
}

int dl_find(const struct dl_request *rq, struct dl_release *rel, struct rs_error *err)
{
	const char *key = rq->release && rq->release[0] ? rq->release : "latest";
	memset(rel, 0, sizeof *rel);
	if (!release_json_safe_name(key, sizeof rel->pick.tag))
		return rs_fail(err, RS_E_INPUT, "--release takes a tag such as v4.7.0, latest or "
		               "development, not '%s'", key);
	struct membuf m = {0};
	bool unreachable = false;
	int rc = fetch_release(rq, key, &m, &unreachable, err);
	if (!rc) {
		rc = release_json_pick(m.p, m.len, rq->target, &rel->pick, err);
		if (!rc)
			dlc_save_json(key, m.p, m.len);
	} else if (unreachable) {
		char *kept;
		size_t len;
		struct rs_error why = *err;
		if (!dlc_load_json(key, &kept, &len)) {
			rc = release_json_pick(kept, len, rq->target, &rel->pick, err);
			rel->offline = !rc;
			free(kept);
		}
		if (rc)
			*err = why;
	}
	free(m.p);
	return rc;
}

/* --- the asset -------------------------------------------------------------------------- */

struct sink {
	int fd;
	struct sha256_ctx sha;
	uint64_t got, limit;
	bool too_big, write_failed;
};

static size_t to_file(char *p, size_t sz, size_t nm, void *ctx)
{
	struct sink *s = ctx;
	size_t n = sz * nm;
	if (s->got + n > s->limit) {
		s->too_big = true;
		return 0;
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(s->fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->write_failed = true;
			return 0;
		}
		off += (size_t)w;
	}
	sha256_update(&s->sha, n, (const uint8_t *)p);
	s->got += n;
	return n;
}

/* Download pick into the open file fd; the SHA-256 of what came in hex. */
static int download(const struct dl_request *rq, const struct release_pick *pick, int fd,
                    char hex[65], struct rs_error *err)
{
	bool plain;
	struct sink s = {.fd = fd, .limit = pick->size};
	struct xfer x = {.rq = rq, .total = pick->size, .write = to_file, .ctx = &s};
	int rc = url_allowed(pick->url, &plain, x.host, sizeof x.host, err);
	if (rc)
		return rc;
	sha256_init(&s.sha);
	CURLcode c = transfer(pick->url, plain, &x, "application/octet-stream");
	if (s.too_big)
		return rs_fail(err, RS_E_INPUT, "%s: the server sent more than the %llu bytes the release "
		               "names; nothing kept", pick->name, (unsigned long long)pick->size);
	if (s.write_failed)
		return rs_fail(err, RS_E_IO, "%s: cannot write to the cache: %s", pick->name, strerror(errno));
	if (c == CURLE_OK && x.status != 200)
		return rs_fail(err, x.status == 404 ? RS_E_NOT_FOUND : RS_E_IO, "%s answered HTTP %ld for "
		               "%s; nothing kept", x.host, x.status, pick->name);
	if (c != CURLE_OK)
		return transfer_error(c, &x, pick->name, s.got, pick->size, err);
	if (s.got != pick->size)
		return rs_fail(err, RS_E_IO, "%s: the server sent %llu of %llu bytes; nothing kept, run the "
		               "same command again", pick->name, (unsigned long long)s.got,
		               (unsigned long long)pick->size);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&s.sha, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* Is the file at path what pick names (its digest, or only its size without one)? */
static bool cached_ok(const struct release_pick *pick, const char *path)
{
	char hex[65];
	uint64_t size;
	if (access(path, F_OK) || dlc_sha256_file(path, hex, &size, NULL))
		return false;
	return size == pick->size && (!pick->has_digest || !strcmp(hex, pick->sha256));
}

int dl_fetch(const struct dl_request *rq, const struct dl_release *rel, char *path, size_t n,
             bool *from_cache, struct rs_error *err)
{
	const struct release_pick *pick = &rel->pick;
	char dir[600], tmp[1024], hex[65];
	*from_cache = false;
	if (!pick->has_digest && !rq->no_digest)
		return rs_fail(err, RS_E_INPUT, "release %s reports no SHA-256 for %s, so the download "
		               "cannot be checked; refused (--no-digest takes it unchecked)", pick->tag,
		               pick->name);
	int rc = dlc_dir(pick->tag, dir, sizeof dir, err);
	if (rc)
		return rc;
	if ((size_t)snprintf(path, n, "%s/%s", dir, pick->name) >= n)
		return rs_fail(err, RS_E_INPUT, "the cache folder's path is too long");
	if (cached_ok(pick, path)) {
		*from_cache = true;
		return 0;
	}
	if (rel->offline)
		return rs_fail(err, RS_E_IO, "could not connect to %s, and %s is not in the cache: no "
		               "network? If you have the firmware zip already, use --from FILE",
		               dl_base(rq), pick->name);
	int fd = dlc_temp(dir, pick->name, tmp, sizeof tmp, err);
	if (fd < 0)
		return fd;
	rc = download(rq, pick, fd, hex, err);
	if (!rc && pick->has_digest && strcmp(hex, pick->sha256))
		rc = rs_fail(err, RS_E_VERIFY, "%s: its SHA-256 is %s, but release %s says %s: not the "
		             "file the release published; nothing kept", pick->name, hex, pick->tag,
		             pick->sha256);
	if (!rc && fsync(fd))
		rc = rs_fail(err, RS_E_IO, "cannot write %s: %s", tmp, strerror(errno));
	if (close(fd) && !rc)
		rc = rs_fail(err, RS_E_IO, "cannot write %s: %s", tmp, strerror(errno));
	if (!rc && rename(tmp, path))
		rc = rs_fail(err, RS_E_IO, "cannot keep %s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}
