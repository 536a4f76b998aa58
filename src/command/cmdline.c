/* SPDX-License-Identifier: ISC */
/*
 * A job's command line: the templates parsed once, expanded per job into
 * the line shown and logged and the argument vector exec'd or passed to a
 * function, checked against the exec limits before the job is started.
 */
#include "cmdline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "buf.h"
#include "colsep.h"
#include "config.h"
#include "func.h"
#include "job.h"
#include "msg.h"
#include "perl.h"
#include "plus.h"
#include "quote.h"
#include "shell.h"
#include "spawn.h"
#include "sys.h"
#include "tmpl.h"
#include "xalloc.h"

extern char **environ;

/*
 * The templates beside the command's, expanded with values unquoted:
 * --tagstring, and --filter's perl code.
 */
enum { CL_TAG, CL_FILTER, CL_NSIDE };
static const char *const cl_side_name[CL_NSIDE] = {
	"--tagstring: ", "--filter: "
};

struct cmdline {
	const struct config	*cfg;
	const struct sys_stop	*stop;		/* perl gives up on it */
	int			 names_pending;	/* --header names not read yet:
						   {=NAME code=} is not perl */
	struct tmpl		*tmpl;
	struct tmpl		*side[CL_NSIDE]; /* or NULL */
	/*
	 * --tmpl: the text of each file and then its name (2 a pair), as
	 * read; as --header rewrote them (or the same array); parsed.
	 */
	char			**tf_text;
	char			**tf_cur;
	struct tmpl		**tf;
	size_t			 ntf;		/* 2 * pairs */
	struct buf		 tfbuf;
	func_fn			*func;		/* --func */
	int			 raw;		/* no command: input is code */
	int			 direct;	/* exec without a shell */
	int			 direct_values;	/* so unless a {= =} is uq() */
	int			 direct_ok;	/* the shell allows that */
	int			 measure;	/* per-job CPU of functions */
	struct buf		 cmdbuf;
	struct buf		 argvbuf;
	struct buf		 tagbuf;
	struct buf		 filterbuf;
	int			 filter_warned;	/* one warning a run */
	struct perl		*perl;		/* for {= =}, or NULL */
	char			**pexprs;	/* the template's {= =} */
	const char		**pnames;	/* and their names */
	struct perl_req		*preqs;		/* one job's evaluations */
	size_t			*pslots;	/* where each result goes */
	struct tmpl_val		*presults;	/* as perl_eval() gives them */
	struct tmpl_val		*pvals;		/* in the template's order */
	size_t			 pcap;
	int			 needs_total;	/* total_jobs() is called */
	int			 prefetch;	/* jobs can be evaluated ahead */
	unsigned long long	 total;		/* for total_jobs(); 0 unknown */
	size_t			 arg_max;
	size_t			 arg_strlen_max;
	size_t			 env_size;
	size_t			 usable;	/* what -X fills, -s applied */
};

/* What the environment takes of the exec limit, with what parx adds. */
static size_t
cmdline_env_size(void)
{
	size_t n = 0;
	char **e;

	for (e = environ; *e; e++)
		n += strlen(*e) + 1 + sizeof(char *);
	/* PARALLEL_SEQ, PARALLEL_JOBSLOT and PARALLEL_PID. */
	return n + 3 * (64 + sizeof(char *));
}

/* Whether a shell command line of len bytes can be exec'd ("sh -c"). */
static int
cmdline_limit_ok(size_t len, size_t arg_max, size_t strlen_max, size_t env)
{
	return len + 1 <= strlen_max && env + len + 1 + 64 <= arg_max;
}

/*
 * The longest command line, found as GNU parallel finds it: the length
 * grows 16-fold from 324 until execve() would refuse it, then a binary
 * search between the last two lengths stops once the lower bound is within
 * 1% of the upper one.  GNU parallel tries each length with a real echo;
 * here the kernel's two limits answer (one string, and all of them with
 * the environment), which gives the same number.  The lower bound is
 * returned, so this is up to 1% short of the exact limit, as GNU's is.
 * Each length tried is extra bytes longer, as GNU's are by the length of
 * $PARALLEL_ENV.
 */
size_t
cmdline_max_length(size_t extra)
{
	size_t amax = sys_arg_max(), smax = sys_arg_strlen_max();
	size_t env = cmdline_env_size();
	size_t lo, hi = 324, mid;

	do {
		if (hi > 100000000)
			return hi;
		lo = hi;
		hi *= 16;
	} while (cmdline_limit_ok(hi + extra, amax, smax, env));
	while (lo + 1 < hi && (double)lo / (double)hi <= 0.99) {
		mid = lo + (hi - lo) / 2;
		if (cmdline_limit_ok(mid + extra, amax, smax, env))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The room -X, -m and --xargs fill, before -s. */
size_t
cmdline_usable_length(void)
{
	size_t max = cmdline_max_length(0);

	/* GNU parallel keeps 3000 bytes for its wrapping, and half for hex. */
	return max > 3000 + 2 ? (max - 3000) / 2 : 1;
}

/* *err becomes prefix and msg (which is freed). */
static void
cmdline_error(char **err, const char *prefix, char *msg)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, prefix);
	buf_addstr(&b, msg);
	free(msg);
	*err = buf_detach(&b, NULL);
}

/* Template k: 0 the command's, then CL_TAG + 1 and CL_FILTER + 1. */
static const struct tmpl *
cmdline_tmpl_at(const struct cmdline *cl, size_t k)
{
	return k == 0 ? cl->tmpl : cl->side[k - 1];
}

/* Stop the perl of an earlier parse. */
static void
cmdline_stop_perl(struct cmdline *cl)
{
	perl_free(cl->perl);
	cl->perl = NULL;
	free(cl->pexprs);
	cl->pexprs = NULL;
	free(cl->pnames);
	cl->pnames = NULL;
}

/*
 * Have perl compile the template's {= =}, if it has any, starting it if
 * --rpl has not; stop it when nothing needs it.  Returns 0, or -1 with
 * *err.
 */
static int
cmdline_start_perl(struct cmdline *cl, char **err)
{
	const struct tmpl *t;
	size_t i, k, n = 0;
	long pos;

	for (k = 0; k <= CL_NSIDE; k++)
		n += (t = cmdline_tmpl_at(cl, k)) ? tmpl_nperl(t) : 0;
	if (n == 0 && cl->side[CL_FILTER] == NULL) {
		cmdline_stop_perl(cl);
		return 0;
	}
	if (cl->perl == NULL && (cl->perl = perl_new(n ? "{= =}" : "--filter",
	    cl->stop, err)) == NULL)
		return -1;
	cl->prefetch = n > 0 && !cl->raw;
	/* The command's expressions, then the tag's, then the filter's. */
	cl->pexprs = xreallocarray(NULL, n + 1, sizeof(*cl->pexprs));
	cl->pnames = xreallocarray(NULL, n + 1, sizeof(*cl->pnames));
	for (k = 0, n = 0; k <= CL_NSIDE; k++) {
		if ((t = cmdline_tmpl_at(cl, k)) == NULL)
			continue;
		for (i = 0; i < tmpl_nperl(t); i++, n++) {
			cl->pexprs[n] = (char *)tmpl_perl(t, i, &pos);
			cl->pnames[n] = tmpl_perl_name(t, i);
			if (strstr(cl->pexprs[n], "total_jobs") != NULL)
				cl->needs_total = 1;
			/* The slot is only known as the job starts. */
			if (strstr(cl->pexprs[n], "slot") != NULL)
				cl->prefetch = 0;
		}
	}
	/* Compiled once cmdline_take_header() has put the names in. */
	if (cl->names_pending)
		return 0;
	return perl_compile(cl->perl, cl->pexprs, cl->pnames, n, err);
}

/* A replacement string for perl_rewrite() to keep, after its letter. */
static char *
cmdline_keep(char letter, const char *name)
{
	struct buf b = BUF_INIT;

	buf_addch(&b, letter);
	buf_addstr(&b, name);
	return buf_detach(&b, NULL);
}

/*
 * --rpl: have perl replace each TAG in the n words by its {= =}, parx's
 * own replacement strings kept as they are.  Returns 0 with *out set
 * (perl_free_words()), or -1 with *err.
 */
static int
cmdline_rewrite(struct cmdline *cl, char *const *words, size_t n,
    char ***out, char **err)
{
	const struct config *cfg = cl->cfg;
	char *keep[2 * TMPL_NREPL + PLUS_NFIXED];
	const char *name;
	size_t i, nkeep = 0;
	int rc, positional;

	if (cl->perl == NULL && (cl->perl = perl_new("--rpl", cl->stop, err)) == NULL)
		return -1;
	for (i = 0; i < TMPL_NREPL; i++) {
		name = cfg->repl[i] ? cfg->repl[i] : tmpl_default_name(i);
		keep[nkeep++] = cmdline_keep('N', name);
		/* The positional forms keep their names: {2.} */
		if (i != TMPL_SEQ && i != TMPL_SLOT)
			keep[nkeep++] = cmdline_keep('P', tmpl_default_name(i));
	}
	/*
	 * --plus: a TAG such as ".." must not cut into {..}, which GNU
	 * parallel replaces first, as the longer.  NEEDSWORK: the regexp
	 * strings ({#re}...) are not kept so.
	 */
	for (i = 0; cfg->plus &&
	    (name = plus_fixed_name(i, &positional)) != NULL; i++)
		keep[nkeep++] = cmdline_keep(positional ? 'A' : 'N', name);
	rc = perl_rewrite(cl->perl, words, n, cfg->rpl, cfg->nrpl, keep,
	    nkeep, out, err);
	for (i = 0; i < nkeep; i++)
		free(keep[i]);
	return rc;
}

/*
 * Add the requests for template t's {= =} (the first being expression
 * base) to cl->preqs, from *nreq on, for the results from *nval on.
 */
static void
cmdline_perl_reqs(struct cmdline *cl, const struct tmpl *t, size_t base,
    const struct tmpl_ctx *ctx, size_t *nreq, size_t *nval)
{
	size_t i, k, nk;
	long pos, a;

	for (i = 0; i < tmpl_nperl(t); i++) {
		tmpl_perl(t, i, &pos);
		/* Without arguments, $_ is "" (undef, as perl gets it). */
		nk = pos || ctx->nargs == 0 ? 1 : ctx->nargs;
		for (k = 0; k < nk; k++, (*nval)++) {
			a = pos ? tmpl_pick_index(ctx, pos) : (long)k;
			memset(&cl->pvals[*nval], 0, sizeof(cl->pvals[*nval]));
			if (a < 0)
				continue;	/* no such argument: not shown */
			cl->preqs[*nreq].expr = base + i;
			cl->preqs[*nreq].arg = (size_t)a;
			cl->pslots[(*nreq)++] = *nval;
		}
	}
}

/*
 * Evaluate the {= =} of the command, then of the tag and of the filter,
 * for ctx's job into cl->pvals, laid out as struct tmpl_ctx says; those
 * of cl->side[k] start at vals[k].  Returns 0, 1 when the code skipped
 * the job, or -1 with *err.
 */
static size_t
cmdline_perl_prepare(struct cmdline *cl, const struct tmpl_ctx *ctx,
    size_t vals[CL_NSIDE])
{
	const struct tmpl *t;
	size_t k, n = 0, nreq, nval, need, base;

	for (k = 0; k <= CL_NSIDE; k++)
		n += (t = cmdline_tmpl_at(cl, k)) ? tmpl_nperl(t) : 0;
	need = n * (ctx->nargs + 1) + 1;
	if (need > cl->pcap) {
		cl->pcap = need;
		cl->preqs = xreallocarray(cl->preqs, need, sizeof(*cl->preqs));
		cl->pslots = xreallocarray(cl->pslots, need,
		    sizeof(*cl->pslots));
		cl->presults = xreallocarray(cl->presults, need,
		    sizeof(*cl->presults));
		cl->pvals = xreallocarray(cl->pvals, need, sizeof(*cl->pvals));
	}
	nreq = nval = base = 0;
	for (k = 0; k <= CL_NSIDE; k++) {
		if (k > 0)
			vals[k - 1] = nval;
		if ((t = cmdline_tmpl_at(cl, k)) == NULL)
			continue;
		cmdline_perl_reqs(cl, t, base, ctx, &nreq, &nval);
		base += tmpl_nperl(t);
	}
	return nreq;
}

/*
 * Evaluate the {= =} of the command, then of the tag and of the filter,
 * for job j (its values in ctx) into cl->pvals, laid out as struct
 * tmpl_ctx says; those of cl->side[k] start at vals[k].  Results that
 * cmdline_prefetch() got are taken as they are.  Returns 0, 1 when the
 * code skipped the job, or -1 with *err.
 */
static int
cmdline_perl(struct cmdline *cl, const struct job *j,
    const struct tmpl_ctx *ctx, size_t vals[CL_NSIDE], char **err)
{
	struct perl_job pj = { ctx->seq, ctx->slot, cl->total, ctx->args,
	    ctx->nargs };
	const struct tmpl_val *res;
	size_t i, nreq;
	int skip;

	nreq = cmdline_perl_prepare(cl, ctx, vals);
	res = cl->presults;	/* as prepare made room for it */
	if (j->pcache != NULL && j->npcache == nreq) {
		res = j->pcache;
		skip = j->pcache_skip;
	} else if (perl_eval(cl->perl, &pj, cl->preqs, nreq, cl->presults,
	    &skip, err) == -1)
		return -1;
	for (i = 0; i < nreq; i++)
		cl->pvals[cl->pslots[i]] = res[i];
	return skip;
}

/* Keep job i's answer, for when it starts. */
static void
cmdline_keep_answer(void *ctx, size_t i, int skip,
    const struct tmpl_val *vals, size_t n)
{
	struct job *j = ((struct job *const *)ctx)[i];
	struct tmpl_val *c;
	size_t k, bytes = 1;
	char *p;

	for (k = 0; k < n; k++)
		bytes += vals[k].len + 1;
	c = xmalloc(n * sizeof(*c) + bytes);
	p = (char *)(c + n);
	for (k = 0; k < n; k++) {
		memcpy(p, vals[k].s, vals[k].len);
		p[vals[k].len] = '\0';
		c[k].s = p;
		c[k].len = vals[k].len;
		c[k].raw = vals[k].raw;
		p += vals[k].len + 1;
	}
	free(j->pcache);
	j->pcache = c;
	j->npcache = n;
	j->pcache_skip = skip;
}

int
cmdline_prefetches(const struct cmdline *cl)
{
	return cl->perl != NULL && cl->prefetch;
}

/*
 * Evaluate the jobs' {= =} ahead, as many as one request of a size that
 * fits in a pipe holds.  A job without an answer (perl failed) is
 * evaluated as it starts, which then reports why.
 */
size_t
cmdline_prefetch(struct cmdline *cl, struct job *const *jobs, size_t n)
{
	size_t i, nreq, vals[CL_NSIDE], *counts;
	char *err = NULL;

	if (!cmdline_prefetches(cl) || n == 0)
		return 0;
	counts = xreallocarray(NULL, n, sizeof(*counts));
	perl_batch_begin(cl->perl);
	for (i = 0; i < n; i++) {
		struct tmpl_ctx ctx = { jobs[i]->args, jobs[i]->nargs,
		    jobs[i]->seq, 0, NULL, cl->total };
		struct perl_job pj = { ctx.seq, 0, cl->total, ctx.args,
		    ctx.nargs };

		nreq = cmdline_perl_prepare(cl, &ctx, vals);
		perl_batch_add(cl->perl, &pj, cl->preqs, nreq);
		counts[i] = nreq;
		if (perl_batch_size(cl->perl) >= CMDLINE_PREFETCH_BYTES) {
			n = i + 1;
			break;
		}
	}
	(void)perl_batch_eval(cl->perl, counts, cmdline_keep_answer,
	    (void *)jobs, &err);
	free(err);
	free(counts);
	return n;
}

/*
 * Parse the command template (ncmd words) and the --tagstring template,
 * replacing those parsed before, and decide whether jobs can run without
 * a shell.  Returns 0, or -1 with *err.
 */
static int
cmdline_parse_words(struct cmdline *cl, char *const *cmd, size_t ncmd,
    const char *const side[CL_NSIDE], char **err)
{
	const struct config *cfg = cl->cfg;
	struct tmpl_opts to;
	char *words[1] = { "{}" };
	char *e = NULL;
	size_t i, k;

	tmpl_free(cl->tmpl);
	cl->tmpl = NULL;
	for (k = 0; k < CL_NSIDE; k++) {
		tmpl_free(cl->side[k]);
		cl->side[k] = NULL;
	}
	memset(&to, 0, sizeof(to));
	for (i = 0; i < TMPL_NREPL; i++)
		to.repl[i] = cfg->repl[i];
	to.flags = cfg->quote ? TMPL_QUOTE_WORDS : 0;
	if (cfg->plus)
		to.flags |= TMPL_PLUS;
	to.nslots = cfg->jobs;
	if (cfg->pipe.on && !cfg->pipe.cat && !cfg->pipe.fifo)
		to.flags |= TMPL_NO_APPEND;	/* the job's input is its stdin */
	else if (batch_context(&cfg->batch))
		to.flags |= TMPL_CONTEXT;
	if (cl->func) {
		/* --retry-failed calls the function with the logged words. */
		cl->raw = cfg->resume == CONFIG_RETRY_FAILED;
		to.flags |= TMPL_ARGV;
		cl->tmpl = tmpl_parse(cmd, ncmd, &to, &e);
	} else if (ncmd == 0 || cfg->resume == CONFIG_RETRY_FAILED) {
		/*
		 * No command: each input line is the command itself; under
		 * -q, as in GNU parallel, the whole line is one quoted word.
		 */
		cl->raw = !(cfg->quote && ncmd == 0);
		to.flags = cl->raw ? 0 : TMPL_QUOTE_WORDS;
		memset(to.repl, 0, sizeof(to.repl));
		cl->tmpl = tmpl_parse(words, 1, &to, &e);
	} else {
		cl->tmpl = tmpl_parse(cmd, ncmd, &to, &e);
	}
	if (cl->tmpl == NULL) {
		cmdline_error(err, "", e);
		return -1;
	}
	if (tmpl_needs_total(cl->tmpl))
		cl->needs_total = 1;
	to.flags = TMPL_NO_APPEND | (to.flags & (TMPL_CONTEXT | TMPL_PLUS));
	for (k = 0; k < CL_NSIDE; k++) {
		char *tw[1];

		if (side[k] == NULL)
			continue;
		tw[0] = (char *)side[k];
		/* -X: the filter is code, its {} all the values, as -m's. */
		if (k == CL_FILTER)
			to.flags &= ~TMPL_CONTEXT;
		if ((cl->side[k] = tmpl_parse(tw, 1, &to, &e)) == NULL) {
			cmdline_error(err, cl_side_name[k], e);
			return -1;
		}
		if (tmpl_needs_total(cl->side[k]))
			cl->needs_total = 1;
	}
	to.flags &= ~TMPL_CONTEXT;
	for (k = 0; k < cl->ntf; k++) {
		char *tw[1] = { cl->tf_cur[k] };

		tmpl_free(cl->tf[k]);
		if ((cl->tf[k] = tmpl_parse(tw, 1, &to, &e)) == NULL) {
			cmdline_error(err, "--tmpl: ", e);
			return -1;
		}
		if (tmpl_nperl(cl->tf[k]) > 0) {
			*err = xstrdup("--tmpl: a {= =} (or a --plus string "
			    "made of one) in a template file or its name is "
			    "not supported");
			return -1;
		}
	}
	if (cmdline_start_perl(cl, err) == -1)
		return -1;
	cl->direct_values = cl->direct_ok && !cl->raw && !cl->func &&
	    tmpl_is_simple_values(cl->tmpl) &&
	    tmpl_program(cl->tmpl) != NULL &&
	    !shell_needs_shell(tmpl_program(cl->tmpl));
	cl->direct = cl->direct_values && tmpl_is_simple(cl->tmpl);
	return 0;
}

/*
 * Parse the templates as cmdline_parse_words() does, after replacing the
 * --rpl strings in them.
 */
static int
cmdline_parse(struct cmdline *cl, char *const *cmd, size_t ncmd,
    const char *const side[CL_NSIDE], char **err)
{
	char **rcmd = NULL, **rside[CL_NSIDE] = { NULL };
	const char *s[CL_NSIDE];
	char *tw[1];
	size_t k;
	int rc = -1;

	cmdline_stop_perl(cl);
	memcpy(s, side, sizeof(s));
	if (cl->cfg->nrpl > 0 && ncmd > 0 &&
	    cl->cfg->resume != CONFIG_RETRY_FAILED) {
		if (cmdline_rewrite(cl, cmd, ncmd, &rcmd, err) == -1)
			goto out;
		cmd = rcmd;
		for (k = 0; k < CL_NSIDE; k++) {
			if (s[k] == NULL)
				continue;
			tw[0] = (char *)s[k];
			if (cmdline_rewrite(cl, tw, 1, &rside[k], err) == -1)
				goto out;
			s[k] = rside[k][0];
		}
	}
	rc = cmdline_parse_words(cl, cmd, ncmd, s, err);
out:
	perl_free_words(rcmd, ncmd);
	for (k = 0; k < CL_NSIDE; k++)
		perl_free_words(rside[k], 1);
	return rc;
}

/*
 * --tmpl: read the template files; their texts and names are parsed with
 * the command.  Returns 0, or -1 with *err set.
 */
static int
cmdline_read_tmpl(struct cmdline *cl, char **err)
{
	const struct config *cfg = cl->cfg;
	struct buf b = BUF_INIT;
	size_t k;
	int fd, rc;

	if (cfg->ntmplfile == 0)
		return 0;
	cl->ntf = 2 * cfg->ntmplfile;
	cl->tf_text = xcalloc(cl->ntf, sizeof(*cl->tf_text));
	cl->tf = xcalloc(cl->ntf, sizeof(*cl->tf));
	cl->tf_cur = cl->tf_text;
	for (k = 0; k < cfg->ntmplfile; k++) {
		const char *path = cfg->tmplfile[2 * k];

		buf_init(&b);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		rc = fd == -1 ? -1 : sys_read_all(fd, &b);
		if (rc == -1) {
			*err = xasprintf("--tmpl: cannot read '%s': %s", path,
			    strerror(errno));
			buf_release(&b);
			if (fd != -1)
				close(fd);
			return -1;
		}
		close(fd);
		if (memchr(b.data, '\0', b.len) != NULL) {
			buf_release(&b);
			*err = xstrdup("--tmpl: a template file holds a NUL "
			    "byte");
			return -1;
		}
		cl->tf_text[2 * k] = buf_detach(&b, NULL);
		cl->tf_text[2 * k + 1] = xstrdup(cfg->tmplfile[2 * k + 1]);
	}
	return 0;
}

/*
 * Template k of --tmpl expanded for j into tfbuf, NUL-terminated: the
 * values as they are, unquoted, as in GNU parallel.
 */
static const char *
cmdline_tmpl_text(struct cmdline *cl, const struct job *j, size_t k)
{
	struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot, NULL,
	    cl->total };

	buf_reset(&cl->tfbuf);
	tmpl_expand(cl->tf[k], &ctx, 0, &cl->tfbuf);
	buf_addch(&cl->tfbuf, '\0');
	return cl->tfbuf.data;
}

/* Write j's --tmpl files. */
int
cmdline_write_files(struct cmdline *cl, const struct job *j, char **why)
{
	char *name;
	size_t k;
	int fd, rc;

	for (k = 0; k < cl->ntf; k += 2) {
		name = xstrdup(cmdline_tmpl_text(cl, j, k + 1));
		(void)cmdline_tmpl_text(cl, j, k);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0666);
		rc = fd == -1 ? -1 : sys_write_all(fd, cl->tfbuf.data,
		    cl->tfbuf.len - 1, NULL);
		if (fd != -1 && close(fd) == -1)
			rc = -1;
		if (rc == -1) {
			*why = xasprintf("cannot write '%s' (--tmpl) for job "
			    "%llu: %s", name, j->seq, strerror(errno));
			free(name);
			return -1;
		}
		free(name);
	}
	return 0;
}

/* Remove j's --tmpl files (--cleanup). */
void
cmdline_remove_files(struct cmdline *cl, const struct job *j)
{
	size_t k;

	for (k = 0; k < cl->ntf; k += 2)
		(void)unlink(cmdline_tmpl_text(cl, j, k + 1));
}

/* Resolve --func, set up the shell, parse the templates. */
struct cmdline *
cmdline_new(const struct config *cfg, const struct sys_stop *stop,
    char **err)
{
	struct cmdline *cl = xcalloc(1, sizeof(*cl));
	char *shell, *found = NULL;

	cl->cfg = cfg;
	cl->stop = stop;
	buf_init(&cl->cmdbuf);
	buf_init(&cl->argvbuf);
	buf_init(&cl->tagbuf);
	buf_init(&cl->filterbuf);
	if (cfg->func) {
		cl->func = func_resolve(cfg->func, err);
		if (cl->func == NULL)
			goto fail;
	}
	shell = shell_find();
	if ((found = sys_path_find(shell)) == NULL) {
		/* $PARALLEL_SHELL: a path, or a name to find on $PATH. */
		*err = xasprintf("shell '%s' not found ($PARALLEL_SHELL)",
		    shell);
		free(shell);
		goto fail;
	}
	free(found);
	spawn_init(shell);
	spawn_set_env_code(cfg->env_code, cfg->env_code ? cfg->env_code_len :
	    0);
	if (cfg->env_code && cfg->func)
		msg_warn("$PARALLEL_ENV is shell code, and --func jobs run no "
		    "shell: it is left out");
	if (cfg->nice_set)
		spawn_set_nice(cfg->nice);
	spawn_set_slot_var(cfg->slot_var);
	/*
	 * zsh reads ~/.zshenv and bash $BASH_ENV: functions may hide there.
	 * $PARALLEL_ENV's code must run before every command.
	 */
	cl->direct_ok = !(strstr(shell, "zsh") ||
	    (strstr(shell, "bash") && getenv("BASH_ENV")) || cfg->env_code);
	free(shell);
	if (cmdline_read_tmpl(cl, err) == -1)
		goto fail;
	/* As source.c decides: --header names columns, except with --pipe. */
	cl->names_pending = cfg->header && strcmp(cfg->header, "0") != 0 &&
	    !cfg->pipe.on;
	if (cmdline_parse(cl, cfg->cmd, cfg->ncmd, (const char *[CL_NSIDE]){
	    cfg->tagstring, cfg->filter }, err) == -1)
		goto fail;
	cl->measure = cfg->stats || cfg->stats_json || cfg->events ||
	    cfg->stats_fd >= 0 || cfg->digest;
	cl->arg_max = sys_arg_max();
	cl->arg_strlen_max = sys_arg_strlen_max();
	cl->env_size = cmdline_env_size();
	cl->usable = cmdline_usable_length();

	if (cfg->batch.max_chars > cl->usable)
		msg_warn("-s %zu is above the usable size of a command line, "
		    "%zu: lines are filled up to %zu", cfg->batch.max_chars,
		    cl->usable, cl->usable);
	else if (cfg->batch.max_chars > 0)
		cl->usable = cfg->batch.max_chars;
	return cl;
fail:
	cmdline_free(cl);
	return NULL;
}

/* Free the cmdline. */
void
cmdline_free(struct cmdline *cl)
{
	size_t k;

	if (cl == NULL)
		return;
	tmpl_free(cl->tmpl);
	for (k = 0; k < CL_NSIDE; k++)
		tmpl_free(cl->side[k]);
	perl_free(cl->perl);
	free(cl->pexprs);
	free(cl->pnames);
	free(cl->preqs);
	free(cl->pslots);
	free(cl->presults);
	free(cl->pvals);
	buf_release(&cl->cmdbuf);
	buf_release(&cl->argvbuf);
	buf_release(&cl->tagbuf);
	buf_release(&cl->filterbuf);
	buf_release(&cl->tfbuf);
	for (k = 0; k < cl->ntf; k++)
		tmpl_free(cl->tf[k]);
	if (cl->tf_cur != cl->tf_text)
		colsep_free_words(cl->tf_cur, cl->ntf);
	for (k = 0; k < cl->ntf; k++)
		free(cl->tf_text[k]);
	free(cl->tf_text);
	free(cl->tf);
	free(cl);
}

/* --header: parse the templates again with the column names. */
int
cmdline_take_header(struct cmdline *cl, struct colsep *cs,
    const struct arg *args, size_t nargs, char **err)
{
	const struct config *cfg = cl->cfg;
	const char *given[CL_NSIDE] = { cfg->tagstring, cfg->filter };
	const char *s[CL_NSIDE] = { NULL };
	char **cmd, **side[CL_NSIDE] = { NULL };
	char *tw[1];
	size_t k;
	int rc;

	colsep_set_header(cs, args, nargs);
	cmd = colsep_rewrite(cs, cfg->cmd, cfg->ncmd);
	for (k = 0; k < CL_NSIDE; k++) {
		if (given[k] == NULL)
			continue;
		tw[0] = (char *)given[k];
		side[k] = colsep_rewrite(cs, tw, 1);
		s[k] = side[k][0];
	}
	if (cl->ntf > 0) {
		if (cl->tf_cur != cl->tf_text)
			colsep_free_words(cl->tf_cur, cl->ntf);
		cl->tf_cur = colsep_rewrite(cs, cl->tf_text, cl->ntf);
	}
	cl->names_pending = 0;
	rc = cmdline_parse(cl, cmd, cfg->ncmd, s, err);
	colsep_free_words(cmd, cfg->ncmd);
	for (k = 0; k < CL_NSIDE; k++)
		if (side[k])
			colsep_free_words(side[k], 1);
	return rc;
}

/* The job's words as an argument vector in argvbuf: argc. */
static size_t
cmdline_argv(struct cmdline *cl, const struct job *j,
    const struct tmpl_ctx *ctx)
{
	size_t i;

	buf_reset(&cl->argvbuf);
	if (!cl->raw)
		return tmpl_expand_argv(cl->tmpl, ctx, &cl->argvbuf);
	/* --retry-failed: the logged call's words, as they were. */
	for (i = 0; i < j->nargs; i++)
		buf_add(&cl->argvbuf, j->args[i].s, j->args[i].len + 1);
	return j->nargs;
}

/*
 * --tagstring with {= =}: make the job's tag now, from the results that
 * start at tagvals, as the job keeps it.
 */
static void
cmdline_perl_tag(struct cmdline *cl, struct job *j, size_t tagvals)
{
	struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot,
	    cl->pvals + tagvals, cl->total };

	buf_reset(&cl->tagbuf);
	tmpl_expand(cl->side[CL_TAG], &ctx, 0, &cl->tagbuf);
	j->ptag = xmemdupz(cl->tagbuf.data, cl->tagbuf.len);
	j->ptaglen = cl->tagbuf.len;
}

/*
 * --filter: perl runs the code with the job's values filled in, unquoted
 * (as GNU parallel fills them in), and the job runs when the code is
 * true.  Code that dies or does not compile is false; the first job it
 * leaves out so is named in a warning.  Returns 0 to run the job, 1 to
 * leave it out, or -1 with *err when perl is gone.
 */
static int
cmdline_filter(struct cmdline *cl, const struct job *j,
    const struct tmpl_ctx *jctx, size_t vals, char **err)
{
	struct tmpl_ctx ctx = *jctx;
	char *why = NULL;
	int keep;

	ctx.pvals = cl->pvals + vals;
	buf_reset(&cl->filterbuf);
	tmpl_expand(cl->side[CL_FILTER], &ctx, 0, &cl->filterbuf);
	if (perl_filter(cl->perl, cl->filterbuf.data, cl->filterbuf.len,
	    &keep, &why, err) == -1)
		return -1;
	if (why != NULL && !cl->filter_warned) {
		msg_warn("--filter leaves out job %llu, and any other whose "
		    "code fails: %s", j->seq, why);
		cl->filter_warned = 1;
	}
	free(why);
	return !keep;
}

/* Expand the job's command line and argument vector. */
int
cmdline_expand(struct cmdline *cl, struct job *j, char **err)
{
	struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot, NULL,
	    cl->total };
	size_t i, vals[CL_NSIDE];
	int rc, direct = cl->direct;

	free(j->ptag);
	j->ptag = NULL;
	/* {choose_k}, {uniq}: as a {= =} that calls skip(). */
	if (!cl->raw && tmpl_skips(cl->tmpl, &ctx))
		return 1;
	if (cl->perl && (!cl->raw || cl->side[CL_FILTER])) {
		if ((rc = cmdline_perl(cl, j, &ctx, vals, err)) != 0)
			return rc;
		if (cl->side[CL_FILTER] &&
		    (rc = cmdline_filter(cl, j, &ctx, vals[CL_FILTER], err)) != 0)
			return rc;
		ctx.pvals = cl->pvals;
		if (cl->side[CL_TAG] && tmpl_nperl(cl->side[CL_TAG]) > 0)
			cmdline_perl_tag(cl, j, vals[CL_TAG]);
		/* The command's results come first: any uq() needs a shell. */
		for (i = 0, direct = cl->direct_values; direct &&
		    i < vals[CL_TAG]; i++)
			direct = !cl->pvals[i].raw;
	}
	free(j->cmd);
	free(j->argv);
	j->argv = NULL;
	j->direct = 0;
	buf_reset(&cl->cmdbuf);
	if (cl->func) {
		/* Shown as a command would be: the name, the quoted words. */
		buf_addstr(&cl->cmdbuf, cl->cfg->func);
		buf_addch(&cl->cmdbuf, ' ');
	}
	if (cl->func && cl->raw) {
		/* --retry-failed: the logged call's words, as they were. */
		for (i = 0; i < j->nargs; i++) {
			if (i > 0)
				buf_addch(&cl->cmdbuf, ' ');
			quote_shell(&cl->cmdbuf, j->args[i].s, j->args[i].len);
		}
	} else
		tmpl_expand(cl->tmpl, &ctx, !cl->raw, &cl->cmdbuf);
	j->cmd = xmemdupz(cl->cmdbuf.data, cl->cmdbuf.len);
	j->cmd_len = cl->cmdbuf.len;
	if (cl->func || direct) {
		j->argc = cmdline_argv(cl, j, &ctx);
		j->argv = xmemdupz(cl->argvbuf.data, cl->argvbuf.len);
		j->argv_len = cl->argvbuf.len;
	}
	if (cl->func) {
		j->func = cl->func;
		j->func_name = cl->cfg->func;
	} else if (direct)
		j->direct = 1;
	j->measure = cl->measure;
	return 0;
}

/* The length of the shell code of j, with $PARALLEL_ENV's code. */
static size_t
cmdline_code_len(const struct job *j)
{
	return spawn_shell_code_len(j->cmd, j->cmd_len);
}

/* Check the command against the exec limits; 0 fits, -1 does not. */
static int
cmdline_fits_exec(const struct cmdline *cl, const struct job *j)
{
	size_t total, len;

	if (j->direct) {
		const char *p = j->argv;
		size_t i;

		total = cl->env_size + sizeof(char *);
		for (i = 0; i < j->argc; i++) {
			len = strlen(p) + 1;
			if (len > cl->arg_strlen_max)
				return -1;
			total += len + sizeof(char *);
			p += len;
		}
		return total <= cl->arg_max ? 0 : -1;
	}
	len = cmdline_code_len(j);
	if (len + 1 > cl->arg_strlen_max)
		return -1;
	if (cl->cfg->batch.max_chars && len + 1 > cl->cfg->batch.max_chars)
		return -1;	/* -s */
	total = cl->env_size + len + 1 + 64;
	return total <= cl->arg_max ? 0 : -1;
}

/* Whether the job's command line fits. */
int
cmdline_fits(const struct cmdline *cl, const struct job *j, char **why)
{
	size_t s = cl->cfg->batch.max_chars;
	char msg[256];

	if (cl->func || cmdline_fits_exec(cl, j) == 0)
		return 0;
	if (s == 0 || s > cl->arg_strlen_max)
		s = cl->arg_strlen_max;
	snprintf(msg, sizeof(msg), "command line too long for job %llu "
	    "(%zu bytes%s; %s allows %zu): '%.40s...'", j->seq,
	    (j->direct ? j->cmd_len : cmdline_code_len(j)) + 1,
	    !j->direct && spawn_has_env_code() ? " with $PARALLEL_ENV" : "",
	    s == cl->cfg->batch.max_chars ? "-s" : "the system", s, j->cmd);
	*why = xstrdup(msg);
	return -1;
}

/* The job's tag (--tag, --tagstring), with its tab. */
const char *
cmdline_tag(struct cmdline *cl, const struct job *j, size_t *len)
{
	struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot, NULL,
	    cl->total };
	size_t i;

	buf_reset(&cl->tagbuf);
	if (j->ptag) {
		buf_add(&cl->tagbuf, j->ptag, j->ptaglen);
		buf_addch(&cl->tagbuf, '\t');
	} else if (cl->side[CL_TAG]) {
		tmpl_expand(cl->side[CL_TAG], &ctx, 0, &cl->tagbuf);
		buf_addch(&cl->tagbuf, '\t');
	} else if (cl->cfg->tag) {
		for (i = 0; i < j->nargs; i++) {
			if (i)
				buf_addch(&cl->tagbuf, ' ');
			buf_add(&cl->tagbuf, j->args[i].s, j->args[i].len);
		}
		buf_addch(&cl->tagbuf, '\t');
	}
	*len = cl->tagbuf.len;
	return cl->tagbuf.data;
}

/* The job's command line and a newline, after its tag if tagged. */
const char *
cmdline_line(struct cmdline *cl, const struct job *j, int tagged,
    size_t *len)
{
	const char *tag;
	size_t n;

	buf_reset(&cl->cmdbuf);
	if (tagged) {
		tag = cmdline_tag(cl, j, &n);
		buf_add(&cl->cmdbuf, tag, n);
	}
	buf_add(&cl->cmdbuf, j->cmd, j->cmd_len);
	buf_addch(&cl->cmdbuf, '\n');
	*len = cl->cmdbuf.len;
	return cl->cmdbuf.data;
}

/* Whether total_jobs() needs the number of jobs. */
int
cmdline_needs_total(const struct cmdline *cl)
{
	return cl->needs_total;
}

/* The number of jobs, for total_jobs(). */
void
cmdline_set_total(struct cmdline *cl, unsigned long long n)
{
	cl->total = n;
}

/* The template, as parsed last. */
const struct tmpl *
cmdline_tmpl(const struct cmdline *cl)
{
	return cl->tmpl;
}

/* What batching needs to know. */
void
cmdline_batch_env(const struct cmdline *cl, struct batch_env *be)
{
	be->tmpl = cl->tmpl;
	be->quote = !cl->raw;
	be->direct = cl->direct;
	be->arg_max = cl->arg_max;
	be->arg_strlen_max = cl->arg_strlen_max;
	be->env_size = cl->env_size;
	be->usable = cl->usable;
	be->env_code = cl->cfg->env_code ? cl->cfg->env_code_len : 0;
	be->quote_words = cl->cfg->quote;
	be->remote = cl->cfg->remote.nlogins > 0;
}

/* The usable size of a command line: what -X fills, -s applied. */
size_t
cmdline_usable(const struct cmdline *cl)
{
	return cl->usable;
}
