/* SPDX-License-Identifier: ISC */
/*
 * profile: the words that GNU parallel users keep outside the command
 * line, read as GNU parallel reads them: the lines of a file
 * ($PARALLEL_HOME/config, or the profiles that -J names) and the value of
 * $PARALLEL, each split into words as Perl's Text::ParseWords splits a
 * shell line.  Which files to read, and what the words mean, is for the
 * caller.  Not thread-safe: one owner per struct profile.
 */
#ifndef PARX_PROFILE_H
#define PARX_PROFILE_H

#include <stddef.h>

struct profile {
	char	**words;	/* the words in order, owned */
	char	**from;		/* where each came from ("FILE:LINE",
				   "$PARALLEL"): points into labels */
	size_t	  n;
	char	**labels;	/* one a line or text, owned */
	size_t	  nlabels;
};

void	profile_init(struct profile *);
/* Free the words and the labels; the profile is empty again. */
void	profile_release(struct profile *);

/*
 * Split the len bytes at s into words and append them to p, each marked
 * as coming from label (copied).  Blanks (space, tab, newline, CR, FF, VT)
 * part words; a backslash keeps the next byte as it is; "..." keeps what
 * it holds, a backslash in it keeping the next byte; '...' keeps what it
 * holds, backslashes too (but \' does not end it); pieces next to each
 * other make one word, and "" or '' an empty one.  Nothing is expanded: $,
 * ~, * and # are bytes like others.  Returns the number of words, or -1
 * with *why set (an unterminated quote, a backslash at the end, a NUL
 * byte), p unchanged.
 */
long	profile_add_text(struct profile *p, const char *s, size_t len,
	    const char *label, const char **why);

/*
 * Append the words of the file at path, line by line: a line whose first
 * byte after blanks is '#' is a comment, a blank line has no words.
 * Returns 0; or -1 with errno set when the file cannot be read (*why is
 * then NULL); or -1 with errno EINVAL, *why and *line (from 1) when a line
 * does not split.  The words of the lines before stay in p.
 */
int	profile_add_file(struct profile *p, const char *path,
	    const char **why, size_t *line);

/*
 * The file of the profile name, allocated: name itself when it starts
 * with "/" or "./", else name in the directory of parx's files:
 * $PARALLEL_HOME when set and not empty, else $HOME/.parallel.  Returns
 * NULL with errno ENOENT when neither variable gives a directory.
 */
char	*profile_path(const char *name);

#endif
