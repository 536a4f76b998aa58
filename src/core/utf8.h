/* SPDX-License-Identifier: ISC */
/*
 * utf8: tell valid UTF-8 characters from other bytes, for the writers of
 * text formats that must be valid UTF-8 (JSON, XML) while input values may
 * hold any byte.  Pure functions, thread-safe.
 */
#ifndef PARX_UTF8_H
#define PARX_UTF8_H

#include <stddef.h>

/*
 * The length (1 to 4) of the valid UTF-8 character that starts p, which
 * has n > 0 bytes, or 0 when p does not start one: a stray continuation
 * byte, a truncated or overlong sequence, a surrogate, a code point past
 * U+10FFFF.
 */
size_t	utf8_char(const char *p, size_t n);

/*
 * The number of bytes of s (len bytes) that hold at most max characters,
 * counting each byte that is not valid UTF-8 as one character; never
 * splits a valid character.
 */
size_t	utf8_prefix(const char *s, size_t len, size_t max);

/*
 * The length of the longest start of s (len bytes) that is at most max
 * bytes long and does not split a valid character.
 */
size_t	utf8_cut(const char *s, size_t len, size_t max);

#endif
