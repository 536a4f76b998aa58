# SPDX-License-Identifier: ISC
# The file-wide hooks of the tests that run jobs over ssh (tests/ssh.bats,
# tests/sshlogin.bats): one sshd of tests/sshd.bash for the whole file, on
# 127.0.0.1 and 127.0.0.2, in $SSHD_DIR; when it cannot run, the reason
# is in $SSHD_DIR/skip, for the tests to skip with.

load sshd

setup_file() {
	export SSHD_DIR="$BATS_FILE_TMPDIR/sshd"
	sshd_up "$SSHD_DIR" 127.0.0.1 127.0.0.2 || true
}

teardown_file() {
	sshd_stop sshd
}
