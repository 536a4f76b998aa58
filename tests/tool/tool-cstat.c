/* SPDX-License-Identifier: ISC */
/*
 * test-tool cstat: the statistics of --compare (src/compare/cstat.c) on
 * samples given on the command line.
 *
 *	test-tool cstat A1 A2 ... -- B1 B2 ...
 *
 * prints, one per line, with six decimals:
 *
 *	median A, spread A (half the interquartile range)
 *	median B, spread B
 *	ratio R SD LO HI	(cstat_ratio(A, B)), or "ratio none"
 *	tight 0|1		(cstat_tight at 5%)
 *
 * Exit status: 0, or 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cstat.h"
#include "tool.h"
#include "xalloc.h"

static void
print_sample(const char *name, const double *v, size_t n)
{
	printf("median %s %.6f\n", name, cstat_median(v, n));
	printf("spread %s %.6f\n", name, cstat_spread(v, n));
}

int
cmd_cstat(int argc, char **argv)
{
	double *a, *b;
	size_t na = 0, nb = 0;
	struct cstat_ratio r;
	int i, second = 0;

	a = xreallocarray(NULL, (size_t)argc, sizeof(*a));
	b = xreallocarray(NULL, (size_t)argc, sizeof(*b));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			second = 1;
		else if (second)
			b[nb++] = strtod(argv[i], NULL);
		else
			a[na++] = strtod(argv[i], NULL);
	}
	if (na == 0 || nb == 0) {
		fprintf(stderr, "usage: test-tool cstat A... -- B...\n");
		free(a);
		free(b);
		return 2;
	}
	print_sample("a", a, na);
	print_sample("b", b, nb);
	if (cstat_ratio(a, na, b, nb, &r) == 0)
		printf("ratio %.6f %.6f %.6f %.6f\ntight %d\n", r.ratio, r.sd,
		    r.lo, r.hi, cstat_tight(&r, 0.05));
	else
		printf("ratio none\n");
	free(a);
	free(b);
	return 0;
}
