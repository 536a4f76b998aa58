# SPDX-License-Identifier: ISC
# bash completion for parx and sem, written by
# "parx --internal-completion bash" from parx's option table.

# Complete the argument $2 of the option $1 in COMPREPLY.
_parx_value()
{
	local cur=$2
	case $1 in
	--trim)
		mapfile -t COMPREPLY < <(compgen -W 'n l r lr rl' -- "$cur")
		;;
	--mode)
		mapfile -t COMPREPLY < <(compgen -W 'process thread' -- "$cur")
		;;
	--halt|--halt-on-error|--haltonerror)
		mapfile -t COMPREPLY < <(compgen -W 'never now,fail= now,success= now,done= soon,fail= soon,success= soon,done=' -- "$cur")
		[[ ${COMPREPLY[0]:-} == *= ]] && compopt -o nospace 2>/dev/null
		;;
	--arg-file|-a|--argfile|--joblog|--jl|--sshloginfile|--slf|--transferfile|--tf|--transfer-file|--transferfiles|--transfer-files|--return|--trc|--basefile|--bf|--stats-json|--events|--timeline|--plot|--compare-json|--compare-report|--report|--profile|-J)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	--results|--res|--result|--tmpdir|--tempdir)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		;;
	--ssh)
		mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
		;;
	--sshlogin|-S)
		mapfile -t COMPREPLY < <(compgen -A hostname -- "$cur")
		;;
	--env)
		mapfile -t COMPREPLY < <(compgen -e -- "$cur")
		;;
	--termseq|--term-seq)
		mapfile -t COMPREPLY < <(compgen -P "${cur%"${cur##*,}"}" -W 'HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM CONT STOP TSTP ABRT SEGV' -- "${cur##*,}")
		compopt -o nospace 2>/dev/null
		;;
	--func)
		mapfile -t COMPREPLY < <(compgen -W 'echo sleep spin gzip' -- "$cur")
		if [[ $cur == */* ]]; then
			compopt -o filenames 2>/dev/null
			mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$cur")
		fi
		;;
	esac
}

# Whether the option $1 takes the next word as its argument.
_parx_takes()
{
	case $1 in
	--arg-file|-a|--argfile|-E|--delimiter|-d|--colsep|-C|--col-sep|--header|--trim|--filter|--arg-sep|--argsep|--arg-file-sep|--argfilesep|--block|--block-size|--blocksize|--recend|--recstart|--group-by|--groupby|--func|-I|--extensionreplace|--er|--basenamereplace|--bnr|--dirnamereplace|--dnr|--basenameextensionreplace|--bner|--seqreplace|--slotreplace|--tmpl|--template|--rpl|--max-replace-args|-N|--maxreplaceargs|--max-args|-n|--maxargs|-L|--max-chars|-s|--maxchars|--tagstring|--tag-string|--ctagstring|--results|--res|--result|--tmpdir|--tempdir|--compress-program|--decompress-program|--mode|--jobs|-j|--max-procs|-P|--maxprocs|--delay|--load|--memfree|--memsuspend|--limit|--process-slot-var|--nice|--halt|--halt-on-error|--haltonerror|--timeout|--retries|--termseq|--term-seq|--joblog|--jl|--semaphore-name|--semaphorename|--id|--semaphore-timeout|--semaphoretimeout|--st|--sshlogin|-S|--sshloginfile|--slf|--sshdelay|--ssh-delay|--ssh|--env|--transferfile|--tf|--transfer-file|--transferfiles|--transfer-files|--return|--trc|--basefile|--bf|--workdir|--wd|--work-dir|--total-jobs|--total|--totaljobs|--stats-json|--events|--timeline|--plot|--runs|--compare-time|--compare-json|--compare-report|--report|--profile|-J) return 0 ;;
	esac
	return 1
}

# Whether the option $1 takes the next word when it is a number.
_parx_number_next()
{
	case $1 in
	--max-lines|-l|--maxlines) return 0 ;;
	esac
	return 1
}

_parx_options='--arg-file -a --argfile --null -0 -E --eof -e --delimiter -d --colsep -C --col-sep --csv --header --trim --link --xapply --no-run-if-empty -r --norunifempty --filter --shuf --skip-first-line --arg-sep --argsep --arg-file-sep --argfilesep --pipe --spreadstdin --pipe-part --pipepart --block --block-size --blocksize --recend --recstart --regexp --regex --round-robin --round --roundrobin --cat --fifo --tee --group-by --groupby --rrs --remove-rec-sep --removerecsep --func -I --replace -i --extensionreplace --er --basenamereplace --bnr --dirnamereplace --dnr --basenameextensionreplace --bner --seqreplace --slotreplace --tmpl --template --rpl --plus --quote -q -X -m --xargs --max-replace-args -N --maxreplaceargs --max-args -n --maxargs -L --max-lines -l --maxlines --max-chars -s --maxchars --show-limits --showlimits --max-line-length-allowed --maxlinelengthallowed --keep-order -k --keeporder --no-keep-order --nokeeporder --no-k --nok --group --line-buffer --lb --line-buffered --linebuffer --linebuffered --ungroup -u --tty --open-tty -o --tag --tagstring --tag-string --color --colour --color-failed --colour-failed --cf --ctag --ctagstring --results --res --result --files --output-as-files --outputasfiles --tmpdir --tempdir --compress --compress-program --decompress-program --verbose -t -v --silent --dry-run --dryrun --dr --mode --jobs -j --max-procs -P --maxprocs --delay --load --memfree --memsuspend --limit --process-slot-var --nice --halt --halt-on-error --haltonerror --timeout --retries --termseq --term-seq --joblog --jl --resume --resume-failed --resumefailed --retry-failed --retryfailed --semaphore --semaphore-name --semaphorename --id --fg --bg --wait --semaphore-timeout --semaphoretimeout --st --sshlogin -S --sshloginfile --slf --onall --nonall --sshdelay --ssh-delay --filter-hosts --filterhosts --filter-host --hostgroups --hgrp --hostgrp --hostgroup --ssh --env --transferfile --tf --transfer-file --transferfiles --transfer-files --transfer --return --cleanup --trc --basefile --bf --workdir --wd --work-dir --bar --eta --progress --total-jobs --total --totaljobs --stats --stats-json --events --timeline --plot --compare --runs --compare-time --compare-json --compare-report --report --help -h --help-all --version -V --number-of-cpus --number-of-sockets --numberofsockets --number-of-cores --number-of-threads --numberofcpus --numberofcores --numberofthreads --profile -J --plain --shebang --hashbang --shebang-wrap --shebangwrap --shellquote --shell-quote --gnu --will-cite --no-notice --willcite --nonotice --nn'

# The options and their values, then the command, then its
# arguments: files.
_parx()
{
	local cur=${COMP_WORDS[COMP_CWORD]} i=1 w pre
	COMPREPLY=()
	# --opt=VALUE: bash splits the word at "=", unless
	# COMP_WORDBREAKS lacks it
	if [[ $cur == = ]]; then
		_parx_value "${COMP_WORDS[COMP_CWORD-1]}" ""
		return
	fi
	if (( COMP_CWORD > 1 )) &&
	    [[ ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then
		_parx_value "${COMP_WORDS[COMP_CWORD-2]}" "$cur"
		return
	fi
	if [[ $cur == --*=* ]]; then
		pre=${cur%%=*}=
		_parx_value "${cur%%=*}" "${cur#*=}"
		COMPREPLY=("${COMPREPLY[@]/#/$pre}")
		return
	fi
	while (( i < COMP_CWORD )); do
		w=${COMP_WORDS[i]}
		if [[ $w == -- ]]; then
			(( i++ ))
			break
		elif [[ ${COMP_WORDS[i+1]:-} == = ]]; then
			(( i += 3 ))
		elif _parx_number_next "$w" &&
		    [[ ${COMP_WORDS[i+1]:-} =~ ^[0-9]*\.?[0-9]+$ ]] &&
		    (( i + 1 < COMP_CWORD )); then
			(( i += 2 ))
		elif _parx_takes "$w"; then
			if (( i + 1 == COMP_CWORD )); then
				_parx_value "$w" "$cur"
				return
			fi
			(( i += 2 ))
		elif [[ $w == -?* ]]; then
			(( i++ ))
		else
			break
		fi
	done
	if (( i < COMP_CWORD )); then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	elif [[ $cur == -* && ${COMP_WORDS[i-1]} != -- ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$_parx_options" -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
	fi
}

complete -F _parx parx sem
