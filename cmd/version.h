/* SPDX-License-Identifier: ISC */
/*
 * version: what --version prints: the version, the copyright and license,
 * then what this build of parx and this machine give it (Features: zlib,
 * perl, ssh, rsync, the plugin interface) and how it was built (Build:
 * the compiler and the hardening and sanitizers compiled in).
 */
#ifndef PARX_CMD_VERSION_H
#define PARX_CMD_VERSION_H

#include <stdio.h>

/* Write the --version text of parx version to fp. */
void	version_write(const char *version, FILE *fp);

#endif
