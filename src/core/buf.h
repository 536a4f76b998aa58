/* SPDX-License-Identifier: ISC */
/*
 * buf: a growable byte buffer, always NUL-terminated once anything has been
 * added (data[len] == '\0'), so it can hold both C strings and binary data.
 * A buf is not thread-safe; each one has a single owner.
 */
#ifndef PARX_BUF_H
#define PARX_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_init(struct buf *);
/* Free the storage; the buf is empty and reusable afterwards. */
void	 buf_release(struct buf *);
/* Make room for at least extra more bytes (plus the terminating NUL). */
void	 buf_grow(struct buf *, size_t extra);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
void	 buf_addch(struct buf *, int);
/* Forget the contents but keep the storage. */
void	 buf_reset(struct buf *);
/* Drop the first n bytes. */
void	 buf_consume(struct buf *, size_t n);
/*
 * Hand the storage to the caller, who frees it; the buf becomes empty.
 * Never returns NULL: an empty buf yields an empty string.
 */
char	*buf_detach(struct buf *, size_t *len);

#endif
