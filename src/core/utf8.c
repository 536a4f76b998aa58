/* SPDX-License-Identifier: ISC */
/*
 * UTF-8 validation, as RFC 3629 defines it: the shortest form only, no
 * surrogates, nothing past U+10FFFF.
 */
#include "utf8.h"

/* The length of the valid character at p, or 0. */
size_t
utf8_char(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned long cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* The bytes of s that hold at most max characters. */
size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t at = 0, k;

	while (at < len && max-- > 0) {
		k = utf8_char(s + at, len - at);
		at += k ? k : 1;
	}
	return at;
}

/* The longest start of s within max bytes, whole characters only. */
size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t at = 0, k;

	while (at < len) {
		k = utf8_char(s + at, len - at);
		if (k == 0)
			k = 1;
		if (at + k > max)
			break;
		at += k;
	}
	return at;
}
