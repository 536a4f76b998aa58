/* SPDX-License-Identifier: ISC */
/*
 * The worker loop shared by worker processes and worker threads.
 */
#include "worker.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "func.h"
#include "spawn.h"
#include "xalloc.h"

/*
 * Call a --func job: unpack its argv and run it in this worker.  Not
 * inlined: its argv array stays off the stack of command jobs.
 */
static __attribute__((noinline)) void
worker_call(const struct spawn_req *req, struct spawn_res *res)
{
	char *small[64], **argv = small;
	const char *p = req->argv;
	size_t i;

	if (req->argc + 1 > sizeof(small) / sizeof(small[0]))
		argv = xreallocarray(NULL, req->argc + 1, sizeof(*argv));
	for (i = 0; i < req->argc; i++) {
		argv[i] = (char *)p;
		p += strlen(p) + 1;
	}
	argv[req->argc] = NULL;
	func_run(req->func, req->func_name, (int)req->argc, argv, req->seq,
	    req->slot, req->fout, req->cancel, req->cancel_seq, req->measure,
	    res);
	if (argv != small)
		free(argv);
}

/* Take, run and report jobs until the channel closes. */
void
worker_loop(const struct worker_ops *ops, void *chan)
{
	struct spawn_hooks hooks = { ops->started, ops->exited };
	struct spawn_req req;
	struct spawn_res res;
	struct timespec t0, t1;

	spawn_worker_init();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ops->take(chan, &req) == 1) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (req.func)
			worker_call(&req, &res);
		else
			spawn_run(&req, &res, &hooks, chan);
		/* How long this worker sat idle before the job reached it. */
		res.wait_ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL +
		    (t1.tv_nsec - t0.tv_nsec);
		ops->done(chan, &res);
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
}
