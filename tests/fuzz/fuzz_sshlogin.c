/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for the login parser, src/remote/sshlogin.c: the -S value
 * and the lines of a --slf file, read as --dry-run reads them (nothing
 * connects).
 *
 * The input, up to its first NUL byte, is one -S value.  Properties: the
 * logins of the list (sshlogin_item_len()) cover it exactly, none running
 * over a comma or newline that is not part of ",," or "\,"; the value
 * parses or gives a one-line message; and a first login with a password,
 * "fuzzuser:SECRET@" followed by the input without blanks, never shows
 * SECRET in a message or in a host's name (unless the input holds it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "remote.h"
#include "sshlogin.h"

#define FUZZ_SECRET	"Zq9sEcReTzQ9"

/* The items of s cover it, each ending at a separator or at the end. */
static void
fuzz_items(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	size_t n;

	for (;;) {
		n = sshlogin_item_len(p, end);
		FUZZ_CHECK(p + n <= end, "'%s': an item runs past the end", s);
		FUZZ_CHECK(p + n == end || p[n] == ',' || p[n] == '\n',
		    "'%s': an item ends at '%c'", s, p[n]);
		if (p + n == end)
			break;
		p += n + 1;
	}
}

/* Check the -S value s; with secret, nothing may show it. */
static void
fuzz_check(const char *s, int secret)
{
	struct remote_opts ro;
	char *logins[1], **names, **pw = NULL, *err = NULL;
	size_t n = 0, i;

	memset(&ro, 0, sizeof(ro));
	logins[0] = (char *)s;
	ro.logins = logins;
	ro.nlogins = 1;
	names = sshlogin_names(&ro, &n, &pw, &err);
	if (names == NULL) {
		FUZZ_CHECK(err != NULL, "'%s': no names and no message", s);
		FUZZ_CHECK(strchr(err, '\n') == NULL,
		    "'%s': a message of more than one line: %s", s, err);
		FUZZ_CHECK(!secret || strstr(err, FUZZ_SECRET) == NULL,
		    "'%s': the password in a message: %s", s, err);
		free(err);
		return;
	}
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(!secret || strstr(names[i], FUZZ_SECRET) == NULL,
		    "'%s': the password in the name '%s'", s, names[i]);
		free(names[i]);
		free(pw[i]);
	}
	free(names);
	free(pw);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	char *s = strndup((const char *)data, size);
	const char *p;

	fuzz_items(s);
	fuzz_check(s, 0);
	buf_addstr(&b, "fuzzuser:" FUZZ_SECRET "@");
	for (p = s; *p; p++)
		if (*p != ' ' && *p != '\t')
			buf_addch(&b, *p);
	/* Unless the rest writes SECRET itself. */
	fuzz_check(b.data, strstr(b.data + sizeof("fuzzuser:" FUZZ_SECRET),
	    FUZZ_SECRET) == NULL);
	buf_release(&b);
	free(s);
	return 0;
}
