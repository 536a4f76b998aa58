/* SPDX-License-Identifier: ISC */
/*
 * options: the command line's options as one table, after git's
 * parse-options.  Each row names an option (long name, short letter), the
 * kind of its argument, where its value goes and its lines of --help; the
 * getopt_long arrays, --help and the list of long names that the docs
 * check reads are all made from the table.  Adding an option is adding a
 * row (and, for OPT_CALL, its function).
 *
 * The table ends with an OPT_END row.  Values go to base + dest, where base
 * is the struct that opts_parse() is given; fn gets that base too.
 */
#ifndef PARX_CMD_OPTIONS_H
#define PARX_CMD_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "msg.h"

enum opt_kind {
	OPT_END,	/* ends the table */
	OPT_TEXT,	/* no option: help holds lines of --help */
	OPT_ALIAS,	/* another name (long or short) for the row alias_of */
	OPT_NOOP,	/* accepted and ignored */
	OPT_FLAG,	/* no argument: store val in the integer at dest */
	OPT_BITS,	/* no argument: or val into the unsigned at dest */
	OPT_STRING,	/* store the argument in the const char * at dest */
	OPT_LIST,	/* append the argument to the char ** at dest, whose
			   size_t count is at count */
	OPT_INT,	/* a whole number in [min, max] (num_parse_ll) */
	OPT_SIZE,	/* a size in [min, max] (num_parse_size) */
	OPT_DURATION,	/* seconds, "1h30m" (num_parse_duration) */
	OPT_CALL	/* fn does it all with the argument, if any */
};

/*
 * What a shell may offer for an option's argument: the completion scripts
 * (complete.h) are written from it.
 */
enum opt_complete {
	OPTC_NONE,	/* nothing: free text or a number */
	OPTC_WORDS,	/* one of the words of values */
	OPTC_FILE,	/* a file */
	OPTC_DIR,	/* a directory */
	OPTC_COMMAND,	/* a command */
	OPTC_HOST,	/* a host name */
	OPTC_VAR,	/* the name of an environment variable */
	OPTC_SIGNALS,	/* signal names and numbers, comma-separated */
	OPTC_FUNC	/* a builtin function of --func, or a plugin file */
};

#define OPTF_NONEMPTY	0x01	/* OPT_STRING: "" is a bad value */
#define OPTF_CLAMP	0x02	/* OPT_INT: out of bounds means the bound */
#define OPTF_LOCAL	0x04	/* --compare does not pass it to its runs */
#define OPTF_HOSTS	0x10	/* --onall does not pass it to its runs */
#define OPTF_LOCAL_LIST	0x20	/* OPTF_LOCAL when its value is a list
				   (-j 1,2,4 with --compare) */
/*
 * An optional argument not attached to the option ("-l", "--max-lines")
 * is the next word when that word is a number, digits with an optional
 * fraction ("-l 2"), as Getopt::Long reads GNU parallel's "max-lines:f".
 */
#define OPTF_NEXT_NUMBER 0x08

/* What --help shows of a row (struct opt's show); --help-all shows all. */
#define OPTS_BRIEF	0x01	/* its help, in --help too */
#define OPTS_HEAD	0x02	/* a heading: the options of the section
				   above not shown are named before it */

/* Room for an option's name as opt_value shows it: "--long/-s". */
#define OPTS_NAME_MAX	64

/* An option's argument, as read for its kind. */
struct opt_value {
	const char		*arg;	/* the argument, or NULL */
	long long		 i;	/* OPT_INT */
	unsigned long long	 u;	/* OPT_SIZE */
	double			 d;	/* OPT_DURATION */
	/*
	 * The option as the command line named it, for messages: the long
	 * name given (an alias stays an alias), or the long name of the
	 * short letter given, with the row's short letter: "--jobs/-j",
	 * "--max-procs/-P", "--block-size", "-I".
	 */
	char			 name[OPTS_NAME_MAX];
	/*
	 * Where the argument came from when not from the command line:
	 * "FILE:LINE" or "$PARALLEL" (opts_parse's from), else NULL.
	 */
	const char		*from;
};

/*
 * A bad value is reported in one shape: "invalid WHAT 'VALUE' for OPTION:
 * expected EXPECT", OPTION as the command line named it (opt_value).
 */
struct opt_bad {
	const char	*what;		/* "number of jobs" */
	const char	*expect;	/* "N, 0, +N, -N or N%" */
};

struct opt;

/*
 * A row's function: called with the parsed value after the row's bounds
 * are checked.  Returns 0 to go on, 1 when parx is done and exits 0
 * (--help, --version).  It may report a bad value with opts_bad().
 */
typedef int opt_fn(void *base, const struct opt *o, const struct opt_value *v);

struct opt {
	const char	*name;		/* long name, or NULL */
	int		 shrt;		/* short letter, or 0 */
	enum opt_kind	 kind;
	int		 arg;		/* OPT_CALL: no_, required_ or
					   optional_argument */
	size_t		 dest;		/* offset of the value in base */
	size_t		 size;		/* and its size */
	size_t		 count;		/* OPT_LIST: offset of the count */
	long long	 val;		/* OPT_FLAG, OPT_BITS: the value */
	long long	 min, max;	/* OPT_INT, OPT_SIZE: the bounds (for
					   OPT_SIZE, max 0 is none) */
	opt_fn		*fn;		/* called instead of storing, if set */
	const struct opt_bad *bad;	/* how to report a bad value, or
					   NULL if none can be bad */
	unsigned	 flags;		/* OPTF_* */
	const char	*alias_of;	/* OPT_ALIAS: the long name it stands
					   for */
	const char	*help;		/* lines of --help, or NULL */
	unsigned	 show;		/* OPTS_*: in --help */
	enum opt_complete complete;	/* what its argument is */
	const char	*values;	/* OPTC_WORDS: the words, by spaces */
};

/*
 * Read the options of argv (argv[0] is the program) with tab, up to the
 * first word that is not an option: getopt_long with "+", its
 * abbreviations included.  keep has argc + 1 bytes, each CONFIG_KEEP_*
 * bits: the words of OPTF_LOCAL options lose CONFIG_KEEP_COMPARE, those
 * of OPTF_HOSTS options CONFIG_KEEP_ONALL.  from, when not NULL, says where each word
 * came from (NULL for the command line itself), and a message about a
 * word from elsewhere starts with it.  Returns the index of the first
 * operand, or -1 when a row's fn asked to stop with status 0.  A bad
 * option or value is reported and parx exits with EXIT_PARX.
 */
int	opts_parse(const struct opt *tab, void *base, int argc, char **argv,
	    unsigned char *keep, char *const *from);

/* What opts_scan() calls for each option: its row (not an alias), arg. */
typedef void opt_scan_fn(void *ctx, const struct opt *o, const char *arg);

/*
 * Find the options of argv as opts_parse() would, acting on none: call fn
 * (when not NULL) with ctx for each, and check nothing but that each is
 * known and has its argument (a bad one is reported as opts_parse() does,
 * with from, and parx exits with EXIT_PARX).  Returns the index of the
 * first operand; *dashes is 1 when "--" ended the options, else 0.
 */
int	opts_scan(const struct opt *tab, int argc, char **argv,
	    char *const *from, opt_scan_fn *fn, void *ctx, int *dashes);

/* The row an alias stands for, or o itself. */
const struct opt *opts_target(const struct opt *tab, const struct opt *o);

/* no_argument, required_argument or optional_argument, for the row o. */
int	opts_has_arg(const struct opt *o);

/*
 * Write --help-all (all is 1): the help of every row, in the table's
 * order; or --help: that of the OPTS_BRIEF rows, each section ending with
 * the names of the options it holds that were not shown.
 */
void	opts_help(const struct opt *tab, int all, FILE *fp);

/*
 * Whether the lines of help name the option word ("--tag", "-v") as a
 * whole, not as part of a longer name.
 */
int	opts_help_names(const char *help, const char *word);

/*
 * Write the long name of every row, one a line, for the docs check; with
 * only_main, of every row but the aliases.
 */
void	opts_list(const struct opt *tab, int only_main, FILE *fp);

/*
 * Read arg, v's argument or the part of it that holds a size, as a size
 * within o's bounds (OPT_SIZE), for a row's fn; when it is bad, v is
 * reported with opts_bad().
 */
unsigned long long opts_size(const struct opt *o, const struct opt_value *v,
	    const char *arg);

/* Append word to the list *list of *n words (OPT_LIST). */
void	opts_append(char ***list, size_t *n, char *word);

/*
 * Report v's argument as bad for o, in the one line of o's struct
 * opt_bad, and exit with EXIT_PARX.
 */
void	opts_bad(const struct opt *o, const struct opt_value *v) PARX_NORETURN;

/* Point to --help and exit with EXIT_PARX. */
void	opts_usage_error(void) PARX_NORETURN;

#endif
