/*
 * The worker loop shared by worker processes and worker threads.
 */
#include "worker.h"

#include "spawn.h"

/* Take, run and report jobs until the channel closes. */
void
worker_loop(const struct worker_ops *ops, void *chan)
{
	struct spawn_hooks hooks = { ops->started, ops->exited };
	struct spawn_req req;
	struct spawn_res res;

	spawn_worker_init();
	while (ops->take(chan, &req) == 1) {
		spawn_run(&req, &res, &hooks, chan);
		ops->done(chan, &res);
	}
}
