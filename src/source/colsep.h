/* SPDX-License-Identifier: ISC */
/*
 * colsep: input values as tables (--colsep, --trim, --header).
 *
 * With a column separator every value of a tuple is split where the
 * regular expression matches, and the columns of all values, in order,
 * become the job's arguments: {1} {2} ... are columns, and {} is all of
 * them joined by spaces.  The expression is POSIX extended (regcomp with
 * REG_EXTENDED) with the Perl escapes \t \n \r \f \v \e \a \xHH \d \D
 * translated, since GNU parallel takes a Perl expression; glibc also
 * knows \s \S \w \W.  A separator that matches the empty string splits
 * between characters, and empty columns are kept (also at the end).
 *
 * --trim removes blanks (space, \t, \n, \r, \f, \v) from the start
 * and/or the end of each column (each value without a separator).  With
 * a separator it trims both ends unless told otherwise.
 *
 * With a header, the first tuple names the columns: its values, less one
 * final '\r' each (a header line with a DOS line ending), are split the
 * same way (never trimmed), and {name} {name.} {name/} {name//}
 * {name/.} in the templates are rewritten as the positional form of that
 * column before they are parsed.  A header without a separator splits at
 * tabs, as GNU parallel does.
 *
 * Only the main thread uses it.
 */
#ifndef PARX_COLSEP_H
#define PARX_COLSEP_H

#include <stddef.h>

#include "arg.h"

struct colsep;

#define COLSEP_TRIM_LEFT	0x1
#define COLSEP_TRIM_RIGHT	0x2

struct colsep_opts {
	const char	*regex;		/* the separator; NULL: none */
	int		 header;	/* the first tuple is the header */
	int		 trim;		/* COLSEP_TRIM_*; -1: the default */
	/*
	 * --csv: each value is a CSV record, its fields the columns: regex
	 * is then the literal separator (NULL: ","), a field in double
	 * quotes may hold it, newlines and "" (one quote); nothing is
	 * trimmed by default unless a separator was given.
	 */
	int		 csv;
};

/*
 * Make the splitter.  Returns NULL with *err set to a malloc'd one-line
 * message when the expression does not compile; the caller frees *err.
 */
struct colsep	*colsep_new(const struct colsep_opts *, char **err);
void		 colsep_free(struct colsep *);

/*
 * Parse a --trim value: n, l, r, lr or rl.  Returns the COLSEP_TRIM_*
 * bits, or -1.
 */
int		 colsep_parse_trim(const char *);

/*
 * The arguments of one job from a tuple of nargs values.  *out points to
 * *nout slices of the values, valid until the next call and as long as
 * the values are.
 */
void		 colsep_split(struct colsep *, const struct arg *args,
		    size_t nargs, const struct arg **out, size_t *nout);

/*
 * The columns of the header tuple, split as colsep_set_header() splits
 * them (never trimmed); valid as colsep_split()'s are.
 */
void		 colsep_split_header(struct colsep *, const struct arg *args,
		    size_t nargs, const struct arg **out, size_t *nout);

/*
 * --csv: the value colsep_split() last found not to be a CSV record
 * (a quote inside a field that does not start with one, or text after a
 * closing quote), valid as the values are; NULL when all were.
 */
const struct arg *colsep_csv_bad(const struct colsep *);

/* Learn the column names from the header tuple; the values are copied. */
void		 colsep_set_header(struct colsep *, const struct arg *args,
		    size_t nargs);

/*
 * Rewrite the named replacement strings in n words (see above).  Returns
 * n malloc'd words in a malloc'd array; free it with colsep_free_words().
 * A name that is empty, holds a brace or is a number ({1} stays the first
 * column) is not used.  Each word is rewritten on its own, as templates
 * are parsed: a name with blanks must be quoted into one word.
 */
char		**colsep_rewrite(const struct colsep *, char *const *words,
		    size_t n);
void		 colsep_free_words(char **, size_t n);

#endif
