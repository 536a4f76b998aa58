/* SPDX-License-Identifier: ISC */
/*
 * The hosts of a Slurm allocation, read from the environment Slurm gives
 * the allocation's commands.
 *
 * A hostlist is a comma-separated list of names, each of which may hold
 * bracketed ranges: "n[1-3,7]" is n1 n2 n3 n7, "r[1-2]n[01-02]" is r1n01
 * r1n02 r2n01 r2n02; a range's first number sets the width ("[08-10]" is
 * 08 09 10).  Task counts are "N" or "N(xK)" (K nodes of N), separated
 * by commas.  A job's list goes with its counts, and a step's
 * ($SLURM_STEP_*, in an srun task) with its own.
 */
#include "slurm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

/* At most this many nodes: a larger list is surely a mistake. */
#define SLURM_MAX_NODES	100000

struct slurm_nodes {
	char	**name;
	size_t	  n;
};

int
slurm_is_name(const char *path)
{
	return strcmp(path, "slurm") == 0;
}

static char *
slurm_error(const char *var, const char *value, const char *why)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "--slf slurm: $");
	buf_addstr(&b, var);
	if (value) {
		buf_addstr(&b, " '");
		buf_addstr(&b, value);
		buf_addstr(&b, "'");
	}
	buf_addstr(&b, ": ");
	buf_addstr(&b, why);
	return buf_detach(&b, NULL);
}

/* Read a number of at most 9 digits at *p; -1 when there is none. */
static long
slurm_number(const char **p, size_t *width)
{
	const char *s = *p;
	long n = 0;

	while (**p >= '0' && **p <= '9' && *p - s < 9)
		n = n * 10 + (*(*p)++ - '0');
	if (*p == s || (**p >= '0' && **p <= '9'))
		return -1;
	if (width)
		*width = (size_t)(*p - s);
	return n;
}

/*
 * Expand the hostlist item s..end after the name so far in name: the
 * text up to its first '[' is added, then each number of the bracket in
 * turn with the rest expanded after it.  Returns 0, or -1 when the item
 * does not parse or the list grows too long.
 */
static int
slurm_expand(const char *s, const char *end, struct buf *name,
    struct slurm_nodes *nodes)
{
	const char *lb, *rb, *p;
	size_t keep = name->len, width;
	long lo, hi, v;

	lb = memchr(s, '[', (size_t)(end - s));
	if (lb == NULL) {
		buf_add(name, s, (size_t)(end - s));
		if (name->len == 0 || memchr(name->data, ']', name->len) ||
		    nodes->n >= SLURM_MAX_NODES)
			return -1;
		nodes->name = xreallocarray(nodes->name, nodes->n + 1,
		    sizeof(*nodes->name));
		nodes->name[nodes->n++] = xmemdupz(name->data, name->len);
		name->len = keep;
		return 0;
	}
	rb = memchr(lb, ']', (size_t)(end - lb));
	if (rb == NULL || rb == lb + 1)
		return -1;
	buf_add(name, s, (size_t)(lb - s));
	for (p = lb + 1; p < rb; p++) {
		lo = slurm_number(&p, &width);
		hi = lo;
		if (lo >= 0 && *p == '-') {
			p++;
			hi = slurm_number(&p, NULL);
		}
		if (lo < 0 || hi < lo || (*p != ',' && p != rb))
			return -1;
		for (v = lo; v <= hi; v++) {
			char num[32];
			size_t len = name->len;

			snprintf(num, sizeof(num), "%0*ld", (int)width, v);
			buf_addstr(name, num);
			if (slurm_expand(rb + 1, end, name, nodes) == -1)
				return -1;
			name->len = len;
		}
	}
	name->len = keep;
	return 0;
}

/* Split the hostlist at the commas outside brackets and expand each. */
static int
slurm_hostlist(const char *list, struct slurm_nodes *nodes)
{
	struct buf name = BUF_INIT;
	const char *s = list, *p;
	int depth = 0, rc = 0;

	buf_grow(&name, 64);
	for (p = list; rc == 0; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if (depth < 0 || depth > 1)
			rc = -1;
		else if (*p == '\0' || (*p == ',' && depth == 0)) {
			if (p == s || slurm_expand(s, p, &name, nodes) == -1)
				rc = -1;
			s = p + 1;
		}
		if (*p == '\0')
			break;
	}
	if (depth != 0)
		rc = -1;
	buf_release(&name);
	return rc;
}

/* The name of the node parx runs on. */
static void
slurm_self(char *self, size_t size)
{
	const char *env = getenv("SLURMD_NODENAME");
	char *dot;

	if (env && *env) {
		snprintf(self, size, "%s", env);
		return;
	}
	if (gethostname(self, size) == -1)
		*self = '\0';
	self[size - 1] = '\0';
	dot = strchr(self, '.');
	if (dot)
		*dot = '\0';
}

int
slurm_logins(struct buf *out, char **err)
{
	struct slurm_nodes nodes = { NULL, 0 };
	const char *list, *tasks, *var = "SLURM_JOB_NODELIST", *p;
	const char *tasks_var = "SLURM_TASKS_PER_NODE";
	char self[256], num[32], *why;
	size_t i = 0, k;
	long count, times;
	int rc = -1;

	/*
	 * An srun task is given its step's task counts in
	 * $SLURM_TASKS_PER_NODE beside the job's node list: its step's
	 * own list goes with them.
	 */
	list = getenv("SLURM_STEP_NODELIST");
	if (list && *list) {
		var = "SLURM_STEP_NODELIST";
		tasks_var = "SLURM_STEP_TASKS_PER_NODE";
	}
	list = getenv(var);
	if (list == NULL || *list == '\0') {
		*err = slurm_error(var, NULL, "not set: not inside a Slurm "
		    "allocation (salloc, sbatch or srun set it)");
		return -1;
	}
	if (slurm_hostlist(list, &nodes) == -1) {
		*err = slurm_error(var, list, "not a hostlist such as "
		    "'node[01-04,07],gpu1'");
		goto out;
	}
	tasks = getenv(tasks_var);
	if (tasks == NULL || *tasks == '\0') {
		*err = slurm_error(tasks_var, NULL, "not set");
		goto out;
	}
	slurm_self(self, sizeof(self));
	for (p = tasks; *p && i < nodes.n; ) {
		count = slurm_number(&p, NULL);
		times = 1;
		if (count > 0 && strncmp(p, "(x", 2) == 0) {
			p += 2;
			times = slurm_number(&p, NULL);
			if (times < 1 || *p++ != ')')
				count = -1;
		}
		if (count < 1 || (*p != ',' && *p != '\0')) {
			*err = slurm_error(tasks_var, tasks, "not task counts "
			    "such as '16(x4),8'");
			goto out;
		}
		if (*p == ',')
			p++;
		for (; times > 0 && i < nodes.n; times--, i++) {
			snprintf(num, sizeof(num), "%ld/", count);
			buf_addstr(out, num);
			buf_addstr(out, strcmp(nodes.name[i], self) == 0 ?
			    ":" : nodes.name[i]);
			buf_addch(out, '\n');
		}
	}
	if (i < nodes.n) {
		why = xasprintf("fewer task counts than $%s has nodes", var);
		*err = slurm_error(tasks_var, tasks, why);
		free(why);
		goto out;
	}
	rc = 0;
out:
	for (k = 0; k < nodes.n; k++)
		free(nodes.name[k]);
	free(nodes.name);
	return rc;
}
