/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mtc-account.h"

G_BEGIN_DECLS

/* Reads the accounts of every mail program set up in the home directory
 * HOME (NULL: this user's).  Returns the accounts found (element type
 * MtcAccount), in the order of the readers and, within one program, as
 * the program lists them.  A file that cannot be read or is broken does not
 * stop the other readers: PROBLEMS, when not NULL, receives one translated
 * sentence per such file, naming it.  Passwords and password stores are
 * never opened. */
GPtrArray *mtc_accounts_find (const char *home,
                              GPtrArray **problems);

G_END_DECLS
