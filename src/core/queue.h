/* SPDX-License-Identifier: ISC */
/*
 * queue: intrusive queues, after BSD <sys/queue.h> as tmux and OpenBSD use
 * it.  The link lives in the element, so putting an element on a queue
 * never allocates; an element is on at most one queue per link field at a
 * time.
 *
 *	STAILQ	singly-linked tail queue: add at either end, take from the
 *		front (job queues).
 *	TAILQ	doubly-linked tail queue: also insert before an element and
 *		remove any element in constant time.
 *
 *	struct job { ... STAILQ_ENTRY(job) link; ... };
 *	STAILQ_HEAD(jobq, job) q = STAILQ_HEAD_INITIALIZER(q);
 *
 *	STAILQ_INSERT_TAIL(&q, j, link);
 *	while ((j = STAILQ_FIRST(&q)) != NULL) {
 *		STAILQ_REMOVE_HEAD(&q, link);
 *		...
 *	}
 *
 * Only the subset parx uses is here; each macro means what its BSD
 * namesake means.  parx carries its own, as tmux does, because not every
 * C library has <sys/queue.h> (musl has none); never include both.
 */
#ifndef PARX_QUEUE_H
#define PARX_QUEUE_H

#define STAILQ_HEAD(name, type)						\
struct name {								\
	struct type	 *stqh_first;	/* the first element */		\
	struct type	**stqh_last;	/* the last's next field */	\
}

#define STAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).stqh_first }

#define STAILQ_ENTRY(type)						\
struct {								\
	struct type	*stqe_next;	/* the next element */		\
}

#define STAILQ_FIRST(head)	((head)->stqh_first)
#define STAILQ_EMPTY(head)	(STAILQ_FIRST(head) == NULL)
#define STAILQ_NEXT(elm, field)	((elm)->field.stqe_next)

#define STAILQ_FOREACH(var, head, field)				\
	for ((var) = STAILQ_FIRST(head); (var) != NULL;			\
	    (var) = STAILQ_NEXT(var, field))

/* Like STAILQ_FOREACH, but var may be removed or freed in the body. */
#define STAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = STAILQ_FIRST(head);				\
	    (var) != NULL && ((tvar) = STAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))

#define STAILQ_INIT(head) do {						\
	(head)->stqh_first = NULL;					\
	(head)->stqh_last = &(head)->stqh_first;			\
} while (0)

#define STAILQ_INSERT_HEAD(head, elm, field) do {			\
	if (((elm)->field.stqe_next = (head)->stqh_first) == NULL)	\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
	(head)->stqh_first = (elm);					\
} while (0)

#define STAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.stqe_next = NULL;					\
	*(head)->stqh_last = (elm);					\
	(head)->stqh_last = &(elm)->field.stqe_next;			\
} while (0)

#define STAILQ_REMOVE_HEAD(head, field) do {				\
	if (((head)->stqh_first =					\
	    (head)->stqh_first->field.stqe_next) == NULL)		\
		(head)->stqh_last = &(head)->stqh_first;		\
} while (0)

/* Move every element of head2, in order, to the end of head1. */
#define STAILQ_CONCAT(head1, head2) do {				\
	if (!STAILQ_EMPTY(head2)) {					\
		*(head1)->stqh_last = (head2)->stqh_first;		\
		(head1)->stqh_last = (head2)->stqh_last;		\
		STAILQ_INIT(head2);					\
	}								\
} while (0)

/*
 * A TAILQ head holds a pointer into its first element and the element to
 * it: never copy a non-empty head.
 */
#define TAILQ_HEAD(name, type)						\
struct name {								\
	struct type	 *tqh_first;	/* the first element */		\
	struct type	**tqh_last;	/* the last's next field */	\
}

#define TAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).tqh_first }

#define TAILQ_ENTRY(type)						\
struct {								\
	struct type	 *tqe_next;	/* the next element */		\
	struct type	**tqe_prev;	/* the previous' next field */	\
}

#define TAILQ_FIRST(head)	((head)->tqh_first)
#define TAILQ_EMPTY(head)	(TAILQ_FIRST(head) == NULL)
#define TAILQ_NEXT(elm, field)	((elm)->field.tqe_next)

/* The last element, or NULL; headname is the name given TAILQ_HEAD. */
#define TAILQ_LAST(head, headname)					\
	(*(((struct headname *)((head)->tqh_last))->tqh_last))

#define TAILQ_FOREACH(var, head, field)					\
	for ((var) = TAILQ_FIRST(head); (var) != NULL;			\
	    (var) = TAILQ_NEXT(var, field))

/* Like TAILQ_FOREACH, but var may be removed or freed in the body. */
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))

#define TAILQ_INIT(head) do {						\
	(head)->tqh_first = NULL;					\
	(head)->tqh_last = &(head)->tqh_first;				\
} while (0)

#define TAILQ_INSERT_HEAD(head, elm, field) do {			\
	if (((elm)->field.tqe_next = (head)->tqh_first) != NULL)	\
		(head)->tqh_first->field.tqe_prev =			\
		    &(elm)->field.tqe_next;				\
	else								\
		(head)->tqh_last = &(elm)->field.tqe_next;		\
	(head)->tqh_first = (elm);					\
	(elm)->field.tqe_prev = &(head)->tqh_first;			\
} while (0)

#define TAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.tqe_next = NULL;					\
	(elm)->field.tqe_prev = (head)->tqh_last;			\
	*(head)->tqh_last = (elm);					\
	(head)->tqh_last = &(elm)->field.tqe_next;			\
} while (0)

#define TAILQ_INSERT_BEFORE(listelm, elm, field) do {			\
	(elm)->field.tqe_prev = (listelm)->field.tqe_prev;		\
	(elm)->field.tqe_next = (listelm);				\
	*(listelm)->field.tqe_prev = (elm);				\
	(listelm)->field.tqe_prev = &(elm)->field.tqe_next;		\
} while (0)

#define TAILQ_REMOVE(head, elm, field) do {				\
	if ((elm)->field.tqe_next != NULL)				\
		(elm)->field.tqe_next->field.tqe_prev =			\
		    (elm)->field.tqe_prev;				\
	else								\
		(head)->tqh_last = (elm)->field.tqe_prev;		\
	*(elm)->field.tqe_prev = (elm)->field.tqe_next;			\
} while (0)

#endif
