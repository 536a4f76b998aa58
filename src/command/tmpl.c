/* SPDX-License-Identifier: ISC */
/*
 * The command template.  tmpl_parse() cuts the words into an array of
 * segments once: literal text, word breaks and replacement strings.
 * Expanding a job is then one pass over that array which only appends to
 * the caller's buf, so it allocates nothing once the buf has grown.
 *
 * Each word is parsed on its own, so a replacement string never spans two
 * words.  A literal segment keeps two texts in one pool: the text as the
 * shell must see it (shell-quoted under -q) and the raw text, which is what
 * tmpl_expand_argv() needs.  Values are derived as slices of the argument
 * (or a constant "." or "/"), never copied.
 *
 * Without -q, literal text is cut at blanks, so that a shell word is a run
 * of segments between a SEG_BREAK or a blank literal.  Under
 * TMPL_CONTEXT the first segment of each word holding {} (or {.} ...)
 * records where the word ends, and expansion repeats that run of segments
 * once per argument.
 *
 * A {= =} is a segment of its own, which keeps its code in the pool and
 * knows where its results lie among those the caller passes: after the
 * nargs results of each earlier {= =} and the one of each earlier {=n =}.
 *
 * Under --plus, plus.c finds more strings.  Those it computes itself are
 * replacement segments with a plus operation (their values slices too,
 * or the text of {:-str} in the pool); those built on a perl regexp are
 * {= =} segments whose code plus.c wrote, named as the user wrote them.
 */
#include "tmpl.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "msg.h"
#include "plus.h"
#include "quote.h"
#include "xalloc.h"

enum seg_kind {
	SEG_LIT,		/* literal text */
	SEG_BREAK,		/* the space between two template words */
	SEG_REPL,		/* a replacement string */
	SEG_PERL		/* {= perl expression =} */
};

struct seg {
	enum seg_kind	 kind;
	enum tmpl_repl	 repl;	/* SEG_REPL */
	enum plus_op	 plus;	/* SEG_REPL under --plus */
	size_t		 n, m;	/* SEG_REPL: as in struct plus_match */
	long		 pos;	/* SEG_REPL: 0 for all, n from 1, -n from last */
	size_t		 off;	/* SEG_LIT: the text for the shell, in pool; */
	size_t		 len;	/* PLUS_DEFAULT: its text */
	size_t		 roff;	/* SEG_LIT: the raw text, in pool */
	size_t		 rlen;
	int		 blank;	/* SEG_LIT: only blanks (without -q) */
	size_t		 group_end; /* TMPL_CONTEXT: past the repeated word */
	size_t		 pall;	/* SEG_PERL: {= =} before it */
	size_t		 ppos;	/* SEG_PERL: {=n =} before it */
};

struct tmpl {
	struct seg	*segs;
	size_t		 nsegs;
	char		*pool;
	char		*program;	/* simple templates only */
	int		 flags;
	int		 simple;	/* 2: unless a {= =} result is raw */
	int		 bare;		/* values go in unquoted */
	unsigned	 uses;		/* bit (1 << enum tmpl_repl) */
	size_t		*perl;		/* each expression's code, in pool */
	long		*perlpos;	/* and its position */
	size_t		*perlname;	/* and its name in pool, or TMPL_NONAME */
	size_t		 nperl;
	unsigned long	 nslots;	/* {0%} */
	int		 choose;	/* {choose_k} is used */
	int		 uniq;		/* {uniq} is used */
	int		 total;		/* {##} or {0#} is used */
};

/* Room for any unsigned long long in decimal, padded as --plus pads. */
#define TMPL_NUMSZ	48

/* An expression without a name of its own. */
#define TMPL_NONAME	SIZE_MAX

static const char *const tmpl_default[TMPL_NREPL] = {
	"{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}"
};


/*
 * Reserved words made of plain bytes (sh, bash, ksh, zsh).  As the first
 * word they start shell syntax, even when -q leaves them bare.
 */
static const char *const tmpl_reserved[] = {
	"case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
	"foreach", "function", "if", "in", "nocorrect", "repeat", "select",
	"then", "time", "until", "while",
};

/* The state of one tmpl_parse() call. */
struct tmpl_parser {
	struct tmpl	*t;
	size_t		 cap;		/* of t->segs */
	struct buf	 pool;
	const char	*name[TMPL_NREPL];
	size_t		 namelen[TMPL_NREPL];
	int		 any_repl;
	size_t		 nall;		/* {= =} so far */
	size_t		 npos;		/* {=n =} so far */
};

static int
tmpl_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* What ends a shell word in literal text. */
static int
tmpl_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The last c in the n bytes at s, or NULL (memrchr is not POSIX). */
static const char *
tmpl_rchr(const char *s, int c, size_t n)
{
	while (n > 0)
		if (s[--n] == c)
			return s + n;
	return NULL;
}

static struct seg *
tmpl_add_seg(struct tmpl_parser *p, enum seg_kind kind)
{
	struct tmpl *t = p->t;
	struct seg *sg;

	if (t->nsegs == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		t->segs = xreallocarray(t->segs, p->cap, sizeof(*t->segs));
	}
	sg = &t->segs[t->nsegs++];
	memset(sg, 0, sizeof(*sg));
	sg->kind = kind;
	return sg;
}

/* Add one literal segment; under -q the shell sees it quoted. */
static void
tmpl_add_lit1(struct tmpl_parser *p, const char *s, size_t len, int blank)
{
	struct seg *sg;

	sg = tmpl_add_seg(p, SEG_LIT);
	sg->blank = blank;
	sg->roff = p->pool.len;
	sg->rlen = len;
	buf_add(&p->pool, s, len);
	if (p->t->flags & TMPL_QUOTE_WORDS) {
		sg->off = p->pool.len;
		quote_shell(&p->pool, s, len);
		sg->len = p->pool.len - sg->off;
	} else {
		sg->off = sg->roff;
		sg->len = len;
	}
}

/* Add the literal text s: as it is under -q, else cut at blanks. */
static void
tmpl_add_lit(struct tmpl_parser *p, const char *s, size_t len)
{
	size_t i, j;
	int blank;

	if ((p->t->flags & TMPL_QUOTE_WORDS) || len == 0) {
		tmpl_add_lit1(p, s, len, 0);
		return;
	}
	for (i = 0; i < len; i = j) {
		blank = tmpl_space(s[i]);
		for (j = i + 1; j < len && tmpl_space(s[j]) == blank; j++)
			;
		tmpl_add_lit1(p, s + i, j - i, blank);
	}
}

static void
tmpl_add_repl(struct tmpl_parser *p, enum tmpl_repl r, long pos)
{
	struct seg *sg;

	sg = tmpl_add_seg(p, SEG_REPL);
	sg->repl = r;
	sg->pos = pos;
	p->t->uses |= 1U << r;
}

/*
 * Where the "=}" that closes the "{=" at s is: the first one after it, if
 * no other "{=" comes first (as in GNU parallel, "{={==}" holds "{==}").
 * Returns its offset, or 0 when this "{=" is not closed.
 */
static size_t
tmpl_perl_end(const char *s, size_t n)
{
	size_t i;

	for (i = 2; i + 1 < n; i++) {
		if (s[i] == '{' && s[i + 1] == '=')
			return 0;
		if (s[i] == '=' && s[i + 1] == '}')
			return i;
	}
	return 0;
}

/*
 * Add the {= =} with the code given, for position pos (0: every value);
 * name is what messages call it (namelen bytes), or NULL for the code.
 */
static void
tmpl_add_perl_at(struct tmpl_parser *p, long pos, const char *code,
    size_t len, const char *name, size_t namelen)
{
	struct tmpl *t = p->t;
	struct seg *sg;

	sg = tmpl_add_seg(p, SEG_PERL);
	sg->repl = TMPL_ALL;	/* measured as the value itself */
	sg->pos = pos;
	sg->pall = p->nall;
	sg->ppos = p->npos;
	if (sg->pos == 0)
		p->nall++;
	else
		p->npos++;
	t->perl = xreallocarray(t->perl, t->nperl + 1, sizeof(*t->perl));
	t->perlpos = xreallocarray(t->perlpos, t->nperl + 1,
	    sizeof(*t->perlpos));
	t->perlname = xreallocarray(t->perlname, t->nperl + 1,
	    sizeof(*t->perlname));
	t->perlpos[t->nperl] = sg->pos;
	t->perlname[t->nperl] = TMPL_NONAME;
	if (name != NULL) {
		t->perlname[t->nperl] = p->pool.len;
		buf_add(&p->pool, name, namelen);
		buf_addch(&p->pool, '\0');
	}
	t->perl[t->nperl++] = p->pool.len;
	buf_add(&p->pool, code, len);
	buf_addch(&p->pool, '\0');
	p->any_repl = 1;
}

/*
 * Add the {= =} whose text between the braces is code: a leading number
 * makes it positional, and the blanks after the number go, as in GNU
 * parallel ("{=2 s/a/b/ =}").
 */
static void
tmpl_add_perl(struct tmpl_parser *p, const char *code, size_t len)
{
	unsigned long long v;
	size_t i;
	long pos;
	int neg;

	pos = 0;
	neg = len > 0 && code[0] == '-';
	i = plus_digits(code + neg, len - neg, LONG_MAX, &v);
	if (i > 0) {
		pos = neg ? -(long)v : (long)v;
		code += i + neg;
		len -= i + neg;
	}
	while (len > 0 && *code == ' ') {
		code++;
		len--;
	}
	tmpl_add_perl_at(p, pos, code, len, NULL, 0);
}

/*
 * Match a positional form {n} {n.} {n/} {n//} {n/.} (n may be -n, and
 * blanks may follow it) at s.  Return its length, or 0.  {0} is not a
 * replacement string.
 */
static size_t
tmpl_match_pos(const char *s, size_t n, enum tmpl_repl *r, long *pos)
{
	static const struct {
		const char	*suffix;
		enum tmpl_repl	 repl;
	} forms[] = {
		{ "}", TMPL_ALL }, { ".}", TMPL_NOEXT }, { "/}", TMPL_BASE },
		{ "//}", TMPL_DIR }, { "/.}", TMPL_BASENOEXT },
	};
	size_t i, j, k, len;
	long v;
	int neg;

	if (n < 3 || s[0] != '{')
		return 0;
	i = 1;
	neg = s[i] == '-';
	if (neg)
		i++;
	v = 0;
	for (j = i; j < n && s[j] >= '0' && s[j] <= '9'; j++) {
		/* Past LONG_MAX the position is out of range anyway. */
		if (v <= (LONG_MAX - 9) / 10)
			v = v * 10 + (s[j] - '0');
	}
	if (j == i || v == 0)
		return 0;
	/* Blanks may follow the number, newlines too ("{1\n}"), as in GNU. */
	while (j < n && strchr(" \t\n\r\f\v", s[j]) != NULL && s[j] != '\0')
		j++;
	for (k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		len = strlen(forms[k].suffix);
		if (len <= n - j && memcmp(s + j, forms[k].suffix, len) == 0) {
			*r = forms[k].repl;
			*pos = neg ? -v : v;
			return j + len;
		}
	}
	return 0;
}

/*
 * Match a replacement string at s, the longest one if several do.  Return
 * its length, or 0.
 */
static size_t
tmpl_match(const struct tmpl_parser *p, const char *s, size_t n,
    enum tmpl_repl *r, long *pos)
{
	enum tmpl_repl pr;
	size_t best, len;
	long pp;
	int i;

	best = 0;
	for (i = 0; i < TMPL_NREPL; i++) {
		len = p->namelen[i];
		if (len > best && len <= n && memcmp(s, p->name[i], len) == 0) {
			best = len;
			*r = (enum tmpl_repl)i;
			*pos = 0;
		}
	}
	len = tmpl_match_pos(s, n, &pr, &pp);
	if (len > best) {
		best = len;
		*r = pr;
		*pos = pp;
	}
	return best;
}

/*
 * Add the --plus string pm found: a {= =} for a regexp rule, else a
 * replacement string computed here.
 */
static void
tmpl_add_plus(struct tmpl_parser *p, const struct plus_match *pm,
    const struct buf *code, const char *name, size_t namelen)
{
	struct seg *sg;

	p->any_repl = 1;
	if (pm->op == PLUS_PERL) {
		tmpl_add_perl_at(p, pm->pos, code->data, code->len, name,
		    namelen);
		return;
	}
	sg = tmpl_add_seg(p, SEG_REPL);
	sg->repl = TMPL_ALL;
	if (pm->op == PLUS_TOTAL || pm->op == PLUS_SEQ0)
		sg->repl = TMPL_SEQ;
	else if (pm->op == PLUS_SLOT0)
		sg->repl = TMPL_SLOT;
	sg->plus = pm->op;
	sg->pos = pm->pos;
	sg->n = pm->n;
	sg->m = pm->m;
	if (pm->op == PLUS_DEFAULT) {
		sg->off = p->pool.len;
		sg->len = pm->len;
		buf_add(&p->pool, pm->str, pm->len);
	}
	p->t->choose |= pm->op == PLUS_CHOOSE;
	p->t->uniq |= pm->op == PLUS_UNIQ;
	p->t->total |= pm->op == PLUS_TOTAL || pm->op == PLUS_SEQ0;
}

/*
 * Under --plus: when a --plus string longer than the m bytes that match
 * otherwise starts at offset i of the word w (n bytes), add it after the
 * literal text from offset *lit, move *lit past it and return 1.
 */
static int
tmpl_match_plus(struct tmpl_parser *p, const char *w, size_t n, size_t i,
    size_t m, size_t *lit)
{
	struct plus_match pm;
	struct buf code = BUF_INIT;
	size_t len;

	if ((len = plus_match(w + i, n - i, &pm, &code)) <= m) {
		buf_release(&code);
		return 0;
	}
	if (i > *lit)
		tmpl_add_lit(p, w + *lit, i - *lit);
	tmpl_add_plus(p, &pm, &code, w + i, len);
	buf_release(&code);
	*lit = i + len;
	return 1;
}

/*
 * Cut one word into segments.  Whatever is not a replacement string is
 * literal, a '{' without its '}' included, as in GNU parallel (awk '{',
 * shell brace groups).
 */
static void
tmpl_parse_word(struct tmpl_parser *p, const char *w)
{
	enum tmpl_repl r;
	size_t i, lit, n, m;
	long pos;

	n = strlen(w);
	if (n == 0 && (p->t->flags & TMPL_QUOTE_WORDS)) {
		/* Under -q an empty word is an empty argument: ''. */
		tmpl_add_lit(p, "", 0);
		return;
	}
	lit = 0;
	for (i = 0; i < n; ) {
		if (w[i] == '{' && i + 1 < n && w[i + 1] == '=' &&
		    (m = tmpl_perl_end(w + i, n - i)) != 0) {
			if (i > lit)
				tmpl_add_lit(p, w + lit, i - lit);
			tmpl_add_perl(p, w + i + 2, m - 2);
			i += m + 2;
			lit = i;
			continue;
		}
		m = tmpl_match(p, w + i, n - i, &r, &pos);
		if ((p->t->flags & TMPL_PLUS) &&
		    tmpl_match_plus(p, w, n, i, m, &lit)) {
			i = lit;
			continue;
		}
		if (m > 0) {
			if (i > lit)
				tmpl_add_lit(p, w + lit, i - lit);
			tmpl_add_repl(p, r, pos);
			p->any_repl = 1;
			i += m;
			lit = i;
			continue;
		}
		i++;
	}
	if (n > lit)
		tmpl_add_lit(p, w + lit, n - lit);
}

/*
 * Whether s holds a "{=" that nothing after it closes, once each "{="
 * closed by a later "=}" (the rightmost first) is taken out with its code.
 */
static int
tmpl_perl_open(const char *s)
{
	struct buf b = BUF_INIT;
	const char *open, *close;
	size_t k;
	int more;

	buf_addstr(&b, s);
	do {
		more = 0;
		for (k = b.len; k-- > 0; ) {
			if (b.data[k] != '{' || b.data[k + 1] != '=')
				continue;
			close = strstr(b.data + k + 2, "=}");
			if (close == NULL)
				continue;
			memmove(b.data + k, close + 2,
			    b.len - (size_t)(close + 2 - b.data) + 1);
			b.len -= (size_t)(close + 2 - (b.data + k));
			more = 1;
			break;
		}
	} while (more);
	open = b.len > 0 ? strstr(b.data, "{=") : NULL;
	buf_release(&b);
	return open != NULL;
}

/*
 * Parse words[i], and with it the words after it up to the one that
 * closes a "{=" it leaves open, joined by spaces.  Returns the index of
 * the last word taken.
 */
static size_t
tmpl_parse_words(struct tmpl_parser *p, char *const *words, size_t nwords,
    size_t i)
{
	struct buf w = BUF_INIT;
	size_t j;

	if (i + 1 >= nwords || !tmpl_perl_open(words[i])) {
		tmpl_parse_word(p, words[i]);
		return i;
	}
	buf_addstr(&w, words[i]);
	for (j = i + 1; j < nwords; j++) {
		buf_addch(&w, ' ');
		buf_addstr(&w, words[j]);
		if (!tmpl_perl_open(w.data))
			break;
	}
	tmpl_parse_word(p, w.data);
	buf_release(&w);
	return j < nwords ? j : nwords - 1;
}

static int
tmpl_is_reserved(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(tmpl_reserved) / sizeof(tmpl_reserved[0]); i++)
		if (strcmp(w, tmpl_reserved[i]) == 0)
			return 1;
	return 0;
}

/*
 * Decide whether the shell can be bypassed, and find the program.  Without
 * -q the literal text must be plain bytes and blanks, the first word must
 * be literal and hold no '=' (it would be an assignment).  Under -q all
 * literal text reaches the program as it is, so only the first word
 * matters.
 */
static void
tmpl_check_simple(struct tmpl *t)
{
	struct buf prog = BUF_INIT;
	const struct seg *sg;
	const char *raw;
	size_t i, j;
	int phase;		/* 0 before the first word, 1 in it, 2 after */
	int simple, perl = 0;

	simple = 1;
	phase = 0;
	for (i = 0; i < t->nsegs && simple; i++) {
		sg = &t->segs[i];
		switch (sg->kind) {
		case SEG_LIT:
			raw = t->pool + sg->roff;
			if (t->flags & TMPL_QUOTE_WORDS) {
				if (phase == 0) {
					buf_add(&prog, raw, sg->rlen);
					phase = 1;
				}
				break;
			}
			for (j = 0; j < sg->rlen && simple; j++) {
				if (tmpl_blank(raw[j])) {
					if (phase == 1)
						phase = 2;
					continue;
				}
				if (!quote_is_inert((unsigned char)raw[j]))
					simple = 0;
				else if (phase < 2) {
					if (raw[j] == '=')
						simple = 0;
					buf_addch(&prog, raw[j]);
					phase = 1;
				}
			}
			break;
		case SEG_BREAK:
			if (t->flags & TMPL_QUOTE_WORDS)
				phase = 2;
			else if (phase == 1)
				phase = 2;
			break;
		case SEG_REPL:
			if (phase < 2)
				simple = 0;
			break;
		case SEG_PERL:
			/* uq() may hand the shell any code: see below. */
			if (phase < 2)
				simple = 0;
			perl = 1;
			break;
		}
	}
	if (phase == 0 || prog.len == 0)
		simple = 0;
	if (simple && tmpl_is_reserved(prog.data))
		simple = 0;
	/* With {= =}: simple while no result is uq()'s, job by job. */
	t->simple = simple ? (perl ? 2 : 1) : 0;
	if (simple)
		t->program = buf_detach(&prog, NULL);
	buf_release(&prog);
}

/*
 * Whether a replacement string comes before the first blank or '=' of the
 * command: then the values are part of the command's name or code ("{}",
 * "./{}", "{2} x"), not its arguments, and GNU parallel inserts every
 * value of the command unquoted, so that an input line can be a command.
 * A value in an assignment ("V={} cmd") or after a blank stays an argument.
 */
static int
tmpl_first_word_repl(const struct tmpl *t)
{
	const struct seg *sg;
	const char *raw;
	size_t i, j;

	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		if (sg->kind == SEG_REPL || sg->kind == SEG_PERL)
			return 1;
		if (sg->kind == SEG_BREAK)
			return 0;
		raw = t->pool + sg->roff;
		for (j = 0; j < sg->rlen; j++)
			if (tmpl_space(raw[j]) || raw[j] == '=')
				return 0;
	}
	return 0;
}

/* A replacement string that stands for every argument ({} {.} ...). */
static int
tmpl_seg_all(const struct seg *sg)
{
	if (sg->kind == SEG_PERL)
		return sg->pos == 0;
	return sg->kind == SEG_REPL && sg->pos == 0 && sg->repl != TMPL_SEQ &&
	    sg->repl != TMPL_SLOT;
}

static int
tmpl_seg_boundary(const struct seg *sg)
{
	return sg->kind == SEG_BREAK || (sg->kind == SEG_LIT && sg->blank);
}

/* Mark the words that TMPL_CONTEXT repeats once per argument. */
static void
tmpl_find_groups(struct tmpl *t)
{
	size_t i, start;
	int all;

	start = 0;
	all = 0;
	for (i = 0; i <= t->nsegs; i++) {
		if (i == t->nsegs || tmpl_seg_boundary(&t->segs[i])) {
			if (all)
				t->segs[start].group_end = i;
			start = i + 1;
			all = 0;
		} else if (tmpl_seg_all(&t->segs[i]))
			all = 1;
	}
}

/* Parse the template words once. */
struct tmpl *
tmpl_parse(char *const *words, size_t nwords, const struct tmpl_opts *opts,
    char **err)
{
	struct tmpl_parser p;
	const char *name;
	size_t i;

	*err = NULL;
	memset(&p, 0, sizeof(p));
	buf_init(&p.pool);
	for (i = 0; i < TMPL_NREPL; i++) {
		name = opts && opts->repl[i] ? opts->repl[i] : tmpl_default[i];
		if (*name == '\0') {
			*err = xstrdup("empty replacement string");
			return NULL;
		}
		p.name[i] = name;
		p.namelen[i] = strlen(name);
	}
	p.t = xcalloc(1, sizeof(*p.t));
	p.t->flags = opts ? opts->flags : 0;
	p.t->nslots = opts ? opts->nslots : 0;
	/* Words that are arguments read as quoted words would. */
	if (p.t->flags & TMPL_ARGV)
		p.t->flags |= TMPL_QUOTE_WORDS;

	for (i = 0; i < nwords; i++) {
		if (i > 0)
			tmpl_add_seg(&p, SEG_BREAK);
		i = tmpl_parse_words(&p, words, nwords, i);
	}
	if (!p.any_repl && !(p.t->flags & TMPL_NO_APPEND)) {
		if (nwords > 0)
			tmpl_add_seg(&p, SEG_BREAK);
		tmpl_add_repl(&p, TMPL_ALL, 0);
	}
	p.t->pool = buf_detach(&p.pool, NULL);
	if ((p.t->flags & TMPL_NO_PERL) && p.t->nperl > 0) {
		*err = xstrdup("{= =} is not supported there");
		tmpl_free(p.t);
		return NULL;
	}
	/* Under -q the values are quoted whatever the first word is. */
	if (!(p.t->flags & TMPL_QUOTE_WORDS))
		p.t->bare = tmpl_first_word_repl(p.t);
	if (p.t->flags & TMPL_ARGV)
		p.t->simple = 1;	/* no shell at all: any word may vary */
	else
		tmpl_check_simple(p.t);
	if (p.t->flags & TMPL_CONTEXT)
		tmpl_find_groups(p.t);
	return p.t;
}

/* The name r has unless it is renamed. */
const char *
tmpl_default_name(enum tmpl_repl r)
{
	if ((int)r < 0 || r >= TMPL_NREPL)
		BUG("tmpl_default_name: replacement %d", (int)r);
	return tmpl_default[r];
}

/* Free a parsed template. */
void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->segs);
	free(t->pool);
	free(t->program);
	free(t->perl);
	free(t->perlpos);
	free(t->perlname);
	free(t);
}

/* Apply the replacement string r to the value a. */
static struct arg
tmpl_derive(enum tmpl_repl r, const struct arg *a)
{
	struct arg v = *a;
	const char *slash, *dot;
	size_t base, n;

	if (r == TMPL_ALL)
		return v;
	slash = tmpl_rchr(v.s, '/', v.len);
	base = slash ? (size_t)(slash - v.s) + 1 : 0;
	switch (r) {
	case TMPL_NOEXT:
	case TMPL_BASENOEXT:
		dot = tmpl_rchr(v.s + base, '.', v.len - base);
		if (dot != NULL)
			v.len = (size_t)(dot - v.s);
		if (r == TMPL_BASENOEXT) {
			v.s += base;
			v.len -= base;
		}
		break;
	case TMPL_BASE:
		v.s += base;
		v.len -= base;
		break;
	case TMPL_DIR:
		/* dirname(1): drop trailing slashes, the last name, slashes. */
		n = v.len;
		while (n > 0 && v.s[n - 1] == '/')
			n--;
		if (n == 0) {
			v.s = v.len ? "/" : ".";
			v.len = 1;
			break;
		}
		while (n > 0 && v.s[n - 1] != '/')
			n--;
		if (n == 0) {
			v.s = ".";
			v.len = 1;
			break;
		}
		while (n > 0 && v.s[n - 1] == '/')
			n--;
		if (n == 0) {
			v.s = "/";
			n = 1;
		}
		v.len = n;
		break;
	default:
		BUG("tmpl_derive: replacement %d", (int)r);
	}
	return v;
}

/* The value segment sg makes of a. */
static struct arg
tmpl_value(const struct tmpl *t, const struct seg *sg, const struct arg *a)
{
	if (sg->plus == PLUS_NONE)
		return tmpl_derive(sg->repl, a);
	return plus_value(sg->plus, sg->n, sg->m, t->pool + sg->off, sg->len,
	    a);
}

/* Find the argument a positional form names; NULL when out of range. */
static const struct arg *
tmpl_pick(const struct tmpl_ctx *c, long pos)
{
	if (pos > 0 && (unsigned long)pos <= c->nargs)
		return &c->args[pos - 1];
	if (pos < 0 && (unsigned long)-pos <= c->nargs)
		return &c->args[c->nargs - (size_t)-pos];
	return NULL;
}

/* Format v in decimal at the end of num; return the start. */
static const char *
tmpl_fmt_num(char num[TMPL_NUMSZ], unsigned long long v, size_t *len)
{
	char *p;

	p = num + TMPL_NUMSZ;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	*len = (size_t)(num + TMPL_NUMSZ - p);
	return p;
}

/* Format the number a {#}-like segment stands for; return its start. */
static const char *
tmpl_number(const struct tmpl *t, const struct seg *sg,
    unsigned long long seq, unsigned long slot, unsigned long long total,
    char num[TMPL_NUMSZ], size_t *len)
{
	if (sg->plus != PLUS_NONE)
		return plus_number(sg->plus, seq, slot, total, t->nslots, num,
		    TMPL_NUMSZ, len);
	return tmpl_fmt_num(num, sg->repl == TMPL_SEQ ? seq : slot, len);
}

static void
tmpl_add_value(struct buf *out, const struct arg *v, int quote)
{
	if (quote)
		quote_shell(out, v->s, v->len);
	else
		buf_add(out, v->s, v->len);
}

/* How many results a {= =} has: a job without arguments has one, of "". */
static size_t
tmpl_perl_nvals(const struct tmpl_ctx *c)
{
	return c->nargs > 0 ? c->nargs : 1;
}

/*
 * The results of a {= =} segment for c: the first of nargs (or the one
 * of a {=n =}), or NULL when there is none to show.
 */
static const struct tmpl_val *
tmpl_perl_vals(const struct seg *sg, const struct tmpl_ctx *c)
{
	/* NEEDSWORK: only the command's {= =} are evaluated. */
	if (c->pvals == NULL)
		return NULL;
	if (sg->pos != 0 && tmpl_pick(c, sg->pos) == NULL)
		return NULL;
	return c->pvals + sg->pall * tmpl_perl_nvals(c) + sg->ppos;
}

/*
 * The results a {= =} segment stands for, for c: pv[*first] up to
 * pv[*end], the one of the value cur inside a repeated word (cur >= 0).
 * NULL when there is none.
 */
static const struct tmpl_val *
tmpl_perl_range(const struct seg *sg, const struct tmpl_ctx *c, long cur,
    size_t *first, size_t *end)
{
	const struct tmpl_val *pv;

	if ((pv = tmpl_perl_vals(sg, c)) == NULL)
		return NULL;
	*first = 0;
	*end = sg->pos != 0 ? 1 : tmpl_perl_nvals(c);
	if (sg->pos == 0 && cur >= 0) {
		*first = (size_t)cur;
		*end = *first < tmpl_perl_nvals(c) ? *first + 1 : *first;
	}
	return pv;
}

struct tmpl_argv;
static void	tmpl_put_perl(const struct seg *, const struct tmpl_ctx *,
		    long, int, struct buf *, struct tmpl_argv *);

/*
 * Expand one segment.  cur is the argument a repeated word is being
 * expanded for, or -1 outside such a word (every argument).
 */
static void
tmpl_expand_seg(const struct tmpl *t, const struct seg *sg,
    const struct tmpl_ctx *c, long cur, int quote, struct buf *out)
{
	const struct arg *a;
	const char *p;
	struct arg v;
	char num[TMPL_NUMSZ];
	size_t i, n;

	switch (sg->kind) {
	case SEG_LIT:
		buf_add(out, t->pool + sg->off, sg->len);
		break;
	case SEG_BREAK:
		buf_addch(out, ' ');
		break;
	case SEG_PERL:
		tmpl_put_perl(sg, c, cur, quote, out, NULL);
		break;
	case SEG_REPL:
		if (sg->repl == TMPL_SEQ || sg->repl == TMPL_SLOT) {
			p = tmpl_number(t, sg, c->seq, c->slot, c->total,
			    num, &n);
			buf_add(out, p, n);
			break;
		}
		if (sg->pos != 0) {
			if ((a = tmpl_pick(c, sg->pos)) != NULL) {
				v = tmpl_value(t, sg, a);
				tmpl_add_value(out, &v, quote);
			}
			break;
		}
		if (cur >= 0) {
			if ((size_t)cur < c->nargs) {
				v = tmpl_value(t, sg, &c->args[cur]);
				tmpl_add_value(out, &v, quote);
			}
			break;
		}
		for (i = 0; i < c->nargs; i++) {
			if (i > 0)
				buf_addch(out, ' ');
			v = tmpl_value(t, sg, &c->args[i]);
			tmpl_add_value(out, &v, quote);
		}
		break;
	}
}

/* Expand the template for one job. */
void
tmpl_expand(const struct tmpl *t, const struct tmpl_ctx *c, int quote,
    struct buf *out)
{
	size_t i, k, g, n;

	quote = quote && !t->bare;
	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].group_end == 0) {
			tmpl_expand_seg(t, &t->segs[i], c, -1, quote, out);
			continue;
		}
		/* -X: the word once per argument (once, empty, for none). */
		n = c->nargs > 0 ? c->nargs : 1;
		for (k = 0; k < n; k++) {
			if (k > 0)
				buf_addch(out, ' ');
			for (g = i; g < t->segs[i].group_end; g++)
				tmpl_expand_seg(t, &t->segs[g], c, (long)k,
				    quote, out);
		}
		i = t->segs[i].group_end - 1;
	}
}

/* Tell whether the template may run without a shell. */
int
tmpl_is_simple(const struct tmpl *t)
{
	return t->simple == 1;
}

/* Simple as long as no {= =} result is to be left unquoted. */
int
tmpl_is_simple_values(const struct tmpl *t)
{
	return t->simple != 0;
}

/* The program of a simple template. */
const char *
tmpl_program(const struct tmpl *t)
{
	return t->program;
}

/* The argument vector being built by tmpl_expand_argv(). */
struct tmpl_argv {
	struct buf	*out;
	size_t		 n;
	int		 inword;	/* an element has been started */
};

static void
tmpl_argv_end(struct tmpl_argv *av)
{
	if (av->inword) {
		buf_addch(av->out, '\0');
		av->n++;
		av->inword = 0;
	}
}

static void
tmpl_argv_add(struct tmpl_argv *av, const char *s, size_t len)
{
	buf_add(av->out, s, len);
	av->inword = 1;
}

/*
 * Add a value as the shell sees it after quote_shell(): a word even when
 * empty, cut at the first NUL.
 */
static void
tmpl_argv_value(struct tmpl_argv *av, const struct arg *v)
{
	const char *nul;
	size_t len;

	len = v->len;
	if (len > 0 && (nul = memchr(v->s, '\0', len)) != NULL)
		len = (size_t)(nul - v->s);
	tmpl_argv_add(av, v->s, len);
}

/*
 * Add the results of a {= =} segment: to out as text, quoted unless the
 * code called uq(), or with av set to the argument vector (--func).  cur
 * as for tmpl_expand_seg().
 */
static void
tmpl_put_perl(const struct seg *sg, const struct tmpl_ctx *c, long cur,
    int quote, struct buf *out, struct tmpl_argv *av)
{
	const struct tmpl_val *pv;
	struct arg v;
	size_t i, first, end;

	if ((pv = tmpl_perl_range(sg, c, cur, &first, &end)) == NULL)
		return;
	for (i = first; i < end; i++) {
		v.s = pv[i].s;
		v.len = pv[i].len;
		if (av != NULL) {
			if (i > first)
				tmpl_argv_end(av);
			tmpl_argv_value(av, &v);
			continue;
		}
		if (i > first)
			buf_addch(out, ' ');
		tmpl_add_value(out, &v, quote && !pv[i].raw);
	}
}

/* Add one segment to the argument vector; cur as for tmpl_expand_seg(). */
static void
tmpl_argv_seg(const struct tmpl *t, const struct seg *sg,
    const struct tmpl_ctx *c, long cur, struct tmpl_argv *av)
{
	const struct arg *a;
	const char *raw, *p;
	struct arg v;
	char num[TMPL_NUMSZ];
	size_t i, j, k, n;

	switch (sg->kind) {
	case SEG_LIT:
		raw = t->pool + sg->roff;
		if (t->flags & TMPL_QUOTE_WORDS) {
			tmpl_argv_add(av, raw, sg->rlen);
			break;
		}
		/* Plain text: only blanks matter to the shell. */
		for (j = 0; j < sg->rlen; j = k) {
			if (tmpl_blank(raw[j])) {
				tmpl_argv_end(av);
				k = j + 1;
				continue;
			}
			for (k = j; k < sg->rlen && !tmpl_blank(raw[k]); k++)
				;
			tmpl_argv_add(av, raw + j, k - j);
		}
		break;
	case SEG_BREAK:
		tmpl_argv_end(av);
		break;
	case SEG_PERL:
		tmpl_put_perl(sg, c, cur, 0, NULL, av);
		break;
	case SEG_REPL:
		if (sg->repl == TMPL_SEQ || sg->repl == TMPL_SLOT) {
			p = tmpl_number(t, sg, c->seq, c->slot, c->total,
			    num, &n);
			tmpl_argv_add(av, p, n);
			break;
		}
		if (sg->pos != 0) {
			if ((a = tmpl_pick(c, sg->pos)) != NULL) {
				v = tmpl_value(t, sg, a);
				tmpl_argv_value(av, &v);
			}
			break;
		}
		if (cur >= 0) {
			if ((size_t)cur < c->nargs) {
				v = tmpl_value(t, sg, &c->args[cur]);
				tmpl_argv_value(av, &v);
			}
			break;
		}
		for (i = 0; i < c->nargs; i++) {
			if (i > 0)
				tmpl_argv_end(av);
			v = tmpl_value(t, sg, &c->args[i]);
			tmpl_argv_value(av, &v);
		}
		break;
	}
}

/* Build the argument vector of a simple template for one job. */
size_t
tmpl_expand_argv(const struct tmpl *t, const struct tmpl_ctx *c,
    struct buf *out)
{
	struct tmpl_argv av;
	size_t i, k, g, n;

	if (!t->simple)
		BUG("tmpl_expand_argv on a template that needs a shell");
	av.out = out;
	av.n = 0;
	av.inword = 0;
	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].group_end == 0) {
			tmpl_argv_seg(t, &t->segs[i], c, -1, &av);
			continue;
		}
		n = c->nargs > 0 ? c->nargs : 1;
		for (k = 0; k < n; k++) {
			tmpl_argv_end(&av);
			for (g = i; g < t->segs[i].group_end; g++)
				tmpl_argv_seg(t, &t->segs[g], c, (long)k, &av);
		}
		i = t->segs[i].group_end - 1;
	}
	tmpl_argv_end(&av);
	return av.n;
}

static size_t
tmpl_value_len(const struct arg *v, int quote)
{
	return quote ? quote_shell_len(v->s, v->len) : v->len;
}

/* Measure the fixed part of an expansion and the cost of one more argument. */
void
tmpl_size_base(const struct tmpl *t, unsigned long long seq,
    unsigned long slot, struct tmpl_size *base, struct tmpl_size *sep)
{
	const struct seg *sg;
	char num[TMPL_NUMSZ];
	size_t i, n, gend, gtext, graw;
	int inword, ingroup;

	memset(base, 0, sizeof(*base));
	memset(sep, 0, sizeof(*sep));
	gend = gtext = graw = 0;
	inword = 0;
	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		if (sg->group_end) {
			gend = sg->group_end;
			gtext = graw = 0;
		}
		ingroup = i < gend;
		switch (sg->kind) {
		case SEG_LIT:
			base->text += sg->len;
			if (sg->blank) {
				base->argc += inword;
				inword = 0;
				break;
			}
			base->argv += sg->rlen;
			if (sg->rlen > 0 || (t->flags & TMPL_QUOTE_WORDS))
				inword = 1;
			if (ingroup) {
				gtext += sg->len;
				graw += sg->rlen;
			}
			break;
		case SEG_BREAK:
			base->text++;
			base->argc += inword;
			inword = 0;
			break;
		case SEG_PERL:
		case SEG_REPL:
			if (sg->kind == SEG_REPL && (sg->repl == TMPL_SEQ ||
			    sg->repl == TMPL_SLOT)) {
				tmpl_number(t, sg, seq, slot, 0, num, &n);
				base->text += n;
				base->argv += n;
				inword = 1;
				if (ingroup) {
					gtext += n;
					graw += n;
				}
			} else if (sg->pos == 0) {
				inword = 1;
				if (!ingroup) {
					/* A space, or a new element. */
					sep->text++;
					sep->argv++;
					sep->argc++;
				}
			}
			break;
		}
		if (ingroup && i + 1 == gend) {
			/* Each further argument repeats the word. */
			sep->text += 1 + gtext;
			sep->argv += 1 + graw;
			sep->argc++;
		}
	}
	base->argc += inword;
	base->argv += base->argc;	/* the NULs */
}

/* Add what one argument costs. */
void
tmpl_size_arg(const struct tmpl *t, const struct arg *a, int quote,
    struct tmpl_size *sz)
{
	const struct seg *sg;
	struct arg v;
	size_t s;

	quote = quote && !t->bare;
	/* By index: segs is NULL when there are none (--tagstring ''). */
	for (s = 0; s < t->nsegs; s++) {
		sg = &t->segs[s];
		if (!tmpl_seg_all(sg))
			continue;
		v = tmpl_value(t, sg, a);
		sz->text += tmpl_value_len(&v, quote);
		sz->argv += v.len;
	}
}

/* Measure the positional forms. */
void
tmpl_size_pos(const struct tmpl *t, const struct tmpl_ctx *c, int quote,
    struct tmpl_size *sz)
{
	const struct seg *sg;
	const struct arg *a;
	struct arg v;
	size_t i, gend, mult;

	quote = quote && !t->bare;
	memset(sz, 0, sizeof(*sz));
	gend = 0;
	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		if (sg->group_end)
			gend = sg->group_end;
		if ((sg->kind != SEG_REPL && sg->kind != SEG_PERL) ||
		    sg->pos == 0)
			continue;
		if ((a = tmpl_pick(c, sg->pos)) == NULL)
			continue;
		v = tmpl_value(t, sg, a);
		mult = i < gend && c->nargs > 1 ? c->nargs : 1;
		sz->text += mult * tmpl_value_len(&v, quote);
		sz->argv += mult * (v.len + 1);
		sz->argc += mult;
	}
}

/* How many {= =} the template holds. */
size_t
tmpl_nperl(const struct tmpl *t)
{
	return t->nperl;
}

/* The code of {= =} number i, and its position. */
const char *
tmpl_perl(const struct tmpl *t, size_t i, long *pos)
{
	if (i >= t->nperl)
		BUG("tmpl_perl: expression %zu of %zu", i, t->nperl);
	*pos = t->perlpos[i];
	return t->pool + t->perl[i];
}

/* What messages call {= =} number i, or NULL. */
const char *
tmpl_perl_name(const struct tmpl *t, size_t i)
{
	if (i >= t->nperl)
		BUG("tmpl_perl_name: expression %zu of %zu", i, t->nperl);
	if (t->perlname[i] == TMPL_NONAME)
		return NULL;
	return t->pool + t->perlname[i];
}

/* The index of the argument a position picks, or -1. */
long
tmpl_pick_index(const struct tmpl_ctx *c, long pos)
{
	const struct arg *a = tmpl_pick(c, pos);

	return a ? (long)(a - c->args) : -1;
}

/* Tell whether the template uses replacement string r. */
int
tmpl_uses(const struct tmpl *t, enum tmpl_repl r)
{
	if ((int)r < 0 || r >= TMPL_NREPL)
		BUG("tmpl_uses: replacement %d", (int)r);
	return (t->uses >> r) & 1;
}

/* Tell whether {##} or {0#} needs the number of jobs. */
int
tmpl_needs_total(const struct tmpl *t)
{
	return t->total;
}

/* Tell whether {choose_k} or {uniq} skip the job. */
int
tmpl_skips(const struct tmpl *t, const struct tmpl_ctx *c)
{
	return (t->choose && plus_skips(PLUS_CHOOSE, c->args, c->nargs)) ||
	    (t->uniq && plus_skips(PLUS_UNIQ, c->args, c->nargs));
}
