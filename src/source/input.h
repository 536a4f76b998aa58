/* SPDX-License-Identifier: ISC */
/*
 * input: the job arguments from every source behind one input_next().
 *
 * A source is standard input, a file (-a, ::::) or a list of words (:::).
 * Several sources combine as a cartesian product, the last source varying
 * fastest; a source added with linked set advances together with the one
 * before it (:::+, ::::+: the group stops at its shortest member); with
 * INPUT_LINK_ALL every source advances together and shorter ones wrap
 * around, the group being as long as the longest (--link).
 *
 * The first source is streamed when it can be: its records are returned as
 * they arrive, and memory does not grow with its length.  Every other
 * source (and all of them under INPUT_LINK_ALL) is read whole by
 * input_start(), since it is walked more than once.
 *
 * Records end at the delimiter (default "\n"; "\0" for -0; any byte string
 * for -d).  The delimiter is removed; everything else (spaces, '\r',
 * invalid UTF-8, NUL bytes unless NUL is the delimiter) is kept.  Empty
 * records are values too, and a last record without a delimiter counts.
 * List words (:::) are values as given, never split.
 *
 * Not thread-safe: the main thread owns the input.
 */
#ifndef PARX_INPUT_H
#define PARX_INPUT_H

#include <stddef.h>

#include "arg.h"

struct input;

#define INPUT_LINK_ALL	0x1	/* --link */
/*
 * --header: the first record of every source is its header, not a value.
 * The first tuple input_next() returns holds the headers (one per source;
 * empty for a source that has none), and they are left out of all others.
 */
#define INPUT_HEADER	0x2
/* --shebang: the first line of the first source (the script's #! line) is
 * not input. */
#define INPUT_SKIP_LINE	0x4
/*
 * --csv: a record goes on past a delimiter while it holds an odd number of
 * double quotes (a quoted field with a newline), as GNU parallel reads it.
 */
#define INPUT_CSV	0x8

/* Results of input_next(). */
#define INPUT_ERROR	(-1)	/* errno set; input_culprit() names the source */
#define INPUT_END	0	/* no more tuples */
#define INPUT_OK	1	/* a tuple was returned */
#define INPUT_AGAIN	2	/* poll input_pollfd(), then call input_read() */

/*
 * Create an empty input.  delim/delim_len is the record terminator
 * (copied; NULL means "\n").
 */
struct input	*input_new(const char *delim, size_t delim_len, int flags);
void		 input_free(struct input *);

/*
 * Add a source, in command-line order.  A path of "-" is standard input.
 * Words are copied.  linked: advance with the previous source (ignored for
 * the first source).
 */
void		 input_add_file(struct input *, const char *path, int linked);
void		 input_add_words(struct input *, char *const *words, size_t n,
		    int linked);

/*
 * -E: a record equal to eof (copied) ends its source; the records after
 * it are not read.  Call before input_start().
 */
void		 input_set_eof(struct input *, const char *eof);

/*
 * Open every file and read whole the sources that are not streamed.
 * Returns 0, or -1 with errno set and input_culprit() naming the source
 * (its path) that failed.  All descriptors it opens are close-on-exec.
 */
int		 input_start(struct input *);

/*
 * Produce the next tuple: *args points to *nargs values, one per source,
 * valid until the next call to any input_ function.  Never blocks: when
 * the streamed source has no complete record buffered it returns
 * INPUT_AGAIN.
 */
int		 input_next(struct input *, const struct arg **args,
		    size_t *nargs);

/* The descriptor to poll for POLLIN after INPUT_AGAIN, or -1. */
int		 input_pollfd(const struct input *);

/*
 * Read once (a single read(2)) from the streamed source into its buffer.
 * Returns 0 (also at end of file), or -1 with errno set.  EINTR and EAGAIN
 * are returned as they are; the caller retries.
 */
int		 input_read(struct input *);

/*
 * The number of tuples input_next() will produce, known at input_start()
 * when no source is streamed; -1 when a streamed source decides it.
 */
long long	 input_total(const struct input *);

/* The number of sources. */
size_t		 input_nsources(const struct input *);

/* The source that caused the last error ("-" for standard input). */
const char	*input_culprit(const struct input *);

/*
 * 1 once the first three values of the first source, in the order read
 * (after --header), have each been seen to end in \r, as the lines of a
 * DOS file do without -d '\r\n'; else 0.
 */
int		 input_crnl(const struct input *);

/*
 * 1 when each of the nargs values holds only blanks (space, tab, newline,
 * carriage return): a tuple -r leaves out.  Thread-safe.
 */
int		 input_blank(const struct arg *args, size_t nargs);

/*
 * Parse a -d argument: a single character, a C escape (\n \t \r \0 \\ \a
 * \b \f \v), an octal \NNN or hex \xHH escape, or a string of these.
 * Returns a malloc'd byte string and its length, or NULL when spec is
 * empty or malformed.
 */
char		*input_parse_delim(const char *spec, size_t *len);

/* The value of the hex digit c (0-9, a-f, A-F), or -1.  Thread-safe. */
int		 input_hexval(int c);

#endif
