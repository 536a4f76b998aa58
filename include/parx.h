/* SPDX-License-Identifier: ISC */
/*
 * parx.h: the former name of parx/plugin.h, kept for plugins that include
 * it from the source tree.  make install installs parx/plugin.h only.
 */
#include "parx/plugin.h"
