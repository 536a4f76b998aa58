/* SPDX-License-Identifier: ISC */
/*
 * cmdline: what a job runs.  The command template (and the --tagstring
 * one) is parsed once and expanded per job into the command line shown
 * and logged, plus, for direct exec without a shell and for --func, the
 * argument vector; the line is checked against the system's exec limits
 * and -s; the tag (--tag, --tagstring) and the lines -v, --dry-run and
 * --plain's announce print come from here too.
 *
 * Parsing also chooses how jobs run: --func (a function named by the
 * configuration), without a shell when the template is a simple command
 * and the shell adds nothing (direct), or as shell code, the input lines
 * themselves when there is no command (raw).
 *
 * Only the main thread uses a cmdline.
 */
#ifndef PARX_CMDLINE_H
#define PARX_CMDLINE_H

#include <stddef.h>

struct arg;
struct batch_env;
struct tmpl;
struct cmdline;
struct colsep;
struct config;
struct job;
struct sys_stop;

/*
 * Resolve --func, find the shell (spawn_init() with it and --nice) and
 * parse the templates of cfg, which must outlive the cmdline; start perl
 * for {= =} and --rpl, which gives up waiting when stop (sys.h) says so.
 * Returns NULL with *err set (a message for the user, which the caller
 * frees) when the function or a template is wrong.
 */
struct cmdline	*cmdline_new(const struct config *cfg,
		    const struct sys_stop *stop, char **err);
void		 cmdline_free(struct cmdline *);

/*
 * --header: take the column names from the header tuple args (through
 * cs, colsep.h) and parse the templates again with the named replacement
 * strings made positional.  Returns 0, or -1 with *err as cmdline_new().
 */
int		 cmdline_take_header(struct cmdline *, struct colsep *cs,
		    const struct arg *args, size_t nargs, char **err);

/*
 * Give job j, in its slot (j->slot), its command line (j->cmd, owned by
 * the job, replacing any earlier one) and, for direct exec and --func,
 * its argument vector.  Returns 0; 1 when a {= =} called skip() (the
 * job must not run; nothing is set); -1 with *err set (a malloc'd
 * message, which the caller frees) when a {= =} failed or its perl is
 * gone.  Only a template with {= =} can fail or skip.
 */
int		 cmdline_expand(struct cmdline *, struct job *j, char **err);

/*
 * Whether j's command line fits the exec limits and -s.  Returns 0, or
 * -1 with *why set (a message naming the job, which the caller frees).
 * A --func job always fits.
 */
int		 cmdline_fits(const struct cmdline *, const struct job *j,
		    char **why);

/*
 * The job's tag with its tab (empty without --tag and --tagstring), or
 * its command line and a newline, after the tag when tagged (-v,
 * --dry-run).  The text is valid until the next call on the cmdline;
 * *len is its length.
 */
const char	*cmdline_tag(struct cmdline *, const struct job *j,
		    size_t *len);
const char	*cmdline_line(struct cmdline *, const struct job *j,
		    int tagged, size_t *len);

/*
 * Whether a {= =} calls total_jobs(), which needs the number of jobs
 * before the first starts; cmdline_set_total() gives it, once known.
 */
int		 cmdline_needs_total(const struct cmdline *);
void		 cmdline_set_total(struct cmdline *, unsigned long long n);

/*
 * --tmpl FILE=NAME: write each template file, its replacement strings
 * filled in with j's values unquoted, to NAME (filled in the same way),
 * before j starts.  Returns 0, or -1 with *why set (a message naming the
 * file and the job, which the caller frees).  cmdline_remove_files()
 * removes them again (--cleanup), ignoring errors.
 */
int		 cmdline_write_files(struct cmdline *, const struct job *j,
		    char **why);
void		 cmdline_remove_files(struct cmdline *, const struct job *j);

/*
 * The longest command line as GNU parallel measures it ("maximal size of
 * command", --max-line-length-allowed): the exec limits for a shell
 * command line in this environment, found by GNU's search, which stops
 * within 1% below the exact limit, for a command that extra bytes of
 * $PARALLEL_ENV's code go with (GNU parallel adds its length; 0 for
 * none).  cmdline_usable_length() is GNU's
 * "maximal usable size": 3000 bytes less, halved; it is what -X, -m and
 * --xargs fill.  cmdline_usable() is that, or -s when -s is smaller
 * (cmdline_new() warns when -s is larger).
 */
size_t		 cmdline_max_length(size_t extra);
size_t		 cmdline_usable_length(void);
size_t		 cmdline_usable(const struct cmdline *);

/* Fill what batch.h needs to know of the template and the limits. */
void		 cmdline_batch_env(const struct cmdline *, struct batch_env *);

/* The template jobs are expanded from now (--header parses it again). */
const struct tmpl *cmdline_tmpl(const struct cmdline *);

/*
 * {= =} ahead of time: perl is one process, and a question and answer per
 * job would cost two context switches each; jobs that are already known
 * are evaluated together instead.  cmdline_prefetches() says whether the
 * expressions allow it (they do not ask for the slot); cmdline_prefetch()
 * evaluates the first of n jobs, in order, and keeps the results in each
 * (job.h), for cmdline_expand(): it returns how many it took, up to what
 * one request of CMDLINE_PREFETCH_BYTES holds.
 */
#define CMDLINE_PREFETCH_BYTES	32768
#define CMDLINE_PREFETCH_JOBS	256
int		 cmdline_prefetches(const struct cmdline *);
size_t		 cmdline_prefetch(struct cmdline *, struct job *const *jobs,
		    size_t n);

#endif
