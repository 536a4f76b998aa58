/* SPDX-License-Identifier: ISC */
/*
 * complete: the completion scripts for bash, zsh and fish, written from
 * the option table.  Each names every option (long names, aliases and
 * short letters), says which take the next word as their argument, and
 * offers for that argument what the row's complete says: words, files,
 * directories, commands, hosts, variables, signal names or the builtin
 * functions.  The words after the options are a command, then its
 * arguments (files).  A description of an option is its text in --help.
 */
#include "complete.h"

#include <getopt.h>
#include <string.h>

#include "buf.h"
#include "builtin.h"
#include "termseq.h"

/* Whether the row is no option, or one that users never type. */
static int
complete_hidden(const struct opt *tab, const struct opt *o)
{
	const struct opt *t;

	if (o->kind == OPT_TEXT || o->kind == OPT_END)
		return 1;
	t = opts_target(tab, o);
	return t->name && strncmp(t->name, "internal-", 9) == 0;
}

/* Whether the row takes the next word as its argument. */
static int
complete_takes(const struct opt *tab, const struct opt *o)
{
	return opts_has_arg(opts_target(tab, o)) == required_argument;
}

/*
 * The text of the help lines hl: what follows the option words on each
 * line ("  --tag   put the..."), and the lines that go on under it.
 */
static void
complete_help_text(const char *hl, struct buf *b)
{
	const char *line, *end, *p;
	int more;

	for (line = hl; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (strncmp(line, "  ", 2) != 0)
			continue;
		p = line + 2;
		more = *p == ' ';	/* the text of the line above goes on */
		if (!more) {
			/* the option words end at two blanks */
			while (p < end && strncmp(p, "  ", 2) != 0)
				p++;
		}
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			continue;
		if (b->len)
			buf_addstr(b, more ? " " : "; ");
		buf_add(b, p, (size_t)(end - p));
	}
}

/*
 * The description of the row t (not an alias) in b: its own help, else
 * that of the first row whose help names it.
 */
static void
complete_desc(const struct opt *tab, const struct opt *t, struct buf *b)
{
	const struct opt *o;
	char word[OPTS_NAME_MAX];

	if (t->name)
		snprintf(word, sizeof(word), "--%s", t->name);
	else
		snprintf(word, sizeof(word), "-%c", t->shrt);
	buf_reset(b);
	if (t->help) {
		complete_help_text(t->help, b);
		return;
	}
	for (o = tab; o->kind != OPT_END; o++)
		if (o->help && opts_help_names(o->help, word)) {
			complete_help_text(o->help, b);
			return;
		}
}

/* Write the names of the builtin functions, by spaces. */
static void
complete_funcs(FILE *fp)
{
	const struct builtin *f;

	for (f = builtin_table; f->name; f++)
		fprintf(fp, "%s%s", f == builtin_table ? "" : " ", f->name);
}

/* Write the signal names of --termseq, by spaces. */
static void
complete_signals(FILE *fp)
{
	const char *s;
	size_t i;

	for (i = 0; (s = termseq_name(i)) != NULL; i++)
		fprintf(fp, "%s%s", i ? " " : "", s);
}

/*
 * Write the words of row o's names, "--long" and "-s", each after sep but
 * for the first one of all (*first is set until then).
 */
static void
complete_words(const struct opt *o, int *first, const char *sep, FILE *fp)
{
	if (o->name)
		fprintf(fp, "%s--%s", *first ? "" : sep, o->name);
	*first &= o->name == NULL;
	if (o->shrt)
		fprintf(fp, "%s-%c", *first ? "" : sep, o->shrt);
	*first &= o->shrt == 0;
}

/* Which options complete_list() names. */
enum complete_which {
	COMPLETE_ALL,		/* every option not hidden */
	COMPLETE_TAKES,		/* those that take the next word */
	COMPLETE_NEXT_NUMBER	/* those that take it when it is a number */
};

/*
 * The names of the options which says, joined by sep; first is 0 when
 * sep goes before the first name too.
 */
static void
complete_list(const struct opt *tab, enum complete_which which, int first,
    const char *sep, FILE *fp)
{
	const struct opt *o;

	for (o = tab; o->kind != OPT_END; o++) {
		if (complete_hidden(tab, o) ||
		    (which == COMPLETE_TAKES && !complete_takes(tab, o)) ||
		    (which == COMPLETE_NEXT_NUMBER &&
		    !(opts_target(tab, o)->flags & OPTF_NEXT_NUMBER)))
			continue;
		complete_words(o, &first, sep, fp);
	}
}

/*
 * bash: _parx_value completes the argument of an option, _parx_takes says
 * which options take one, and _parx finds where the words stand.
 */
static void
complete_bash(const struct opt *tab, FILE *fp)
{
	const struct opt *o, *t, *a;
	enum opt_complete k;
	int first;

	fputs("# SPDX-License-Identifier: ISC\n"
	    "# bash completion for parx and sem, written by\n"
	    "# \"parx --internal-completion bash\" from parx's option table.\n"
	    "\n"
	    "# Complete the argument $2 of the option $1 in COMPREPLY.\n"
	    "_parx_value()\n"
	    "{\n"
	    "\tlocal cur=$2\n"
	    "\tcase $1 in\n", fp);
	for (k = OPTC_WORDS; k <= OPTC_FUNC; k++) {
		/* one pattern per kind (per row for words) */
		first = 1;
		for (o = tab; o->kind != OPT_END; o++) {
			if (complete_hidden(tab, o) || !complete_takes(tab, o))
				continue;
			t = opts_target(tab, o);
			if (t->complete != k)
				continue;
			if (k == OPTC_WORDS) {
				/* the row's names and its aliases' */
				if (o != t)
					continue;
				fputs("\t", fp);
				for (a = tab; a->kind != OPT_END; a++)
					if (!complete_hidden(tab, a) &&
					    opts_target(tab, a) == t)
						complete_words(a, &first, "|",
						    fp);
				first = 1;
				fprintf(fp, ")\n\t\tmapfile -t COMPREPLY < <("
				    "compgen -W '%s' -- \"$cur\")\n", t->values);
				if (strchr(t->values, '='))
					fputs("\t\t[[ ${COMPREPLY[0]:-} == *= ]] && "
					    "compopt -o nospace 2>/dev/null\n", fp);
				fputs("\t\t;;\n", fp);
				continue;
			}
			fputs(first ? "\t" : "", fp);
			complete_words(o, &first, "|", fp);
		}
		if (k == OPTC_WORDS || first)
			continue;
		fputs(")\n\t\t", fp);
		switch (k) {
		case OPTC_FILE:
			fputs("compopt -o filenames 2>/dev/null\n"
			    "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")",
			    fp);
			break;
		case OPTC_DIR:
			fputs("compopt -o filenames 2>/dev/null\n"
			    "\t\tmapfile -t COMPREPLY < <(compgen -d -- \"$cur\")",
			    fp);
			break;
		case OPTC_COMMAND:
			fputs("mapfile -t COMPREPLY < <(compgen -c -- \"$cur\" | sort -u)",
			    fp);
			break;
		case OPTC_HOST:
			fputs("mapfile -t COMPREPLY < <(compgen -A hostname -- "
			    "\"$cur\")", fp);
			break;
		case OPTC_VAR:
			fputs("mapfile -t COMPREPLY < <(compgen -e -- \"$cur\")",
			    fp);
			break;
		case OPTC_SIGNALS:
			/* after the last comma of "TERM,200,..." */
			fputs("mapfile -t COMPREPLY < <(compgen -P "
			    "\"${cur%\"${cur##*,}\"}\" -W '", fp);
			complete_signals(fp);
			fputs("' -- \"${cur##*,}\")\n"
			    "\t\tcompopt -o nospace 2>/dev/null", fp);
			break;
		case OPTC_FUNC:
			/* a builtin, or PATH.so:SYMBOL */
			fputs("mapfile -t COMPREPLY < <(compgen -W '", fp);
			complete_funcs(fp);
			fputs("' -- \"$cur\")\n"
			    "\t\tif [[ $cur == */* ]]; then\n"
			    "\t\t\tcompopt -o filenames 2>/dev/null\n"
			    "\t\t\tmapfile -t -O ${#COMPREPLY[@]} COMPREPLY < "
			    "<(compgen -f -- \"$cur\")\n"
			    "\t\tfi", fp);
			break;
		default:
			break;
		}
		fputs("\n\t\t;;\n", fp);
	}
	fputs("\tesac\n"
	    "}\n"
	    "\n"
	    "# Whether the option $1 takes the next word as its argument.\n"
	    "_parx_takes()\n"
	    "{\n"
	    "\tcase $1 in\n\t", fp);
	complete_list(tab, COMPLETE_TAKES, 1, "|", fp);
	fputs(") return 0 ;;\n"
	    "\tesac\n"
	    "\treturn 1\n"
	    "}\n"
	    "\n"
	    "# Whether the option $1 takes the next word when it is a number.\n"
	    "_parx_number_next()\n"
	    "{\n"
	    "\tcase $1 in\n\t", fp);
	complete_list(tab, COMPLETE_NEXT_NUMBER, 1, "|", fp);
	fputs(") return 0 ;;\n"
	    "\tesac\n"
	    "\treturn 1\n"
	    "}\n"
	    "\n"
	    "_parx_options='", fp);
	complete_list(tab, COMPLETE_ALL, 1, " ", fp);
	fputs("'\n"
	    "\n"
	    "# The options and their values, then the command, then its\n"
	    "# arguments: files.\n"
	    "_parx()\n"
	    "{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} i=1 w pre\n"
	    "\tCOMPREPLY=()\n"
	    "\t# --opt=VALUE: bash splits the word at \"=\", unless\n"
	    "\t# COMP_WORDBREAKS lacks it\n"
	    "\tif [[ $cur == = ]]; then\n"
	    "\t\t_parx_value \"${COMP_WORDS[COMP_CWORD-1]}\" \"\"\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\tif (( COMP_CWORD > 1 )) &&\n"
	    "\t    [[ ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then\n"
	    "\t\t_parx_value \"${COMP_WORDS[COMP_CWORD-2]}\" \"$cur\"\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\tif [[ $cur == --*=* ]]; then\n"
	    "\t\tpre=${cur%%=*}=\n"
	    "\t\t_parx_value \"${cur%%=*}\" \"${cur#*=}\"\n"
	    "\t\tCOMPREPLY=(\"${COMPREPLY[@]/#/$pre}\")\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\twhile (( i < COMP_CWORD )); do\n"
	    "\t\tw=${COMP_WORDS[i]}\n"
	    "\t\tif [[ $w == -- ]]; then\n"
	    "\t\t\t(( i++ ))\n"
	    "\t\t\tbreak\n"
	    "\t\telif [[ ${COMP_WORDS[i+1]:-} == = ]]; then\n"
	    "\t\t\t(( i += 3 ))\n"
	    "\t\telif _parx_number_next \"$w\" &&\n"
	    "\t\t    [[ ${COMP_WORDS[i+1]:-} =~ ^[0-9]*\\.?[0-9]+$ ]] &&\n"
	    "\t\t    (( i + 1 < COMP_CWORD )); then\n"
	    "\t\t\t(( i += 2 ))\n"
	    "\t\telif _parx_takes \"$w\"; then\n"
	    "\t\t\tif (( i + 1 == COMP_CWORD )); then\n"
	    "\t\t\t\t_parx_value \"$w\" \"$cur\"\n"
	    "\t\t\t\treturn\n"
	    "\t\t\tfi\n"
	    "\t\t\t(( i += 2 ))\n"
	    "\t\telif [[ $w == -?* ]]; then\n"
	    "\t\t\t(( i++ ))\n"
	    "\t\telse\n"
	    "\t\t\tbreak\n"
	    "\t\tfi\n"
	    "\tdone\n"
	    "\tif (( i < COMP_CWORD )); then\n"
	    "\t\tcompopt -o filenames 2>/dev/null\n"
	    "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
	    "\telif [[ $cur == -* && ${COMP_WORDS[i-1]} != -- ]]; then\n"
	    "\t\tmapfile -t COMPREPLY < <(compgen -W \"$_parx_options\" -- "
	    "\"$cur\")\n"
	    "\telse\n"
	    "\t\tmapfile -t COMPREPLY < <(compgen -c -- \"$cur\" | sort -u)\n"
	    "\tfi\n"
	    "}\n"
	    "\n"
	    "complete -F _parx parx sem\n", fp);
}

/* Write s for fish's single quotes. */
static void
complete_fish_quote(const char *s, FILE *fp)
{
	fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('\'', fp);
}

/* fish: one complete line a row, and two helper functions. */
static void
complete_fish(const struct opt *tab, FILE *fp)
{
	const struct opt *o, *t;
	struct buf desc;

	fputs("# SPDX-License-Identifier: ISC\n"
	    "# fish completion for parx and sem, written by\n"
	    "# \"parx --internal-completion fish\" from parx's option table.\n"
	    "\n"
	    "# The signal names of --termseq, after the last comma.\n"
	    "function __parx_signals\n"
	    "    set -l pre (string replace -r -- '[^,]*$' '' "
	    "(commandline -ct))\n"
	    "    for s in ", fp);
	complete_signals(fp);
	fputs("\n"
	    "        echo $pre$s\n"
	    "    end\n"
	    "end\n"
	    "\n"
	    "# Whether no command is on the line yet: only options.\n"
	    "function __parx_needs_command\n"
	    "    set -l words (commandline -opc)\n"
	    "    set -l skip 0\n"
	    "    for w in $words[2..-1]\n"
	    "        if test $skip = 1\n"
	    "            set skip 0\n"
	    "        else if test \"$w\" = --\n"
	    "            return 1\n"
	    "        else if contains -- $w", fp);
	complete_list(tab, COMPLETE_TAKES, 0, " ", fp);
	fputs("\n"
	    "            set skip 1\n"
	    "        else if not string match -q -- '-?*' $w\n"
	    "            return 1\n"
	    "        end\n"
	    "    end\n"
	    "    return 0\n"
	    "end\n"
	    "\n"
	    "complete -c parx -n __parx_needs_command -x -a "
	    "'(__fish_complete_command)'\n", fp);
	buf_init(&desc);
	for (o = tab; o->kind != OPT_END; o++) {
		if (complete_hidden(tab, o))
			continue;
		t = opts_target(tab, o);
		fputs("complete -c parx", fp);
		if (o->shrt)
			fprintf(fp, " -s %c", o->shrt);
		if (o->name)
			fprintf(fp, " -l %s", o->name);
		if (complete_takes(tab, o)) {
			switch (t->complete) {
			case OPTC_WORDS:
				fputs(" -x -a ", fp);
				complete_fish_quote(t->values, fp);
				break;
			case OPTC_FILE:
				fputs(" -r -F", fp);
				break;
			case OPTC_DIR:
				fputs(" -x -a '(__fish_complete_directories)'",
				    fp);
				break;
			case OPTC_COMMAND:
				fputs(" -x -a '(__fish_complete_command)'", fp);
				break;
			case OPTC_HOST:
				fputs(" -x -a '(__fish_print_hostnames)'", fp);
				break;
			case OPTC_VAR:
				fputs(" -x -a '(set -n -x)'", fp);
				break;
			case OPTC_SIGNALS:
				fputs(" -x -a '(__parx_signals)'", fp);
				break;
			case OPTC_FUNC:
				fputs(" -r -a '", fp);
				complete_funcs(fp);
				fputs("'", fp);
				break;
			default:
				fputs(" -x", fp);
				break;
			}
		}
		complete_desc(tab, t, &desc);
		if (desc.len) {
			fputs(" -d ", fp);
			complete_fish_quote(desc.data, fp);
		}
		fputc('\n', fp);
	}
	buf_release(&desc);
	fputs("complete -c sem -w parx\n", fp);
}

/* Write s for a description in _arguments, inside single quotes. */
static void
complete_zsh_quote(const char *s, FILE *fp)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", fp);
		else if (strchr("[]:\\", *s))
			fprintf(fp, "\\%c", *s);
		else
			fputc(*s, fp);
	}
}

/* zsh: one spec of _arguments a name. */
static void
complete_zsh_spec(const struct opt *t, const char *word, int takes,
    const char *desc, FILE *fp)
{
	const char *label = t->name ? t->name : "value";

	fprintf(fp, "  '%s%s[", word, takes ? (word[1] == '-' ? "=" : "+") :
	    "");
	complete_zsh_quote(desc, fp);
	fputc(']', fp);
	if (takes) {
		fprintf(fp, ":%s:", label);
		switch (t->complete) {
		case OPTC_WORDS:
			fprintf(fp, "(%s)", t->values);
			break;
		case OPTC_FILE:
			fputs("_files", fp);
			break;
		case OPTC_DIR:
			fputs("_files -/", fp);
			break;
		case OPTC_COMMAND:
			fputs("_command_names -e", fp);
			break;
		case OPTC_HOST:
			fputs("_hosts", fp);
			break;
		case OPTC_VAR:
			fputs("_parameters -g \"*export*\"", fp);
			break;
		case OPTC_SIGNALS:
			fputs("_sequence compadd - ", fp);
			complete_signals(fp);
			break;
		case OPTC_FUNC:
			fputs("_alternative \"functions\\:function\\:(", fp);
			complete_funcs(fp);
			fputs(")\" \"files\\:plugin\\:_files\"", fp);
			break;
		default:
			fputs(" ", fp);
			break;
		}
	}
	fputs("' \\\n", fp);
}

/* zsh: _arguments with every option, then the command and its words. */
static void
complete_zsh(const struct opt *tab, FILE *fp)
{
	const struct opt *o, *t;
	struct buf desc;
	char word[OPTS_NAME_MAX];

	fputs("#compdef parx sem\n"
	    "# SPDX-License-Identifier: ISC\n"
	    "# zsh completion for parx and sem, written by\n"
	    "# \"parx --internal-completion zsh\" from parx's option table.\n"
	    "\n"
	    "_arguments -S \\\n", fp);
	buf_init(&desc);
	for (o = tab; o->kind != OPT_END; o++) {
		if (complete_hidden(tab, o))
			continue;
		t = opts_target(tab, o);
		complete_desc(tab, t, &desc);
		if (o->name) {
			snprintf(word, sizeof(word), "--%s", o->name);
			complete_zsh_spec(t, word, complete_takes(tab, o),
			    desc.len ? desc.data : "", fp);
		}
		if (o->shrt) {
			snprintf(word, sizeof(word), "-%c", o->shrt);
			complete_zsh_spec(t, word, complete_takes(tab, o),
			    desc.len ? desc.data : "", fp);
		}
	}
	buf_release(&desc);
	fputs("  '(-)1:command:_command_names -e' \\\n"
	    "  '*::arguments:_normal'\n", fp);
}

/* Write the script for shell. */
int
complete_write(const struct opt *tab, const char *shell, FILE *fp)
{
	if (strcmp(shell, "bash") == 0)
		complete_bash(tab, fp);
	else if (strcmp(shell, "zsh") == 0)
		complete_zsh(tab, fp);
	else if (strcmp(shell, "fish") == 0)
		complete_fish(tab, fp);
	else
		return -1;
	return 0;
}
