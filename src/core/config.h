/* SPDX-License-Identifier: ISC */
/*
 * config: everything the command line decides, filled in by cmd/ and read
 * by run_main().  Strings point into argv or are owned by cmd/.
 */
#ifndef PARX_CONFIG_H
#define PARX_CONFIG_H

#include <stddef.h>

#include "batch.h"
#include "halt.h"
#include "output.h"
#include "pipe.h"
#include "remote.h"
#include "tmpl.h"

enum config_mode {
	CONFIG_PROCESS,		/* --mode=process: worker processes */
	CONFIG_THREAD		/* --mode=thread: worker threads */
};

enum config_src_kind {
	CONFIG_SRC_FILE,	/* -a FILE, :::: FILE; "-" is stdin */
	CONFIG_SRC_WORDS	/* ::: WORD... */
};

enum config_resume {
	CONFIG_RESUME_NONE,
	CONFIG_RESUME,		/* --resume: skip jobs in the joblog */
	CONFIG_RESUME_FAILED,	/* --resume-failed: and rerun its failures */
	CONFIG_RETRY_FAILED	/* --retry-failed: only its failures */
};

enum config_onall {
	CONFIG_ONALL_NONE,
	CONFIG_ONALL,		/* --onall: every job on every host */
	CONFIG_NONALL		/* --nonall: the command once on every host */
};

/*
 * What cmd/ keeps of each word of the command line for the runs that
 * --compare and --onall start: a word without the bit is left out.
 */
#define CONFIG_KEEP_COMPARE	0x1
#define CONFIG_KEEP_ONALL	0x2
#define CONFIG_KEEP_ALL		(CONFIG_KEEP_COMPARE | CONFIG_KEEP_ONALL)

struct config_source {
	enum config_src_kind	  kind;
	const char		 *path;
	char			**words;
	size_t			  nwords;
	int			  linked;	/* :::+ or ::::+ */
	int			  implied;	/* stdin: no source given */
};

/* sem, --semaphore (control/sem.h) */
struct config_sem {
	int		 on;
	const char	*id;		/* --id: NULL for the terminal's name */
	int		 fg;		/* --fg; --bg is the default */
	int		 wait;		/* --wait */
	double		 timeout;	/* --st: > 0 run anyway, < 0 give up */
};

/*
 * --tty and -o: each job gets the terminal (/dev/tty) as its stdin and
 * stays in parx's process group, the terminal's foreground one.
 */
#define CONFIG_TTY_OPEN		1	/* -o, --open-tty */
#define CONFIG_TTY_FG		2	/* --tty: also -j1 -u by default */

/* The most -j levels of a --compare sweep (-j 1,2,4,8). */
#define CONFIG_MAX_LEVELS	16

struct config {
	enum config_mode	 mode;
	struct config_sem	 sem;		/* sem, --semaphore */
	unsigned long		 jobs;		/* 0: as many as possible */
	const char		*jobs_none;	/* the -j value that left no
						   job slot, or NULL */
	const char		*jobs_file;	/* -j FILE, read again when it
						   changes; or NULL */
	const char		*limit;		/* --limit "CMD ARGS"; NULL */
	int			 tty;		/* CONFIG_TTY_*: --tty, -o */
	unsigned long long	 memsuspend;	/* --memsuspend SIZE; 0: none */
	int			 keep_order;	/* -k */
	enum output_mode	 output;	/* --group, --line-buffer, -u */
	int			 tag;		/* --tag */
	int			 color;		/* --color */
	int			 color_failed;	/* --color-failed */
	const char		*tagstring;	/* --tagstring */
	const char		*filter;	/* --filter perl code, or NULL */
	int			 dry_run;	/* --dry-run */
	int			 shellquote;	/* --shellquote (and dry_run) */
	const char		*slot_var;	/* --process-slot-var, or NULL */
	int			 verbose;	/* -t */
	int			 announce;	/* -v */
	int			 quote;		/* -q */
	int			 show_limits;	/* --show-limits */
	int			 skip_first_line; /* --shebang: the #! line */
	int			 csv;		/* --csv */
	int			 no_run_if_empty; /* -r */
	const char		*repl[TMPL_NREPL]; /* -I and friends */
	/*
	 * --tmpl FILE=NAME: tmplfile[2k] is FILE (allocated), tmplfile[2k +
	 * 1] NAME (in the same allocation).
	 */
	char			**tmplfile;
	size_t			 ntmplfile;	/* the pairs */
	char			**rpl;		/* --rpl 'TAG perl code' */
	size_t			 nrpl;
	int			 plus;		/* --plus */
	const char		*delim;		/* record delimiter */
	size_t			 delim_len;
	const char		*eof;		/* -E: end-of-file string */
	int			 link;		/* --link */
	struct config_source	*src;
	size_t			 nsrc;
	char			**cmd;		/* the command template words */
	size_t			 ncmd;
	const char		*env_code;	/* $PARALLEL_ENV (penv.h), or NULL */
	size_t			 env_code_len;
	const char		*tmpdir;	/* --tmpdir */
	const char		*termseq;	/* --termseq */
	const char		*func;		/* --func NAME */
	int			 stats;		/* --stats */
	const char		*stats_json;	/* --stats-json FILE */
	const char		*events;	/* --events FILE */
	const char		*timeline;	/* --timeline FILE.svg */
	char			**plot;		/* --plot EVENTS... */
	size_t			 nplot;
	int			 stats_fd;	/* internal: JSON to fd, or -1 */
	int			 digest;	/* internal: digest, no output */
	int			 compare;	/* --compare */
	enum config_onall	 onall;		/* --onall, --nonall */
	int			 compare_runs;	/* --runs N; 0: until sure */
	double			 compare_time;	/* --compare-time; 0: 10 s */
	const char		*compare_json;	/* --compare-json FILE */
	const char		*compare_report; /* --compare-report FILE */
	unsigned long		 compare_jobs[CONFIG_MAX_LEVELS]; /* -j A,B */
	size_t			 compare_njobs;
	struct batch_opts	 batch;		/* -X -m --xargs -N -n -L -s */
	struct pipe_opts	 pipe;		/* --pipe, --pipe-part... */

	/* Job control: halt.h, timeout.h, joblog.h, results.h. */
	struct halt_spec	 halt;		/* --halt */
	double			 timeout;	/* --timeout secs; 0: none */
	double			 timeout_pct;	/* --timeout N%: of the median */
	unsigned long		 attempts;	/* --retries; 0 means 1 */
	double			 delay;		/* --delay secs between starts */
	const char		*joblog;	/* --joblog, without the '+' */
	int			 joblog_append;	/* --joblog +FILE */
	enum config_resume	 resume;
	const char		*results;	/* --results */
	int			 files;		/* --files */
	/* --compress: the programs (NULL: no compression). */
	int			 compress;	/* --compress */
	const char		*compress_prg;	/* --compress-program */
	const char		*decompress_prg; /* --decompress-program */

	/* Pacing and progress (gate.h, progress.h). */
	double			 load_max;	/* --load; 0: no limit */
	unsigned long long	 memfree;	/* --memfree bytes; 0: none */
	int			 nice;		/* --nice */
	int			 nice_set;
	unsigned		 progress;	/* PROGRESS_* of --bar... */
	long long		 total_jobs;	/* --total-jobs; -1: unknown */

	/* Columns and order (colsep.h, shuf.h). */
	const char		*colsep;	/* -C, --colsep */
	const char		*header;	/* --header */
	int			 trim;		/* --trim: COLSEP_TRIM_* */
	int			 trim_set;
	int			 shuf;		/* --shuf */

	/* Other hosts (sshlogin.h, remote.h): -S, --slf, --transfer... */
	struct remote_opts	 remote;
};

/*
 * Parse a -j value: N, 0 (as many as possible), +N or -N (CPUs plus or
 * minus N), N% (that share of the CPUs, rounded up), each with at most
 * one final newline.  Returns 0 with *out
 * set; 1 when +N, -N or N% leaves no job slot (-j -100000, -j 0%), with
 * *out set to 1; or -1 when spec is not one of these.
 */
int	config_parse_jobs(const char *spec, long ncpus, unsigned long *out);

/*
 * Read the -j value in the file at path (-j FILE, GNU parallel's
 * procfile): its content is parsed as config_parse_jobs() does, with what it returns.  The content (cut to
 * size bytes, NUL-terminated) is left in text for messages.  Returns -1
 * with errno set when the file cannot be read (EINVAL: the content is not
 * a -j value).
 */
int	config_read_jobs_file(const char *path, long ncpus, unsigned long *out,
	    char *text, size_t size);

/* What parx says, given cfg->jobs_none, when there is a job to run. */
#define CONFIG_JOBS_NONE_FMT "cannot run any jobs: -j '%s' leaves no job slot"

/*
 * Parse a --load value: a decimal number, +N or -N (CPUs plus or minus N),
 * or N% (that share of the CPUs).  0 means 0.01, as in GNU parallel.
 * Returns 0 with *out set, or -1.
 */
int	config_parse_load(const char *spec, long ncpus, double *out);

#endif
