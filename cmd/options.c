/* SPDX-License-Identifier: ISC */
/*
 * options: getopt_long driven by one table of options (options.h).  The
 * struct option array and the short-option string are built from the rows;
 * each option getopt_long returns is found again by its value and handled
 * by the kind of its row.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "exitcode.h"
#include "num.h"
#include "xalloc.h"

/* getopt_long values of rows without a short letter start here. */
#define OPTS_VAL_BASE	256

/* Point to --help and exit. */
void
opts_usage_error(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    msg_progname());
	exit(EXIT_PARX);
}

/*
 * Report a problem with an option, after where the option came from
 * ("FILE:LINE: ", "$PARALLEL: ") when that is not the command line.
 */
static void PARX_PRINTF(2, 3)
opts_error(const char *where, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (where)
		msg_error("%s: %s", where, line);
	else
		msg_error("%s", line);
}

/*
 * Report a bad value for o and exit.  The message is one line that says
 * it all, so no --help hint follows.
 */
void
opts_bad(const struct opt *o, const struct opt_value *v)
{
	if (o->bad == NULL)
		BUG("option %s has no message for a bad value", v->name);
	opts_error(v->from, "invalid %s '%s' for %s: expected %s",
	    o->bad->what, v->arg, v->name, o->bad->expect);
	exit(EXIT_PARX);
}

/*
 * The row named name (a long name), which must exist: with aliases, the
 * row of that name itself, else the row an alias stands for.
 */
static const struct opt *
opts_named(const struct opt *tab, const char *name, int aliases)
{
	const struct opt *o;

	for (o = tab; o->kind != OPT_END; o++)
		if (o->name && (aliases || o->kind != OPT_ALIAS) &&
		    strcmp(o->name, name) == 0)
			return o;
	BUG("no option --%s", name);
}

/*
 * The row an alias stands for, or o itself.  An alias mostly follows its
 * row: look back from it first (no two rows that are not aliases share a
 * name, so the row found is the same).
 */
const struct opt *
opts_target(const struct opt *tab, const struct opt *o)
{
	const struct opt *t;

	if (o->kind != OPT_ALIAS)
		return o;
	for (t = o; t-- > tab;)
		if (t->name && t->kind != OPT_ALIAS &&
		    strcmp(t->name, o->alias_of) == 0)
			return t;
	return opts_named(tab, o->alias_of, 0);
}

/* The value getopt_long returns for the row o (not an alias). */
static int
opts_val(const struct opt *tab, const struct opt *o)
{
	return o->shrt ? o->shrt : OPTS_VAL_BASE + (int)(o - tab);
}

/* Whether the row o takes no, a required or an optional argument. */
int
opts_has_arg(const struct opt *o)
{
	switch (o->kind) {
	case OPT_STRING:
	case OPT_LIST:
	case OPT_INT:
	case OPT_SIZE:
	case OPT_DURATION:
		return required_argument;
	case OPT_CALL:
		return o->arg;
	default:
		return no_argument;
	}
}

/* Build the getopt_long arrays of tab; the caller frees both. */
static void
opts_getopt_arrays(const struct opt *tab, struct option **longs,
    char **shorts)
{
	const struct opt *o, *t;
	size_t n = 0, k = 0, ns = 2;
	char *s;

	for (o = tab; o->kind != OPT_END; o++) {
		n += o->name != NULL;
		ns += o->shrt ? 3 : 0;
	}
	*longs = xreallocarray(NULL, n + 1, sizeof(**longs));
	*shorts = s = xmalloc(ns + 1);
	/* "+": stop at the command; ":": tell a missing argument apart. */
	*s++ = '+';
	*s++ = ':';
	for (o = tab; o->kind != OPT_END; o++) {
		if (o->kind == OPT_TEXT)
			continue;
		t = opts_target(tab, o);
		if (o->name) {
			(*longs)[k].name = o->name;
			(*longs)[k].has_arg = opts_has_arg(t);
			(*longs)[k].flag = NULL;
			(*longs)[k].val = opts_val(tab, t);
			k++;
		}
		if (o->shrt) {
			*s++ = (char)o->shrt;
			if (opts_has_arg(t) != no_argument)
				*s++ = ':';
			if (opts_has_arg(t) == optional_argument)
				*s++ = ':';
		}
	}
	memset(&(*longs)[k], 0, sizeof(**longs));
	*s = '\0';
}

/*
 * The getopt_long arrays of tab, made once: parx reads its options in
 * several passes (the config file, $PARALLEL, the command line), and
 * making them costs more than all the rest of a one-job run's start.
 */
static void
opts_arrays_of(const struct opt *tab, struct option **longs, char **shorts)
{
	static const struct opt *made_for;
	static struct option *made_longs;
	static char *made_shorts;

	if (made_for != tab) {
		free(made_longs);
		free(made_shorts);
		opts_getopt_arrays(tab, &made_longs, &made_shorts);
		made_for = tab;
	}
	*longs = made_longs;
	*shorts = made_shorts;
}

/* The row for the value c that getopt_long returned, or NULL. */
static const struct opt *
opts_find(const struct opt *tab, int c)
{
	const struct opt *o;

	for (o = tab; o->kind != OPT_END; o++) {
		if (o->kind == OPT_TEXT)
			continue;
		if (o->shrt == c || (o->kind != OPT_ALIAS && o->shrt == 0 &&
		    opts_val(tab, o) == c))
			return opts_target(tab, o);
	}
	return NULL;
}

/* Store v, a whole number, in the integer of size bytes at p. */
static void
opts_store_int(void *p, size_t size, long long v)
{
	int i = (int)v;

	if (size == sizeof(int))
		memcpy(p, &i, size);
	else if (size == sizeof(long long))
		memcpy(p, &v, size);
	else
		BUG("no integer of %zu bytes", size);
}

/* Store v in the unsigned integer of size bytes at p. */
static void
opts_store_uint(void *p, size_t size, unsigned long long v)
{
	unsigned u = (unsigned)v;

	if (size == sizeof(unsigned))
		memcpy(p, &u, size);
	else if (size == sizeof(unsigned long long))
		memcpy(p, &v, size);
	else
		BUG("no unsigned integer of %zu bytes", size);
}

/* Read a size within o's bounds; max 0 is no bound. */
unsigned long long
opts_size(const struct opt *o, const struct opt_value *v, const char *arg)
{
	unsigned long long u;

	if (num_parse_size(arg, &u) == -1 ||
	    u < (unsigned long long)o->min ||
	    (o->max && u > (unsigned long long)o->max))
		opts_bad(o, v);
	return u;
}

/* Append word to a list. */
void
opts_append(char ***list, size_t *n, char *word)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = word;
}

/* Read v's argument for the value kinds; a bad one is reported. */
static void
opts_read(const struct opt *o, struct opt_value *v)
{
	const char *arg = v->arg;

	switch (o->kind) {
	case OPT_INT:
		if (num_parse_ll(arg, o->min, o->max, &v->i) == -1 &&
		    !(errno == ERANGE && (o->flags & OPTF_CLAMP)))
			opts_bad(o, v);
		break;
	case OPT_SIZE:
		v->u = opts_size(o, v, arg);
		break;
	case OPT_DURATION:
		if (num_parse_duration(arg, &v->d) == -1)
			opts_bad(o, v);
		break;
	case OPT_STRING:
		if ((o->flags & OPTF_NONEMPTY) && *arg == '\0')
			opts_bad(o, v);
		break;
	default:
		break;
	}
}

/* Handle the option of row o with its argument v->arg (or NULL). */
static int
opts_handle(const struct opt *o, void *base, struct opt_value *v)
{
	const char *arg = v->arg;
	char *p = (char *)base + o->dest;
	char ***list;
	size_t *n;

	opts_read(o, v);
	if (o->fn)
		return o->fn(base, o, v);
	switch (o->kind) {
	case OPT_NOOP:
		break;
	case OPT_FLAG:
		opts_store_int(p, o->size, o->val);
		break;
	case OPT_BITS: {
		unsigned u;

		memcpy(&u, p, sizeof(u));
		u |= (unsigned)o->val;
		memcpy(p, &u, sizeof(u));
		break;
	}
	case OPT_STRING:
		memcpy(p, &arg, sizeof(arg));
		break;
	case OPT_LIST:
		list = (char ***)(void *)p;
		n = (size_t *)(void *)((char *)base + o->count);
		opts_append(list, n, (char *)arg);
		break;
	case OPT_INT:
		opts_store_int(p, o->size, v->i);
		break;
	case OPT_SIZE:
		opts_store_uint(p, o->size, v->u);
		break;
	case OPT_DURATION:
		memcpy(p, &v->d, sizeof(v->d));
		break;
	default:
		BUG("option --%s has nothing to do", o->name ? o->name : "?");
	}
	return 0;
}

/*
 * Whether the long option word abbreviates the names of more than one
 * option (aliases of one option are one): if so, say which, after where.
 */
static int
opts_ambiguous(const struct option *longs, const char *word,
    const char *where)
{
	const struct option *l, *first = NULL;
	struct buf names;
	size_t len;
	int n = 0;

	if (strncmp(word, "--", 2) != 0)
		return 0;
	word += 2;
	len = strcspn(word, "=");
	buf_init(&names);
	for (l = longs; l->name; l++) {
		if (strncmp(l->name, word, len) != 0)
			continue;
		if (first == NULL || l->val != first->val)
			n++;
		if (first == NULL)
			first = l;
		buf_addstr(&names, names.len ? ", --" : "--");
		buf_addstr(&names, l->name);
	}
	if (n > 1)
		opts_error(where, "option '--%.*s' is ambiguous: %s", (int)len,
		    word, names.data);
	buf_release(&names);
	return n > 1;
}

/*
 * getopt_long's complaints, in parx's words; where is the word's origin;
 * longs is freed.  The --help hint is for the command line: a word from a
 * file or from $PARALLEL is named where it is, in one line.
 */
static void PARX_NORETURN
opts_complain(int c, char **argv, const char *where, struct option *longs)
{
	const char *word = argv[optind - 1];

	if (c == ':') {
		if (strncmp(word, "--", 2) == 0)
			opts_error(where, "option '%s' requires an argument",
			    word);
		else
			opts_error(where, "option requires an argument -- '%c'",
			    optopt);
	} else if (optopt && strncmp(word, "--", 2) != 0) {
		opts_error(where, "invalid option -- '%c'", optopt);
	} else if (optopt) {
		/* getopt_long sets optopt for a flag given "=value". */
		opts_error(where, "option '%.*s' doesn't allow an argument",
		    (int)strcspn(word, "="), word);
	} else if (!opts_ambiguous(longs, word, where)) {
		opts_error(where, "unrecognized option '%s'", word);
	}
	free(longs);
	if (where)
		exit(EXIT_PARX);
	opts_usage_error();
}

/*
 * Name the option that getopt_long returned c for as the command line
 * named it: the long name longs[li] (li is -1 for a short letter), or the
 * long name of the row with the short letter c, and that row's letter.
 */
static void
opts_spell(const struct opt *tab, const struct option *longs, int li, int c,
    char *name, size_t size)
{
	const struct opt *o;

	if (li >= 0)
		o = opts_named(tab, longs[li].name, 1);
	else
		for (o = tab; o->kind != OPT_END; o++)
			if (o->kind != OPT_TEXT && o->shrt == c)
				break;
	if (o->kind == OPT_END)
		BUG("no option -%c", c);
	if (o->name && o->shrt)
		snprintf(name, size, "--%s/-%c", o->name, o->shrt);
	else if (o->name)
		snprintf(name, size, "--%s", o->name);
	else
		snprintf(name, size, "-%c", o->shrt);
}

/* One getopt_long pass over a command line with a table. */
struct opts_pass {
	const struct opt	*tab;
	int			 argc;
	char			**argv;
	char *const		*from;
	struct option		*longs;
	char			*shorts;
	int			 c;	/* what getopt_long returned */
	int			 li;	/* the long option it found, or -1 */
	int			 end;	/* the index after the last option */
};

static void
opts_pass_init(struct opts_pass *p, const struct opt *tab, int argc,
    char **argv, char *const *from)
{
	memset(p, 0, sizeof(*p));
	p->tab = tab;
	p->argc = argc;
	p->argv = argv;
	p->from = from;
	p->end = 1;
	opts_arrays_of(tab, &p->longs, &p->shorts);
	opterr = 0;	/* report bad options in parx's own words */
	optind = 0;	/* start afresh: parx reads more than one line */
}

static void
opts_pass_release(struct opts_pass *p)
{
	p->longs = NULL;	/* opts_arrays_of() keeps them */
	p->shorts = NULL;
}

/* Where the word before optind came from, or NULL. */
static const char *
opts_where(const struct opts_pass *p)
{
	int i = optind - 1 < p->argc ? optind - 1 : p->argc - 1;

	return p->from && i > 0 ? p->from[i] : NULL;
}

/* Whether word is digits with an optional fraction: "2", "1.5", ".5". */
static int
opts_is_number(const char *word)
{
	size_t n, f;

	n = strspn(word, "0123456789");
	if (word[n] != '.')
		return n > 0 && word[n] == '\0';
	f = strspn(word + n + 1, "0123456789");
	return f > 0 && word[n + 1 + f] == '\0';
}

/*
 * The row of the next option, or NULL at the first operand; a bad option
 * is reported.  An OPTF_NEXT_NUMBER option given no argument takes the
 * next word as its argument (optarg) when that word is a number.
 */
static const struct opt *
opts_pass_next(struct opts_pass *p)
{
	const struct opt *o;
	int c;

	p->li = -1;
	c = p->c = getopt_long(p->argc, p->argv, p->shorts, p->longs, &p->li);
	if (c == -1)
		return NULL;
	if (c == ':' || c == '?' || (o = opts_find(p->tab, c)) == NULL) {
		free(p->shorts);
		opts_complain(c, p->argv, opts_where(p), p->longs);
	}
	if ((o->flags & OPTF_NEXT_NUMBER) && optarg == NULL &&
	    optind < p->argc && opts_is_number(p->argv[optind]))
		optarg = p->argv[optind++];
	p->end = optind;
	return o;
}

/* Find the options of argv, acting on none. */
int
opts_scan(const struct opt *tab, int argc, char **argv, char *const *from,
    opt_scan_fn *fn, void *ctx, int *dashes)
{
	struct opts_pass p;
	const struct opt *o;

	opts_pass_init(&p, tab, argc, argv, from);
	while ((o = opts_pass_next(&p)) != NULL)
		if (fn)
			fn(ctx, o, opts_has_arg(o) == no_argument ? NULL :
			    optarg);
	/* getopt_long steps over the "--" that ends the options. */
	*dashes = optind > p.end;
	opts_pass_release(&p);
	return optind;
}

/* Read the options of argv with tab. */
int
opts_parse(const struct opt *tab, void *base, int argc, char **argv,
    unsigned char *keep, char *const *from)
{
	struct opts_pass p;
	struct opt_value v;
	const struct opt *o;
	int k, before = 1, stop = 0;

	opts_pass_init(&p, tab, argc, argv, from);
	while (!stop && (o = opts_pass_next(&p)) != NULL) {
		/* --compare and --onall hand the rest to their runs. */
		for (k = before; k < optind && k < argc; k++) {
			if ((o->flags & OPTF_LOCAL) ||
			    ((o->flags & OPTF_LOCAL_LIST) && optarg &&
			    strchr(optarg, ',')))
				keep[k] &= ~CONFIG_KEEP_COMPARE;
			if (o->flags & OPTF_HOSTS)
				keep[k] &= ~CONFIG_KEEP_ONALL;
		}
		before = optind;
		memset(&v, 0, sizeof(v));
		v.arg = opts_has_arg(o) == no_argument ? NULL : optarg;
		v.from = opts_where(&p);
		opts_spell(tab, p.longs, p.li, p.c, v.name, sizeof(v.name));
		stop = opts_handle(o, base, &v);
	}
	opts_pass_release(&p);
	return stop ? -1 : optind;
}

/* Whether help names word. */
int
opts_help_names(const char *help, const char *word)
{
	const char *p = help;
	size_t n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		if ((p == help || strchr(" ,(/", p[-1])) &&
		    strchr(" ,)/=\n[", p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* Whether a row of the section [from, to) shown by --help names word. */
static int
opts_help_shown(const struct opt *from, const struct opt *to,
    const char *word)
{
	const struct opt *o;

	for (o = from; o < to; o++)
		if ((o->show & OPTS_BRIEF) && o->help &&
		    opts_help_names(o->help, word))
			return 1;
	return 0;
}

/*
 * Name the options of the section [from, to) that --help did not show,
 * in lines of "  also: --a --b" under 80 columns.
 */
static void
opts_help_also(const struct opt *from, const struct opt *to, FILE *fp)
{
	const struct opt *o;
	char word[OPTS_NAME_MAX];
	size_t col = 0;

	for (o = from; o && o < to; o++) {
		if (o->kind == OPT_TEXT || o->kind == OPT_ALIAS ||
		    (o->show & OPTS_BRIEF) || (o->name &&
		    strncmp(o->name, "internal-", 9) == 0))
			continue;
		if (o->name)
			snprintf(word, sizeof(word), "--%s", o->name);
		else
			snprintf(word, sizeof(word), "-%c", o->shrt);
		if (opts_help_shown(from, to, word))
			continue;
		if (col == 0 || col + 1 + strlen(word) > 79) {
			col = (size_t)fprintf(fp, "%s%s", col ? "\n" : "",
			    col ? "       " : "  also:") - (col ? 1 : 0);
		}
		col += (size_t)fprintf(fp, " %s", word);
	}
	if (col)
		fputc('\n', fp);
}

/* Write --help or --help-all. */
void
opts_help(const struct opt *tab, int all, FILE *fp)
{
	const struct opt *o, *section = NULL;

	for (o = tab; o->kind != OPT_END; o++) {
		if ((o->show & OPTS_HEAD) && !all)
			opts_help_also(section, o, fp);
		if (o->show & OPTS_HEAD)
			section = o;
		if (o->help && (all || (o->show & OPTS_BRIEF)))
			fputs(o->help, fp);
	}
	if (!all)
		opts_help_also(section, o, fp);
}

/* Write every long name, or those of the rows that are no alias. */
void
opts_list(const struct opt *tab, int only_main, FILE *fp)
{
	const struct opt *o;

	for (o = tab; o->kind != OPT_END; o++)
		if (o->name && !(only_main && o->kind == OPT_ALIAS))
			fprintf(fp, "%s\n", o->name);
}
