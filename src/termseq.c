/*
 * Parsing kill sequences.
 */
#include "termseq.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
