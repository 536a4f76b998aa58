/* SPDX-License-Identifier: ISC */
/*
 * tmpl: the command template.  It is parsed once, at start-up, into literal
 * text and replacement strings, and expanded once per job.
 *
 * Replacement strings (each may be renamed through struct tmpl_opts):
 *
 *	{}	all arguments of the job, joined by spaces
 *	{.}	the argument without its extension
 *	{/}	the basename (text after the last '/')
 *	{//}	the dirname, as dirname(1) computes it ("plain" gives ".")
 *	{/.}	the basename without its extension
 *	{#}	the job sequence number, from 1
 *	{%}	the job slot, 1..j
 *
 * and the positional forms {n} {n.} {n/} {n//} {n/.} for argument n
 * (from 1; {-n} counts from the last argument).  A position past the last
 * argument expands to the empty string.  The extension is the text from
 * the last '.' of the basename ("a/b.c.d" -> "a/b.c", ".bashrc" -> "").
 * Any other brace pair is literal text, and so are {0} and {-0}; so is a
 * '{' that nothing closes (awk '{print', "{1", "x{"), as in GNU parallel,
 * whose rule is the same: only a replacement string is replaced.  Each word is parsed on its own, so a replacement
 * string never spans two words; when several match at one place, the
 * longest wins.
 *
 * When the template holds no replacement string, " {}" is appended (unless
 * TMPL_NO_APPEND is set), so the arguments follow the command; an empty
 * template becomes "{}" alone.
 *
 * A job may have several arguments (-X, -m, -N: the values of several
 * input tuples, one after the other).  {} then gives all of them, joined
 * by spaces, and {n} the n-th.  Under TMPL_CONTEXT (-X) a shell word that
 * holds {} (or {.} {/} {//} {/.}) is repeated once per argument instead,
 * with {} standing for that argument: "pre{}post" with a, b gives
 * "preapost prebpost".  A word is what lies between blanks (space, tab,
 * newline) of the template's literal text, or between template words;
 * under -q only template words count.  With no argument at all such a
 * word is expanded once, with {} empty.
 *
 * {= perl expression =} stands for the value changed by the code, and
 * {=n perl expression =} for argument n changed so; a {= that a later word
 * closes takes the words between, joined by spaces, as GNU parallel does.
 * The template only finds them: the caller has each evaluated (perl.h)
 * and passes the results in struct tmpl_ctx.  {= =} goes with the values
 * as {} does: once per argument, joined by spaces, and repeated with its
 * word under TMPL_CONTEXT.
 *
 * Under TMPL_PLUS (--plus) these work too, as in GNU parallel:
 *
 *	{..} {...}	the argument without its last two (three) extensions:
 *			the basename must hold that many dots
 *	{/..} {/...}	the same of the basename
 *	{+/}		the text before the last '/' ("" without one)
 *	{+.}		the text after the last '.' ("" without one)
 *	{+..} {+...}	the extensions that {..} ({...}) takes away
 *	{##}		the number of jobs (0 until known: tmpl_needs_total())
 *	{0#}		{#} padded with zeros to the width of {##}
 *	{0%}		{%} padded with zeros to the width of the slot count
 *	{:-str}		str when the argument is "" or "0" (perl's false)
 *	{:N} {:N:M}	the argument from byte N, all of it or M bytes
 *	{choose_k}	{}, and the job is skipped unless its arguments are
 *			in strictly ascending order (tmpl_skips())
 *	{uniq}		{}, and the job is skipped when two arguments are equal
 *
 * and the ones made of a perl regexp re, which become {= =} code:
 * {#re} {##re} (take away the shortest or longest prefix re matches),
 * {%re} {%%re} (suffix), {/re/s} {//re/s} {/#re/s} {/%re/s} (replace the
 * first match, every match, a match at the start, a match at the end),
 * {^re} {^^re} {,re} {,,re} (upper or lower case the match at the start,
 * or every match).  Each has a positional form, {2..} {-1:-x} {3#re},
 * except {##} {0#} {0%}.  Where two of them start at the same '{', the
 * longest wins, as elsewhere.
 *
 * A parsed template is immutable: expanding it from several threads at
 * once is safe.
 */
#ifndef PARX_TMPL_H
#define PARX_TMPL_H

#include <stddef.h>

#include "arg.h"

struct buf;
struct tmpl;

enum tmpl_repl {
	TMPL_ALL,		/* {} */
	TMPL_NOEXT,		/* {.} */
	TMPL_BASE,		/* {/} */
	TMPL_DIR,		/* {//} */
	TMPL_BASENOEXT,		/* {/.} */
	TMPL_SEQ,		/* {#} */
	TMPL_SLOT,		/* {%} */
	TMPL_NREPL
};

/* Flags for struct tmpl_opts. */
#define TMPL_QUOTE_WORDS	0x1	/* -q: shell-quote the template's own words */
#define TMPL_NO_APPEND		0x2	/* never append " {}" (for --tagstring) */
/*
 * The words are an argument vector, not shell code (--func): each word is
 * one argument taken as it is, tmpl_expand_argv() works whatever the words
 * hold, and tmpl_expand() shows them shell-quoted, as -q would.
 */
#define TMPL_ARGV		0x4
#define TMPL_CONTEXT		0x8	/* -X: repeat the word around {} */
#define TMPL_NO_PERL		0x10	/* {= =} is an error: none evaluates it */
#define TMPL_PLUS		0x20	/* --plus: the strings listed above */

struct tmpl_opts {
	/* Replacement string for each enum tmpl_repl; NULL means the default. */
	const char	*repl[TMPL_NREPL];
	int		 flags;
	unsigned long	 nslots;	/* the width of {0%}; 0 for 1 */
};

/* The result of one {= =} for one value; raw: never quoted (uq()). */
struct tmpl_val {
	const char	*s;
	size_t		 len;
	int		 raw;
};

/* What one expansion is made of. */
struct tmpl_ctx {
	const struct arg	*args;	/* the job's arguments, one per source */
	size_t			 nargs;
	unsigned long long	 seq;	/* {#} */
	unsigned long		 slot;	/* {%} */
	/*
	 * The {= =} results, expression by expression in template order:
	 * nargs of them for {= =} (one, for the value "", when nargs is 0),
	 * one for {=n =} (unused when there is no argument n).  NULL when
	 * the template has none.
	 */
	const struct tmpl_val	*pvals;
	unsigned long long	 total;	/* {##} and {0#}; 0: not known */
};

/* The default name of replacement string r, such as "{.}". */
const char	*tmpl_default_name(enum tmpl_repl r);

/*
 * Parse the template made of nwords words, which are joined with single
 * spaces (as GNU parallel does: the result is shell code).  Returns the
 * template, or NULL with *err set to a malloc'd one-line message naming
 * the culprit (for example "empty replacement string");
 * the caller frees *err.  nwords may be 0 (an empty template).
 */
struct tmpl	*tmpl_parse(char *const *words, size_t nwords,
		    const struct tmpl_opts *opts, char **err);
void		 tmpl_free(struct tmpl *);

/*
 * Append the expansion to out.  With quote set, every value taken from the
 * arguments is passed through quote_shell(); with quote clear values are
 * inserted as they are (for --tagstring).  {#} and {%} are never quoted.
 *
 * As in GNU parallel, quote is ignored (no value is quoted) when a
 * replacement string comes before the first blank (space, tab, newline)
 * or '=' of the template's text, words joined with spaces: "{}", "./{}",
 * "{2} {1}", "x{}y z" insert the values as shell code; "echo {}",
 * "V={} cmd" and " {}" do not.  TMPL_QUOTE_WORDS (-q) keeps the quoting.
 * tmpl_size_arg() and tmpl_size_pos() follow the same rule.
 */
void		 tmpl_expand(const struct tmpl *, const struct tmpl_ctx *,
		    int quote, struct buf *out);

/*
 * Return 1 when the template can run without a shell: its literal text
 * has no shell syntax at all (only [A-Za-z0-9_./+,:@%=-], with '=' not in
 * the first word, and blanks between words) and the first word is literal
 * text; with TMPL_QUOTE_WORDS any literal text qualifies, since the shell
 * sees it quoted.  In both cases the first word must also be non-empty
 * and not a shell reserved word (if, for, time, ...), which stays bare
 * even under -q.  The caller still has to check that the first word is
 * not a shell builtin or function.
 */
int		 tmpl_is_simple(const struct tmpl *);

/*
 * As tmpl_is_simple(), where the template's {= =} are taken for values:
 * true of a job whose {= =} results are all quoted (none called uq()).
 * tmpl_program() and tmpl_expand_argv() work on such a template.
 */
int		 tmpl_is_simple_values(const struct tmpl *);

/*
 * The first word of a simple template (the program to run), or NULL.
 * The string belongs to the template.
 */
const char	*tmpl_program(const struct tmpl *);

/*
 * For a simple template: append the argument vector to out, each element
 * followed by a NUL byte, and return the number of elements.  Values are
 * inserted unquoted.  {} with several arguments yields one element per
 * argument, as the shell would split it ("x{}y" with a, b gives "xa",
 * "by"); so do {.} {/} {//} {/.}.  The result equals what the shell would
 * pass to execve for the tmpl_expand() text with quote set: an empty value
 * is still an element, a position past the last argument adds nothing,
 * and a value ends at a NUL byte.  Calling it on a template that is not
 * simple is a BUG().
 */
size_t		 tmpl_expand_argv(const struct tmpl *, const struct tmpl_ctx *,
		    struct buf *out);

/*
 * Measuring a command line before it is made, for packing many arguments
 * into one job.  For a job with n >= 1 arguments a_1..a_n the expansion
 * has, in each field,
 *
 *	base + (n - 1) * sep + tmpl_size_arg(a_1) + ... + tmpl_size_arg(a_n)
 *	    + tmpl_size_pos(args)
 *
 * where base and sep come from tmpl_size_base() for the job's {#} and {%}
 * ({##} and {0#} measured as for a total of 0, which is what a job that
 * many arguments share is given).
 * text is exact: the length of tmpl_expand() with the same quote flag.
 * argv and argc bound what tmpl_expand_argv() gives (bytes with the NULs,
 * and elements) from above.
 */
struct tmpl_size {
	size_t	text;
	size_t	argv;
	size_t	argc;
};

/* The fixed part of every expansion, and what each further argument adds. */
void		 tmpl_size_base(const struct tmpl *, unsigned long long seq,
		    unsigned long slot, struct tmpl_size *base,
		    struct tmpl_size *sep);

/* Add to *sz what the value a costs where {} and its kin stand. */
void		 tmpl_size_arg(const struct tmpl *, const struct arg *a,
		    int quote, struct tmpl_size *sz);

/* Set *sz to what the positional forms ({1} {-1} ...) cost for c's args. */
void		 tmpl_size_pos(const struct tmpl *, const struct tmpl_ctx *c,
		    int quote, struct tmpl_size *sz);

/*
 * The {= =} expressions of the template, in order: how many, and the
 * code of expression i (belonging to the template) with its position in
 * *pos (0 for every value, n or -n as for {n}).
 */
size_t		 tmpl_nperl(const struct tmpl *);
const char	*tmpl_perl(const struct tmpl *, size_t i, long *pos);

/*
 * What messages call expression i: the --plus string it was made from
 * ("{#re}"), belonging to the template, or NULL for one written as {= =}.
 */
const char	*tmpl_perl_name(const struct tmpl *, size_t i);

/*
 * The argument a position picks for c (from 0), or -1 when there is none.
 */
long		 tmpl_pick_index(const struct tmpl_ctx *c, long pos);

/* Return 1 when the template uses replacement string r (any form). */
int		 tmpl_uses(const struct tmpl *, enum tmpl_repl r);

/* Return 1 when the template shows the number of jobs ({##} {0#}). */
int		 tmpl_needs_total(const struct tmpl *);

/*
 * Return 1 when {choose_k} or {uniq} skip the job of c: it is then not
 * run, as when a {= =} calls skip().
 */
int		 tmpl_skips(const struct tmpl *, const struct tmpl_ctx *c);

#endif
