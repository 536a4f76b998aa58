/* SPDX-License-Identifier: ISC */
/*
 * batch: several input tuples per job (-X, -m, --xargs, -N, -n, -L, -l).
 *
 * A batch sits between the source and the main loop.  batch_next() takes
 * tuples from the source (env->next) and hands out the arguments of the next job:
 * the values of consecutive tuples one after the other, as many tuples as
 * -N/-n/-L allow and as fit on one command line (-s, else the system's
 * limit for the way the job is run), whichever is fewer.  A job starts
 * when its line is full, its count is reached, or the input has ended: a
 * slow input makes the batch wait, as xargs does.
 *
 * With -X or -m and several job slots, the arguments left when the input
 * ends are spread evenly over the slots instead of filling one line (the
 * first jobs still get full lines).  -L joins an input line that ends in a
 * blank with the next one into one argument (one input source only).
 * -N0, -n0 and -L0 read one tuple per job and give it no arguments.
 *
 * Memory holds one command line's worth of arguments and the tuple that
 * did not fit: it does not grow with the input.  Not thread-safe: the main
 * thread owns the batch.
 */
#ifndef PARX_BATCH_H
#define PARX_BATCH_H

#include <stddef.h>

#include "arg.h"

struct tmpl;
struct batch;

/* What the command line asked for. */
struct batch_opts {
	int		 X;		/* -X: fill lines, repeat the word around {} */
	int		 m;		/* -m: fill lines */
	int		 xargs;		/* --xargs: fill lines, never spread */
	int		 nargs_set;	/* -n or -N was given */
	unsigned long	 nargs;		/* tuples per job */
	int		 N;		/* ... and it was -N */
	int		 lines_set;	/* -L or -l was given */
	unsigned long	 lines;		/* input lines per job */
	int		 L;		/* ... and -L was among them */
	size_t		 max_chars;	/* -s: bytes per command line, NUL
					   included; 0: not given (batching
					   reads it from batch_env.usable) */
};

/*
 * Where tuples come from: the source's next tuple, after --header,
 * --shuf, -r and --colsep, with input_next()'s return codes.  A tuple
 * may hold any number of values (--colsep splits lines into as many
 * columns as they have).
 */
typedef int	 (*batch_next_fn)(void *, const struct arg **, size_t *);

/* What the main loop knows about running the jobs. */
struct batch_env {
	batch_next_fn		 next;
	void			*next_ctx;
	size_t			 nsrc;		/* input sources */
	int			 colsep;	/* tuples are split lines */
	const struct tmpl	*tmpl;
	int			 quote;		/* values are shell-quoted */
	int			 direct;	/* jobs are exec'd, not sh -c */
	unsigned long		 nslots;
	size_t			 arg_max;	/* sys_arg_max() */
	size_t			 arg_strlen_max; /* sys_arg_strlen_max() */
	size_t			 env_size;	/* what the environment takes */
	size_t			 usable;	/* GNU's usable command size */
	size_t			 env_code;	/* $PARALLEL_ENV's code before
						   each command: bytes */
	int			 quote_words;	/* -q: GNU counts a line 3 times */
	int			 remote;	/* -S: GNU counts 4/3 of it */
};

/* 1 when the options ask for several tuples per job, else 0. */
int		 batch_enabled(const struct batch_opts *);

/*
 * 1 when {} should repeat the word around it (tmpl.h TMPL_CONTEXT): -X,
 * -N, and -L unless -m is given; not -l, as in GNU parallel.
 */
int		 batch_context(const struct batch_opts *);

/* Create a batch taking tuples from env->next.  Never fails. */
struct batch	*batch_new(const struct batch_opts *, const struct batch_env *);
void		 batch_free(struct batch *);

/* The template changed (--header names its columns): size lines by t. */
void		 batch_set_tmpl(struct batch *, const struct tmpl *t);

/*
 * The arguments of the next job, for sequence number seq in slot slot
 * (the command's length may depend on {#} and {%}).  Returns INPUT_OK
 * with *args and *nargs set (valid until the next call), INPUT_AGAIN
 * (poll the input, input_read(), call again), INPUT_END or INPUT_ERROR
 * (errno set), as input_next() does.  A tuple too long for any command
 * line is handed out alone; running it then fails with a clear error.
 */
int		 batch_next(struct batch *, unsigned long long seq,
		    unsigned long slot, const struct arg **args, size_t *nargs);

#endif
