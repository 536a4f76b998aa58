/* SPDX-License-Identifier: ISC */
/*
 * Parsing kill sequences, and the rest of them for process groups whose
 * leader is gone.
 */
#include "termseq.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "loop.h"
#include "xalloc.h"

static const struct {
	const char	*name;
	int		 sig;
} termseq_names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
	{ "ABRT", SIGABRT }, { "SEGV", SIGSEGV },
};

/* Map a signal name or number. */
int
termseq_signum(const char *name)
{
	size_t i;
	char *end;
	long n;

	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	if (isdigit((unsigned char)*name)) {
		n = strtol(name, &end, 10);
		return *end == '\0' && n > 0 && n < 65 ? (int)n : -1;
	}
	for (i = 0; i < sizeof(termseq_names) / sizeof(termseq_names[0]); i++)
		if (strcasecmp(name, termseq_names[i].name) == 0)
			return termseq_names[i].sig;
	return -1;
}

/* Name a signal for kill -s. */
const char *
termseq_signame(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(termseq_names) / sizeof(termseq_names[0]); i++)
		if (termseq_names[i].sig == sig)
			return termseq_names[i].name;
	return "TERM";
}

/* The i-th name of the table. */
const char *
termseq_name(size_t i)
{
	if (i >= sizeof(termseq_names) / sizeof(termseq_names[0]))
		return NULL;
	return termseq_names[i].name;
}

/* Parse "SIG,ms,SIG,ms,...". */
int
termseq_parse(const char *spec, struct termseq_step *steps, size_t max)
{
	char word[32];
	const char *p = spec;
	size_t n = 0, len;
	int want_sig = 1;
	char *end;

	if (spec == NULL || *spec == '\0')
		return -1;
	while (*p) {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(word))
			return -1;
		memcpy(word, p, len);
		word[len] = '\0';
		if (want_sig) {
			if (n >= max)
				return -1;
			steps[n].sig = termseq_signum(word);
			steps[n].ms = 0;
			if (steps[n].sig < 0)
				return -1;
			n++;
		} else {
			long ms;

			/* Digits only: strtol would also take " 5" and "+5". */
			if (!isdigit((unsigned char)word[0]))
				return -1;
			ms = strtol(word, &end, 10);
			if (*end != '\0' || ms > 86400000L)
				return -1;
			steps[n - 1].ms = ms;
		}
		want_sig = !want_sig;
		p += len;
		if (*p == ',') {
			p++;
			if (*p == '\0')
				return -1;
		}
	}
	return (int)n;
}

/* How often a kept group is looked at between two steps, in ms. */
#define TERMSEQ_LOOK_MS	20

struct termseq_group {
	pid_t			 pgid;
	int			 step;		/* the next step to send */
	struct timespec		 due;		/* when it is due */
};

struct termseq_groups {
	const struct termseq_step *steps;
	int			 nsteps;
	struct termseq_group	*g;
	size_t			 n;
	size_t			 cap;
};

/* Whether any process of the group is left. */
static int
termseq_group_alive(pid_t pgid)
{
	return kill(-pgid, 0) == 0 || errno == EPERM;
}

/* Make an empty set. */
struct termseq_groups *
termseq_groups_new(const struct termseq_step *steps, int nsteps)
{
	struct termseq_groups *gs = xcalloc(1, sizeof(*gs));

	gs->steps = steps;
	gs->nsteps = nsteps;
	return gs;
}

/* Free the set (the groups are left as they are). */
void
termseq_groups_free(struct termseq_groups *gs)
{
	if (gs == NULL)
		return;
	free(gs->g);
	free(gs);
}

/* Keep a group whose leader is gone. */
void
termseq_groups_add(struct termseq_groups *gs, pid_t pgid, int step,
    const struct timespec *due)
{
	size_t i;

	if (pgid <= 0 || step <= 0 || step >= gs->nsteps ||
	    !termseq_group_alive(pgid))
		return;
	for (i = 0; i < gs->n; i++)
		if (gs->g[i].pgid == pgid)
			return;
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 8;
		gs->g = xreallocarray(gs->g, gs->cap, sizeof(*gs->g));
	}
	gs->g[gs->n].pgid = pgid;
	gs->g[gs->n].step = step;
	gs->g[gs->n].due = *due;
	gs->n++;
}

/* The groups kept. */
size_t
termseq_groups_count(const struct termseq_groups *gs)
{
	return gs ? gs->n : 0;
}

/* Time to the next step or look. */
long
termseq_groups_next_ms(const struct termseq_groups *gs)
{
	long ms = TERMSEQ_LOOK_MS, k;
	size_t i;

	if (gs == NULL || gs->n == 0)
		return -1;
	for (i = 0; i < gs->n; i++) {
		k = loop_ms_until(&gs->g[i].due);
		if (k < ms)
			ms = k;
	}
	return ms;
}

/* Send what is due. */
void
termseq_groups_fire(struct termseq_groups *gs)
{
	struct termseq_group *g;
	const struct termseq_step *s;
	size_t i = 0;

	while (gs != NULL && i < gs->n) {
		g = &gs->g[i];
		if (termseq_group_alive(g->pgid) &&
		    loop_ms_until(&g->due) == 0 && g->step < gs->nsteps) {
			s = &gs->steps[g->step++];
			kill(-g->pgid, s->sig);
			loop_deadline_in(&g->due, s->ms);
		}
		if (!termseq_group_alive(g->pgid) ||
		    (g->step >= gs->nsteps && loop_ms_until(&g->due) == 0)) {
			gs->g[i] = gs->g[--gs->n];
			continue;
		}
		i++;
	}
}
