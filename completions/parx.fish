# SPDX-License-Identifier: ISC
# fish completion for parx and sem, written by
# "parx --internal-completion fish" from parx's option table.

# The signal names of --termseq, after the last comma.
function __parx_signals
    set -l pre (string replace -r -- '[^,]*$' '' (commandline -ct))
    for s in HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM CONT STOP TSTP ABRT SEGV
        echo $pre$s
    end
end

# Whether no command is on the line yet: only options.
function __parx_needs_command
    set -l words (commandline -opc)
    set -l skip 0
    for w in $words[2..-1]
        if test $skip = 1
            set skip 0
        else if test "$w" = --
            return 1
        else if contains -- $w --arg-file -a --argfile -E --delimiter -d --colsep -C --col-sep --header --trim --filter --arg-sep --argsep --arg-file-sep --argfilesep --block --block-size --blocksize --recend --recstart --group-by --groupby --func -I --extensionreplace --er --basenamereplace --bnr --dirnamereplace --dnr --basenameextensionreplace --bner --seqreplace --slotreplace --tmpl --template --rpl --max-replace-args -N --maxreplaceargs --max-args -n --maxargs -L --max-chars -s --maxchars --tagstring --tag-string --ctagstring --results --res --result --tmpdir --tempdir --compress-program --decompress-program --mode --jobs -j --max-procs -P --maxprocs --delay --load --memfree --memsuspend --limit --process-slot-var --nice --halt --halt-on-error --haltonerror --timeout --retries --termseq --term-seq --joblog --jl --semaphore-name --semaphorename --id --semaphore-timeout --semaphoretimeout --st --sshlogin -S --sshloginfile --slf --sshdelay --ssh-delay --ssh --env --transferfile --tf --transfer-file --transferfiles --transfer-files --return --trc --basefile --bf --workdir --wd --work-dir --total-jobs --total --totaljobs --stats-json --events --timeline --plot --runs --compare-time --compare-json --compare-report --report --profile -J
            set skip 1
        else if not string match -q -- '-?*' $w
            return 1
        end
    end
    return 0
end

complete -c parx -n __parx_needs_command -x -a '(__fish_complete_command)'
complete -c parx -s a -l arg-file -r -F -d 'read arguments from FILE (- is stdin)'
complete -c parx -l argfile -r -F -d 'read arguments from FILE (- is stdin)'
complete -c parx -s 0 -l null -d 'input items end with NUL, not newline'
complete -c parx -s E -x -d 'a record STR ends its input source'
complete -c parx -s e -l eof -d '-E STR, attached; none: no end-of-file string'
complete -c parx -s d -l delimiter -x -d 'input items end with D (\\n, \\t, \\0, \\xHH...)'
complete -c parx -s C -l colsep -x -d 'split input values into columns {1} {2}...'
complete -c parx -l col-sep -x -d 'split input values into columns {1} {2}...'
complete -c parx -l csv -d 'input records are CSV (quoted fields may hold the separator, newlines and ""), split at --colsep (default ,) into {1} {2} ...'
complete -c parx -l header -x -d 'the first value of each source names its columns: {name}'
complete -c parx -l trim -x -a 'n l r lr rl' -d 'trim blanks from the values (lr with -C)'
complete -c parx -l link -d 'pair sources instead of combining them'
complete -c parx -l xapply -d 'pair sources instead of combining them'
complete -c parx -s r -l no-run-if-empty -d 'skip input items that are only blanks'
complete -c parx -l norunifempty -d 'skip input items that are only blanks'
complete -c parx -l filter -x -d 'run only the jobs for which the perl CODE, its replacement strings filled in, is true'
complete -c parx -l shuf -d 'run the jobs in random order (reads all input)'
complete -c parx -l skip-first-line -d 'the first line of the input (of each file with --pipe-part) is not used'
complete -c parx -l arg-sep -x -d 'use S instead of ::: and ::::'
complete -c parx -l argsep -x -d 'use S instead of ::: and ::::'
complete -c parx -l arg-file-sep -x -d 'use S instead of ::: and ::::'
complete -c parx -l argfilesep -x -d 'use S instead of ::: and ::::'
complete -c parx -l pipe -d 'cut stdin into blocks, one per job\'s stdin'
complete -c parx -l spreadstdin -d 'cut stdin into blocks, one per job\'s stdin'
complete -c parx -l pipe-part -d 'cut a file (-a FILE) into blocks, not reading it'
complete -c parx -l pipepart -d 'cut a file (-a FILE) into blocks, not reading it'
complete -c parx -l block -x -d 'block size (default 1M; --pipe-part: -N blocks per job slot)'
complete -c parx -l block-size -x -d 'block size (default 1M; --pipe-part: -N blocks per job slot)'
complete -c parx -l blocksize -x -d 'block size (default 1M; --pipe-part: -N blocks per job slot)'
complete -c parx -l recend -x -d 'records end / start with STR (--regexp: regular expressions); blocks hold whole records'
complete -c parx -l recstart -x -d 'records end / start with STR (--regexp: regular expressions); blocks hold whole records'
complete -c parx -l regexp
complete -c parx -l regex
complete -c parx -l round-robin -d 'one job per slot, blocks to whichever is ready'
complete -c parx -l round -d 'one job per slot, blocks to whichever is ready'
complete -c parx -l roundrobin -d 'one job per slot, blocks to whichever is ready'
complete -c parx -l cat -d '--pipe, each block in a temporary file, {} its name'
complete -c parx -l fifo -d '--pipe, each block through a named pipe, {} its name'
complete -c parx -l tee -d '--pipe: all the input to every job, one per argument (default -j 0)'
complete -c parx -l group-by -x -d '--pipe: a record is the lines that have one value in column VAL, a number or a name; or perl code\'s value of the line, or of a column: \'COL code\' (--groupby)'
complete -c parx -l groupby -x -d '--pipe: a record is the lines that have one value in column VAL, a number or a name; or perl code\'s value of the line, or of a column: \'COL code\' (--groupby)'
complete -c parx -l rrs -d 'remove the record separators from each block (--remove-rec-sep, --removerecsep)'
complete -c parx -l remove-rec-sep -d 'remove the record separators from each block (--remove-rec-sep, --removerecsep)'
complete -c parx -l removerecsep -d 'remove the record separators from each block (--remove-rec-sep, --removerecsep)'
complete -c parx -l func -r -a 'echo sleep spin gzip' -d 'run each job as a function call inside the worker: echo, sleep, spin, gzip, or PATH.so:SYMBOL'
complete -c parx -s I -x -d 'use STR instead of {} (-i: {})'
complete -c parx -s i -l replace
complete -c parx -l extensionreplace -x -d 'rename {.} {/} {//} {/.} {#} {%}'
complete -c parx -l er -x -d 'rename {.} {/} {//} {/.} {#} {%}'
complete -c parx -l basenamereplace -x
complete -c parx -l bnr -x
complete -c parx -l dirnamereplace -x
complete -c parx -l dnr -x
complete -c parx -l basenameextensionreplace -x
complete -c parx -l bner -x
complete -c parx -l seqreplace -x -d 'rename {.} {/} {//} {/.} {#} {%}'
complete -c parx -l slotreplace -x -d 'rename {.} {/} {//} {/.} {#} {%}'
complete -c parx -l tmpl -x -d 'write FILE, its replacement strings filled in, to NAME (filled in too) before each job'
complete -c parx -l template -x -d 'write FILE, its replacement strings filled in, to NAME (filled in too) before each job'
complete -c parx -l rpl -x -d 'TAG in the command stands for {= perl =}'
complete -c parx -l plus -d 'more replacement strings: {..} {+.} {##} {0#} {:-x} {:N:M} {#re} {%re} {/re/s} {^re} {uniq}'
complete -c parx -s q -l quote -d 'quote the command\'s own words too'
complete -c parx -s X -d 'many arguments per job; repeat the word around {}'
complete -c parx -s m -d 'many arguments per job, {} gives them all'
complete -c parx -l xargs -d 'fill every command line, no spreading over jobs'
complete -c parx -s N -l max-replace-args -x -d 'N arguments per job, also as {1}..{N}'
complete -c parx -l maxreplaceargs -x -d 'N arguments per job, also as {1}..{N}'
complete -c parx -s n -l max-args -x -d 'at most N arguments per job'
complete -c parx -l maxargs -x -d 'at most N arguments per job'
complete -c parx -s L -x -d 'N input lines per job (a final blank continues)'
complete -c parx -s l -l max-lines
complete -c parx -l maxlines
complete -c parx -s s -l max-chars -x -d 'command lines of at most N bytes'
complete -c parx -l maxchars -x -d 'command lines of at most N bytes'
complete -c parx -l show-limits -d 'print the command line limits, then run'
complete -c parx -l showlimits -d 'print the command line limits, then run'
complete -c parx -l max-line-length-allowed -d 'print the longest command line, and exit'
complete -c parx -l maxlinelengthallowed -d 'print the longest command line, and exit'
complete -c parx -s k -l keep-order -d 'write output in input order'
complete -c parx -l keeporder -d 'write output in input order'
complete -c parx -l no-keep-order
complete -c parx -l nokeeporder
complete -c parx -l no-k
complete -c parx -l nok
complete -c parx -l group -d 'write each job\'s output as one block (default)'
complete -c parx -l line-buffer -d 'pass output on line by line'
complete -c parx -l lb -d 'pass output on line by line'
complete -c parx -l line-buffered -d 'pass output on line by line'
complete -c parx -l linebuffer -d 'pass output on line by line'
complete -c parx -l linebuffered -d 'pass output on line by line'
complete -c parx -s u -l ungroup -d 'let jobs write straight to stdout'
complete -c parx -l tty -d 'jobs read the terminal, in the foreground (-j1 -u unless -j or --group is given)'
complete -c parx -s o -l open-tty -d 'jobs read the terminal, in the foreground'
complete -c parx -l tag -d 'put the arguments in front of each output line'
complete -c parx -l tagstring -x -d 'put STR (with replacement strings) in front'
complete -c parx -l tag-string -x -d 'put STR (with replacement strings) in front'
complete -c parx -l color -d 'colour each job\'s output lines, a colour a job'
complete -c parx -l colour -d 'colour each job\'s output lines, a colour a job'
complete -c parx -l color-failed -d 'colour the output lines of failed jobs red'
complete -c parx -l colour-failed -d 'colour the output lines of failed jobs red'
complete -c parx -l cf -d 'colour the output lines of failed jobs red'
complete -c parx -l ctag -d '--tag or --tagstring, and --color'
complete -c parx -l ctagstring -x -d '--tag or --tagstring, and --color'
complete -c parx -l results -x -a '(__fish_complete_directories)' -d 'keep each job\'s stdout, stderr and seq in files'
complete -c parx -l res -x -a '(__fish_complete_directories)' -d 'keep each job\'s stdout, stderr and seq in files'
complete -c parx -l result -x -a '(__fish_complete_directories)' -d 'keep each job\'s stdout, stderr and seq in files'
complete -c parx -l files -d 'print the name of a file holding each job\'s stdout'
complete -c parx -l output-as-files -d 'print the name of a file holding each job\'s stdout'
complete -c parx -l outputasfiles -d 'print the name of a file holding each job\'s stdout'
complete -c parx -l tmpdir -x -a '(__fish_complete_directories)' -d 'keep buffered output in DIR'
complete -c parx -l tempdir -x -a '(__fish_complete_directories)' -d 'keep buffered output in DIR'
complete -c parx -l compress -d 'compress buffered output (zstd -1, else gzip -1)'
complete -c parx -l compress-program -x -d 'compress buffered output with PRG (implies --compress; PRG -dc reads it back)'
complete -c parx -l decompress-program -x -d 'read compressed output back with PRG'
complete -c parx -s t -l verbose -d 'print each command on stderr as it starts'
complete -c parx -s v -d 'print each command on stdout before its output (--silent turns it off)'
complete -c parx -l silent -d 'print each command on stdout before its output (--silent turns it off)'
complete -c parx -l dry-run -d 'print the commands, run nothing'
complete -c parx -l dryrun -d 'print the commands, run nothing'
complete -c parx -l dr -d 'print the commands, run nothing'
complete -c parx -l mode -x -a 'process thread' -d 'workers are processes (default) or threads'
complete -c parx -s j -l jobs -x -d 'run N jobs at once: N, 0 (max), +N, -N, N%; the value in FILE, read again when it changes'
complete -c parx -s P -l max-procs -x -d 'run N jobs at once: N, 0 (max), +N, -N, N%; the value in FILE, read again when it changes'
complete -c parx -l maxprocs -x -d 'run N jobs at once: N, 0 (max), +N, -N, N%; the value in FILE, read again when it changes'
complete -c parx -l delay -x -d 'wait SECS between job starts'
complete -c parx -l load -x -d 'start jobs only while the load average is below MAX (N, +N, -N, N% of the CPUs)'
complete -c parx -l memfree -x -d 'start jobs only while more memory than SIZE is available (K M G T: powers of 1024; k m g t: 1000)'
complete -c parx -l memsuspend -x -d 'stop (SIGSTOP) the youngest jobs while less than 2*SIZE is available; no new job below SIZE'
complete -c parx -l limit -x -d 'before each job run CMD: 0 start it, 1 not now, 2 kill the youngest job (built in: mem N, load N)'
complete -c parx -l process-slot-var -x -d 'give each job NAME=its slot - 1 (0..j-1)'
complete -c parx -l nice -x -d 'run jobs at niceness N (-20..19)'
complete -c parx -l halt -x -a 'never now,fail= now,success= now,done= soon,fail= soon,success= soon,done=' -d 'stop early: now|soon, fail|success|done=N or N% (1: soon,fail=1; 2: now,fail=1)'
complete -c parx -l halt-on-error -x -a 'never now,fail= now,success= now,done= soon,fail= soon,success= soon,done=' -d 'stop early: now|soon, fail|success|done=N or N% (1: soon,fail=1; 2: now,fail=1)'
complete -c parx -l haltonerror -x -a 'never now,fail= now,success= now,done= soon,fail= soon,success= soon,done=' -d 'stop early: now|soon, fail|success|done=N or N% (1: soon,fail=1; 2: now,fail=1)'
complete -c parx -l timeout -x -d 'kill a job after SECS, or N% of the median run time'
complete -c parx -l retries -x -d 'run a failing job up to N times in all'
complete -c parx -l termseq -x -a '(__parx_signals)' -d 'signals to stop jobs (TERM,200,TERM,100,...)'
complete -c parx -l term-seq -x -a '(__parx_signals)' -d 'signals to stop jobs (TERM,200,TERM,100,...)'
complete -c parx -l joblog -r -F -d 'log each finished job to FILE (+: append)'
complete -c parx -l jl -r -F -d 'log each finished job to FILE (+: append)'
complete -c parx -l resume -d 'skip the jobs the job log or --results has as done'
complete -c parx -l resume-failed -d 'also run again the jobs logged as failed'
complete -c parx -l resumefailed -d 'also run again the jobs logged as failed'
complete -c parx -l retry-failed -d 'run the failed commands of the job log only'
complete -c parx -l retryfailed -d 'run the failed commands of the job log only'
complete -c parx -l semaphore -d 'act as a counting semaphore, as sem does: run the command once one of -j slots (default 1) is free'
complete -c parx -l semaphore-name -x -d 'the semaphore\'s name (default: the terminal)'
complete -c parx -l semaphorename -x -d 'the semaphore\'s name (default: the terminal)'
complete -c parx -l id -x -d 'the semaphore\'s name (default: the terminal)'
complete -c parx -l fg -d 'semaphore: wait for the command and return its status, or return at once (the default)'
complete -c parx -l bg -d 'semaphore: wait for the command and return its status, or return at once (the default)'
complete -c parx -l wait -d 'semaphore: wait until every slot is free'
complete -c parx -l semaphore-timeout -x -d 'semaphore: after SECS run anyway; after -SECS give up (exit 1)'
complete -c parx -l semaphoretimeout -x -d 'semaphore: after SECS run anyway; after -SECS give up (exit 1)'
complete -c parx -l st -x -d 'semaphore: after SECS run anyway; after -SECS give up (exit 1)'
complete -c parx -s S -l sshlogin -x -a '(__fish_print_hostnames)' -d 'N jobs at a time on each host; : here'
complete -c parx -l sshloginfile -r -F -d 'hosts from FILE, read again when it changes; \'slurm\': the Slurm allocation\'s nodes and tasks'
complete -c parx -l slf -r -F -d 'hosts from FILE, read again when it changes; \'slurm\': the Slurm allocation\'s nodes and tasks'
complete -c parx -l onall -d 'run all the jobs on each host, one at a time there, -j hosts at once'
complete -c parx -l nonall -d 'run the command once on each host, no arguments'
complete -c parx -l sshdelay -x -d 'start ssh connections SECS apart (also --delay, when that is not given)'
complete -c parx -l ssh-delay -x -d 'start ssh connections SECS apart (also --delay, when that is not given)'
complete -c parx -l filter-hosts -d 'connect every host before the first job; the hosts that are down get none'
complete -c parx -l filterhosts -d 'connect every host before the first job; the hosts that are down get none'
complete -c parx -l filter-host -d 'connect every host before the first job; the hosts that are down get none'
complete -c parx -l hostgroups -d 'ARG@GROUP+GROUP runs only on hosts of a GROUP (-S @GROUP/host), as ARG'
complete -c parx -l hgrp -d 'ARG@GROUP+GROUP runs only on hosts of a GROUP (-S @GROUP/host), as ARG'
complete -c parx -l hostgrp -d 'ARG@GROUP+GROUP runs only on hosts of a GROUP (-S @GROUP/host), as ARG'
complete -c parx -l hostgroup -d 'ARG@GROUP+GROUP runs only on hosts of a GROUP (-S @GROUP/host), as ARG'
complete -c parx -l ssh -x -a '(__fish_complete_command)' -d 'the ssh command (default $PARALLEL_SSH or ssh)'
complete -c parx -l env -x -a '(set -n -x)' -d 'pass VAR to remote jobs (local jobs get the whole environment anyway)'
complete -c parx -l transferfile -r -F -d 'send FILE (a template) to the host first'
complete -c parx -l tf -r -F -d 'send FILE (a template) to the host first'
complete -c parx -l transfer-file -r -F -d 'send FILE (a template) to the host first'
complete -c parx -l transferfiles -r -F -d 'send FILE (a template) to the host first'
complete -c parx -l transfer-files -r -F -d 'send FILE (a template) to the host first'
complete -c parx -l transfer -d 'the same as --transferfile {}'
complete -c parx -l return -r -F -d 'fetch FILE (a template) from the host afterwards'
complete -c parx -l cleanup -d 'remove the sent and fetched files from the host'
complete -c parx -l trc -r -F -d '--transfer --return FILE --cleanup'
complete -c parx -l basefile -r -F -d 'send FILE to every host before its first job'
complete -c parx -l bf -r -F -d 'send FILE to every host before its first job'
complete -c parx -l workdir -x -d 'run jobs in DIR, made if missing (. this directory; ... a new one per job)'
complete -c parx -l wd -x -d 'run jobs in DIR, made if missing (. this directory; ... a new one per job)'
complete -c parx -l work-dir -x -d 'run jobs in DIR, made if missing (. this directory; ... a new one per job)'
complete -c parx -l bar -d 'show a progress line on stderr (live on a terminal, the final state otherwise)'
complete -c parx -l eta -d 'show a progress line on stderr (live on a terminal, the final state otherwise)'
complete -c parx -l progress -d 'show a progress line on stderr (live on a terminal, the final state otherwise)'
complete -c parx -l total-jobs -x -d 'the number of jobs, for the ETA and the bar'
complete -c parx -l total -x -d 'the number of jobs, for the ETA and the bar'
complete -c parx -l totaljobs -x -d 'the number of jobs, for the ETA and the bar'
complete -c parx -l stats -d 'print measurements of the run on stderr at the end'
complete -c parx -l stats-json -r -F -d 'write the same measurements as JSON'
complete -c parx -l events -r -F -d 'write one JSON line per finished job'
complete -c parx -l timeline -r -F -d 'draw the run: a row per job slot, a bar per job'
complete -c parx -l plot -r -F -d 'draw a run saved with --events, run nothing; --plot again: the runs on one time axis'
complete -c parx -l compare -d 'run the workload in both modes, alternately, until the verdict is sure; -j 1,2,4,8: at each level'
complete -c parx -l runs -x -d '--compare: exactly N runs per mode'
complete -c parx -l compare-time -x
complete -c parx -l compare-json -r -F -d '--compare: every run\'s figures, as JSON'
complete -c parx -l compare-report -r -F -d '--compare: draw both modes\' warm-up runs on one time axis (--report)'
complete -c parx -l report -r -F -d '--compare: draw both modes\' warm-up runs on one time axis (--report)'
complete -c parx -s h -l help -d 'show this help'
complete -c parx -l help-all -d 'show every option, with its other names'
complete -c parx -s V -l version -d 'show the version'
complete -c parx -l number-of-cpus -d 'print the number of CPUs parx may use'
complete -c parx -l number-of-sockets -d 'print the number of CPU sockets of the machine'
complete -c parx -l numberofsockets -d 'print the number of CPU sockets of the machine'
complete -c parx -l number-of-cores -d 'print the number of CPUs parx may use'
complete -c parx -l number-of-threads -d 'print the number of CPUs parx may use'
complete -c parx -l numberofcpus -d 'print the number of CPUs parx may use'
complete -c parx -l numberofcores -d 'print the number of CPUs parx may use'
complete -c parx -l numberofthreads -d 'print the number of CPUs parx may use'
complete -c parx -s J -l profile -r -F -d 'read options from the file NAME in $PARALLEL_HOME (or ~/.parallel), or ./NAME, /NAME; instead of the config file there; may be repeated'
complete -c parx -l plain -d 'read no config file, profile or $PARALLEL'
complete -c parx -l shebang -d 'first on a #! line: the script\'s lines are the input (#!/path/parx --shebang OPTIONS COMMAND)'
complete -c parx -l hashbang -d 'first on a #! line: the script\'s lines are the input (#!/path/parx --shebang OPTIONS COMMAND)'
complete -c parx -l shebang-wrap -d 'first on a #! line: run the script with PROGRAM once per argument (#!/path/parx --shebang-wrap OPTIONS PROGRAM)'
complete -c parx -l shebangwrap -d 'first on a #! line: run the script with PROGRAM once per argument (#!/path/parx --shebang-wrap OPTIONS PROGRAM)'
complete -c parx -l shellquote -d 'print each command shell-quoted, run nothing'
complete -c parx -l shell-quote -d 'print each command shell-quoted, run nothing'
complete -c parx -l gnu
complete -c parx -l will-cite
complete -c parx -l no-notice
complete -c parx -l willcite
complete -c parx -l nonotice
complete -c parx -l nn
complete -c sem -w parx
