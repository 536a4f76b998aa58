/* SPDX-License-Identifier: ISC */
/*
 * plus: the replacement strings that --plus adds, as GNU parallel defines
 * them (tmpl.h lists them).  plus_match() recognizes one in a template
 * word; the fixed ones are then computed here, in C, as slices of the
 * value, and those made of a perl regexp become the perl code of a
 * {= =}, which the perl of perl.h evaluates.
 *
 * Everything here is pure: safe from any thread.
 */
#ifndef PARX_PLUS_H
#define PARX_PLUS_H

#include <stddef.h>

#include "arg.h"

struct buf;

enum plus_op {
	PLUS_NONE,
	PLUS_PERL,		/* a regexp rule: the code is built */
	PLUS_NOEXT,		/* {..} {...}: n extensions */
	PLUS_BASENOEXT,		/* {/..} {/...} */
	PLUS_EXT,		/* {+.} */
	PLUS_EXTN,		/* {+..} {+...}: n extensions */
	PLUS_HEAD,		/* {+/} */
	PLUS_DEFAULT,		/* {:-str} */
	PLUS_DROP,		/* {:N} */
	PLUS_SUBSTR,		/* {:N:M} */
	PLUS_CHOOSE,		/* {choose_k} */
	PLUS_UNIQ,		/* {uniq} */
	PLUS_TOTAL,		/* {##} */
	PLUS_SEQ0,		/* {0#} */
	PLUS_SLOT0		/* {0%} */
};

/* One --plus string, as plus_match() found it. */
struct plus_match {
	enum plus_op	 op;
	long		 pos;	/* 0, or n from 1, -n from the last */
	size_t		 n, m;	/* see enum plus_op */
	const char	*str;	/* {:-str}: str, in the word matched */
	size_t		 len;
};

/*
 * Read the decimal digits at the start of the n bytes at s into *v,
 * saturated at max; return how many there are.
 */
size_t		plus_digits(const char *s, size_t n, unsigned long long max,
		    unsigned long long *v);

/*
 * Match a --plus string at the start of the n bytes at s.  Returns its
 * length and fills *pm, or returns 0.  For a regexp rule (PLUS_PERL)
 * the perl code that does what it says is appended to code, for $_ the
 * value, as a {= =} holds it.
 */
size_t		plus_match(const char *s, size_t n, struct plus_match *pm,
		    struct buf *code);

/* How many strings of fixed text there are. */
#define PLUS_NFIXED	13

/*
 * The name of the i-th string of fixed text ("{..}", "{##}"...), with
 * *positional set when it has a positional form; NULL past the last.
 */
const char	*plus_fixed_name(size_t i, int *positional);

/*
 * The value that op (with n, m and str as in struct plus_match) makes of
 * a: a slice of a or of str.  op is one of PLUS_NOEXT to PLUS_UNIQ.
 */
struct arg	plus_value(enum plus_op op, size_t n, size_t m, const char *str,
		    size_t len, const struct arg *a);

/*
 * Format the number of PLUS_TOTAL, PLUS_SEQ0 (seq padded to the width of
 * total) or PLUS_SLOT0 (slot padded to the width of nslots) at the end of
 * the size bytes at num; return its start and set *len.  size must hold
 * 48 bytes.
 */
const char	*plus_number(enum plus_op op, unsigned long long seq,
		    unsigned long slot, unsigned long long total,
		    unsigned long nslots, char *num, size_t size, size_t *len);

/*
 * Whether op (PLUS_CHOOSE or PLUS_UNIQ) skips a job with these arguments.
 */
int		plus_skips(enum plus_op op, const struct arg *args,
		    size_t nargs);

#endif
