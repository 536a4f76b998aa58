/* SPDX-License-Identifier: ISC */
/*
 * The --plus replacement strings.  GNU parallel defines each as a perl
 * pattern and code; here each pattern is matched by hand.  Every pattern
 * with a free part ({:-str}, {#re}, {/re/s}...) ends at the first '}'
 * after its '{', so the text before that '}' is all there is to read.
 *
 * The fixed strings need no perl: what they give is a slice of the value
 * (or of the template, for {:-str}).  Those built on a regexp do: GNU
 * parallel hands the regexp to perl as it is, so only perl can tell what
 * it matches; they become {= =} code with the regexp and the replacement
 * held in perl strings, interpolated into the pattern as GNU parallel
 * does, so that a '/' or a '$' in them means what it means there.
 */
#include "plus.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

/* The fixed strings; a positional form has the position after the '{'. */
static const struct {
	const char	*name;
	enum plus_op	 op;
	size_t		 n;
	int		 positional;	/* has a positional form */
} plus_fixed[] = {
	{ "{..}", PLUS_NOEXT, 2, 1 },
	{ "{...}", PLUS_NOEXT, 3, 1 },
	{ "{/..}", PLUS_BASENOEXT, 2, 1 },
	{ "{/...}", PLUS_BASENOEXT, 3, 1 },
	{ "{+/}", PLUS_HEAD, 0, 1 },
	{ "{+.}", PLUS_EXT, 0, 1 },
	{ "{+..}", PLUS_EXTN, 2, 1 },
	{ "{+...}", PLUS_EXTN, 3, 1 },
	{ "{choose_k}", PLUS_CHOOSE, 0, 1 },
	{ "{uniq}", PLUS_UNIQ, 0, 1 },
	/* GNU parallel's positional forms of these pick argument n * 10 + 1. */
	{ "{##}", PLUS_TOTAL, 0, 0 },
	{ "{0#}", PLUS_SEQ0, 0, 0 },
	{ "{0%}", PLUS_SLOT0, 0, 0 },
};

/*
 * The regexp strings, after the '{' and the position: the prefix, whether
 * a replacement follows the regexp after a '/', the bytes the regexp may
 * not hold (first: only its first byte), whether its quantifiers are
 * made to take as little as they can (the shortest prefix or suffix), and
 * the code, with $re the regexp and $s the replacement.  The longer of
 * two prefixes comes first: {%%x} is "%%" with "x", not "%" with "%x".
 */
static const struct {
	const char	*prefix;
	int		 subst;
	const char	*notfirst;
	const char	*notany;
	int		 lazy;
	const char	*code;
} plus_re[] = {
	{ "##", 0, "#", "", 0, "s/^$re//;" },
	{ "#", 0, "#", "", 1, "s/^$re(.*)/$1/;" },
	{ "%%", 0, "", "", 0, "s/$re$//;" },
	{ "%", 0, "", "", 1, "s/(.*)$re$/$1/;" },
	{ "//", 1, "", "", 0, "s/$re/$s/g;" },
	{ "/#", 1, "", "", 0, "s/^$re/$s/g;" },
	{ "/%", 1, "", "", 0, "s/$re$/$s/g;" },
	{ "/", 1, "", "#%", 0, "s/$re/$s/;" },
	{ "^^", 0, "", "", 0, "s/($re)/uc $1/eg;" },
	{ "^", 0, "", "", 0, "s/^($re)/uc $1/e;" },
	{ ",,", 0, "", "", 0, "s/($re)/lc $1/eg;" },
	{ ",", 0, "", "", 0, "s/^($re)/lc $1/e;" },
};

#define PLUS_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

_Static_assert(PLUS_NELEM(plus_fixed) == PLUS_NFIXED, "PLUS_NFIXED");

/* Read decimal digits. */
size_t
plus_digits(const char *s, size_t n, unsigned long long max,
    unsigned long long *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (*v <= (max - 9) / 10)
			*v = *v * 10 + (unsigned long long)(s[i] - '0');
		else
			*v = max;
	}
	return i;
}

/* Append s as a perl string in single quotes. */
static void
plus_add_quoted(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addch(b, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			buf_addch(b, '\\');
		buf_addch(b, s[i]);
	}
	buf_addch(b, '\'');
}

/*
 * Append the regexp re with a '?' after each quantifier ('*', '+', or a
 * '}' that ends one) that has none, outside brackets and escapes, as GNU
 * parallel does for the shortest prefix or suffix.
 */
static void
plus_add_lazy(struct buf *b, const char *re, size_t len)
{
	size_t i;
	int quant, esc, class;

	quant = esc = class = 0;
	for (i = 0; i < len; i++) {
		if (quant && re[i] != '?')
			buf_addch(b, '?');
		quant = 0;
		buf_addch(b, re[i]);
		if (esc)
			esc = 0;
		else if (re[i] == '\\')
			esc = 1;
		else if (re[i] == '[')
			class = 1;
		else if (class)
			class = re[i] != ']';
		else if (re[i] == '*' || re[i] == '+' || re[i] == '}')
			quant = 1;
	}
	if (quant)
		buf_addch(b, '?');
}

/* Whether the len bytes at s hold one of the bytes of set. */
static int
plus_holds(const char *s, size_t len, const char *set)
{
	for (; *set != '\0'; set++)
		if (memchr(s, *set, len) != NULL)
			return 1;
	return 0;
}

/*
 * Match regexp rule k on the text t (len bytes, up to the closing '}'),
 * and append its code.  Returns 1 on a match.
 */
static int
plus_match_re(size_t k, const char *t, size_t len, struct buf *code)
{
	const char *re, *slash, *s;
	size_t plen, relen, slen;
	struct buf b;

	plen = strlen(plus_re[k].prefix);
	if (len <= plen || memcmp(t, plus_re[k].prefix, plen) != 0)
		return 0;
	re = t + plen;
	relen = len - plen;
	s = NULL;
	slen = 0;
	if (plus_re[k].subst) {
		/* The regexp is at least one byte: the first '/' after it. */
		if ((slash = memchr(re + 1, '/', relen - 1)) == NULL)
			return 0;
		s = slash + 1;
		slen = (size_t)(re + relen - s);
		relen = (size_t)(slash - re);
	}
	if (strchr(plus_re[k].notfirst, re[0]) != NULL && re[0] != '\0')
		return 0;
	if (plus_holds(re, relen, plus_re[k].notany) ||
	    (*plus_re[k].notany && memchr(re, '/', relen) != NULL))
		return 0;
	buf_init(&b);
	if (plus_re[k].lazy)
		plus_add_lazy(&b, re, relen);
	else
		buf_add(&b, re, relen);
	buf_addstr(code, "my $re = ");
	plus_add_quoted(code, b.data, b.len);
	buf_release(&b);
	buf_addstr(code, "; my $s = ");
	plus_add_quoted(code, s, slen);
	buf_addstr(code, "; ");
	buf_addstr(code, plus_re[k].code);
	return 1;
}

/*
 * Match the text after the '{' and the position (if positional), n bytes
 * at b.  Returns the length matched, up to the '}', or 0.
 */
static size_t
plus_match_body(const char *b, size_t n, int positional,
    struct plus_match *pm, struct buf *code)
{
	unsigned long long v, w;
	const char *close;
	size_t i, len, d, e;

	for (i = 0; i < PLUS_NELEM(plus_fixed); i++) {
		len = strlen(plus_fixed[i].name + 1);
		if ((positional && !plus_fixed[i].positional) || len > n ||
		    memcmp(b, plus_fixed[i].name + 1, len) != 0)
			continue;
		pm->op = plus_fixed[i].op;
		pm->n = plus_fixed[i].n;
		return len;
	}
	if ((close = memchr(b, '}', n)) == NULL)
		return 0;
	len = (size_t)(close - b);
	if (len >= 3 && b[0] == ':' && b[1] == '-') {
		pm->op = PLUS_DEFAULT;
		pm->str = b + 2;
		pm->len = len - 2;
		return len + 1;
	}
	if (len >= 2 && b[0] == ':' &&
	    (d = plus_digits(b + 1, len - 1, SIZE_MAX, &v)) > 0) {
		pm->n = (size_t)v;
		if (1 + d == len) {
			pm->op = PLUS_DROP;
			return len + 1;
		}
		if (b[1 + d] == ':' && (e = plus_digits(b + 2 + d,
		    len - 2 - d, SIZE_MAX, &w)) > 0 && 2 + d + e == len) {
			pm->op = PLUS_SUBSTR;
			pm->m = (size_t)w;
			return len + 1;
		}
	}
	for (i = 0; i < PLUS_NELEM(plus_re); i++) {
		if (plus_match_re(i, b, len, code)) {
			pm->op = PLUS_PERL;
			return len + 1;
		}
	}
	return 0;
}

/* Match a --plus string. */
size_t
plus_match(const char *s, size_t n, struct plus_match *pm,
    struct buf *code)
{
	unsigned long long v;
	size_t i, d, len;
	int neg;

	memset(pm, 0, sizeof(*pm));
	if (n < 3 || s[0] != '{')
		return 0;
	if ((len = plus_match_body(s + 1, n - 1, 0, pm, code)) > 0)
		return 1 + len;
	/* {n...} or {-n...}, blanks allowed after n; {0...} is literal. */
	neg = s[1] == '-';
	d = plus_digits(s + 1 + neg, n - 1 - neg, LONG_MAX, &v);
	if (d == 0 || v == 0)
		return 0;
	for (i = 1 + neg + d; i < n && strchr(" \t\n\r\f\v", s[i]) &&
	    s[i] != '\0'; i++)
		;
	if ((len = plus_match_body(s + i, n - i, 1, pm, code)) == 0)
		return 0;
	pm->pos = neg ? -(long)v : (long)v;
	return i + len;
}

/* The name of fixed string i. */
const char *
plus_fixed_name(size_t i, int *positional)
{
	if (i >= PLUS_NELEM(plus_fixed))
		return NULL;
	*positional = plus_fixed[i].positional;
	return plus_fixed[i].name;
}

/* The start of the last n extensions of a's basename, or NULL. */
static const char *
plus_ext(const struct arg *a, size_t n)
{
	const char *dot;
	size_t base, end;

	for (base = a->len; base > 0 && a->s[base - 1] != '/'; base--)
		;
	dot = NULL;
	for (end = a->len; n > 0; n--) {
		while (end > base && a->s[end - 1] != '.')
			end--;
		if (end == base)
			return NULL;
		dot = a->s + --end;
	}
	return dot;
}

/* The position of the last c in a, or a->len when there is none. */
static size_t
plus_last(const struct arg *a, int c)
{
	size_t i;

	for (i = a->len; i > 0; i--)
		if (a->s[i - 1] == c)
			return i - 1;
	return a->len;
}

/* Apply op to the value a. */
struct arg
plus_value(enum plus_op op, size_t n, size_t m, const char *str,
    size_t len, const struct arg *a)
{
	struct arg v = *a;
	const char *dot;
	size_t i;

	switch (op) {
	case PLUS_BASENOEXT:
		if ((i = plus_last(a, '/')) < a->len) {
			v.s += i + 1;
			v.len -= i + 1;
		}
		/* FALLTHROUGH */
	case PLUS_NOEXT:
		if ((dot = plus_ext(&v, n)) != NULL)
			v.len = (size_t)(dot - v.s);
		break;
	case PLUS_EXT:
		i = plus_last(a, '.');
		v.s += i < a->len ? i + 1 : a->len;
		v.len = i < a->len ? a->len - i - 1 : 0;
		break;
	case PLUS_EXTN:
		dot = plus_ext(a, n);
		v.s = dot ? dot + 1 : a->s + a->len;
		v.len = (size_t)(a->s + a->len - v.s);
		break;
	case PLUS_HEAD:
		v.len = (i = plus_last(a, '/')) < a->len ? i : 0;
		break;
	case PLUS_DEFAULT:
		/* Perl's false: "" and "0". */
		if (a->len == 0 || (a->len == 1 && a->s[0] == '0')) {
			v.s = str;
			v.len = len;
		}
		break;
	case PLUS_DROP:
	case PLUS_SUBSTR:
		i = n < a->len ? n : a->len;
		v.s += i;
		v.len -= i;
		if (op == PLUS_SUBSTR && m < v.len)
			v.len = m;
		break;
	default:
		break;
	}
	return v;
}

/*
 * The width GNU parallel pads to: one more than the integer part of the
 * decimal logarithm, computed as it does, in floating point, which gives
 * 3 for 1000.
 */
static int
plus_width(unsigned long long x)
{
	if (x <= 1)
		return 1;
	return 1 + (int)(log((double)x) / log(10.0));
}

/* Format {##}, {0#} or {0%}. */
const char *
plus_number(enum plus_op op, unsigned long long seq, unsigned long slot,
    unsigned long long total, unsigned long nslots, char *num, size_t size,
    size_t *len)
{
	int n;

	if (op == PLUS_TOTAL)
		n = snprintf(num, size, "%llu", total);
	else if (op == PLUS_SEQ0)
		n = snprintf(num, size, "%0*llu", plus_width(total), seq);
	else
		n = snprintf(num, size, "%0*lu", plus_width(nslots), slot);
	*len = n > 0 ? (size_t)n : 0;
	return num;
}

/* Compare two values as perl compares strings. */
static int
plus_cmp(const struct arg *a, const struct arg *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if ((c = n ? memcmp(a->s, b->s, n) : 0) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Whether op skips the job with these arguments. */
int
plus_skips(enum plus_op op, const struct arg *args, size_t nargs)
{
	size_t i, k;

	for (i = 0; i < nargs; i++) {
		if (op == PLUS_CHOOSE) {
			/* Only n choose k: each argument above the last. */
			if (i > 0 && plus_cmp(&args[i - 1], &args[i]) >= 0)
				return 1;
			continue;
		}
		/* GNU parallel counts an empty value as equal to none. */
		if (args[i].len == 0)
			return 1;
		for (k = 0; k < i; k++)
			if (plus_cmp(&args[k], &args[i]) == 0)
				return 1;
	}
	return 0;
}
