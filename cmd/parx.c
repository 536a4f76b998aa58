/*
 * parx: run jobs in parallel, GNU parallel style, in process or thread mode.
 *
 * This file only reads the command line: getopt_long fills struct config,
 * numbers are checked against their bounds with the flag named in the
 * error, and run_main() does the rest.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colsep.h"
#include "compare.h"
#include "config.h"
#include "exitcode.h"
#include "input.h"
#include "msg.h"
#include "progress.h"
#include "run.h"
#include "sys.h"
#include "xalloc.h"

#ifndef PARX_VERSION
#define PARX_VERSION "0.1.0"
#endif

enum {
	OPT_MODE = 256,
	OPT_TAGSTRING,
	OPT_DRYRUN,
	OPT_LINEBUF,
	OPT_GROUP,
	OPT_TAG,
	OPT_VERSION,
	OPT_HELP,
	OPT_LINK,
	OPT_ER,
	OPT_BNR,
	OPT_DNR,
	OPT_BNER,
	OPT_SEQR,
	OPT_SLOTR,
	OPT_TMPDIR,
	OPT_TERMSEQ,
	OPT_NOKEEP,
	OPT_ARGSEP,
	OPT_ARGFILESEP,
	OPT_ENV,
	OPT_FUNC,
	OPT_STATS,
	OPT_STATS_JSON,
	OPT_EVENTS,
	OPT_STATS_FD,
	OPT_DIGEST,
	OPT_COMPARE,
	OPT_RUNS,
	OPT_NCPUS,
	OPT_SILENT,
	OPT_IGNORED,
	OPT_XARGS,
	OPT_PIPE,
	OPT_PIPEPART,
	OPT_ROUNDROBIN,
	OPT_BLOCK,
	OPT_RECSTART,
	OPT_RECEND,
	OPT_REGEXP,
	OPT_HEADER,
	OPT_HALT,
	OPT_TIMEOUT,
	OPT_RETRIES,
	OPT_DELAY,
	OPT_JOBLOG,
	OPT_RESUME,
	OPT_RESUME_FAILED,
	OPT_RETRY_FAILED,
	OPT_RESULTS,
	OPT_FILES,
	OPT_LOAD,
	OPT_MEMFREE,
	OPT_NICE,
	OPT_BAR,
	OPT_ETA,
	OPT_PROGRESS,
	OPT_TOTAL,
	OPT_SHUF,
	OPT_TRIM,
	OPT_SLF,
	OPT_SSH,
	OPT_TRANSFER,
	OPT_TRANSFERFILE,
	OPT_RETURN,
	OPT_CLEANUP,
	OPT_TRC,
	OPT_BASEFILE,
	OPT_WORKDIR,
};

static const char short_opts[] = "+:a:C:d:hI:i::j:kL:l::mN:n:P:qrS:s:tuvV0X";

static const struct option long_opts[] = {
	{ "arg-file", required_argument, NULL, 'a' },
	{ "arg-file-sep", required_argument, NULL, OPT_ARGFILESEP },
	{ "arg-sep", required_argument, NULL, OPT_ARGSEP },
	{ "bar", no_argument, NULL, OPT_BAR },
	{ "basefile", required_argument, NULL, OPT_BASEFILE },
	{ "bf", required_argument, NULL, OPT_BASEFILE },
	{ "basenameextensionreplace", required_argument, NULL, OPT_BNER },
	{ "basenamereplace", required_argument, NULL, OPT_BNR },
	{ "block", required_argument, NULL, OPT_BLOCK },
	{ "block-size", required_argument, NULL, OPT_BLOCK },
	{ "bner", required_argument, NULL, OPT_BNER },
	{ "bnr", required_argument, NULL, OPT_BNR },
	{ "cleanup", no_argument, NULL, OPT_CLEANUP },
	{ "colsep", required_argument, NULL, 'C' },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "dirnamereplace", required_argument, NULL, OPT_DNR },
	{ "dnr", required_argument, NULL, OPT_DNR },
	{ "dry-run", no_argument, NULL, OPT_DRYRUN },
	{ "er", required_argument, NULL, OPT_ER },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "eta", no_argument, NULL, OPT_ETA },
	{ "extensionreplace", required_argument, NULL, OPT_ER },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "func", required_argument, NULL, OPT_FUNC },
	{ "gnu", no_argument, NULL, OPT_IGNORED },
	{ "no-notice", no_argument, NULL, OPT_IGNORED },
	{ "number-of-cores", no_argument, NULL, OPT_NCPUS },
	{ "number-of-cpus", no_argument, NULL, OPT_NCPUS },
	{ "number-of-threads", no_argument, NULL, OPT_NCPUS },
	{ "group", no_argument, NULL, OPT_GROUP },
	{ "header", required_argument, NULL, OPT_HEADER },
	{ "halt", required_argument, NULL, OPT_HALT },
	{ "halt-on-error", required_argument, NULL, OPT_HALT },
	{ "help", no_argument, NULL, 'h' },
	{ "jl", required_argument, NULL, OPT_JOBLOG },
	{ "joblog", required_argument, NULL, OPT_JOBLOG },
	{ "jobs", required_argument, NULL, 'j' },
	{ "keep-order", no_argument, NULL, 'k' },
	{ "lb", no_argument, NULL, OPT_LINEBUF },
	{ "line-buffer", no_argument, NULL, OPT_LINEBUF },
	{ "link", no_argument, NULL, OPT_LINK },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "max-args", required_argument, NULL, 'n' },
	{ "max-chars", required_argument, NULL, 's' },
	{ "max-lines", optional_argument, NULL, 'l' },
	{ "max-procs", required_argument, NULL, 'j' },
	{ "max-replace-args", required_argument, NULL, 'N' },
	{ "memfree", required_argument, NULL, OPT_MEMFREE },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "nice", required_argument, NULL, OPT_NICE },
	{ "no-keep-order", no_argument, NULL, OPT_NOKEEP },
	{ "no-run-if-empty", no_argument, NULL, 'r' },
	{ "null", no_argument, NULL, '0' },
	{ "pipe", no_argument, NULL, OPT_PIPE },
	{ "pipe-part", no_argument, NULL, OPT_PIPEPART },
	{ "output-as-files", no_argument, NULL, OPT_FILES },
	{ "plain", no_argument, NULL, OPT_IGNORED },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "quote", no_argument, NULL, 'q' },
	{ "recend", required_argument, NULL, OPT_RECEND },
	{ "recstart", required_argument, NULL, OPT_RECSTART },
	{ "regexp", no_argument, NULL, OPT_REGEXP },
	{ "replace", optional_argument, NULL, 'i' },
	{ "round", no_argument, NULL, OPT_ROUNDROBIN },
	{ "round-robin", no_argument, NULL, OPT_ROUNDROBIN },
	{ "res", required_argument, NULL, OPT_RESULTS },
	{ "results", required_argument, NULL, OPT_RESULTS },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "resume-failed", no_argument, NULL, OPT_RESUME_FAILED },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "retry-failed", no_argument, NULL, OPT_RETRY_FAILED },
	{ "return", required_argument, NULL, OPT_RETURN },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "seqreplace", required_argument, NULL, OPT_SEQR },
	{ "shuf", no_argument, NULL, OPT_SHUF },
	{ "silent", no_argument, NULL, OPT_SILENT },
	{ "spreadstdin", no_argument, NULL, OPT_PIPE },
	{ "slotreplace", required_argument, NULL, OPT_SLOTR },
	{ "slf", required_argument, NULL, OPT_SLF },
	{ "ssh", required_argument, NULL, OPT_SSH },
	{ "sshlogin", required_argument, NULL, 'S' },
	{ "sshloginfile", required_argument, NULL, OPT_SLF },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "stats-json", required_argument, NULL, OPT_STATS_JSON },
	{ "tag", no_argument, NULL, OPT_TAG },
	{ "tagstring", required_argument, NULL, OPT_TAGSTRING },
	{ "term-seq", required_argument, NULL, OPT_TERMSEQ },
	{ "termseq", required_argument, NULL, OPT_TERMSEQ },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "tmpdir", required_argument, NULL, OPT_TMPDIR },
	{ "total", required_argument, NULL, OPT_TOTAL },
	{ "total-jobs", required_argument, NULL, OPT_TOTAL },
	{ "transfer", no_argument, NULL, OPT_TRANSFER },
	{ "transferfile", required_argument, NULL, OPT_TRANSFERFILE },
	{ "trc", required_argument, NULL, OPT_TRC },
	{ "tf", required_argument, NULL, OPT_TRANSFERFILE },
	{ "trim", required_argument, NULL, OPT_TRIM },
	{ "ungroup", no_argument, NULL, 'u' },
	{ "verbose", no_argument, NULL, 't' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "wd", required_argument, NULL, OPT_WORKDIR },
	{ "will-cite", no_argument, NULL, OPT_IGNORED },
	{ "workdir", required_argument, NULL, OPT_WORKDIR },
	{ "xapply", no_argument, NULL, OPT_LINK },
	{ "xargs", no_argument, NULL, OPT_XARGS },
	/* Internal, for --compare's runs: not for users. */
	{ "internal-stats-fd", required_argument, NULL, OPT_STATS_FD },
	{ "internal-digest", no_argument, NULL, OPT_DIGEST },
	{ NULL, 0, NULL, 0 }
};

static const char usage_text[] =
"usage: parx [options] [command [args]] [::: args...] [:::: files...]\n"
"\n"
"Run command once for every input: lines of stdin, -a files, ::: lists.\n"
"\n"
"  --mode=process|thread   workers are processes (default) or threads\n"
"  --func NAME             run each job as a function call inside the worker:\n"
"                          echo, sleep, spin, gzip, or PATH.so:SYMBOL\n"
"  -j, --jobs N            run N jobs at once: N, 0 (max), +N, -N, N%\n"
"  -k, --keep-order        write output in input order\n"
"  --group                 write each job's output as one block (default)\n"
"  --line-buffer, --lb     pass output on line by line\n"
"  -u, --ungroup           let jobs write straight to stdout\n"
"  --tag                   put the arguments in front of each output line\n"
"  --tagstring STR         put STR (with replacement strings) in front\n"
"  -a, --arg-file FILE     read arguments from FILE (- is stdin)\n"
"  -0, --null              input items end with NUL, not newline\n"
"  -d, --delimiter D       input items end with D (\\n, \\t, \\0, \\xHH...)\n"
"  --link                  pair sources instead of combining them\n"
"  -r, --no-run-if-empty   skip input items that are only blanks\n"
"  --shuf                  run the jobs in random order (reads all input)\n"
"  -C, --colsep REGEX      split input values into columns {1} {2}...\n"
"  --header :              the first value of each source names its\n"
"                          columns: {name}\n"
"  --trim n|l|r|lr         trim blanks from the values (lr with -C)\n"
"  -q, --quote             quote the command's own words too\n"
"  -I STR                  use STR instead of {} (-i: {})\n"
"  -X                      many arguments per job; repeat the word around {}\n"
"  -m                      many arguments per job, {} gives them all\n"
"  --xargs                 fill every command line, no spreading over jobs\n"
"  -N, --max-replace-args N  N arguments per job, also as {1}..{N}\n"
"  -n, --max-args N        at most N arguments per job\n"
"  -L N, -l[N]             N input lines per job (a final blank continues)\n"
"  -s, --max-chars N       command lines of at most N bytes\n"
"  --pipe                  cut stdin into blocks, one per job's stdin\n"
"  --pipe-part             cut a file (-a FILE) into blocks, not reading it\n"
"  --block SIZE            block size (default 1M; --pipe-part: -N blocks\n"
"                          per job slot)\n"
"  --recend STR, --recstart STR  records end / start with STR (--regexp:\n"
"                          regular expressions); blocks hold whole records\n"
"  -N N, -L N (--pipe)     N records per block; records of N lines\n"
"  --round-robin           one job per slot, blocks to whichever is ready\n"
"  --header N|:|RE         repeat the first N lines (or what RE matches)\n"
"  --er/--bnr/--dnr/--bner/--seqreplace/--slotreplace STR\n"
"                          rename {.} {/} {//} {/.} {#} {%}\n"
"  --stats                 print measurements of the run on stderr at the end\n"
"  --stats-json FILE       write the same measurements as JSON\n"
"  --events FILE           write one JSON line per finished job\n"
"  --compare [--runs N]    run the workload in both modes, N times each\n"
"                          (default 3), and compare their measurements\n"
"  --dry-run               print the commands, run nothing\n"
"  -t, --verbose           print each command on stderr as it starts\n"
"  -v                      print each command on stdout before its output\n"
"                          (--silent turns it off)\n"
"  --number-of-cpus, --number-of-cores, --number-of-threads\n"
"                          print the number of CPUs parx may use\n"
"  --halt WHEN,WHY=N       stop early: now|soon, fail|success|done=N or N%\n"
"                          (1: soon,fail=1; 2: now,fail=1)\n"
"  --timeout SECS|N%       kill a job after SECS, or N% of the median run time\n"
"  --retries N             run a failing job up to N times in all\n"
"  --delay SECS            wait SECS between job starts\n"
"  --joblog [+]FILE        log each finished job to FILE (+: append)\n"
"  --resume                skip the jobs the job log or --results has as done\n"
"  --resume-failed         also run again the jobs logged as failed\n"
"  --retry-failed          run the failed commands of the job log only\n"
"  --results DIR|TEMPLATE  keep each job's stdout, stderr and seq in files\n"
"  --files                 print the name of a file holding each job's stdout\n"
"  --tmpdir DIR            keep buffered output in DIR\n"
"  --termseq SEQ           signals to stop jobs (TERM,200,TERM,100,...)\n"
"  --load MAX              start jobs only while the load average is below\n"
"                          MAX (N, +N, -N, N% of the CPUs)\n"
"  --memfree SIZE          start jobs only while more memory than SIZE is\n"
"                          available (K M G T: powers of 1024; k m g t: 1000)\n"
"  --nice N                run jobs at niceness N (-20..19)\n"
"  --env VAR               pass VAR to remote jobs (local jobs get the\n"
"                          whole environment anyway)\n"
"  -S, --sshlogin [N/][user@]host[:port],...  run jobs on these hosts over\n"
"                          ssh, N at once (default: -j, else its CPUs); :\n"
"                          is this machine\n"
"  --slf, --sshloginfile FILE  hosts from FILE, read again when it changes\n"
"  --ssh CMD               the ssh command (default $PARALLEL_SSH or ssh)\n"
"  --transferfile, --tf FILE  send FILE (a template) to the host first\n"
"  --transfer              the same as --transferfile {}\n"
"  --return FILE           fetch FILE (a template) from the host afterwards\n"
"  --cleanup               remove the sent and fetched files from the host\n"
"  --trc FILE              --transfer --return FILE --cleanup\n"
"  --basefile, --bf FILE   send FILE to every host before its first job\n"
"  --workdir, --wd DIR     run remote jobs in DIR (. this directory; ...\n"
"                          a new one per job)\n"
"  --bar, --eta, --progress  show a progress line on stderr (live on a\n"
"                          terminal, the final state otherwise)\n"
"  --total-jobs N          the number of jobs, for the ETA and the bar\n"
"  --arg-sep S, --arg-file-sep S  use S instead of ::: and ::::\n"
"  -h, --help              show this help\n"
"Other names: --max-procs (-j), --no-keep-order, --replace (-i),\n"
"  --extensionreplace --basenamereplace --dirnamereplace\n"
"  --basenameextensionreplace (--er --bnr --dnr --bner), --xapply (--link),\n"
"  --halt-on-error (--halt), --jl (--joblog), --output-as-files (--files),\n"
"  --max-lines (-l), --block-size (--block), --spreadstdin (--pipe),\n"
"  --term-seq (--termseq); --gnu --plain --will-cite --no-notice: ignored\n"
"  --version               show the version\n"
"\n"
"Replacement strings: {} {.} {/} {//} {/.} {#} {%} {n} {n.} {n/} {n//} {n/.}\n"
"Exit status: 0 all jobs succeeded, 1-100 that many failed, 101 more,\n"
"255 an error of parx itself or an interruption; --halt changes it.\n"
"See parx(1).\n";

static void
usage_error(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    msg_progname());
	exit(EXIT_PARX);
}

/* A count or size for flag: a number with an optional K, M, k... unit. */
static unsigned long long
get_size(const char *val, const char *flag, unsigned long long min)
{
	unsigned long long v;

	if (config_parse_size(val, &v) == -1 || v < min) {
		msg_error("invalid value '%s' for %s: expected a number%s "
		    "(K, M, G: powers of 1024; k, m, g: of 1000)", val, flag,
		    min ? " above 0" : "");
		usage_error();
	}
	return v;
}

/* A whole number of at most 9 digits for flag, or a usage error. */
static unsigned long
parse_count(const char *s, const char *flag)
{
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (p == s || *p != '\0' || p - s > 9) {
		msg_error("invalid number '%s' for %s", s, flag);
		usage_error();
	}
	return strtoul(s, NULL, 10);
}

/* --timeout SECS or N% (of the median run time). */
static void
parse_timeout(struct config *cfg, const char *s)
{
	size_t len = strlen(s);
	double v;
	char *pct;

	cfg->timeout = cfg->timeout_pct = 0;
	if (len > 1 && s[len - 1] == '%') {
		pct = xmemdupz(s, len - 1);
		if (config_parse_duration(pct, &v) == 0 && strpbrk(pct,
		    "smhdSMHD") == NULL && v > 0) {
			cfg->timeout_pct = v;
			free(pct);
			return;
		}
		free(pct);
	} else if (config_parse_duration(s, &v) == 0) {
		cfg->timeout = v;
		return;
	}
	msg_error("invalid --timeout '%s': expected seconds (1.5, 2m, "
	    "1h30m...) or a percentage (200%%)", s);
	usage_error();
}

/* Append a word to a list of option values. */
static void
add_word(char ***list, size_t *n, char *word)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = word;
}

static void
set_repl(struct config *cfg, enum tmpl_repl r, const char *val,
    const char *flag)
{
	if (val == NULL || *val == '\0') {
		msg_error("%s needs a non-empty replacement string", flag);
		usage_error();
	}
	cfg->repl[r] = val;
}

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
}

/* --pipe takes its data from one file or standard input, for a command. */
static void
check_pipe(const struct config *cfg)
{
	if (cfg->pipe.blocks && !cfg->pipe.part) {
		msg_error("a negative --block (blocks per job slot) needs "
		    "--pipe-part");
		usage_error();
	}
	if (cfg->ncmd == 0) {
		msg_error("--pipe needs a command to run");
		usage_error();
	}
	if (cfg->func) {
		msg_error("--pipe feeds commands, not --func functions");
		usage_error();
	}
	if (cfg->nsrc != 1 || cfg->src[0].kind != CONFIG_SRC_FILE) {
		msg_error("--pipe reads one file (-a FILE, :::: FILE) or "
		    "standard input, not ::: arguments or several files");
		usage_error();
	}
}

/* A --nice value: a whole number, clamped to -20..19 as nice(1) does. */
static int
parse_nice(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || (errno == ERANGE && v == 0))
		return -1;
	*out = v < -20 ? -20 : v > 19 ? 19 : (int)v;
	return 0;
}

/* Split the words after the options into the command and the sources. */
static void
parse_operands(struct config *cfg, int argc, char **argv,
    const char *argsep, const char *filesep)
{
	size_t seplen = strlen(argsep), fseplen = strlen(filesep);
	int i = 0, start;

	while (i < argc && strncmp(argv[i], argsep, seplen) != 0 &&
	    strncmp(argv[i], filesep, fseplen) != 0)
		i++;
	/* Only an exact separator (optionally with '+') ends the command. */
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if ((strcmp(a, argsep) == 0 || (strncmp(a, argsep, seplen) ==
		    0 && strcmp(a + seplen, "+") == 0)) ||
		    (strcmp(a, filesep) == 0 || (strncmp(a, filesep, fseplen) ==
		    0 && strcmp(a + fseplen, "+") == 0)))
			break;
	}
	cfg->cmd = argv;
	cfg->ncmd = (size_t)i;
	while (i < argc) {
		const char *sep = argv[i];
		int files, linked;

		files = strncmp(sep, filesep, fseplen) == 0 &&
		    (sep[fseplen] == '\0' || strcmp(sep + fseplen, "+") == 0) &&
		    (strcmp(sep, argsep) != 0 && strcmp(sep + seplen, "+") != 0);
		if (strcmp(sep, filesep) == 0 ||
		    (strncmp(sep, filesep, fseplen) == 0 &&
		    strcmp(sep + fseplen, "+") == 0))
			files = 1;
		else
			files = 0;
		linked = sep[strlen(sep) - 1] == '+' &&
		    strcmp(sep, files ? filesep : argsep) != 0;
		start = ++i;
		while (i < argc && !(strcmp(argv[i], argsep) == 0 ||
		    (strncmp(argv[i], argsep, seplen) == 0 &&
		    strcmp(argv[i] + seplen, "+") == 0) ||
		    strcmp(argv[i], filesep) == 0 ||
		    (strncmp(argv[i], filesep, fseplen) == 0 &&
		    strcmp(argv[i] + fseplen, "+") == 0)))
			i++;
		if (files) {
			int k;

			if (start == i) {
				msg_error("'%s' needs at least one file", sep);
				usage_error();
			}
			for (k = start; k < i; k++)
				add_source(cfg, CONFIG_SRC_FILE, argv[k], NULL,
				    0, linked);
		} else {
			add_source(cfg, CONFIG_SRC_WORDS, NULL, argv + start,
			    (size_t)(i - start), linked);
		}
	}
}

int
main(int argc, char **argv)
{
	struct config cfg;
	const char **afiles = NULL;
	const char *argsep = ":::", *filesep = "::::";
	size_t nafiles = 0, i;
	unsigned long jobs;
	int c, jobs_set = 0;
	char *delim = NULL;
	size_t delim_len = 0;
	int nul = 0;
	unsigned char *keep;

	msg_init(argv[0]);
	opterr = 0;	/* report bad options in parx's own words */
	memset(&cfg, 0, sizeof(cfg));
	cfg.mode = CONFIG_PROCESS;
	cfg.output = OUTPUT_GROUP;
	cfg.total_jobs = -1;
	cfg.stats_fd = -1;

	keep = xmalloc((size_t)argc + 1);
	memset(keep, 1, (size_t)argc + 1);
	for (;;) {
		int before = optind;

		c = getopt_long(argc, argv, short_opts, long_opts, NULL);
		if (c == -1)
			break;
		/* --compare hands the rest of the line to its runs. */
		if (c == OPT_COMPARE || c == OPT_RUNS || c == OPT_MODE ||
		    c == OPT_STATS || c == OPT_STATS_JSON || c == OPT_EVENTS) {
			int k;

			for (k = before; k < optind && k < argc; k++)
				keep[k] = 0;
		}
		switch (c) {
		case 'a':
			afiles = xreallocarray(afiles, nafiles + 1,
			    sizeof(*afiles));
			afiles[nafiles++] = optarg;
			break;
		case 'd':
			free(delim);
			delim = input_parse_delim(optarg, &delim_len);
			if (delim == NULL) {
				msg_error("invalid delimiter '%s' for -d",
				    optarg);
				usage_error();
			}
			nul = 0;
			break;
		case '0':
			nul = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			c = 0;
			goto out;
		case 'I':
			set_repl(&cfg, TMPL_ALL, optarg, "-I");
			break;
		case 'i':
			set_repl(&cfg, TMPL_ALL, optarg ? optarg : "{}", "-i");
			break;
		case 'j':
		case 'P':
			if (config_parse_jobs(optarg, sys_ncpus(), &jobs) == -1) {
				msg_error("invalid number of jobs '%s' for -j: "
				    "expected N, 0, +N, -N or N%%", optarg);
				usage_error();
			}
			cfg.jobs = jobs;
			cfg.remote.jobs = optarg;
			jobs_set = 1;
			break;
		case 'k':
			cfg.keep_order = 1;
			break;
		case 'X':
			cfg.batch.X = 1;
			break;
		case 'm':
			cfg.batch.m = 1;
			break;
		case OPT_XARGS:
			cfg.batch.xargs = 1;
			break;
		case OPT_PIPE:
			cfg.pipe.on = 1;
			break;
		case OPT_PIPEPART:
			cfg.pipe.on = cfg.pipe.part = 1;
			break;
		case OPT_ROUNDROBIN:
			cfg.pipe.on = cfg.pipe.round_robin = 1;
			break;
		case OPT_BLOCK:
			if (optarg[0] == '-') {
				cfg.pipe.blocks = get_size(optarg + 1, "--block",
				    1);
				cfg.pipe.block = 0;
			} else {
				cfg.pipe.block = get_size(optarg, "--block", 1);
				cfg.pipe.blocks = 0;
			}
			break;
		case OPT_RECSTART:
			cfg.pipe.recstart = optarg;
			break;
		case OPT_RECEND:
			cfg.pipe.recend = optarg;
			break;
		case OPT_REGEXP:
			cfg.pipe.regexp = 1;
			break;
		case OPT_HEADER:
			/* Repeated in every block with --pipe, else names columns. */
			cfg.pipe.header = optarg;
			cfg.header = optarg;
			break;
		case 'N':
		case 'n':
			cfg.batch.nargs = (unsigned long)get_size(optarg,
			    c == 'N' ? "-N" : "-n", 0);
			cfg.batch.nargs_set = 1;
			cfg.batch.N = c == 'N';
			break;
		case 'L':
			cfg.batch.lines = (unsigned long)get_size(optarg, "-L",
			    0);
			cfg.batch.lines_set = 1;
			break;
		case 'l':
			/* -l alone and -l 0 mean one line. */
			cfg.batch.lines = optarg ? (unsigned long)get_size(
			    optarg, "-l", 0) : 1;
			if (cfg.batch.lines == 0)
				cfg.batch.lines = 1;
			cfg.batch.lines_set = 1;
			break;
		case 's':
			cfg.batch.max_chars = (size_t)get_size(optarg, "-s", 1);
			break;
		case OPT_NOKEEP:
			cfg.keep_order = 0;
			break;
		case 'q':
			cfg.quote = 1;
			break;
		case 'r':
			cfg.no_run_if_empty = 1;
			break;
		case 't':
			cfg.verbose = 1;
			break;
		case 'v':
			cfg.announce = 1;
			break;
		case OPT_SILENT:
			cfg.announce = 0;
			break;
		case OPT_NCPUS:
			printf("%ld\n", sys_ncpus());
			c = 0;
			goto out;
		case 'u':
			cfg.output = OUTPUT_UNGROUP;
			break;
		case OPT_GROUP:
			cfg.output = OUTPUT_GROUP;
			break;
		case OPT_LINEBUF:
			cfg.output = OUTPUT_LINE;
			break;
		case OPT_TAG:
			cfg.tag = 1;
			break;
		case OPT_TAGSTRING:
			cfg.tagstring = optarg;
			break;
		case OPT_DRYRUN:
			cfg.dry_run = 1;
			break;
		case OPT_LINK:
			cfg.link = 1;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "process") == 0)
				cfg.mode = CONFIG_PROCESS;
			else if (strcmp(optarg, "thread") == 0)
				cfg.mode = CONFIG_THREAD;
			else {
				msg_error("invalid mode '%s' for --mode: "
				    "expected process or thread", optarg);
				usage_error();
			}
			break;
		case OPT_ER:
			set_repl(&cfg, TMPL_NOEXT, optarg, "--extensionreplace");
			break;
		case OPT_BNR:
			set_repl(&cfg, TMPL_BASE, optarg, "--basenamereplace");
			break;
		case OPT_DNR:
			set_repl(&cfg, TMPL_DIR, optarg, "--dirnamereplace");
			break;
		case OPT_BNER:
			set_repl(&cfg, TMPL_BASENOEXT, optarg,
			    "--basenameextensionreplace");
			break;
		case OPT_SEQR:
			set_repl(&cfg, TMPL_SEQ, optarg, "--seqreplace");
			break;
		case OPT_SLOTR:
			set_repl(&cfg, TMPL_SLOT, optarg, "--slotreplace");
			break;
		case OPT_TMPDIR:
			cfg.tmpdir = optarg;
			break;
		case OPT_TERMSEQ:
			cfg.termseq = optarg;
			break;
		case OPT_ARGSEP:
			if (*optarg == '\0') {
				msg_error("--arg-sep needs a non-empty string");
				usage_error();
			}
			argsep = optarg;
			break;
		case OPT_ARGFILESEP:
			if (*optarg == '\0') {
				msg_error("--arg-file-sep needs a non-empty "
				    "string");
				usage_error();
			}
			filesep = optarg;
			break;
		case OPT_HALT:
			if (halt_parse(optarg, &cfg.halt) == -1) {
				msg_error("invalid --halt '%s': expected "
				    "now|soon,fail|success|done=N or N%%, or "
				    "0, 1, 2, -1, -2, N%%", optarg);
				usage_error();
			}
			break;
		case OPT_TIMEOUT:
			parse_timeout(&cfg, optarg);
			break;
		case OPT_DELAY:
			if (config_parse_duration(optarg, &cfg.delay) == -1) {
				msg_error("invalid --delay '%s': expected "
				    "seconds (1.5, 2m, 1h30m...)", optarg);
				usage_error();
			}
			break;
		case OPT_RETRIES:
			cfg.attempts = parse_count(optarg, "--retries");
			if (cfg.attempts == 0)
				cfg.attempts = ULONG_MAX;	/* no limit */
			break;
		case OPT_JOBLOG:
			cfg.joblog_append = optarg[0] == '+';
			cfg.joblog = optarg + cfg.joblog_append;
			if (*cfg.joblog == '\0') {
				msg_error("--joblog needs a file name");
				usage_error();
			}
			break;
		case OPT_RESUME:
			cfg.resume = CONFIG_RESUME;
			break;
		case OPT_RESUME_FAILED:
			cfg.resume = CONFIG_RESUME_FAILED;
			break;
		case OPT_RETRY_FAILED:
			cfg.resume = CONFIG_RETRY_FAILED;
			break;
		case OPT_RESULTS:
			if (*optarg == '\0') {
				msg_error("--results needs a directory name");
				usage_error();
			}
			cfg.results = optarg;
			break;
		case OPT_FILES:
			cfg.files = 1;
			break;
		case OPT_VERSION:
			printf("parx %s\n", PARX_VERSION);
			c = 0;
			goto out;
		case OPT_ENV:
			/* Local jobs, and --func jobs, see all of it anyway. */
			add_word(&cfg.remote.env, &cfg.remote.nenv, optarg);
			break;
		case 'S':
			add_word(&cfg.remote.logins, &cfg.remote.nlogins,
			    optarg);
			break;
		case OPT_SLF:
			add_word(&cfg.remote.files, &cfg.remote.nfiles, optarg);
			break;
		case OPT_SSH:
			cfg.remote.ssh = optarg;
			break;
		case OPT_TRC:
			add_word(&cfg.remote.ret, &cfg.remote.nret, optarg);
			cfg.remote.cleanup = 1;
			/* FALLTHROUGH */
		case OPT_TRANSFER:
			add_word(&cfg.remote.transfer, &cfg.remote.ntransfer,
			    "{}");
			break;
		case OPT_TRANSFERFILE:
			add_word(&cfg.remote.transfer, &cfg.remote.ntransfer,
			    optarg);
			break;
		case OPT_RETURN:
			add_word(&cfg.remote.ret, &cfg.remote.nret, optarg);
			break;
		case OPT_CLEANUP:
			cfg.remote.cleanup = 1;
			break;
		case OPT_BASEFILE:
			add_word(&cfg.remote.basefile, &cfg.remote.nbasefile,
			    optarg);
			break;
		case OPT_WORKDIR:
			cfg.remote.workdir = optarg;
			break;
		case OPT_FUNC:
			cfg.func = optarg;
			break;
		case OPT_STATS:
			cfg.stats = 1;
			break;
		case OPT_STATS_JSON:
			cfg.stats_json = optarg;
			break;
		case OPT_EVENTS:
			cfg.events = optarg;
			break;
		case OPT_STATS_FD:
			cfg.stats_fd = atoi(optarg);
			break;
		case OPT_DIGEST:
			cfg.digest = 1;
			break;
		case OPT_COMPARE:
			cfg.compare = 1;
			break;
		case OPT_RUNS: {
			char *end;
			long n;

			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || n < 1 || n > 64) {
				msg_error("invalid number of runs '%s' for "
				    "--runs: expected 1 to 64", optarg);
				usage_error();
			}
			cfg.compare_runs = (int)n;
			break;
		}
		case OPT_IGNORED:
			break;
		case OPT_LOAD:
			if (config_parse_load(optarg, sys_ncpus(),
			    &cfg.load_max) == -1) {
				msg_error("invalid load '%s' for --load: "
				    "expected N, +N, -N or N%%", optarg);
				usage_error();
			}
			break;
		case OPT_NICE:
			if (parse_nice(optarg, &cfg.nice) == -1) {
				msg_error("invalid niceness '%s' for --nice: "
				    "expected a whole number", optarg);
				usage_error();
			}
			cfg.nice_set = 1;
			break;
		case 'C':
			cfg.colsep = optarg;
			break;
		case OPT_TRIM:
			cfg.trim = colsep_parse_trim(optarg);
			if (cfg.trim == -1) {
				msg_error("invalid value '%s' for --trim: "
				    "expected n, l, r, lr or rl", optarg);
				usage_error();
			}
			cfg.trim_set = 1;
			break;
		case OPT_SHUF:
			cfg.shuf = 1;
			break;
		case OPT_BAR:
			cfg.progress |= PROGRESS_BAR;
			break;
		case OPT_ETA:
			cfg.progress |= PROGRESS_ETA;
			break;
		case OPT_PROGRESS:
			cfg.progress |= PROGRESS_PROGRESS;
			break;
		case OPT_TOTAL: {
			char *end;

			errno = 0;
			cfg.total_jobs = strtoll(optarg, &end, 10);
			if (!isdigit((unsigned char)*optarg) || *end != '\0' ||
			    errno == ERANGE) {
				msg_error("invalid number of jobs '%s' for "
				    "--total-jobs: expected a whole number",
				    optarg);
				usage_error();
			}
			break;
		}
		case OPT_MEMFREE:
			if (config_parse_size(optarg, &cfg.memfree) == -1) {
				msg_error("invalid size '%s' for --memfree: "
				    "expected a number with an optional unit "
				    "(K, M, G, T, P; k, m, g, t, p)", optarg);
				usage_error();
			}
			break;
		case 'V':
			printf("parx %s\n", PARX_VERSION);
			c = 0;
			goto out;
		case ':':
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				msg_error("option '%s' requires an argument",
				    argv[optind - 1]);
			else
				msg_error("option requires an argument -- '%c'",
				    optopt);
			usage_error();
			break;
		default:
			if (optopt && strncmp(argv[optind - 1], "--", 2) != 0)
				msg_error("invalid option -- '%c'", optopt);
			else
				msg_error("unrecognized option '%s'",
				    argv[optind - 1]);
			usage_error();
		}
	}
	if (!jobs_set)
		cfg.jobs = (unsigned long)sys_ncpus();
	if (cfg.resume == CONFIG_RETRY_FAILED && cfg.joblog == NULL) {
		msg_error("--retry-failed needs --joblog");
		usage_error();
	}
	if (cfg.resume != CONFIG_RESUME_NONE && cfg.joblog == NULL &&
	    cfg.results == NULL) {
		msg_error("--resume and --resume-failed need --joblog or "
		    "--results");
		usage_error();
	}
	if (nul) {
		free(delim);
		delim = xmemdupz("", 0);
		delim_len = 1;
	}
	cfg.delim = delim;
	cfg.delim_len = delim_len;

	for (i = 0; i < nafiles; i++)
		add_source(&cfg, CONFIG_SRC_FILE, afiles[i], NULL, 0, 0);
	parse_operands(&cfg, argc - optind, argv + optind, argsep, filesep);
	if (cfg.nsrc == 0)
		add_source(&cfg, CONFIG_SRC_FILE, "-", NULL, 0, 0);
	if (cfg.pipe.on)
		check_pipe(&cfg);

	if (cfg.compare) {
		if (cfg.compare_runs == 0)
			cfg.compare_runs = 3;
		c = compare_main(&cfg, argc, argv, keep, optind);
	} else {
		c = run_main(&cfg);
	}
out:
	free(keep);
	free(cfg.remote.logins);
	free(cfg.remote.files);
	free(cfg.remote.transfer);
	free(cfg.remote.ret);
	free(cfg.remote.basefile);
	free(cfg.remote.env);
	free(cfg.src);
	free(afiles);
	free(delim);
	return c;
}
