/* SPDX-License-Identifier: ISC */
/*
 * The perl that evaluates {= =} expressions.  It is started once, with
 * posix_spawn (parx may have threads), runs the script below given with
 * perl -e, and talks over two pipes that it holds as descriptors 3
 * (requests) and 4 (answers); its stdin is /dev/null and its stdout and
 * stderr are parx's, so that print and warn in an expression go where
 * they would in GNU parallel.
 *
 * The protocol is text lines and length-prefixed strings (LEN\n BYTES).
 * --rpl, rewriting the template's words:
 *
 *	parx:	W NWORDS NRPL NKEEP\n  then the words, the --rpl values and
 *		the replacement strings parx keeps, each flagged A (both
 *		forms), N (plain only) or P (positional only), as strings
 *	perl:	W N\n  then the N words, with {= =} for each TAG
 *
 * compiling the expressions, once:
 *
 *	parx:	C N\n  then the N expressions as strings
 *	perl:	OK\n  or  E I LEN\n MSG (expression I does not compile)
 *
 * and per job:
 *
 *	parx:	J SEQ SLOT TOTAL NARGS\n  the NARGS values as strings
 *		EXPR ARG EXPR ARG ...\n  (ARG from 0)
 *	perl:	R SKIP\n  then for each pair  UQ LEN\n RESULT
 *		or  E I LEN\n MSG (the code died)
 *
 * several jobs at once, their answers in one write:
 *
 *	parx:	B N\n  then N J requests
 *	perl:	the N answers (up to the first E), each as it is made
 *
 * the values of expression 0 for n values of $_, none of them a job's
 * (--group-by):
 *
 *	parx:	K N LEN\n  then LEN bytes: the N values, which hold no
 *		newline, joined with newlines
 *	perl:	K N\n  then the N results as strings, or  E 0 LEN\n MSG
 *
 * and --filter, after a job's J:
 *
 *	parx:	F LEN\n CODE
 *	perl:	T KEEP LEN\n MSG (MSG empty unless the code died)
 *
 * MSG is perl's message made one line.  Values and results are bytes:
 * a result perl holds as characters is sent UTF-8 encoded.
 */
#include "perl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arg.h"
#include "buf.h"
#include "msg.h"
#include "spawn.h"
#include "sys.h"
#include "tmpl.h"
#include "xalloc.h"

extern char **environ;

/*
 * The helper.  The expressions are compiled by a sub declared before any
 * lexical of the script, so that they see none of them; the script's own
 * state lives in package Parx, the functions expressions may call in
 * main (as GNU parallel offers them).  For --rpl, rpl_word() cuts a word
 * into pieces: text, and protected pieces (a {= =}, one a TAG became, or
 * one of parx's own replacement strings) that later TAGs must not touch.
 */
static const char perl_script[] =
"sub parx_compile {\n"
"  eval('no strict; no warnings; sub { my $job = shift; '\n"
"    . $_[0] . \"\\n}\") }\n"
"sub parx_filter {\n"
"  eval(\"package main; use strict; no warnings;\\n#line 1 --filter\\n\"\n"
"    . $_[0] . \"\\n;\") }\n"
"package Parx; use strict; no warnings; use sort \"stable\";\n"
"our ($seq, $slot, $total, $skip, $uq) = (0, 0, 0, 0, 0);\n"
"our @subs;\n"
"open(our $IN, '<&=', 3) or exit 1;\n"
"open(our $OUT, '>&=', 4) or exit 1;\n"
"binmode $IN; binmode $OUT; select((select($OUT), $| = 1)[0]);\n"
"sub rd { my $n = shift; my $s = '';\n"
"  while (length($s) < $n) {\n"
"    read($IN, $s, $n - length($s), length($s)) or exit 0; }\n"
"  return $s; }\n"
"sub ln { my $l = readline($IN); exit 0 unless defined $l;\n"
"  chomp $l; $l }\n"
"sub strs { map { rd(ln()) } 1 .. $_[0] }\n"
"sub put { join '', map { length($_) . \"\\n\" . $_ } @_ }\n"
"sub oneline { my $m = shift; $m =~ s/, <\\$IN> (line|chunk) \\d+//g;\n"
"  $m =~ s/\\s+\\z//; $m =~ s/\\s*\\n\\s*/ /g; $m }\n"
"sub fail { my ($i, $m) = @_; $m = oneline($m);\n"
"  print $OUT \"E $i \", length($m), \"\\n\", $m; exit 0; }\n"
"sub compile { my @e = strs($_[0]);\n"
"  for my $i (0 .. $#e) {\n"
"    my $s = main::parx_compile($e[$i]);\n"
"    fail($i, $@) unless $s; push @subs, $s; }\n"
"  print $OUT \"OK\\n\"; }\n"
"sub rpl_code { my ($code, $pos, @g) = @_;\n"
"  $code =~ s/\\$\\$(\\d+)/\\$parx_grp$1/g;\n"
"  my $set = join '', map {\n"
"    \"\\$parx_grp$_ = \\\"\" . main::pQ($g[$_ - 1]) . \"\\\";\" } 1 .. @g;\n"
"  return defined $pos ? \"{=$pos $set$code=}\" : \"{= $set$code =}\"; }\n"
"sub rpl_apply { my ($pieces, $re, $code, $positional) = @_; my @out;\n"
"  for my $p (@$pieces) {\n"
"    if ($p->[1]) { push @out, $p; next; }\n"
"    my ($t, $last) = ($p->[0], 0);\n"
"    while ($t =~ /$re/g) {\n"
"      my ($s, $e) = ($-[0], $+[0]);\n"
"      my @g = map { defined $-[$_] ?\n"
"        substr($t, $-[$_], $+[$_] - $-[$_]) : '' } 1 .. $#+;\n"
"      my $pos = $positional ? shift @g : undef;\n"
"      push @out, [substr($t, $last, $s - $last), 0] if $s > $last;\n"
"      push @out, [defined $code ? rpl_code($code, $pos, @g) :\n"
"        substr($t, $s, $e - $s), 1];\n"
"      $last = $e; last if $e == $s; }\n"
"    push @out, [substr($t, $last), 0] if $last < length $t; }\n"
"  return \\@out; }\n"
"sub rpl_word { my ($word, @all) = @_; my $i = 0;\n"
"  my $pieces = [map { [$_, $i++ % 2] }\n"
"    split /(\\{=(?:(?!\\{=|=\\}).)*?=\\})/s, $word];\n"
"  for my $e (@all) {\n"
"    my ($tag, $code, $forms) = @$e;\n"
"    my ($pre, $grp, $post) = $tag =~ /^([^(]*)(\\(.*\\))?([^)]*)\\z/s ?\n"
"      ($1, $2 // '', $3) : ($tag, '', '');\n"
"    $pieces = rpl_apply($pieces, qr/\\Q$pre\\E$grp\\Q$post\\E/s,\n"
"      $code, 0) if $forms ne 'P';\n"
"    next if $forms eq 'N' or $pre !~ s/^\\{//;\n"
"    $pieces = rpl_apply($pieces,\n"
"      qr/\\{(-?\\d+)\\s*\\Q$pre\\E$grp\\Q$post\\E/s, $code, 1); }\n"
"  return join '', map { $_->[0] } @$pieces; }\n"
"sub rewrite { my ($nw, $nr, $nk) = @_;\n"
"  my @w = strs($nw); my @r = map { [split / /, $_, 2] } strs($nr);\n"
"  my %user = map { $_->[0] => 1 } @r;\n"
"  my @k = grep { !$user{$_->[0]} }\n"
"    map { [substr($_, 1), undef, substr($_, 0, 1)] } strs($nk);\n"
"  $_->[1] = '' for grep { !defined $_->[1] } @r; $_->[2] = 'A' for @r;\n"
"  my @all = sort { length($b->[0]) <=> length($a->[0]) } @r, @k;\n"
"  my @out = map { rpl_word($_, @all) } @w;\n"
"  print $OUT \"W \", scalar(@out), \"\\n\", put(@out); }\n"
"sub job { my ($q, $s, $t, $na) = @_;\n"
"  ($seq, $slot, $total) = ($q, $s, $t);\n"
"  @main::arg = (undef, strs($na));\n"
"  my @r = split / /, ln(); my $out = ''; $skip = 0;\n"
"  my $job = bless {}, 'Parx::Job';\n"
"  for (my $i = 0; $i < @r; $i += 2) {\n"
"    local $_ = $main::arg[$r[$i + 1] + 1]; $uq = 0;\n"
"    eval { $subs[$r[$i]]->($job); 1 } or fail($r[$i], $@);\n"
"    my $v = defined $_ ? $_ : ''; utf8::encode($v) if utf8::is_utf8($v);\n"
"    $out .= \"$uq \" . length($v) . \"\\n\" . $v; }\n"
"  print $OUT \"R $skip\\n\", $out; }\n"
"sub values { my @v = split /\\n/, rd($_[1]), -1; my $s = $subs[0];\n"
"  my $out = ''; exit 1 unless @v == $_[0];\n"
"  eval { for (@v) { $s->(undef); $_ = '' unless defined;\n"
"    utf8::encode($_) if utf8::is_utf8($_);\n"
"    $out .= length($_) . \"\\n\" . $_; } 1 } or fail(0, $@);\n"
"  print $OUT 'K ', scalar(@v), \"\\n\", $out; }\n"
"sub batch { for (1 .. $_[0]) { my ($c, @f) = split / /, ln();\n"
"  exit 1 unless $c eq 'J'; job(@f); } }\n"
"sub filter { my $code = rd($_[0]); local $_ = $main::arg[1];\n"
"  my $r = main::parx_filter($code); my $m = $@ ? oneline($@) : '';\n"
"  print $OUT 'T ', ($r && !$m ? 1 : 0), ' ', length($m), \"\\n\", $m; }\n"
"package Parx::Job;\n"
"sub seq { $Parx::seq } sub slot { $Parx::slot }\n"
"sub skip { $Parx::skip = 1 }\n"
"package main;\n"
"sub seq() { $Parx::seq } sub slot() { $Parx::slot }\n"
"sub skip() { $Parx::skip = 1 } sub uq() { $Parx::uq = 1 }\n"
"sub total_jobs() { $Parx::total }\n"
"sub Q($) { my $s = shift; $s = '' unless defined $s; $s =~ s/\\0.*//s;\n"
"  return \"''\" if $s eq '';\n"
"  return $s unless $s =~ m{[^A-Za-z0-9_./+-]};\n"
"  $s =~ s/'/'\"'\"'/g; $s = \"'$s'\"; $s =~ s/^''//; $s =~ s/''\\z//; $s }\n"
"sub pQ($) { my $s = shift; $s =~ s/([\\\\\\$\\@\"])/\\\\$1/g;\n"
"  $s =~ s/\\n/\\\\n/g; $s =~ s/\\0/\\\\0/g; $s }\n"
"for (;;) {\n"
"  my ($c, @f) = split / /, Parx::ln();\n"
"  if ($c eq 'J') { Parx::job(@f) } elsif ($c eq 'C') { Parx::compile(@f) }\n"
"  elsif ($c eq 'W') { Parx::rewrite(@f) }\n"
"  elsif ($c eq 'F') { Parx::filter(@f) }\n"
"  elsif ($c eq 'B') { Parx::batch(@f) }\n"
"  elsif ($c eq 'K') { Parx::values(@f) } else { exit 1 } }\n";

struct perl {
	pid_t		 pid;
	int		 wfd;		/* requests, to perl's fd 3 */
	int		 rfd;		/* answers, from perl's fd 4 */
	int		 dead;
	int		 interrupted;	/* Ctrl-C while perl was busy */
	const struct sys_stop *stop;
	char		*why;		/* once dead: what happened */
	char *const	*exprs;
	const char *const *names;	/* or NULL */
	size_t		 nexprs;
	struct buf	 req;
	size_t		 batch;		/* jobs in req (perl_batch_add()) */
	struct buf	 in;		/* the answer read so far */
	size_t		 pos;		/* parsed up to here in in */
	size_t		*offs;		/* where each result starts in in */
	size_t		 noffs;
};

/* Move fd to a descriptor above 4, close-on-exec; -1 on failure. */
static int
perl_high_fd(int fd)
{
	int nfd;

	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return nfd;
}

/* Start perl with its pipes.  Returns 0, or -1 with errno. */
static int
perl_spawn(struct perl *p)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *argv[] = { "perl", "-e", (char *)perl_script, NULL };
	int to[2], from[2], err;

	if (sys_pipe(to) == -1)
		return -1;
	if (sys_pipe(from) == -1) {
		err = errno;
		close(to[0]);
		close(to[1]);
		errno = err;
		return -1;
	}
	/* Above 4, a dup2 onto 3 or 4 can never be a no-op. */
	to[0] = perl_high_fd(to[0]);
	from[1] = perl_high_fd(from[1]);
	p->wfd = to[1];
	p->rfd = from[0];
	if (to[0] == -1 || from[1] == -1) {
		err = errno;
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, to[0], 3);
	posix_spawn_file_actions_adddup2(&fa, from[1], 4);
	/* Its own group: Ctrl-C is parx's to handle; EOF on 3 ends it. */
	spawn_attr_init(&attr);
	err = posix_spawnp(&p->pid, "perl", &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		p->pid = -1;
out:
	if (to[0] != -1)
		close(to[0]);
	if (from[1] != -1)
		close(from[1]);
	errno = err;
	return err ? -1 : 0;
}

/* Close the requests' pipe and reap perl; its wait status, or -1. */
static int
perl_reap(struct perl *p)
{
	int st = -1;

	if (p->wfd != -1)
		close(p->wfd);
	p->wfd = -1;
	/* Code that never ends would never read its end of input. */
	if (p->interrupted && p->pid > 0)
		kill(p->pid, SIGKILL);
	while (p->pid > 0 && waitpid(p->pid, &st, 0) == -1) {
		if (errno != EINTR) {
			st = -1;
			break;
		}
	}
	p->pid = -1;
	return st;
}

/*
 * perl is gone, broke the protocol or reported an error (why, which is
 * taken, or NULL to say how perl ended): remember it for good.
 */
static int
perl_die(struct perl *p, char *why, char **err)
{
	char msg[128];
	int st;

	if (!p->dead) {
		p->dead = 1;
		st = perl_reap(p);
		snprintf(msg, sizeof(msg), "the perl for {= =} ended");
		if (p->interrupted)
			snprintf(msg, sizeof(msg), "interrupted while perl "
			    "ran {= =} code");
		else if (st != -1 && WIFSIGNALED(st))
			snprintf(msg, sizeof(msg), "the perl for {= =} was "
			    "killed by signal %d", WTERMSIG(st));
		else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st))
			snprintf(msg, sizeof(msg), "the perl for {= =} "
			    "exited with status %d", WEXITSTATUS(st));
		p->why = why ? why : xstrdup(msg);
	} else
		free(why);
	*err = xstrdup(p->why);
	return -1;
}

/* Read more of the answer; -1 at EOF or on error. */
static int
perl_read(struct perl *p)
{
	ssize_t n;

	buf_grow(&p->in, 65536);
	if (p->stop && sys_wait_readable(p->rfd, p->stop) == -1) {
		if (errno == EINTR)
			p->interrupted = 1;
		return -1;
	}
	for (;;) {
		n = read(p->rfd, p->in.data + p->in.len,
		    p->in.cap - p->in.len - 1);
		if (n > 0) {
			p->in.len += (size_t)n;
			p->in.data[p->in.len] = '\0';
			return 0;
		}
		if (n == 0 || errno != EINTR)
			return -1;
	}
}

/* The next line of the answer, without its newline; NULL if perl is gone. */
static char *
perl_line(struct perl *p)
{
	char *nl, *line;

	while (p->in.len == p->pos || (nl = memchr(p->in.data + p->pos,
	    '\n', p->in.len - p->pos)) == NULL) {
		if (perl_read(p) == -1)
			return NULL;
	}
	/* The buf may move while reading: hand out the line only now. */
	*nl = '\0';
	line = p->in.data + p->pos;
	p->pos = (size_t)(nl - p->in.data) + 1;
	return line;
}

/* Skip n bytes of the answer; return their offset, or -1. */
static long long
perl_bytes(struct perl *p, size_t n)
{
	size_t off = p->pos;

	while (p->in.len - p->pos < n) {
		if (perl_read(p) == -1)
			return -1;
	}
	p->pos += n;
	return (long long)off;
}

/* Begin an answer: forget the last one. */
static void
perl_begin(struct perl *p)
{
	buf_reset(&p->in);
	p->pos = 0;
}

/*
 * An "E I LEN" line has come (its text after "E "): *err becomes the
 * message, naming expression I.
 */
static int
perl_error(struct perl *p, const char *rest, char **err)
{
	struct buf b = BUF_INIT;
	unsigned long i;
	size_t len;
	long long off;
	char *end;

	i = strtoul(rest, &end, 10);
	len = strtoul(end, NULL, 10);
	if (i >= p->nexprs || (off = perl_bytes(p, len)) == -1)
		return perl_die(p, NULL, err);
	/* Shown as it was written, give or take blanks. */
	if (p->names != NULL && p->names[i] != NULL) {
		buf_addstr(&b, "cannot use ");
		buf_addstr(&b, p->names[i]);
		buf_addstr(&b, ": ");
	} else {
		buf_addstr(&b, "cannot use {= ");
		buf_addstr(&b, p->exprs[i]);
		while (b.len > 0 && strchr(" \t\n", b.data[b.len - 1]))
			b.len--;
		buf_addstr(&b, " =}: ");
	}
	buf_add(&b, p->in.data + off, len);
	return perl_die(p, buf_detach(&b, NULL), err);
}

/* Append a number and a byte to the request. */
static void
perl_add_num(struct buf *b, unsigned long long v, int end)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu%c", v, end);
	buf_addstr(b, num);
}

/* Append a length-prefixed string to the request. */
static void
perl_add_str(struct buf *b, const char *s, size_t len)
{
	perl_add_num(b, len, '\n');
	buf_add(b, s, len);
}

/* Send the request; -1 when perl is gone. */
static int
perl_send(struct perl *p, char **err)
{
	if (sys_write_all(p->wfd, p->req.data, p->req.len, NULL) == -1)
		return perl_die(p, NULL, err);
	return 0;
}

/*
 * Send the request and read the answer's first line; NULL with *err when
 * perl is gone or reported an error ("E I LEN").
 */
static const char *
perl_ask(struct perl *p, char **err)
{
	const char *line;

	perl_begin(p);
	if (perl_send(p, err) == -1)
		return NULL;
	if ((line = perl_line(p)) == NULL) {
		perl_die(p, NULL, err);
		return NULL;
	}
	if (strncmp(line, "E ", 2) == 0) {
		perl_error(p, line + 2, err);
		return NULL;
	}
	return line;
}

/* Start perl. */
struct perl *
perl_new(const char *what, const struct sys_stop *stop, char **err)
{
	struct perl *p = xcalloc(1, sizeof(*p));
	char msg[256];

	p->stop = stop;
	p->pid = -1;
	p->wfd = p->rfd = -1;
	buf_init(&p->req);
	buf_init(&p->in);
	if (perl_spawn(p) == -1) {
		snprintf(msg, sizeof(msg), "cannot run perl for %s: %s", what,
		    strerror(errno));
		*err = xstrdup(msg);
		perl_free(p);
		return NULL;
	}
	return p;
}

/* Append n strings to the request. */
static void
perl_add_strs(struct buf *b, char *const *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		perl_add_str(b, s[i], strlen(s[i]));
}

/* Compile the expressions. */
int
perl_compile(struct perl *p, char *const *exprs, const char *const *names,
    size_t n, char **err)
{
	const char *line;

	if (p->dead)
		return perl_die(p, NULL, err);
	p->exprs = exprs;
	p->names = names;
	p->nexprs = n;
	buf_reset(&p->req);
	buf_addstr(&p->req, "C ");
	perl_add_num(&p->req, n, '\n');
	perl_add_strs(&p->req, exprs, n);
	if ((line = perl_ask(p, err)) == NULL)
		return -1;
	if (strcmp(line, "OK") != 0)
		return perl_die(p, NULL, err);
	return 0;
}

/* Rewrite the words with the --rpl strings. */
int
perl_rewrite(struct perl *p, char *const *words, size_t n,
    char *const *rpl, size_t nrpl, char *const *keep, size_t nkeep,
    char ***out, char **err)
{
	const char *line;
	char **w;
	long long off;
	size_t i, len;

	if (p->dead)
		return perl_die(p, NULL, err);
	buf_reset(&p->req);
	buf_addstr(&p->req, "W ");
	perl_add_num(&p->req, n, ' ');
	perl_add_num(&p->req, nrpl, ' ');
	perl_add_num(&p->req, nkeep, '\n');
	perl_add_strs(&p->req, words, n);
	perl_add_strs(&p->req, rpl, nrpl);
	perl_add_strs(&p->req, keep, nkeep);
	perl_begin(p);
	if (perl_send(p, err) == -1)
		return -1;
	if ((line = perl_line(p)) == NULL || strncmp(line, "W ", 2) != 0 ||
	    strtoul(line + 2, NULL, 10) != n)
		return perl_die(p, NULL, err);
	w = xcalloc(n + 1, sizeof(*w));
	for (i = 0; i < n; i++) {
		if ((line = perl_line(p)) == NULL)
			break;
		len = strtoul(line, NULL, 10);
		if ((off = perl_bytes(p, len)) == -1)
			break;
		w[i] = xmemdupz(p->in.data + off, len);
	}
	if (i < n) {
		perl_free_words(w, n);
		return perl_die(p, NULL, err);
	}
	*out = w;
	return 0;
}

/* Free what perl_rewrite() gave. */
void
perl_free_words(char **w, size_t n)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* Stop perl. */
void
perl_free(struct perl *p)
{
	if (p == NULL)
		return;
	perl_reap(p);
	if (p->rfd != -1)
		close(p->rfd);
	free(p->why);
	free(p->offs);
	buf_release(&p->req);
	buf_release(&p->in);
	free(p);
}

/* Append one job's request. */
static void
perl_request(struct perl *p, const struct perl_job *pj,
    const struct perl_req *reqs, size_t n)
{
	size_t i;

	buf_addstr(&p->req, "J ");
	perl_add_num(&p->req, pj->seq, ' ');
	perl_add_num(&p->req, pj->slot, ' ');
	perl_add_num(&p->req, pj->total, ' ');
	perl_add_num(&p->req, pj->nargs, '\n');
	for (i = 0; i < pj->nargs; i++)
		perl_add_str(&p->req, pj->args[i].s, pj->args[i].len);
	for (i = 0; i < n; i++) {
		perl_add_num(&p->req, reqs[i].expr, ' ');
		perl_add_num(&p->req, reqs[i].arg, i + 1 < n ? ' ' : '\n');
	}
	if (n == 0)
		buf_addch(&p->req, '\n');
}

/*
 * Read one job's answer, of n results, into vals (pointing into the
 * answer, valid until the next read) and *skip.
 */
static int
perl_answer(struct perl *p, size_t n, struct tmpl_val *vals, int *skip,
    char **err)
{
	const char *line;
	char *end;
	long long off;
	size_t i;

	if ((line = perl_line(p)) == NULL)
		return perl_die(p, NULL, err);
	if (strncmp(line, "E ", 2) == 0)
		return perl_error(p, line + 2, err);
	if (strncmp(line, "R ", 2) != 0)
		return perl_die(p, NULL, err);
	*skip = line[2] == '1';
	if (n > p->noffs) {
		p->offs = xreallocarray(p->offs, n, sizeof(*p->offs));
		p->noffs = n;
	}
	for (i = 0; i < n; i++) {
		if ((line = perl_line(p)) == NULL)
			return perl_die(p, NULL, err);
		vals[i].raw = line[0] == '1';
		vals[i].len = strtoul(line + 1, &end, 10);
		if ((off = perl_bytes(p, vals[i].len)) == -1)
			return perl_die(p, NULL, err);
		p->offs[i] = (size_t)off;
	}
	/* Only now that the answer is whole does the buf stay put. */
	for (i = 0; i < n; i++)
		vals[i].s = p->in.data + p->offs[i];
	return 0;
}

/* Evaluate one job's expressions. */
int
perl_eval(struct perl *p, const struct perl_job *pj,
    const struct perl_req *reqs, size_t n, struct tmpl_val *vals,
    int *skip, char **err)
{
	if (p->dead)
		return perl_die(p, NULL, err);
	buf_reset(&p->req);
	perl_request(p, pj, reqs, n);
	perl_begin(p);
	if (perl_send(p, err) == -1)
		return -1;
	return perl_answer(p, n, vals, skip, err);
}

/* Start a batch of jobs. */
void
perl_batch_begin(struct perl *p)
{
	buf_reset(&p->req);
	p->batch = 0;
}

/* Add a job to the batch. */
void
perl_batch_add(struct perl *p, const struct perl_job *pj,
    const struct perl_req *reqs, size_t n)
{
	perl_request(p, pj, reqs, n);
	p->batch++;
}

/* The size of the batch's request so far. */
size_t
perl_batch_size(const struct perl *p)
{
	return p->req.len;
}

/* Send the batch, and take its answers one by one. */
int
perl_batch_eval(struct perl *p, const size_t *nreq,
    perl_answer_fn *fn, void *ctx, char **err)
{
	struct buf head = BUF_INIT;
	struct tmpl_val *vals = NULL;
	size_t i, cap = 0;
	int skip, rc = 0;

	if (p->dead)
		return perl_die(p, NULL, err);
	/* The "B N" line goes in front of the requests. */
	buf_addstr(&head, "B ");
	perl_add_num(&head, p->batch, '\n');
	buf_add(&head, p->req.data, p->req.len);
	buf_release(&p->req);
	p->req = head;
	perl_begin(p);
	if (perl_send(p, err) == -1)
		return -1;
	for (i = 0; i < p->batch; i++) {
		if (nreq[i] > cap) {
			cap = nreq[i];
			vals = xreallocarray(vals, cap, sizeof(*vals));
		}
		if ((rc = perl_answer(p, nreq[i], vals, &skip, err)) == -1)
			break;
		fn(ctx, i, skip, vals, nreq[i]);
	}
	free(vals);
	return rc;
}

/* Run --filter's code. */
int
perl_filter(struct perl *p, const char *code, size_t len, int *keep,
    char **why, char **err)
{
	const char *line;
	char *end;
	long long off;
	size_t n;

	*why = NULL;
	if (p->dead)
		return perl_die(p, NULL, err);
	buf_reset(&p->req);
	buf_addstr(&p->req, "F ");
	perl_add_str(&p->req, code, len);
	perl_begin(p);
	if (perl_send(p, err) == -1)
		return -1;
	if ((line = perl_line(p)) == NULL || strncmp(line, "T ", 2) != 0)
		return perl_die(p, NULL, err);
	*keep = line[2] == '1';
	n = strtoul(line + 3, &end, 10);
	if ((off = perl_bytes(p, n)) == -1)
		return perl_die(p, NULL, err);
	if (n > 0)
		*why = xmemdupz(p->in.data + off, n);
	return 0;
}

/* Make expression 0's values of n values of $_. */
int
perl_values(struct perl *p, const struct arg *in, size_t n,
    perl_answer_fn *fn, void *ctx, char **err)
{
	struct tmpl_val v;
	const char *line;
	long long off;
	size_t i, len;

	if (n == 0)
		return 0;
	if (p->dead)
		return perl_die(p, NULL, err);
	for (i = 0, len = n - 1; i < n; i++) {
		if (memchr(in[i].s, '\n', in[i].len) != NULL)
			BUG("perl_values: a value with a newline");
		len += in[i].len;
	}
	buf_reset(&p->req);
	buf_addstr(&p->req, "K ");
	perl_add_num(&p->req, n, ' ');
	perl_add_num(&p->req, len, '\n');
	for (i = 0; i < n; i++) {
		buf_add(&p->req, in[i].s, in[i].len);
		if (i + 1 < n)
			buf_addch(&p->req, '\n');
	}
	if ((line = perl_ask(p, err)) == NULL)
		return -1;
	if (strncmp(line, "K ", 2) != 0 || strtoul(line + 2, NULL, 10) != n)
		return perl_die(p, NULL, err);
	for (i = 0; i < n; i++) {
		if ((line = perl_line(p)) == NULL)
			return perl_die(p, NULL, err);
		v.len = strtoul(line, NULL, 10);
		v.raw = 0;
		if ((off = perl_bytes(p, v.len)) == -1)
			return perl_die(p, NULL, err);
		v.s = p->in.data + off;
		fn(ctx, i, 0, &v, 1);
	}
	return 0;
}
