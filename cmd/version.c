/* SPDX-License-Identifier: ISC */
/*
 * version: the text of --version.  Only what is true of this build and
 * this machine is said: a tool parx runs is named with the file $PATH
 * gives for it now, or said to be missing; the build's properties are the
 * compiler's own macros.
 */
#include "version.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "builtin.h"
#include "parx/plugin.h"
#include "sys.h"

#define VERSION_WIDTH	79		/* the longest line written */
#define VERSION_ITEMS	8

#define VERSION_STR(x)	VERSION_STR2(x)
#define VERSION_STR2(x)	#x

struct version_list {
	const char	*items[VERSION_ITEMS];
	char		*owned[VERSION_ITEMS];
	size_t		 n;
};

/* Append item, which the list frees when owned is nonzero. */
static void
version_add(struct version_list *l, const char *item, int owned)
{
	if (l->n == VERSION_ITEMS) {
		if (owned)
			free((char *)item);
		return;
	}
	l->owned[l->n] = owned ? (char *)item : NULL;
	l->items[l->n++] = item;
}

/*
 * "TOOL for USE (PATH)", or "no TOOL for USE (not in PATH)": the program
 * parx would start for it.
 */
static void
version_tool(struct version_list *l, const char *tool, const char *use)
{
	struct buf b;
	char *path;

	buf_init(&b);
	path = sys_path_find(tool);
	if (path != NULL) {
		buf_addstr(&b, tool);
		buf_addstr(&b, " for ");
		buf_addstr(&b, use);
		buf_addstr(&b, " (");
		buf_addstr(&b, path);
		buf_addstr(&b, ")");
	} else {
		buf_addstr(&b, "no ");
		buf_addstr(&b, tool);
		buf_addstr(&b, " for ");
		buf_addstr(&b, use);
		buf_addstr(&b, " (not in PATH)");
	}
	free(path);
	version_add(l, buf_detach(&b, NULL), 1);
}

/*
 * Write "label: a, b, c" wrapped at VERSION_WIDTH columns between items
 * (an item longer than a line has one to itself), continued lines
 * indented by two spaces; then free what the list owns.
 */
static void
version_print(const char *label, struct version_list *l, FILE *fp)
{
	size_t col, i, len;

	col = strlen(label);
	fputs(label, fp);
	for (i = 0; i < l->n; i++) {
		len = strlen(l->items[i]) + (i + 1 < l->n ? 1 : 0);
		if (i > 0 && col + 1 + len > VERSION_WIDTH) {
			fputs("\n ", fp);
			col = 1;
		}
		fprintf(fp, " %s%s", l->items[i], i + 1 < l->n ? "," : "");
		col += 1 + len;
		free(l->owned[i]);
	}
	fputc('\n', fp);
	l->n = 0;
}

/* The compiler, by its own version macros. */
static const char *
version_compiler(void)
{
#if defined(__clang__)
	return "clang " VERSION_STR(__clang_major__) "."
	    VERSION_STR(__clang_minor__) "." VERSION_STR(__clang_patchlevel__);
#elif defined(__GNUC__)
	return "gcc " __VERSION__;
#else
	return "an unknown C compiler";
#endif
}

/* Write the --version text. */
void
version_write(const char *version, FILE *fp)
{
	struct version_list l = { .n = 0 };
	struct buf b;
	const char *ssh;

	fprintf(fp, "parx %s\n"
	    "Copyright (c) 2026 The parx authors.\n"
	    "ISC license: free to use, copy, modify and distribute; "
	    "no warranty.\n", version);

	buf_init(&b);
	buf_addstr(&b, "zlib ");
	buf_addstr(&b, builtin_zlib_version());
	buf_addstr(&b, " for --func gzip");
	version_add(&l, buf_detach(&b, NULL), 1);
	version_tool(&l, "perl", "{= =}");
	ssh = getenv("PARALLEL_SSH");
	if (ssh != NULL && *ssh != '\0') {
		/* The command -S runs instead of ssh, a shell command line. */
		buf_init(&b);
		buf_addstr(&b, "ssh for -S ($PARALLEL_SSH: ");
		buf_addstr(&b, ssh);
		buf_addstr(&b, ")");
		version_add(&l, buf_detach(&b, NULL), 1);
	} else
		version_tool(&l, "ssh", "-S");
	version_tool(&l, "rsync", "--transfer");
	version_add(&l, "--func plugins (API " VERSION_STR(PARX_API_VERSION)
	    ")", 0);
	version_print("Features:", &l, fp);

	version_add(&l, version_compiler(), 0);
#if defined(_FORTIFY_SOURCE) && defined(__OPTIMIZE__) && _FORTIFY_SOURCE > 0
	version_add(&l, "_FORTIFY_SOURCE=" VERSION_STR(_FORTIFY_SOURCE), 0);
#endif
#if defined(__SSP_STRONG__)
	version_add(&l, "stack protector (strong)", 0);
#elif defined(__SSP_ALL__)
	version_add(&l, "stack protector (all)", 0);
#elif defined(__SSP__)
	version_add(&l, "stack protector", 0);
#endif
#if defined(__PIE__)
	version_add(&l, "PIE", 0);
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VERSION_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define VERSION_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(VERSION_ASAN)
	version_add(&l, "AddressSanitizer", 0);
#endif
#if defined(__SANITIZE_THREAD__) || defined(VERSION_TSAN)
	version_add(&l, "ThreadSanitizer", 0);
#endif
	version_print("Build:", &l, fp);
}
