/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the command line (a contract, see README). */
#define MTC_EXIT_OK 0
#define MTC_EXIT_PROBLEM 1
#define MTC_EXIT_USAGE 2

int mtc_cli_run (int    argc,
                 char **argv);

G_END_DECLS
