/* inivalue.h — parsers for the value syntaxes of boards.ini.
 *
 * Each parser takes the trimmed value text and returns 0, or -1 with a short reason in
 * why[] ("'0x08g0' is not a number").  They know nothing of boards.
 */
#ifndef RESCUE_INIVALUE_H
#define RESCUE_INIVALUE_H

#include <stddef.h>

#include "boarddb.h"

#define INI_MAX_FIELDS 8

/* Split on commas into at most max trimmed fields; returns the count or -1 if too many. */
int ini_split(const char *val, char fields[][96], int max);

/* A number: decimal or 0x-hex, the whole text.  Keeps the text. */
int ini_number(const char *text, struct bnum *out, char *why, size_t n);

/* "VVVV:PPPP" with four hex digits each. */
int ini_usb_id(const char *text, struct usb_id *out, char *why, size_t n);

/* "START-END" (END exclusive and greater than START). */
int ini_range(const char *text, struct addr_range *out, char *why, size_t n);

/* A plain word: letters, digits, '_', '-', '.', '/' only, non-empty, shorter than n. */
int ini_word(const char *text, char *out, size_t n, char *why, size_t wn);

#endif
