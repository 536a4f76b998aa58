/* SPDX-License-Identifier: ISC */
/*
 * Shell quoting, in the form GNU parallel writes it: safe values stay bare,
 * anything else goes inside single quotes, where no byte but the single
 * quote itself is special to any POSIX shell.  A single quote closes the
 * quoted text, is written inside double quotes, and reopens it: '"'"'.
 * Like GNU parallel, the pair '' left at either end by a value that begins
 * or ends with a single quote is dropped ("'a" gives "'"'a').
 *
 * This runs for every value of every job, so the scan is one table lookup
 * per byte and the output is written in one go after a single buf_grow().
 */
#include "quote.h"

#include <string.h>

#include "buf.h"

/*
 * Byte classes: QUOTE_SAFE bytes never need quoting, [A-Za-z0-9_./+-];
 * QUOTE_INERT bytes stand for themselves outside quotes, the safe ones
 * and ,:@%= (which GNU parallel quotes all the same).
 */
#define QUOTE_SAFE	1
#define QUOTE_INERT	2
#define S		(QUOTE_SAFE | QUOTE_INERT)
static const unsigned char quote_class[256] = {
	['%'] = QUOTE_INERT, [','] = QUOTE_INERT, [':'] = QUOTE_INERT,
	['='] = QUOTE_INERT, ['@'] = QUOTE_INERT,
	['+'] = S, ['-'] = S, ['.'] = S, ['/'] = S, ['_'] = S,
	['0'] = S, ['1'] = S, ['2'] = S, ['3'] = S, ['4'] = S,
	['5'] = S, ['6'] = S, ['7'] = S, ['8'] = S, ['9'] = S,
	['A'] = S, ['B'] = S, ['C'] = S, ['D'] = S, ['E'] = S, ['F'] = S,
	['G'] = S, ['H'] = S, ['I'] = S, ['J'] = S, ['K'] = S, ['L'] = S,
	['M'] = S, ['N'] = S, ['O'] = S, ['P'] = S, ['Q'] = S, ['R'] = S,
	['S'] = S, ['T'] = S, ['U'] = S, ['V'] = S, ['W'] = S, ['X'] = S,
	['Y'] = S, ['Z'] = S,
	['a'] = S, ['b'] = S, ['c'] = S, ['d'] = S, ['e'] = S, ['f'] = S,
	['g'] = S, ['h'] = S, ['i'] = S, ['j'] = S, ['k'] = S, ['l'] = S,
	['m'] = S, ['n'] = S, ['o'] = S, ['p'] = S, ['q'] = S, ['r'] = S,
	['s'] = S, ['t'] = S, ['u'] = S, ['v'] = S, ['w'] = S, ['x'] = S,
	['y'] = S, ['z'] = S,
};
#undef S

/*
 * Whether every byte of p is safe unquoted; *nq gets the number of single
 * quotes among them.
 */
static int
quote_scan(const unsigned char *p, size_t len, size_t *nq)
{
	size_t i;
	int safe = 1;

	*nq = 0;
	for (i = 0; i < len; i++) {
		if (!(quote_class[p[i]] & QUOTE_SAFE)) {
			safe = 0;
			if (p[i] == '\'')
				(*nq)++;
		}
	}
	return safe;
}

/* Append the shell-quoted form of s to out. */
void
quote_shell(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *nul;
	size_t i, nq, n;
	int safe;
	char *start, *d;

	/* The shell cannot hold a NUL; the value ends there, as for execve. */
	if (len > 0 && (nul = memchr(s, '\0', len)) != NULL)
		len = (size_t)(nul - s);
	if (len == 0) {
		buf_add(out, "''", 2);
		return;
	}

	safe = quote_scan(p, len, &nq);
	if (safe) {
		buf_add(out, s, len);
		return;
	}

	/* Each quote grows from 1 byte to 5; add the outer pair. */
	buf_grow(out, len + 4 * nq + 2);
	start = d = out->data + out->len;
	*d++ = '\'';
	for (i = 0; i < len; i++) {
		if (s[i] == '\'') {
			memcpy(d, "'\"'\"'", 5);
			d += 5;
		} else
			*d++ = s[i];
	}
	*d++ = '\'';
	n = (size_t)(d - start);
	if (s[0] == '\'') {
		memmove(start, start + 2, n - 2);
		n -= 2;
	}
	if (s[len - 1] == '\'')
		n -= 2;
	out->len += n;
	out->data[out->len] = '\0';
}

/* Measure what quote_shell() would append. */
size_t
quote_shell_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *nul;
	size_t nq, n;

	if (len > 0 && (nul = memchr(s, '\0', len)) != NULL)
		len = (size_t)(nul - s);
	if (len == 0)
		return 2;
	if (quote_scan(p, len, &nq))
		return len;
	n = len + 4 * nq + 2;
	if (s[0] == '\'')
		n -= 2;
	if (s[len - 1] == '\'')
		n -= 2;
	return n;
}

/* Whether byte c stands for itself outside quotes. */
int
quote_is_inert(unsigned char c)
{
	return (quote_class[c] & QUOTE_INERT) != 0;
}

/* Split blank-separated quote_shell() words back into their values. */
long
quote_split(const char *s, size_t len, struct buf *out, const char **why)
{
	const char *q;
	size_t i = 0;
	long n = 0;
	int inword = 0;

	if (memchr(s, '\0', len) != NULL) {
		*why = "a NUL byte";
		return -1;
	}
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t') {
			if (inword) {
				buf_addch(out, '\0');
				n++;
				inword = 0;
			}
			i++;
			continue;
		}
		inword = 1;
		if (c == '\'') {
			q = memchr(s + i + 1, '\'', len - i - 1);
			if (q == NULL) {
				*why = "an unterminated single quote";
				return -1;
			}
			buf_add(out, s + i + 1, (size_t)(q - (s + i + 1)));
			i = (size_t)(q - s) + 1;
		} else if (c == '"') {
			for (i++; i < len && s[i] == '\''; i++)
				buf_addch(out, '\'');
			if (i >= len || s[i] != '"') {
				*why = "double quotes around more than single "
				    "quotes";
				return -1;
			}
			i++;
		} else if (quote_is_inert(c)) {
			buf_addch(out, (char)c);
			i++;
		} else {
			*why = "an unquoted byte the shell would act on";
			return -1;
		}
	}
	if (inword) {
		buf_addch(out, '\0');
		n++;
	}
	return n;
}

/* Tell whether quote_shell() would copy s unchanged. */
int
quote_is_safe(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!(quote_class[p[i]] & QUOTE_SAFE))
			return 0;
	return 1;
}
