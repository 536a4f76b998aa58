/* SPDX-License-Identifier: ISC */
/*
 * Growable byte buffers, after git's strbuf: one owner, amortised doubling,
 * a NUL kept after the last byte.
 */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "xalloc.h"

/* Initialise an empty buffer. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

/* Free a buffer's storage. */
void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Ensure room for extra bytes and the NUL. */
void
buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > (size_t)-1 - b->len - 1)
		BUG("buffer size overflow");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap < ((size_t)-1) / 2 ? cap * 2 : need;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

/* Append n bytes. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a C string. */
void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append one byte. */
void
buf_addch(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

/* Empty the buffer, keeping its storage. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Remove the first n bytes. */
void
buf_consume(struct buf *b, size_t n)
{
	if (n > b->len)
		BUG("consuming %zu of %zu bytes", n, b->len);
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	if (b->data)
		b->data[b->len] = '\0';
}

/* Give the storage away. */
char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (b->data == NULL) {
		buf_grow(b, 0);
		b->data[0] = '\0';
	}
	p = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}
