/* SPDX-License-Identifier: ISC */
/*
 * parx: run jobs in parallel, GNU parallel style, in process or thread mode.
 *
 * This file only reads the command line, with the config file (or the -J
 * profiles) and $PARALLEL in front of it (main_words()): the table below
 * says what each option is (options.h), opts_parse() fills struct config
 * from it with getopt_long, numbers checked against their bounds and the
 * flag named in any error, and run_main() does the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "colsep.h"
#include "compare.h"
#include "complete.h"
#include "config.h"
#include "exitcode.h"
#include "input.h"
#include "loginsrc.h"
#include "msg.h"
#include "num.h"
#include "onall.h"
#include "options.h"
#include "penv.h"
#include "plot.h"
#include "profile.h"
#include "progress.h"
#include "run.h"
#include "sem.h"
#include "sys.h"
#include "termseq.h"
#include "version.h"
#include "xalloc.h"

#ifndef PARX_VERSION
#define PARX_VERSION "0.1.0"
#endif

/* What the options fill: the config, and what main() turns into it. */
struct cmdline {
	struct config		 cfg;
	const struct opt	*tab;		/* the option table */
	char			**afiles;	/* -a FILE..., in order */
	size_t			  nafiles;
	const char		 *argsep;	/* --arg-sep: ":::" */
	const char		 *filesep;	/* --arg-file-sep: "::::" */
	char			 *delim;	/* -d, owned */
	char			 *unzip;	/* "PRG -dc", owned */
	size_t			  delim_len;
	int			  nul;		/* -0 (wins over -d) */
	int			  jobs_set;	/* -j was given */
	const char		 *jobs_list;	/* -j A,B,C (--compare) */
	char			  jobs_text[64]; /* what -j FILE held */
	int			  group_set;	/* --group was given */
	int			  wrap_files;	/* --shebang-wrap: with --pipe
						   the ::: words are files */
	char			 *group_col;	/* --group-by's column, owned */
};

#define SIZE_UNITS	"(K, M, G: powers of 1024; k, m, g: of 1000)"

/* -h, --help; --help-all */
static int
opt_help(void *base, const struct opt *o, const struct opt_value *v)
{
	opts_help(((struct cmdline *)base)->tab, o->shrt != 'h', stdout);
	return 1;
}

/* -J, --plain: read before the other options (main_words()). */
static int
opt_noop(void *base, const struct opt *o, const struct opt_value *v)
{
	return 0;
}

/*
 * --internal-list-options[=main]: the long names (main: but the other
 * names of an option), for tests/docs.bats.
 */
static int
opt_list(void *base, const struct opt *o, const struct opt_value *v)
{
	if (v->arg && strcmp(v->arg, "main") != 0)
		opts_bad(o, v);
	opts_list(((struct cmdline *)base)->tab, v->arg != NULL, stdout);
	return 1;
}

/* --internal-completion SHELL: the script of completions/. */
static int
opt_completion(void *base, const struct opt *o, const struct opt_value *v)
{
	if (complete_write(((struct cmdline *)base)->tab, v->arg, stdout) == -1)
		opts_bad(o, v);
	return 1;
}

/* --version, -V */
static int
opt_version(void *base, const struct opt *o, const struct opt_value *v)
{
	version_write(PARX_VERSION, stdout);
	return 1;
}

/* --number-of-cpus and its other names */
static int
opt_ncpus(void *base, const struct opt *o, const struct opt_value *v)
{
	printf("%ld\n", sys_ncpus());
	return 1;
}

/* --number-of-sockets */
static int
opt_nsockets(void *base, const struct opt *o, const struct opt_value *v)
{
	printf("%ld\n", sys_nsockets());
	return 1;
}

/* --max-line-length-allowed */
static int
opt_maxlen(void *base, const struct opt *o, const struct opt_value *v)
{
	printf("%zu\n", cmdline_max_length(0));
	return 1;
}

/* --tmpl, --template FILE=NAME */
static int
opt_tmpl(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = &((struct cmdline *)base)->cfg;
	char *pair, *eq;
	size_t n = 2 * cfg->ntmplfile;

	eq = strchr(v->arg, '=');
	if (eq == NULL || eq == v->arg || eq[1] == '\0')
		opts_bad(o, v);
	pair = xstrdup(v->arg);
	pair[eq - v->arg] = '\0';
	opts_append(&cfg->tmplfile, &n, pair);
	opts_append(&cfg->tmplfile, &n, pair + (eq - v->arg) + 1);
	cfg->ntmplfile++;
	return 0;
}

/* --mode=process|thread */
static int
opt_mode(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	if (strcmp(v->arg, "process") == 0)
		cfg->mode = CONFIG_PROCESS;
	else if (strcmp(v->arg, "thread") == 0)
		cfg->mode = CONFIG_THREAD;
	else
		opts_bad(o, v);
	return 0;
}

/* -j A,B,C: the levels of a --compare sweep (main checks --compare). */
static int
opt_jobs_list(struct cmdline *cl, const struct opt *o,
    const struct opt_value *v)
{
	struct config *cfg = &cl->cfg;
	char word[64];
	const char *p = v->arg, *e;
	size_t len;

	do {
		e = strchr(p, ',');
		len = e ? (size_t)(e - p) : strlen(p);
		if (cfg->compare_njobs == CONFIG_MAX_LEVELS) {
			msg_error("too many levels in %s '%s': at most %d",
			    v->name, v->arg, CONFIG_MAX_LEVELS);
			exit(EXIT_PARX);
		}
		if (len >= sizeof(word) ||
		    (memcpy(word, p, len), word[len] = '\0',
		    config_parse_jobs(word, sys_ncpus(),
		    &cfg->compare_jobs[cfg->compare_njobs]) != 0)) {
			msg_error("invalid number of jobs '%.*s' in %s '%s': "
			    "expected a list such as 1,2,4,8", (int)len, p,
			    v->name, v->arg);
			exit(EXIT_PARX);
		}
		cfg->compare_njobs++;
		p = e ? e + 1 : NULL;
	} while (p);
	cfg->jobs = cfg->compare_jobs[0];
	cl->jobs_list = v->arg;
	cl->jobs_set = 1;
	return 0;
}

/* -j, -P, --jobs: N, 0, +N, -N or N% */
static int
opt_jobs(void *base, const struct opt *o, const struct opt_value *v)
{
	struct cmdline *cl = base;
	struct stat st;
	char *text = cl->jobs_text;
	int rc;

	cl->cfg.jobs_file = NULL;
	cl->cfg.compare_njobs = 0;
	cl->jobs_list = NULL;
	if (strchr(v->arg, ',') != NULL)
		return opt_jobs_list(cl, o, v);
	rc = config_parse_jobs(v->arg, sys_ncpus(), &cl->cfg.jobs);
	if (rc == -1 && stat(v->arg, &st) == 0 && S_ISREG(st.st_mode)) {
		/* A file holds the value, and is read again when it changes. */
		rc = config_read_jobs_file(v->arg, sys_ncpus(), &cl->cfg.jobs,
		    text, sizeof(cl->jobs_text));
		if (rc == -1 && errno == EINVAL)
			msg_error("invalid number of jobs '%s' in '%s' for %s: "
			    "expected N, 0, +N, -N or N%%", text, v->arg,
			    v->name);
		else if (rc == -1)
			msg_error("cannot read '%s': %s", v->arg,
			    strerror(errno));
		if (rc == -1)
			exit(EXIT_PARX);
		cl->cfg.jobs_file = v->arg;
	}
	if (rc == -1)
		opts_bad(o, v);
	/* The run says so once there is a job to run, as GNU parallel. */
	cl->cfg.jobs_none = rc == 1 ? v->arg : NULL;
	/* Hosts count their slots from the value, not the file's name. */
	cl->cfg.remote.jobs = cl->cfg.jobs_file ? text : v->arg;
	cl->jobs_set = 1;
	return 0;
}

/* --ctag, --ctagstring STR: --tag or --tagstring STR, and --color */
static int
opt_ctag(void *base, const struct opt *o, const struct opt_value *v)
{
	struct cmdline *cl = base;

	if (v->arg)
		cl->cfg.tagstring = v->arg;
	else
		cl->cfg.tag = 1;
	cl->cfg.color = 1;
	return 0;
}

/* --group, which --tty does not override */
static int
opt_group(void *base, const struct opt *o, const struct opt_value *v)
{
	struct cmdline *cl = base;

	cl->cfg.output = OUTPUT_GROUP;
	cl->group_set = 1;
	return 0;
}

/* --semaphore, --id, --fg, --bg, --wait: each makes parx a semaphore. */
static int
opt_sem(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config_sem *s = &((struct cmdline *)base)->cfg.sem;

	s->on = 1;
	if (strcmp(o->name, "semaphore-name") == 0)
		s->id = v->arg;
	else if (strcmp(o->name, "fg") == 0)
		s->fg = 1;
	else if (strcmp(o->name, "bg") == 0)
		s->fg = 0;
	else if (strcmp(o->name, "wait") == 0)
		s->wait = 1;
	return 0;
}

/* --semaphore-timeout, --st: a duration, negative to give up. */
static int
opt_sem_timeout(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config_sem *s = &((struct cmdline *)base)->cfg.sem;
	const char *a = v->arg;
	double secs;

	if (num_parse_duration(a + (*a == '-'), &secs) == -1)
		opts_bad(o, v);
	s->on = 1;
	s->timeout = *a == '-' ? -secs : secs;
	return 0;
}

/* -d: the delimiter, with \n, \t, \0, \xHH... */
static int
opt_delim(void *base, const struct opt *o, const struct opt_value *v)
{
	struct cmdline *cl = base;

	free(cl->delim);
	cl->delim = input_parse_delim(v->arg, &cl->delim_len);
	if (cl->delim == NULL)
		opts_bad(o, v);
	cl->nul = 0;
	return 0;
}

/* -i, --replace[=STR]: -I, {} by default */
static int
opt_replace(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	if (v->arg && *v->arg == '\0')
		opts_bad(o, v);
	cfg->repl[TMPL_ALL] = v->arg ? v->arg : "{}";
	return 0;
}

/* -e[STR], --eof[=STR]: -E STR, or no end-of-file string */
static int
opt_eof(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->eof = v->arg;
	return 0;
}

/* -n, -N: arguments per job */
static int
opt_nargs(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->batch.nargs = (unsigned long)v->u;
	cfg->batch.nargs_set = 1;
	cfg->batch.N = o->shrt == 'N';
	return 0;
}

/* -L N: lines per job, {} repeating the word around it */
static int
opt_lines(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->batch.lines = (unsigned long)v->u;
	cfg->batch.lines_set = cfg->batch.L = 1;
	return 0;
}

/* -l [N], --max-lines [N]: -l alone and -l 0 mean one line. */
static int
opt_max_lines(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->batch.lines = v->arg ? (unsigned long)opts_size(o, v, v->arg) : 1;
	if (cfg->batch.lines == 0)
		cfg->batch.lines = 1;
	cfg->batch.lines_set = 1;
	return 0;
}

/* --pipe-part: --pipe, cutting a file without reading it */
static int
opt_pipe_part(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->pipe.on = cfg->pipe.part = 1;
	return 0;
}

/* --round-robin: --pipe, one job per slot */
static int
opt_round_robin(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->pipe.on = cfg->pipe.round_robin = 1;
	return 0;
}

/* --cat, --fifo: --pipe, each block in a file named by {} */
static int
opt_pipe_file(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->pipe.on = 1;
	if (strcmp(o->name, "cat") == 0)
		cfg->pipe.cat = 1;
	else
		cfg->pipe.fifo = 1;
	return 0;
}

/*
 * --group-by VAL: --pipe, a record is the lines with one value.  VAL is a
 * column (a number from 1, or a name of [A-Za-z0-9_]), perl code for the
 * value of the line, or a column, blanks and perl code for its value.
 */
static int
opt_group_by(void *base, const struct opt *o, const struct opt_value *v)
{
	struct cmdline *cl = base;
	struct config *cfg = &cl->cfg;
	const char *s = v->arg, *code;
	size_t n = strspn(s, "0123456789"), w;

	w = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_");
	code = s + w + strspn(s + w, " \t");
	/* A column is a number from 1, or a name that starts with no digit. */
	if (*s == '\0' || (n > 0 && n < w) ||
	    (n > 0 && n == w && strtoul(s, NULL, 10) == 0))
		opts_bad(o, v);
	free(cl->group_col);
	cl->group_col = NULL;
	cfg->pipe.group_by = NULL;
	cfg->pipe.group_perl = NULL;
	if (w > 0 && s[w] == '\0') {
		cfg->pipe.group_by = s;
	} else if (w > 0 && code > s + w && *code != '\0') {
		cl->group_col = xmemdupz(s, w);
		cfg->pipe.group_by = cl->group_col;
		cfg->pipe.group_perl = code;
	} else
		cfg->pipe.group_perl = s;
	cfg->pipe.on = 1;
	return 0;
}

/* --block SIZE, or -N: N blocks per job slot (--pipe-part) */
static int
opt_block(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	if (v->arg[0] == '-') {
		cfg->pipe.blocks = opts_size(o, v, v->arg + 1);
		cfg->pipe.block = 0;
	} else {
		cfg->pipe.block = opts_size(o, v, v->arg);
		cfg->pipe.blocks = 0;
	}
	return 0;
}

/* --header: repeated in every block with --pipe, else names columns */
static int
opt_header(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->pipe.header = v->arg;
	cfg->header = v->arg;
	return 0;
}

/* --halt WHEN,WHY=N */
static int
opt_halt(void *base, const struct opt *o, const struct opt_value *v)
{
	if (halt_parse(v->arg, &((struct config *)base)->halt) == -1)
		opts_bad(o, v);
	return 0;
}

/* --timeout SECS or N% (of the median run time) */
static int
opt_timeout(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;
	size_t len = strlen(v->arg);
	double secs;
	char *pct;
	int ok;

	cfg->timeout = cfg->timeout_pct = 0;
	if (len > 1 && v->arg[len - 1] == '%') {
		/* A plain number of percent, above 0: no unit. */
		pct = xmemdupz(v->arg, len - 1);
		ok = num_parse_duration(pct, &secs) == 0 &&
		    strpbrk(pct, "smhdSMHD") == NULL && secs > 0;
		free(pct);
		if (ok)
			cfg->timeout_pct = secs;
	} else {
		ok = num_parse_duration(v->arg, &secs) == 0;
		if (ok)
			cfg->timeout = secs;
	}
	if (!ok)
		opts_bad(o, v);
	return 0;
}

/* --termseq SEQ: checked here, where the option is named as given */
static int
opt_termseq(void *base, const struct opt *o, const struct opt_value *v)
{
	struct termseq_step steps[TERMSEQ_MAX];

	if (termseq_parse(v->arg, steps, TERMSEQ_MAX) <= 0)
		opts_bad(o, v);
	((struct config *)base)->termseq = v->arg;
	return 0;
}

/* --retries N: N runs in all; 0 means no limit */
static int
opt_retries(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->attempts = v->i == 0 ? ULONG_MAX : (unsigned long)v->i;
	return 0;
}

/* --joblog [+]FILE: '+' appends */
static int
opt_joblog(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->joblog_append = v->arg[0] == '+';
	cfg->joblog = v->arg + cfg->joblog_append;
	if (*cfg->joblog == '\0')
		opts_bad(o, v);
	return 0;
}

/* --load MAX: N, +N, -N or N% of the CPUs */
static int
opt_load(void *base, const struct opt *o, const struct opt_value *v)
{
	if (config_parse_load(v->arg, sys_ncpus(),
	    &((struct config *)base)->load_max) == -1)
		opts_bad(o, v);
	return 0;
}

/* --nice N, clamped to -20..19 as nice(1) does */
static int
opt_nice(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->nice = (int)v->i;
	cfg->nice_set = 1;
	return 0;
}

/* --trim n|l|r|lr|rl */
static int
opt_trim(void *base, const struct opt *o, const struct opt_value *v)
{
	struct config *cfg = base;

	cfg->trim = colsep_parse_trim(v->arg);
	if (cfg->trim == -1)
		opts_bad(o, v);
	cfg->trim_set = 1;
	return 0;
}

/* --transfer, --trc FILE: send {} (and --trc: --return FILE --cleanup) */
static int
opt_transfer(void *base, const struct opt *o, const struct opt_value *v)
{
	struct remote_opts *ro = &((struct config *)base)->remote;

	if (v->arg) {
		opts_append(&ro->ret, &ro->nret, (char *)v->arg);
		ro->cleanup = 1;
	}
	opts_append(&ro->transfer, &ro->ntransfer, "{}");
	return 0;
}

#define OFF(f)		offsetof(struct cmdline, f)
#define SZ(f)		sizeof(((struct cmdline *)NULL)->f)

/*
 * One row per option kind; h is the option's lines of --help, or NULL.
 * What a shell may offer for an argument follows, when there is any:
 * .complete = OPTC_FILE, or .complete = OPTC_WORDS, .values = "a b".
 */
#define TEXT(h)		{ .kind = OPT_TEXT, .help = h }
/* A heading of --help, and what --help shows as well as --help-all. */
#define HEAD(h)		{ .kind = OPT_TEXT, .help = h, \
			    .show = OPTS_BRIEF | OPTS_HEAD }
#define BRIEF		.show = OPTS_BRIEF
#define ALIAS(l, s, of)	{ .name = l, .shrt = s, .kind = OPT_ALIAS, \
			    .alias_of = of }
#define NOOP(l, h)	{ .name = l, .kind = OPT_NOOP, .help = h }
#define FLAG(l, s, f, v, h, ...) \
	{ .name = l, .shrt = s, .kind = OPT_FLAG, .dest = OFF(cfg.f), \
	    .size = SZ(cfg.f), .val = v, .help = h, __VA_ARGS__ }
#define BITS(l, f, v, h, ...) \
	{ .name = l, .kind = OPT_BITS, .dest = OFF(cfg.f), \
	    .size = SZ(cfg.f), .val = v, .help = h, __VA_ARGS__ }
#define STR(l, s, f, fl, bad_, h, ...) \
	{ .name = l, .shrt = s, .kind = OPT_STRING, .dest = OFF(f), \
	    .size = SZ(f), .flags = fl, .bad = bad_, .help = h, __VA_ARGS__ }
#define LIST(l, s, f, n, h, ...) \
	{ .name = l, .shrt = s, .kind = OPT_LIST, .dest = OFF(f), \
	    .size = SZ(f), .count = OFF(n), .help = h, __VA_ARGS__ }
#define INT(l, f, lo, hi, fn_, fl, bad_, h, ...) \
	{ .name = l, .kind = OPT_INT, .dest = OFF(cfg.f), .size = SZ(cfg.f), \
	    .min = lo, .max = hi, .fn = fn_, .flags = fl, .bad = bad_, \
	    .help = h, __VA_ARGS__ }
#define SIZE(l, s, f, lo, fn_, bad_, h, ...) \
	{ .name = l, .shrt = s, .kind = OPT_SIZE, .dest = OFF(cfg.f), \
	    .size = SZ(cfg.f), .min = lo, .fn = fn_, .bad = bad_, .help = h, \
	    __VA_ARGS__ }
#define DURATION(l, f, bad_, h, ...) \
	{ .name = l, .kind = OPT_DURATION, .dest = OFF(cfg.f), \
	    .size = SZ(cfg.f), .bad = bad_, .help = h, __VA_ARGS__ }
#define CALL(l, s, a, fn_, fl, bad_, h, ...) \
	{ .name = l, .shrt = s, .kind = OPT_CALL, .arg = a, .fn = fn_, \
	    .flags = fl, .bad = bad_, .help = h, __VA_ARGS__ }
#define REPL(l, r, h) \
	STR(l, 0, cfg.repl[r], OPTF_NONEMPTY, BAD_REPL, h)

/* A bad value is "invalid WHAT 'VALUE' for OPTION: expected EXPECT". */
#define BAD(what, expect) (&(const struct opt_bad){ what, expect })
#define BAD_REPL	BAD("replacement string", "a non-empty string")
#define BAD_COUNT	BAD("count", "a number " SIZE_UNITS)
/* An argument that is the name of a file, or of a directory. */
#define FILE_ARG	.complete = OPTC_FILE
#define DIR_ARG		.complete = OPTC_DIR

/*
 * Every option of parx, in the order of --help.  An option given here with
 * no help line of its own is named in the line of the option it goes with,
 * or under "Other names".
 */
static const struct opt parx_options[] = {
HEAD("usage: parx [options] [command [args]] [::: args...] [:::: files...]\n"
"Run command once for every input: lines of stdin, -a files, ::: lists.\n"
"\n"),
HEAD("Input:\n"),
LIST("arg-file", 'a', afiles, nafiles,
"  -a, --arg-file FILE     read arguments from FILE (- is stdin)\n",
    FILE_ARG, BRIEF),
ALIAS("argfile", 0, "arg-file"),
{ .name = "null", .shrt = '0', .kind = OPT_FLAG, .dest = OFF(nul),
    .size = SZ(nul), .val = 1,
    .help =
"  -0, --null              input items end with NUL, not newline\n", BRIEF },
STR(NULL, 'E', cfg.eof, 0, NULL,
"  -E STR                  a record STR ends its input source\n"),
CALL("eof", 'e', optional_argument, opt_eof, 0, NULL,
"  -e, --eof[=STR]         -E STR, attached; none: no end-of-file string\n"),
CALL("delimiter", 'd', required_argument, opt_delim, 0,
    BAD("delimiter", "characters and escapes (\\n, \\t, \\0, \\NNN, "
    "\\xHH...)"),
"  -d, --delimiter D       input items end with D (\\n, \\t, \\0, \\xHH...)\n", BRIEF),
STR("colsep", 'C', cfg.colsep, 0, NULL,
"  -C, --colsep REGEX      split input values into columns {1} {2}...\n", BRIEF),
ALIAS("col-sep", 0, "colsep"),
FLAG("csv", 0, csv, 1,
"  --csv                   input records are CSV (quoted fields may hold the\n"
"                          separator, newlines and \"\"), split at --colsep\n"
"                          (default ,) into {1} {2} ...\n"),
CALL("header", 0, required_argument, opt_header, 0, NULL,
"  --header :              the first value of each source names its\n"
"                          columns: {name}\n"),
CALL("trim", 0, required_argument, opt_trim, 0,
    BAD("value", "n, l, r, lr or rl"),
"  --trim n|l|r|lr         trim blanks from the values (lr with -C)\n",
    .complete = OPTC_WORDS, .values = "n l r lr rl"),
FLAG("link", 0, link, 1,
"  --link                  pair sources instead of combining them\n"),
ALIAS("xapply", 0, "link"),
FLAG("no-run-if-empty", 'r', no_run_if_empty, 1,
"  -r, --no-run-if-empty   skip input items that are only blanks\n"),
ALIAS("norunifempty", 0, "no-run-if-empty"),
STR("filter", 0, cfg.filter, 0, NULL,
"  --filter CODE           run only the jobs for which the perl CODE, its\n"
"                          replacement strings filled in, is true\n"),
FLAG("shuf", 0, shuf, 1,
"  --shuf                  run the jobs in random order (reads all input)\n"),
FLAG("skip-first-line", 0, skip_first_line, 1,
"  --skip-first-line       the first line of the input (of each file with\n"
"                          --pipe-part) is not used\n"),
STR("arg-sep", 0, argsep, OPTF_NONEMPTY,
    BAD("separator", "a non-empty string"),
"  --arg-sep S, --arg-file-sep S  use S instead of ::: and ::::\n"),
ALIAS("argsep", 0, "arg-sep"),
STR("arg-file-sep", 0, filesep, OPTF_NONEMPTY,
    BAD("separator", "a non-empty string"), NULL),
ALIAS("argfilesep", 0, "arg-file-sep"),
FLAG("pipe", 0, pipe.on, 1,
"  --pipe                  cut stdin into blocks, one per job's stdin\n", BRIEF),
ALIAS("spreadstdin", 0, "pipe"),
CALL("pipe-part", 0, no_argument, opt_pipe_part, 0, NULL,
"  --pipe-part             cut a file (-a FILE) into blocks, not reading it\n"),
ALIAS("pipepart", 0, "pipe-part"),
{ .name = "block", .kind = OPT_CALL, .arg = required_argument,
    .fn = opt_block, .min = 1,
    .bad = BAD("block size", "a number above 0 " SIZE_UNITS
    ", or -N blocks per job slot with --pipe-part"),
    .help =
"  --block SIZE            block size (default 1M; --pipe-part: -N blocks\n"
"                          per job slot)\n" },
ALIAS("block-size", 0, "block"),
ALIAS("blocksize", 0, "block"),
STR("recend", 0, cfg.pipe.recend, 0, NULL,
"  --recend STR, --recstart STR  records end / start with STR (--regexp:\n"
"                          regular expressions); blocks hold whole records\n"),
STR("recstart", 0, cfg.pipe.recstart, 0, NULL, NULL),
FLAG("regexp", 0, pipe.regexp, 1, NULL),
ALIAS("regex", 0, "regexp"),
TEXT("  -N N, -L N (--pipe)     N records per block; records of N lines\n"),
CALL("round-robin", 0, no_argument, opt_round_robin, 0, NULL,
"  --round-robin           one job per slot, blocks to whichever is ready\n"),
ALIAS("round", 0, "round-robin"),
ALIAS("roundrobin", 0, "round-robin"),
CALL("cat", 0, no_argument, opt_pipe_file, 0, NULL,
"  --cat                   --pipe, each block in a temporary file, {} its name\n"),
CALL("fifo", 0, no_argument, opt_pipe_file, 0, NULL,
"  --fifo                  --pipe, each block through a named pipe, {} its name\n"),
FLAG("tee", 0, pipe.tee, 1,
"  --tee                   --pipe: all the input to every job, one per\n"
"                          argument (default -j 0)\n"),
CALL("group-by", 0, required_argument, opt_group_by, 0,
    BAD("column", "a number from 1 or a column name"),
"  --group-by VAL          --pipe: a record is the lines that have one value\n"
"                          in column VAL, a number or a name; or perl code's\n"
"                          value of the line, or of a column: 'COL code'\n"
"                          (--groupby)\n"),
ALIAS("groupby", 0, "group-by"),
FLAG("rrs", 0, pipe.rrs, 1,
"  --rrs                   remove the record separators from each block\n"
"                          (--remove-rec-sep, --removerecsep)\n"),
ALIAS("remove-rec-sep", 0, "rrs"),
ALIAS("removerecsep", 0, "rrs"),
TEXT("  --header N|:|RE         repeat the first N lines (or what RE matches)\n"),
HEAD("Command:\n"),
STR("func", 0, cfg.func, 0, NULL,
"  --func NAME             run each job as a function call inside the worker:\n"
"                          echo, sleep, spin, gzip, or PATH.so:SYMBOL\n",
    .complete = OPTC_FUNC),
STR(NULL, 'I', cfg.repl[TMPL_ALL], OPTF_NONEMPTY, BAD_REPL,
"  -I STR                  use STR instead of {} (-i: {})\n", BRIEF),
CALL("replace", 'i', optional_argument, opt_replace, 0, BAD_REPL,
    NULL),
REPL("extensionreplace", TMPL_NOEXT,
"  --er/--bnr/--dnr/--bner/--seqreplace/--slotreplace STR\n"
"                          rename {.} {/} {//} {/.} {#} {%}\n"),
ALIAS("er", 0, "extensionreplace"),
REPL("basenamereplace", TMPL_BASE, NULL),
ALIAS("bnr", 0, "basenamereplace"),
REPL("dirnamereplace", TMPL_DIR, NULL),
ALIAS("dnr", 0, "dirnamereplace"),
REPL("basenameextensionreplace", TMPL_BASENOEXT, NULL),
ALIAS("bner", 0, "basenameextensionreplace"),
REPL("seqreplace", TMPL_SEQ, NULL),
REPL("slotreplace", TMPL_SLOT, NULL),
CALL("tmpl", 0, required_argument, opt_tmpl, 0,
    BAD("template", "FILE=NAME"),
"  --tmpl, --template FILE=NAME  write FILE, its replacement strings filled\n"
"                          in, to NAME (filled in too) before each job\n"),
ALIAS("template", 0, "tmpl"),
LIST("rpl", 0, cfg.rpl, cfg.nrpl,
"  --rpl 'TAG perl'        TAG in the command stands for {= perl =}\n"),
FLAG("plus", 0, plus, 1,
"  --plus                  more replacement strings: {..} {+.} {##} {0#}\n"
"                          {:-x} {:N:M} {#re} {%re} {/re/s} {^re} {uniq}\n"),
FLAG("quote", 'q', quote, 1,
"  -q, --quote             quote the command's own words too\n"),
FLAG(NULL, 'X', batch.X, 1,
"  -X                      many arguments per job; repeat the word around {}\n"),
FLAG(NULL, 'm', batch.m, 1,
"  -m                      many arguments per job, {} gives them all\n"),
FLAG("xargs", 0, batch.xargs, 1,
"  --xargs                 fill every command line, no spreading over jobs\n"),
SIZE("max-replace-args", 'N', batch.nargs, 0, opt_nargs,
    BAD_COUNT,
"  -N, --max-replace-args N  N arguments per job, also as {1}..{N}\n"),
ALIAS("maxreplaceargs", 0, "max-replace-args"),
SIZE("max-args", 'n', batch.nargs, 0, opt_nargs,
    BAD_COUNT,
"  -n, --max-args N        at most N arguments per job\n", BRIEF),
ALIAS("maxargs", 0, "max-args"),
SIZE(NULL, 'L', batch.lines, 0, opt_lines,
    BAD_COUNT,
"  -L N, -l [N]            N input lines per job (a final blank continues)\n"),
{ .name = "max-lines", .shrt = 'l', .kind = OPT_CALL,
    .arg = optional_argument, .fn = opt_max_lines, .flags = OPTF_NEXT_NUMBER,
    .bad = BAD_COUNT },
ALIAS("maxlines", 0, "max-lines"),
SIZE("max-chars", 's', batch.max_chars, 1, NULL,
    BAD("size", "a number above 0 " SIZE_UNITS),
"  -s, --max-chars N       command lines of at most N bytes\n"),
ALIAS("maxchars", 0, "max-chars"),
FLAG("show-limits", 0, show_limits, 1,
"  --show-limits, --showlimits  print the command line limits, then run\n"),
ALIAS("showlimits", 0, "show-limits"),
CALL("max-line-length-allowed", 0, no_argument, opt_maxlen, 0, NULL,
"  --max-line-length-allowed, --maxlinelengthallowed\n"
"                          print the longest command line, and exit\n"),
ALIAS("maxlinelengthallowed", 0, "max-line-length-allowed"),
HEAD("Output:\n"),
FLAG("keep-order", 'k', keep_order, 1,
"  -k, --keep-order        write output in input order\n", BRIEF),
ALIAS("keeporder", 0, "keep-order"),
FLAG("no-keep-order", 0, keep_order, 0, NULL),
ALIAS("nokeeporder", 0, "no-keep-order"),
ALIAS("no-k", 0, "no-keep-order"),
ALIAS("nok", 0, "no-keep-order"),
CALL("group", 0, no_argument, opt_group, 0, NULL,
"  --group                 write each job's output as one block (default)\n"),
FLAG("line-buffer", 0, output, OUTPUT_LINE,
"  --line-buffer, --lb     pass output on line by line\n", BRIEF),
ALIAS("lb", 0, "line-buffer"),
ALIAS("line-buffered", 0, "line-buffer"),
ALIAS("linebuffer", 0, "line-buffer"),
ALIAS("linebuffered", 0, "line-buffer"),
FLAG("ungroup", 'u', output, OUTPUT_UNGROUP,
"  -u, --ungroup           let jobs write straight to stdout\n", BRIEF),
FLAG("tty", 0, tty, CONFIG_TTY_FG,
"  --tty                   jobs read the terminal, in the foreground (-j1 -u\n"
"                          unless -j or --group is given)\n"),
FLAG("open-tty", 'o', tty, CONFIG_TTY_OPEN,
"  -o, --open-tty          jobs read the terminal, in the foreground\n"),
{ .name = "tag", .kind = OPT_FLAG, .dest = OFF(cfg.tag),
    .size = SZ(cfg.tag), .val = 1, .flags = OPTF_HOSTS,
    .help =
"  --tag                   put the arguments in front of each output line\n", BRIEF },
STR("tagstring", 0, cfg.tagstring, 0, NULL,
"  --tagstring STR         put STR (with replacement strings) in front\n"),
ALIAS("tag-string", 0, "tagstring"),
{ .name = "color", .kind = OPT_FLAG, .dest = OFF(cfg.color),
    .size = SZ(cfg.color), .val = 1, .flags = OPTF_HOSTS,
    .help =
"  --color                 colour each job's output lines, a colour a job\n" },
ALIAS("colour", 0, "color"),
{ .name = "color-failed", .kind = OPT_FLAG, .dest = OFF(cfg.color_failed),
    .size = SZ(cfg.color_failed), .val = 1, .flags = OPTF_HOSTS,
    .help =
"  --color-failed, --cf    colour the output lines of failed jobs red\n" },
ALIAS("colour-failed", 0, "color-failed"),
ALIAS("cf", 0, "color-failed"),
CALL("ctag", 0, no_argument, opt_ctag, OPTF_HOSTS, NULL,
"  --ctag, --ctagstring STR  --tag or --tagstring, and --color\n"),
CALL("ctagstring", 0, required_argument, opt_ctag, 0, NULL, NULL),
STR("results", 0, cfg.results, OPTF_NONEMPTY,
    BAD("directory", "a directory name or template"),
"  --results DIR|TEMPLATE  keep each job's stdout, stderr and seq in files\n",
    DIR_ARG, BRIEF),
ALIAS("res", 0, "results"),
ALIAS("result", 0, "results"),
FLAG("files", 0, files, 1,
"  --files                 print the name of a file holding each job's stdout\n"),
ALIAS("output-as-files", 0, "files"),
ALIAS("outputasfiles", 0, "files"),
STR("tmpdir", 0, cfg.tmpdir, 0, NULL,
"  --tmpdir DIR            keep buffered output in DIR\n",
    DIR_ARG),
ALIAS("tempdir", 0, "tmpdir"),
FLAG("compress", 0, compress, 1,
"  --compress              compress buffered output (zstd -1, else gzip -1)\n"),
STR("compress-program", 0, cfg.compress_prg, OPTF_NONEMPTY,
    BAD("program", "a command"),
"  --compress-program PRG  compress buffered output with PRG (implies\n"
"                          --compress; PRG -dc reads it back)\n"),
STR("decompress-program", 0, cfg.decompress_prg, OPTF_NONEMPTY,
    BAD("program", "a command"),
"  --decompress-program PRG  read compressed output back with PRG\n"),
FLAG("verbose", 't', verbose, 1,
"  -t, --verbose           print each command on stderr as it starts\n"),
FLAG(NULL, 'v', announce, 1,
"  -v                      print each command on stdout before its output\n"
"                          (--silent turns it off)\n"),
FLAG("silent", 0, announce, 0, NULL),
FLAG("dry-run", 0, dry_run, 1,
"  --dry-run               print the commands, run nothing\n"),
ALIAS("dryrun", 0, "dry-run"),
ALIAS("dr", 0, "dry-run"),
HEAD("Scheduling:\n"),
CALL("mode", 0, required_argument, opt_mode, OPTF_LOCAL,
    BAD("mode", "process or thread"),
"  --mode=process|thread   workers are processes (default) or threads\n",
    .complete = OPTC_WORDS, .values = "process thread", BRIEF),
CALL("jobs", 'j', required_argument, opt_jobs, OPTF_HOSTS | OPTF_LOCAL_LIST,
    BAD("number of jobs", "N, 0, +N, -N or N%"),
"  -j, --jobs N            run N jobs at once: N, 0 (max), +N, -N, N%\n"
"  -j, --jobs FILE         the value in FILE, read again when it changes\n", BRIEF),
ALIAS("max-procs", 'P', "jobs"),
ALIAS("maxprocs", 0, "jobs"),
DURATION("delay", delay,
    BAD("duration", "seconds (1.5, 2m, 1h30m...)"),
"  --delay SECS            wait SECS between job starts\n"),
CALL("load", 0, required_argument, opt_load, 0,
    BAD("load", "N, +N, -N or N%"),
"  --load MAX              start jobs only while the load average is below\n"
"                          MAX (N, +N, -N, N% of the CPUs)\n"),
SIZE("memfree", 0, memfree, 0, NULL,
    BAD("size", "a number with an optional unit (K, M, G, T, P; k, m, g, "
    "t, p)"),
"  --memfree SIZE          start jobs only while more memory than SIZE is\n"
"                          available (K M G T: powers of 1024; k m g t: 1000)\n"),
SIZE("memsuspend", 0, memsuspend, 0, NULL,
    BAD("size", "a number with an optional unit (K, M, G, T, P; k, m, g, "
    "t, p)"),
"  --memsuspend SIZE       stop (SIGSTOP) the youngest jobs while less than\n"
"                          2*SIZE is available; no new job below SIZE\n"),
STR("limit", 0, cfg.limit, OPTF_NONEMPTY, BAD("limit", "a command"),
"  --limit \"CMD ARGS\"      before each job run CMD: 0 start it, 1 not now,\n"
"                          2 kill the youngest job (built in: mem N, load N)\n"),
STR("process-slot-var", 0, cfg.slot_var, OPTF_NONEMPTY,
    BAD("variable name", "a name of letters, digits and _"),
"  --process-slot-var NAME  give each job NAME=its slot - 1 (0..j-1)\n"),
{ .name = "nice", .kind = OPT_INT, .min = -20, .max = 19, .fn = opt_nice,
    .flags = OPTF_CLAMP,
    .bad = BAD("niceness", "a whole number"),
    .help =
"  --nice N                run jobs at niceness N (-20..19)\n" },
HEAD("Job control:\n"),
CALL("halt", 0, required_argument, opt_halt, 0,
    BAD("condition", "now|soon,fail|success|done=N or N%, or 0, 1, 2, -1, "
    "-2, N%"),
"  --halt WHEN,WHY=N       stop early: now|soon, fail|success|done=N or N%\n"
"                          (1: soon,fail=1; 2: now,fail=1)\n",
    .complete = OPTC_WORDS,
    .values = "never now,fail= now,success= now,done= soon,fail= "
    "soon,success= soon,done=", BRIEF),
ALIAS("halt-on-error", 0, "halt"),
ALIAS("haltonerror", 0, "halt"),
CALL("timeout", 0, required_argument, opt_timeout, 0,
    BAD("duration", "seconds (1.5, 2m, 1h30m...) or a percentage (200%)"),
"  --timeout SECS|N%       kill a job after SECS, or N% of the median run time\n", BRIEF),
INT("retries", attempts, 0, 999999999, opt_retries, 0,
    BAD("number of runs", "a whole number up to 999999999 (0: no limit)"),
"  --retries N             run a failing job up to N times in all\n", BRIEF),
CALL("termseq", 0, required_argument, opt_termseq, 0,
    BAD("kill sequence", TERMSEQ_EXPECT),
"  --termseq SEQ           signals to stop jobs (TERM,200,TERM,100,...)\n",
    .complete = OPTC_SIGNALS),
ALIAS("term-seq", 0, "termseq"),
CALL("joblog", 0, required_argument, opt_joblog, OPTF_HOSTS,
    BAD("file name", "a file name, with + in front to append"),
"  --joblog [+]FILE        log each finished job to FILE (+: append)\n",
    FILE_ARG, BRIEF),
ALIAS("jl", 0, "joblog"),
FLAG("resume", 0, resume, CONFIG_RESUME,
"  --resume                skip the jobs the job log or --results has as done\n"),
FLAG("resume-failed", 0, resume, CONFIG_RESUME_FAILED,
"  --resume-failed         also run again the jobs logged as failed\n"),
ALIAS("resumefailed", 0, "resume-failed"),
FLAG("retry-failed", 0, resume, CONFIG_RETRY_FAILED,
"  --retry-failed          run the failed commands of the job log only\n"),
ALIAS("retryfailed", 0, "retry-failed"),
CALL("semaphore", 0, no_argument, opt_sem, 0, NULL,
"  --semaphore             act as a counting semaphore, as sem does: run the\n"
"                          command once one of -j slots (default 1) is free\n"),
CALL("semaphore-name", 0, required_argument, opt_sem, 0, NULL,
"  --id, --semaphore-name NAME  the semaphore's name (default: the terminal)\n"),
ALIAS("semaphorename", 0, "semaphore-name"),
ALIAS("id", 0, "semaphore-name"),
CALL("fg", 0, no_argument, opt_sem, 0, NULL,
"  --fg, --bg              semaphore: wait for the command and return its\n"
"                          status, or return at once (the default)\n"),
CALL("bg", 0, no_argument, opt_sem, 0, NULL, NULL),
CALL("wait", 0, no_argument, opt_sem, 0, NULL,
"  --wait                  semaphore: wait until every slot is free\n"),
CALL("semaphore-timeout", 0, required_argument, opt_sem_timeout, 0,
    BAD("duration", "seconds, or with a unit (s, m, h, d); negative to "
    "give up"),
"  --st, --semaphore-timeout SECS  semaphore: after SECS run anyway; after\n"
"                          -SECS give up (exit 1)\n"),
ALIAS("semaphoretimeout", 0, "semaphore-timeout"),
ALIAS("st", 0, "semaphore-timeout"),
HEAD("Remote:\n"),
{ .name = "sshlogin", .shrt = 'S', .kind = OPT_LIST,
    .dest = OFF(cfg.remote.logins), .size = SZ(cfg.remote.logins),
    .count = OFF(cfg.remote.nlogins), .flags = OPTF_HOSTS,
    .help =
"  -S, --sshlogin [N/][user@]host,...  N jobs at a time on each host; : here\n",
    .complete = OPTC_HOST, BRIEF },
{ .name = "sshloginfile", .kind = OPT_LIST, .dest = OFF(cfg.remote.files),
    .size = SZ(cfg.remote.files), .count = OFF(cfg.remote.nfiles),
    .flags = OPTF_HOSTS,
    .help =
"  --slf, --sshloginfile FILE  hosts from FILE, read again when it changes;\n"
"                          'slurm': the Slurm allocation's nodes and tasks\n",
    FILE_ARG },
ALIAS("slf", 0, "sshloginfile"),
{ .name = "onall", .kind = OPT_FLAG, .dest = OFF(cfg.onall),
    .size = SZ(cfg.onall), .val = CONFIG_ONALL, .flags = OPTF_HOSTS,
    .help =
"  --onall                 run all the jobs on each host, one at a time\n"
"                          there, -j hosts at once\n" },
{ .name = "nonall", .kind = OPT_FLAG, .dest = OFF(cfg.onall),
    .size = SZ(cfg.onall), .val = CONFIG_NONALL, .flags = OPTF_HOSTS,
    .help =
"  --nonall                run the command once on each host, no arguments\n" },
DURATION("sshdelay", remote.sshdelay,
    BAD("duration", "seconds (1.5, 2m, 1h30m...)"),
"  --sshdelay, --ssh-delay SECS  start ssh connections SECS apart (also\n"
"                          --delay, when that is not given)\n"),
ALIAS("ssh-delay", 0, "sshdelay"),
FLAG("filter-hosts", 0, remote.filter_hosts, 1,
"  --filter-hosts (--filterhosts, --filter-host)  connect every host before\n"
"                          the first job; the hosts that are down get none\n"),
ALIAS("filterhosts", 0, "filter-hosts"),
ALIAS("filter-host", 0, "filter-hosts"),
FLAG("hostgroups", 0, remote.hostgroups, 1,
"  --hostgroups, --hgrp (--hostgrp, --hostgroup)  ARG@GROUP+GROUP runs only\n"
"                          on hosts of a GROUP (-S @GROUP/host), as ARG\n"),
ALIAS("hgrp", 0, "hostgroups"),
ALIAS("hostgrp", 0, "hostgroups"),
ALIAS("hostgroup", 0, "hostgroups"),
STR("ssh", 0, cfg.remote.ssh, 0, NULL,
"  --ssh CMD               the ssh command (default $PARALLEL_SSH or ssh)\n",
    .complete = OPTC_COMMAND),
LIST("env", 0, cfg.remote.env, cfg.remote.nenv,
"  --env VAR               pass VAR to remote jobs (local jobs get the\n"
"                          whole environment anyway)\n",
    .complete = OPTC_VAR),
LIST("transferfile", 0, cfg.remote.transfer, cfg.remote.ntransfer,
"  --transferfile, --tf FILE  send FILE (a template) to the host first\n",
    FILE_ARG),
ALIAS("tf", 0, "transferfile"),
ALIAS("transfer-file", 0, "transferfile"),
ALIAS("transferfiles", 0, "transferfile"),
ALIAS("transfer-files", 0, "transferfile"),
CALL("transfer", 0, no_argument, opt_transfer, 0, NULL,
"  --transfer              the same as --transferfile {}\n"),
LIST("return", 0, cfg.remote.ret, cfg.remote.nret,
"  --return FILE           fetch FILE (a template) from the host afterwards\n",
    FILE_ARG),
FLAG("cleanup", 0, remote.cleanup, 1,
"  --cleanup               remove the sent and fetched files from the host\n"),
CALL("trc", 0, required_argument, opt_transfer, 0, NULL,
"  --trc FILE              --transfer --return FILE --cleanup\n",
    FILE_ARG),
LIST("basefile", 0, cfg.remote.basefile, cfg.remote.nbasefile,
"  --basefile, --bf FILE   send FILE to every host before its first job\n",
    FILE_ARG),
ALIAS("bf", 0, "basefile"),
STR("workdir", 0, cfg.remote.workdir, 0, NULL,
"  --workdir, --wd DIR     run jobs in DIR, made if missing (. this\n"
"                          directory; ... a new one per job)\n"),
ALIAS("wd", 0, "workdir"),
ALIAS("work-dir", 0, "workdir"),
HEAD("Measurement:\n"),
BITS("bar", progress, PROGRESS_BAR,
"  --bar, --eta, --progress  show a progress line on stderr (live on a\n"
"                          terminal, the final state otherwise)\n", BRIEF),
BITS("eta", progress, PROGRESS_ETA, NULL),
BITS("progress", progress, PROGRESS_PROGRESS, NULL),
INT("total-jobs", total_jobs, 0, LLONG_MAX, NULL, 0,
    BAD("number of jobs", "a whole number"),
"  --total-jobs N          the number of jobs, for the ETA and the bar\n"),
ALIAS("total", 0, "total-jobs"),
ALIAS("totaljobs", 0, "total-jobs"),
{ .name = "stats", .kind = OPT_FLAG, .dest = OFF(cfg.stats),
    .size = SZ(cfg.stats), .val = 1, .flags = OPTF_LOCAL,
    .help =
"  --stats                 print measurements of the run on stderr at the end\n", BRIEF },
STR("stats-json", 0, cfg.stats_json, OPTF_LOCAL, NULL,
"  --stats-json FILE       write the same measurements as JSON\n",
    FILE_ARG),
STR("events", 0, cfg.events, OPTF_LOCAL, NULL,
"  --events FILE           write one JSON line per finished job\n",
    FILE_ARG),
STR("timeline", 0, cfg.timeline, OPTF_LOCAL, NULL,
"  --timeline FILE.svg     draw the run: a row per job slot, a bar per job\n",
    FILE_ARG),
LIST("plot", 0, cfg.plot, cfg.nplot,
"  --plot EVENTS --timeline FILE.svg\n"
"                          draw a run saved with --events, run nothing;\n"
"                          --plot again: the runs on one time axis\n",
    .flags = OPTF_LOCAL, FILE_ARG),
{ .name = "compare", .kind = OPT_FLAG, .dest = OFF(cfg.compare),
    .size = SZ(cfg.compare), .val = 1, .flags = OPTF_LOCAL,
    .help =
"  --compare               run the workload in both modes, alternately, until\n"
"                          the verdict is sure; -j 1,2,4,8: at each level\n", BRIEF },
INT("runs", compare_runs, 1, 100, NULL, OPTF_LOCAL,
    BAD("number of runs", "1 to 100"),
"  --runs N                --compare: exactly N runs per mode\n"),
{ .name = "compare-time", .kind = OPT_DURATION, .dest = OFF(cfg.compare_time),
    .size = SZ(cfg.compare_time), .flags = OPTF_LOCAL,
    .bad = BAD("time budget", "a duration such as 10, 30s or 2m"),
    .help =
"  --compare-time DURATION --compare: the runs' time budget (default 10s)\n" },
STR("compare-json", 0, cfg.compare_json, OPTF_LOCAL | OPTF_NONEMPTY, NULL,
"  --compare-json FILE     --compare: every run's figures, as JSON\n",
    FILE_ARG),
STR("compare-report", 0, cfg.compare_report, OPTF_LOCAL | OPTF_NONEMPTY,
    NULL,
"  --compare-report FILE.svg\n"
"                          --compare: draw both modes' warm-up runs on one\n"
"                          time axis (--report)\n", FILE_ARG),
ALIAS("report", 0, "compare-report"),
HEAD("Other:\n"),
CALL("help", 'h', no_argument, opt_help, 0, NULL,
"  -h, --help              show this help\n"),
CALL("help-all", 0, no_argument, opt_help, 0, NULL,
"  --help-all              show every option, with its other names\n"),
CALL("version", 'V', no_argument, opt_version, 0, NULL,
"  --version               show the version\n"),
CALL("number-of-cpus", 0, no_argument, opt_ncpus, 0, NULL,
"  --number-of-cpus, --number-of-cores, --number-of-threads\n"
"                          print the number of CPUs parx may use\n"),
CALL("number-of-sockets", 0, no_argument, opt_nsockets, 0, NULL,
"  --number-of-sockets     print the number of CPU sockets of the machine\n"),
ALIAS("numberofsockets", 0, "number-of-sockets"),
ALIAS("number-of-cores", 0, "number-of-cpus"),
ALIAS("number-of-threads", 0, "number-of-cpus"),
ALIAS("numberofcpus", 0, "number-of-cpus"),
ALIAS("numberofcores", 0, "number-of-cpus"),
ALIAS("numberofthreads", 0, "number-of-cpus"),
CALL("profile", 'J', required_argument, opt_noop, 0, NULL,
"  -J, --profile NAME      read options from the file NAME in $PARALLEL_HOME\n"
"                          (or ~/.parallel), or ./NAME, /NAME; instead of\n"
"                          the config file there; may be repeated\n",
    FILE_ARG),
CALL("plain", 0, no_argument, opt_noop, 0, NULL,
"  --plain                 read no config file, profile or $PARALLEL\n"),
NOOP("shebang",
"  --shebang, --hashbang   first on a #! line: the script's lines are the\n"
"                          input (#!/path/parx --shebang OPTIONS COMMAND)\n"),
ALIAS("hashbang", 0, "shebang"),
NOOP("shebang-wrap",
"  --shebang-wrap, --shebangwrap  first on a #! line: run the script with\n"
"                          PROGRAM once per argument (#!/path/parx\n"
"                          --shebang-wrap OPTIONS PROGRAM)\n"),
ALIAS("shebangwrap", 0, "shebang-wrap"),
FLAG("shellquote", 0, shellquote, 1,
"  --shellquote            print each command shell-quoted, run nothing\n"),
ALIAS("shell-quote", 0, "shellquote"),
NOOP("gnu", NULL),
ALIAS("will-cite", 0, "gnu"),
ALIAS("no-notice", 0, "gnu"),
ALIAS("willcite", 0, "gnu"),
ALIAS("nonotice", 0, "gnu"),
ALIAS("nn", 0, "gnu"),
TEXT("Other names: --max-procs --maxprocs (-j), --keeporder (-k),\n"
"  --no-keep-order --nokeeporder --no-k --nok, --replace (-i), --argfile (-a),\n"
"  --extensionreplace --basenamereplace --dirnamereplace\n"
"  --basenameextensionreplace (--er --bnr --dnr --bner), --xapply (--link),\n"
"  --halt-on-error --haltonerror (--halt), --jl (--joblog), --output-as-files\n"
"  --outputasfiles (--files), --max-lines --maxlines (-l), --block-size\n"
"  --blocksize (--block), --spreadstdin (--pipe), --term-seq (--termseq),\n"
"  --dryrun --dr (--dry-run), --line-buffered --linebuffer --linebuffered\n"
"  (--line-buffer), --tag-string (--tagstring), --tempdir (--tmpdir),\n"
"  --pipepart (--pipe-part), --roundrobin (--round-robin), --maxargs (-n),\n"
"  --maxreplaceargs (-N), --maxchars (-s), --col-sep (-C), --norunifempty\n"
"  (-r), --regex (--regexp), --res --result (--results), --resumefailed\n"
"  (--resume-failed), --retryfailed (--retry-failed), --totaljobs\n"
"  (--total-jobs), --transfer-file --transferfiles --transfer-files (--tf),\n"
"  --work-dir (--workdir), --argsep (--arg-sep), --argfilesep\n"
"  (--arg-file-sep), --numberofcpus --numberofcores --numberofthreads,\n"
"  --numberofsockets, --shell-quote (--shellquote),\n"
"  --semaphorename (--id), --semaphoretimeout (--st), --colour (--color),\n"
"  --colour-failed (--color-failed); --gnu --will-cite\n"
"  --willcite --no-notice --nonotice --nn: ignored\n"),
HEAD("\n"
"Replacement strings: {} {.} {/} {//} {/.} {#} {%} {n} {n.} {n/} {n//} {n/.}\n"
"Exit status: 0 all jobs succeeded, 1-100 that many failed, 101 more, 255 an\n"
"error of parx itself or an interruption (--halt changes it).\n"
"Every option: parx --help-all; all about them: man parx.\n"),
/* Internal, for --compare's runs and tests/docs.bats: not for users. */
INT("internal-stats-fd", stats_fd, 0, INT_MAX, NULL, 0,
    BAD("descriptor", "a whole number"), NULL),
FLAG("internal-digest", 0, digest, 1, NULL),
CALL("internal-list-options", 0, optional_argument, opt_list, 0,
    BAD("list", "main"), NULL),
CALL("internal-completion", 0, required_argument, opt_completion, 0,
    BAD("shell", "bash, zsh or fish"), NULL),
{ .kind = OPT_END }
};

static void
add_source(struct config *cfg, enum config_src_kind kind, const char *path,
    char **words, size_t nwords, int linked)
{
	struct config_source *s;

	cfg->src = xreallocarray(cfg->src, cfg->nsrc + 1, sizeof(*cfg->src));
	s = &cfg->src[cfg->nsrc++];
	s->kind = kind;
	s->path = path;
	s->words = words;
	s->nwords = nwords;
	s->linked = linked;
	s->implied = 0;
}

/* Whether word is sep, or sep+ (then *linked is 1). */
static int
is_sep(const char *word, const char *sep, int *linked)
{
	size_t n = strlen(sep);

	if (strncmp(word, sep, n) != 0)
		return 0;
	*linked = strcmp(word + n, "+") == 0;
	return word[n] == '\0' || *linked;
}

/*
 * Whether word is one of the separators: 2 for the file one (:::: or
 * ::::+), 1 for the argument one (::: or :::+), else 0.  The file one is
 * tried first, for when one separator is the other with a '+'.
 */
static int
sep_kind(const char *word, const char *argsep, const char *filesep,
    int *linked)
{
	if (is_sep(word, filesep, linked))
		return 2;
	if (is_sep(word, argsep, linked))
		return 1;
	return 0;
}

/* Split the words after the options into the command and the sources. */
static void
parse_operands(struct cmdline *cl, int argc, char **argv)
{
	struct config *cfg = &cl->cfg;
	int i = 0, k, start, kind, linked;
	const char *sep;

	while (i < argc && !sep_kind(argv[i], cl->argsep, cl->filesep,
	    &linked))
		i++;
	cfg->cmd = argv;
	cfg->ncmd = (size_t)i;
	while (i < argc) {
		sep = argv[i];
		kind = sep_kind(sep, cl->argsep, cl->filesep, &linked);
		start = ++i;
		while (i < argc && !sep_kind(argv[i], cl->argsep, cl->filesep,
		    &k))
			i++;
		if (kind == 1 && !(cl->wrap_files && cfg->pipe.on)) {
			add_source(cfg, CONFIG_SRC_WORDS, NULL, argv + start,
			    (size_t)(i - start), linked);
			continue;
		}
		if (kind == 1 && start == i)
			continue;	/* --shebang-wrap --pipe: stdin */
		if (start == i) {
			msg_error("'%s' needs at least one file", sep);
			opts_usage_error();
		}
		for (k = start; k < i; k++)
			add_source(cfg, CONFIG_SRC_FILE, argv[k], NULL, 0,
			    linked);
	}
}

/*
 * A --compress program whose first word is a plain command name must be
 * found, so that a missing one stops parx before any job runs (shell code
 * such as "VAR=1 prg" is left to the shell, which says so per job).
 */
static void
check_compress_program(const char *prg, const char *opt)
{
	size_t n = strcspn(prg, " \t\n");
	char *word, *path;

	word = xmemdupz(prg, n);
	if (n && strpbrk(word, "=$'\"\\`;|&<>(){}*?[~") == NULL) {
		path = sys_path_find(word);
		if (path == NULL) {
			msg_error("cannot find '%s' of %s '%s'", word, opt, prg);
			exit(EXIT_PARX);
		}
		free(path);
	}
	free(word);
}

/*
 * --compress, --compress-program, --decompress-program: the programs.
 * The default is zstd -1 where zstd is installed, else gzip -1.
 */
static void
opts_compress(struct cmdline *cl, struct config *cfg)
{
	char *zstd;

	if (cfg->compress_prg)
		cfg->compress = 1;
	if (cfg->decompress_prg && !cfg->compress) {
		msg_error("--decompress-program needs --compress or "
		    "--compress-program");
		opts_usage_error();
	}
	if (!cfg->compress)
		return;
	if (cfg->compress_prg == NULL) {
		zstd = sys_path_find("zstd");
		cfg->compress_prg = zstd ? "zstd -1 -q -c" : "gzip -1";
		if (cfg->decompress_prg == NULL)
			cfg->decompress_prg = zstd ? "zstd -d -q -c" :
			    "gzip -dc";
		free(zstd);
	}
	if (cfg->decompress_prg == NULL) {
		cl->unzip = xasprintf("%s -dc", cfg->compress_prg);
		cfg->decompress_prg = cl->unzip;
	}
	check_compress_program(cfg->compress_prg, "--compress-program");
	check_compress_program(cfg->decompress_prg, "--decompress-program");
}

/*
 * --process-slot-var NAME: a variable name, for jobs this machine starts
 * with posix_spawn (not --func calls, not other hosts, not sem's).
 */
static void
check_slot_var(const struct config *cfg)
{
	const char *n = cfg->slot_var;

	if (n == NULL)
		return;
	if (strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_") != strlen(n) || (*n >= '0' && *n <= '9') ||
	    strlen(n) > 200) {
		/* One line, as for any bad value (tests/exit.bats). */
		msg_error("invalid variable name '%s' for --process-slot-var: "
		    "expected letters, digits and _, not a digit first", n);
		exit(EXIT_PARX);
	}
	if (cfg->func) {
		msg_error("--process-slot-var cannot set a variable for --func "
		    "jobs, which run inside parx");
		opts_usage_error();
	}
	if (cfg->remote.nlogins > 0 || cfg->remote.nfiles > 0) {
		msg_error("--process-slot-var is for jobs on this machine: it "
		    "cannot go with -S or --slf");
		opts_usage_error();
	}
	if (cfg->sem.on) {
		msg_error("--process-slot-var is for parx's own job slots: it "
		    "cannot go with --semaphore");
		opts_usage_error();
	}
}

/* Check what the options say together, once they are all read. */
static void
check_options(struct cmdline *cl)
{
	struct config *cfg = &cl->cfg;

	/* --shellquote is --dry-run with its lines quoted. */
	if (cfg->shellquote)
		cfg->dry_run = 1;
	check_slot_var(cfg);
	if (!cfg->pipe.on)
		cfg->pipe.tee = cfg->pipe.rrs = 0;	/* only for --pipe */
	/* --tty: one job at a time on the terminal, as GNU parallel. */
	if (cfg->tty == CONFIG_TTY_FG && !cl->jobs_set)
		cfg->jobs = 1;
	if (cfg->tty == CONFIG_TTY_FG && !cl->group_set)
		cfg->output = OUTPUT_UNGROUP;
	if (!cl->jobs_set && cfg->tty != CONFIG_TTY_FG)
		/* --tee runs every job at once: -j 0, as GNU parallel. */
		cfg->jobs = cfg->pipe.tee ? 0 : (unsigned long)sys_ncpus();
	if (cl->jobs_list && !cfg->compare) {
		msg_error("a list of job counts (-j %s) goes with --compare "
		    "only", cl->jobs_list);
		opts_usage_error();
	}
	if ((cfg->compare_time > 0 || cfg->compare_json ||
	    cfg->compare_runs) && !cfg->compare) {
		msg_error("--runs, --compare-time and --compare-json go with "
		    "--compare");
		opts_usage_error();
	}
	opts_compress(cl, cfg);
	if (cfg->resume == CONFIG_RETRY_FAILED && cfg->joblog == NULL) {
		msg_error("--retry-failed needs --joblog");
		opts_usage_error();
	}
	if (cfg->resume != CONFIG_RESUME_NONE && cfg->joblog == NULL &&
	    cfg->results == NULL) {
		msg_error("--resume and --resume-failed need --joblog or "
		    "--results");
		opts_usage_error();
	}
	if (cl->nul) {
		free(cl->delim);
		cl->delim = xmemdupz("", 0);
		cl->delim_len = 1;
	}
	cfg->delim = cl->delim;
	cfg->delim_len = cl->delim_len;
	/* --sshdelay is also --delay, unless that is given, as GNU parallel. */
	if (cfg->delay <= 0)
		cfg->delay = cfg->remote.sshdelay;
}

/* --pipe takes its data from one file or standard input, for a command. */
static void
check_pipe(struct config *cfg)
{
	size_t i;

	if (cfg->pipe.blocks && !cfg->pipe.part) {
		msg_error("a negative --block (blocks per job slot) needs "
		    "--pipe-part");
		opts_usage_error();
	}
	if (cfg->ncmd == 0) {
		msg_error("--pipe needs a command to run");
		opts_usage_error();
	}
	if (cfg->func) {
		msg_error("--pipe feeds commands, not --func functions");
		opts_usage_error();
	}
	if (cfg->pipe.cat && cfg->pipe.fifo) {
		msg_error("--fifo cannot be combined with --cat");
		opts_usage_error();
	}
	if ((cfg->pipe.cat || cfg->pipe.fifo) && cfg->pipe.round_robin) {
		msg_error("--%s cannot be combined with --round-robin",
		    cfg->pipe.cat ? "cat" : "fifo");
		opts_usage_error();
	}
	if (cfg->pipe.tee && (cfg->pipe.cat || cfg->pipe.fifo ||
	    cfg->pipe.round_robin || cfg->pipe.part)) {
		msg_error("--tee cannot be combined with --%s", cfg->pipe.cat ?
		    "cat" : cfg->pipe.fifo ? "fifo" : cfg->pipe.part ?
		    "pipe-part" : "round-robin");
		opts_usage_error();
	}
	if ((cfg->pipe.group_by || cfg->pipe.group_perl) &&
	    (cfg->pipe.rrs || cfg->pipe.recstart ||
	    (cfg->pipe.recend && strcmp(cfg->pipe.recend, "\\n") != 0))) {
		msg_error("--group-by cannot be combined with --%s",
		    cfg->pipe.rrs ? "rrs" : cfg->pipe.recstart ? "recstart" :
		    "recend");
		opts_usage_error();
	}
	if (cfg->pipe.tee)
		return;	/* standard input is the data, the sources args */
	for (i = 0; i < cfg->nsrc; i++)
		if (cfg->src[i].kind != CONFIG_SRC_WORDS)
			break;
	if (i == cfg->nsrc && !cfg->pipe.part && !cfg->pipe.cat &&
	    !cfg->pipe.fifo) {
		/* ::: lists: standard input is the data, each job takes
		   the next tuple (parsort: --round-robin cat > {} ::: fifos) */
		cfg->pipe.args = 1;
		return;
	}
	if (cfg->pipe.part) {
		/* The files one after the other, each cut on its own. */
		for (i = 0; i < cfg->nsrc; i++)
			if (cfg->src[i].kind != CONFIG_SRC_FILE) {
				msg_error("--pipe-part reads files (-a FILE, "
				    ":::: FILE...), not ::: lists");
				opts_usage_error();
			}
		return;
	}
	if (cfg->nsrc != 1 || cfg->src[0].kind != CONFIG_SRC_FILE) {
		msg_error("--pipe reads one file (-a FILE, :::: FILE) or "
		    "standard input, not several files (--pipe-part reads "
		    "several); ::: lists (the jobs' arguments) go with it "
		    "alone, without --cat or --fifo");
		opts_usage_error();
	}
}

/*
 * Arguments read from a terminal: say so, since parx then seems to hang to
 * whoever forgot the ::: or the pipe, as GNU parallel does (not with
 * --pipe, whose data may well be typed).
 */
static void
warn_tty_input(const struct config *cfg)
{
	size_t i;

	if (cfg->pipe.on || cfg->onall == CONFIG_NONALL ||
	    cfg->resume == CONFIG_RETRY_FAILED || !isatty(STDIN_FILENO))
		return;
	for (i = 0; i < cfg->nsrc; i++)
		if (cfg->src[i].kind == CONFIG_SRC_FILE &&
		    strcmp(cfg->src[i].path, "-") == 0)
			break;
	if (i == cfg->nsrc)
		return;
	msg_warn("reading arguments from the terminal, one a line; Ctrl-D "
	    "ends them");
	msg_warn("(arguments may also come after :::, from -a FILE or "
	    "through a pipe)");
}

/*
 * -S .., --slf .., --slf ., -S -, --slf -: the files and logins they
 * stand for, read before any job's input.  Standard input may hold the
 * logins only when the jobs' arguments come from elsewhere.  Returns 0,
 * or -1 after saying why.
 */
static int
resolve_logins(struct config *cfg)
{
	char *err = NULL;
	size_t i;
	int busy = 0;

	for (i = 0; i < cfg->nsrc; i++)
		if (cfg->src[i].kind == CONFIG_SRC_FILE &&
		    strcmp(cfg->src[i].path, "-") == 0 &&
		    !(cfg->src[i].implied && !cfg->pipe.on &&
		    (cfg->onall == CONFIG_NONALL ||
		    cfg->resume == CONFIG_RETRY_FAILED)))
			busy = 1;
	if (loginsrc_resolve(&cfg->remote, busy, &err) == 0)
		return 0;
	msg_error("%s", err);
	free(err);
	return -1;
}

/*
 * --timeline draws the jobs of this run; with --plot, those of a saved
 * --events file, and then nothing runs.
 */
static void
check_timeline(const struct config *cfg, int explicit_input)
{
	if (cfg->plot && cfg->timeline == NULL) {
		msg_error("--plot needs --timeline FILE.svg: where to draw "
		    "'%s'", cfg->plot[0]);
		opts_usage_error();
	}
	if (cfg->plot && (cfg->ncmd > 0 || explicit_input || cfg->func)) {
		msg_error("--plot draws a saved run: it takes no command, "
		    "function or input");
		opts_usage_error();
	}
	if (cfg->timeline && cfg->dry_run) {
		msg_error("--timeline cannot be combined with --dry-run: no "
		    "job runs");
		opts_usage_error();
	}
	if (cfg->compare_report && !cfg->compare) {
		msg_error("--compare-report draws the runs of --compare: it "
		    "goes with --compare");
		opts_usage_error();
	}
	if (cfg->timeline && cfg->compare) {
		msg_error("--timeline draws one run, not the runs of "
		    "--compare (--compare-report draws them)");
		opts_usage_error();
	}
	if (cfg->timeline && cfg->onall) {
		msg_error("--timeline cannot be combined with --%s",
		    cfg->onall == CONFIG_ONALL ? "onall" : "nonall");
		opts_usage_error();
	}
}

/*
 * $PARALLEL_ENV (penv.h): the code this run's jobs run first; or, when
 * parx runs itself again for the work (again: --onall, --compare), that
 * code back in the environment, where those runs take it as this one
 * would (a fifo is read once).  A file that cannot be read stops parx.
 */
static void
main_env_code(struct config *cfg, int again)
{
	char *code, *err;
	size_t len;
	int rc;

	rc = penv_take(&code, &len, &err);
	if (rc == -1) {
		msg_error("%s", err);
		free(err);
		exit(EXIT_PARX);
	}
	if (rc == 0)
		return;
	if (again) {
		setenv("PARALLEL_ENV", code, 1);
		free(code);
		return;
	}
	cfg->env_code = code;
	cfg->env_code_len = len;
}

/* sem, or --semaphore: one command, no input. */
static int
main_sem(struct cmdline *cl)
{
	struct config *cfg = &cl->cfg;

	if (cl->nafiles > 0 || cfg->nsrc > 0) {
		msg_error("a semaphore runs one command: it takes no input "
		    "(:::, ::::, -a)");
		opts_usage_error();
	}
	if (cfg->sem.wait && cfg->ncmd > 0) {
		msg_error("--wait waits for the semaphore's commands: it takes "
		    "no command of its own");
		opts_usage_error();
	}
	if (!cfg->sem.wait && cfg->ncmd == 0) {
		msg_error("a semaphore needs a command to run");
		opts_usage_error();
	}
	if (cfg->timeline || cfg->plot) {
		msg_error("a semaphore draws no --%s", cfg->timeline ?
		    "timeline" : "plot");
		opts_usage_error();
	}
	return sem_main(cfg);
}

/*
 * The words GNU parallel users keep outside the command line: the config
 * file, or the -J profiles instead of it, then $PARALLEL.  GNU parallel
 * reads each of these parts and the command line on its own, up to its
 * first operand, so that an option never takes its value from the next
 * part; the options of the parts then count in that order (a later one
 * wins), and their operands go before the command line's, in the same
 * order.  main_words() builds the one command line that says all that.
 */
struct part {
	char	**av;		/* a program name, the words, NULL */
	char	**fr;		/* where each came from, or NULL */
	int	  n;		/* the words, and the name */
	int	  nopt;		/* the index after its last option */
	int	  first;	/* the index of its first operand */
};

struct words {
	struct profile	  files;	/* the config file or the profiles */
	struct profile	  env;		/* $PARALLEL */
	char		**profiles;	/* -J NAME..., in order */
	size_t		  nprofiles;
	int		  plain;	/* --plain: none of them */
	char		**av;		/* the whole command line */
	char		**fr;		/* where each word came from */
	int		  n;
	int		  dashes;	/* the index of the "--" before the
					   operands */
};

/* Check the options of the n words at v (from fr) and find the operands. */
static void
part_scan(struct part *p, char **v, char **fr, size_t n, opt_scan_fn *fn,
    void *ctx)
{
	int dashes;

	p->n = (int)n + 1;
	p->av = xreallocarray(NULL, n + 2, sizeof(*p->av));
	p->fr = xcalloc(n + 2, sizeof(*p->fr));
	p->av[0] = (char *)msg_progname();
	if (n > 0)	/* v may be NULL then */
		memcpy(p->av + 1, v, n * sizeof(*v));
	if (fr && n > 0)
		memcpy(p->fr + 1, fr, n * sizeof(*fr));
	p->av[n + 1] = NULL;
	p->first = opts_scan(parx_options, p->n, p->av, p->fr, fn, ctx,
	    &dashes);
	p->nopt = p->first - dashes;
}

/* The first look at the command line: -J and --plain. */
static void
words_look(void *ctx, const struct opt *o, const char *arg)
{
	struct words *w = ctx;

	if (o->name != NULL && strcmp(o->name, "plain") == 0)
		w->plain = 1;
	else if (o->name != NULL && strcmp(o->name, "profile") == 0)
		opts_append(&w->profiles, &w->nprofiles, (char *)arg);
}

/*
 * Add the words of the file at path.  A file that is not there, or that
 * parx may not read, is skipped, as GNU parallel skips it: the config file
 * is optional, and GNU parallel says nothing of a missing profile either.
 */
static void
words_file(struct words *w, const char *name)
{
	const char *why;
	char *path;
	size_t line;

	if ((path = profile_path(name)) == NULL)
		return;
	if (profile_add_file(&w->files, path, &why, &line) == -1) {
		if (why != NULL) {
			msg_error("%s:%zu: the line has %s", path, line, why);
			exit(EXIT_PARX);
		}
		if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
			msg_error("cannot read '%s': %s", path,
			    strerror(errno));
			exit(EXIT_PARX);
		}
	}
	free(path);
}

/* Read the config file or the profiles, and $PARALLEL. */
static void
words_read(struct words *w)
{
	const char *env = getenv("PARALLEL"), *why;
	size_t i;

	if (w->nprofiles == 0)
		words_file(w, "config");
	for (i = 0; i < w->nprofiles; i++)
		words_file(w, w->profiles[i]);
	if (env != NULL && profile_add_text(&w->env, env, strlen(env),
	    "$PARALLEL", &why) == -1) {
		msg_error("$PARALLEL has %s", why);
		exit(EXIT_PARX);
	}
}

/* Append word (from fr) to w's command line. */
static void
words_push(struct words *w, char *word, char *fr)
{
	w->av[w->n] = word;
	w->fr[w->n++] = fr;
}

/*
 * Build parx's whole command line in w from the three parts: the options
 * of each in turn, "--", the operands of each in turn.
 */
static void
words_join(struct words *w, char *progname, struct part *parts, int nparts)
{
	size_t cap = 3;
	int i, k;

	for (i = 0; i < nparts; i++)
		cap += (size_t)parts[i].n;
	w->av = xreallocarray(NULL, cap, sizeof(*w->av));
	w->fr = xreallocarray(NULL, cap, sizeof(*w->fr));
	w->n = 0;
	words_push(w, progname, NULL);
	for (i = 0; i < nparts; i++)
		for (k = 1; k < parts[i].nopt; k++)
			words_push(w, parts[i].av[k], parts[i].fr[k]);
	w->dashes = w->n;
	words_push(w, "--", NULL);
	for (i = 0; i < nparts; i++)
		for (k = parts[i].first; k < parts[i].n; k++)
			words_push(w, parts[i].av[k], parts[i].fr[k]);
	w->av[w->n] = NULL;
	for (i = 0; i < nparts; i++) {
		free(parts[i].av);
		free(parts[i].fr);
	}
}

/*
 * Find parx's whole command line: the config file (or the -J profiles),
 * $PARALLEL and argv, unless argv says --plain.  A bad option in any of
 * them is reported, named where it is, and parx exits.
 */
static void
main_words(struct words *w, int argc, char **argv)
{
	struct part parts[3];

	memset(w, 0, sizeof(*w));
	profile_init(&w->files);
	profile_init(&w->env);
	memset(parts, 0, sizeof(parts));
	part_scan(&parts[2], argv + 1, NULL, (size_t)argc - 1, words_look,
	    w);
	if (!w->plain)
		words_read(w);
	part_scan(&parts[0], w->files.words, w->files.from, w->files.n, NULL,
	    NULL);
	part_scan(&parts[1], w->env.words, w->env.from, w->env.n, NULL, NULL);
	words_join(w, argv[0], parts, 3);
}

/* 1 for --shebang, 2 for --shebang-wrap at the start of word, else 0. */
static int
shebang_kind(const char *word, size_t *skip)
{
	static const struct {
		const char	*name;
		int		 kind;
	} names[] = {
		{ "--shebang-wrap", 2 }, { "--shebangwrap", 2 },
		{ "--shebang", 1 }, { "--hashbang", 1 },
	};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i].name);
		if (strncmp(word, names[i].name, n) == 0 &&
		    (word[n] == '\0' || word[n] == ' ' || word[n] == '\t')) {
			*skip = n;
			return names[i].kind;
		}
	}
	return 0;
}

/*
 * parx as the interpreter of a script: the kernel runs
 * "parx '--shebang OPTIONS' SCRIPT ARGS..." for a first line
 * "#!/path/parx --shebang OPTIONS", the rest of the line one word (env -S
 * splits it instead).  As GNU parallel does, --shebang makes SCRIPT, less
 * its first line, the input (the last word is the script), and
 * "--shebang-wrap OPTIONS PROGRAM" runs "PROGRAM SCRIPT ARG" for each ARG
 * (with --pipe the ARGS are the files to read, else standard input).
 * The words of OPTIONS are split as $PARALLEL's are.  The new argv is
 * kept for the whole run, as argv is.
 */
static void
main_shebang(struct cmdline *cl, int *argc, char ***argv)
{
	static struct profile words;
	static char **av;
	const char *why;
	char **v = *argv;
	size_t skip, k = 0, i;
	int kind, n = *argc;

	if (n < 2)
		return;
	if ((kind = shebang_kind(v[1], &skip)) == 0) {
		if (strstr(v[1], " --shebang") != NULL)
			msg_warn("--shebang and --shebang-wrap must be the "
			    "first argument");
		return;
	}
	if (n < 3) {
		msg_error("%s needs the script after its options", kind == 1 ?
		    "--shebang" : "--shebang-wrap");
		exit(EXIT_PARX);
	}
	profile_init(&words);
	if (profile_add_text(&words, v[1] + skip, strlen(v[1] + skip),
	    "#!", &why) == -1) {
		msg_error("the #! line '%s' has %s", v[1], why);
		exit(EXIT_PARX);
	}
	av = xcalloc(words.n + (size_t)n + 4, sizeof(*av));
	av[k++] = v[0];
	if (kind == 1) {
		/* GNU parallel takes the last word for the script too. */
		av[k++] = "-a";
		av[k++] = v[n - 1];
		cl->cfg.skip_first_line = 1;
		for (i = 0; i < words.n; i++)
			av[k++] = words.words[i];
		for (i = 2; i < (size_t)n - 1; i++)
			av[k++] = v[i];
	} else {
		for (i = 0; i < words.n; i++)
			av[k++] = words.words[i];
		av[k++] = v[2];
		av[k++] = (char *)cl->argsep;
		for (i = 3; i < (size_t)n; i++)
			av[k++] = v[i];
		cl->wrap_files = 1;
	}
	av[k] = NULL;
	*argc = (int)k;
	*argv = av;
}

static void
words_release(struct words *w)
{
	profile_release(&w->files);
	profile_release(&w->env);
	free(w->profiles);
	free(w->av);
	free(w->fr);
}

int
main(int argc, char **argv)
{
	struct cmdline cl;
	struct words w;
	struct config *cfg = &cl.cfg;
	unsigned char *keep;
	size_t i;
	int first, status = 0, explicit_input;

	msg_init(argv[0]);
	onall_inner_argv(&argc, &argv);
	memset(&cl, 0, sizeof(cl));
	cl.tab = parx_options;
	cl.argsep = ":::";
	cl.filesep = "::::";
	cfg->mode = CONFIG_PROCESS;
	cfg->output = OUTPUT_GROUP;
	cfg->total_jobs = -1;
	cfg->stats_fd = -1;

	main_shebang(&cl, &argc, &argv);
	main_words(&w, argc, argv);
	/* keep: the words --compare passes on to its runs. */
	keep = xmalloc((size_t)w.n + 1);
	memset(keep, CONFIG_KEEP_ALL, (size_t)w.n + 1);
	first = opts_parse(parx_options, &cl, w.n, w.av, keep, w.fr);
	if (first != -1 && strcmp(msg_progname(), "sem") == 0)
		cfg->sem.on = 1;
	if (first != -1 && cfg->sem.on) {
		if (!cl.jobs_set)
			cfg->jobs = 1;	/* a mutex */
		cl.jobs_set = 1;
		check_options(&cl);
		parse_operands(&cl, w.n - first, w.av + first);
		main_env_code(cfg, 0);
		status = main_sem(&cl);
	} else if (first != -1) {
		check_options(&cl);
		for (i = 0; i < cl.nafiles; i++)
			add_source(cfg, CONFIG_SRC_FILE, cl.afiles[i], NULL, 0,
			    0);
		parse_operands(&cl, w.n - first, w.av + first);
		explicit_input = cfg->nsrc > 0;
		if (cfg->nsrc == 0) {
			add_source(cfg, CONFIG_SRC_FILE, "-", NULL, 0, 0);
			cfg->src[0].implied = 1;
		}
		if (cfg->pipe.on)
			check_pipe(cfg);
		check_timeline(cfg, explicit_input);
		if (!cfg->plot)
			warn_tty_input(cfg);
		main_env_code(cfg, cfg->onall || cfg->compare);
		if (!cfg->plot && resolve_logins(cfg) == -1) {
			status = EXIT_PARX;
		} else if (cfg->plot) {
			status = plot_main(cfg->plot, NULL, NULL, cfg->nplot,
			    cfg->timeline, NULL, NULL, NULL) == 0 ? 0 :
			    EXIT_PARX;
		} else if (cfg->onall) {
			status = onall_main(cfg, w.n, w.av, keep, w.dashes,
			    cl.jobs_set ? cfg->jobs : 0, explicit_input,
			    cl.argsep);
		} else if (cfg->compare) {
			status = compare_main(cfg, w.n, w.av, keep,
			    w.dashes);
		} else {
			status = run_main(cfg);
		}
	}
	free(keep);
	words_release(&w);
	loginsrc_release(&cfg->remote);
	free(cfg->remote.logins);
	free(cfg->remote.files);
	free(cfg->remote.transfer);
	free(cfg->remote.ret);
	free(cfg->remote.basefile);
	free(cfg->remote.env);
	free(cfg->rpl);
	free((char *)cfg->env_code);
	for (i = 0; i < cfg->ntmplfile; i++)
		free(cfg->tmplfile[2 * i]);
	free(cfg->tmplfile);
	free(cfg->src);
	free(cfg->plot);
	free(cl.afiles);
	free(cl.delim);
	free(cl.unzip);
	free(cl.group_col);
	return status;
}
