/* inivalue.c — see inivalue.h. */
#include "inivalue.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void trim_copy(char *dst, size_t n, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int ini_split(const char *val, char fields[][96], int max)
{
	int k = 0;
	const char *p = val;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (k == max)
			return -1;
		trim_copy(fields[k++], 96, p, len);
		if (!c)
			break;
		p = c + 1;
	}
	return k;
}

int ini_number(const char *text, struct bnum *out, char *why, size_t n)
{
	char *end;
	if (!*text || strlen(text) >= sizeof out->text || text[0] == '-' || text[0] == '+') {
		snprintf(why, n, "'%s' is not a number", text);
		return -1;
	}
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	/* strtoull with base 0 reads "010" as octal; boards.ini never means octal */
	if (text[0] == '0' && text[1] && text[1] != 'x' && text[1] != 'X')
		v = strtoull(text, &end, 10);
	if (errno || *end) {
		snprintf(why, n, "'%s' is not a number (decimal or 0x-hex)", text);
		return -1;
	}
	out->value = v;
	snprintf(out->text, sizeof out->text, "%s", text);
	return 0;
}

static int hex4(const char *s, uint16_t *v)
{
	unsigned x = 0;
	for (int i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		x = x * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0'
		                                   : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	*v = (uint16_t)x;
	return 0;
}

int ini_usb_id(const char *text, struct usb_id *out, char *why, size_t n)
{
	if (strlen(text) != 9 || text[4] != ':' || hex4(text, &out->vid) || hex4(text + 5, &out->pid)) {
		snprintf(why, n, "'%s' is not a USB VID:PID (four hex digits, a colon, four hex digits)", text);
		return -1;
	}
	snprintf(out->text, sizeof out->text, "%s", text);
	return 0;
}

int ini_range(const char *text, struct addr_range *out, char *why, size_t n)
{
	const char *dash = strchr(text, '-');
	char a[32], b[32];
	struct bnum lo, hi;
	if (!dash || (size_t)(dash - text) >= sizeof a || strlen(dash + 1) >= sizeof b) {
		snprintf(why, n, "'%s' is not an address range START-END", text);
		return -1;
	}
	trim_copy(a, sizeof a, text, (size_t)(dash - text));
	trim_copy(b, sizeof b, dash + 1, strlen(dash + 1));
	if (ini_number(a, &lo, why, n) || ini_number(b, &hi, why, n))
		return -1;
	if (hi.value <= lo.value) {
		snprintf(why, n, "range '%s' ends before it starts", text);
		return -1;
	}
	out->start = lo.value;
	out->end = hi.value;
	return 0;
}

int ini_word(const char *text, char *out, size_t n, char *why, size_t wn)
{
	size_t len = strlen(text);
	if (!len || len >= n) {
		snprintf(why, wn, "'%s' is empty or longer than %zu characters", text, n - 1);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (!isalnum(c) && !strchr("_-./", c)) {
			snprintf(why, wn, "'%s' may hold only letters, digits and _ - . /", text);
			return -1;
		}
	}
	memcpy(out, text, len + 1);
	return 0;
}
