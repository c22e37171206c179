/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mtc-account.h"

G_BEGIN_DECLS

/* What the readers share (mtc-accounts.c).  Each reader is one file,
 * mtc-accounts-PROGRAM.c, with one function in the table of mtc-accounts.c. */

/* The largest settings file a reader opens; prefs.js is the largest by far. */
#define MTC_ACCOUNTS_MAX_FILE_SIZE (16 * 1024 * 1024)

/* Reads the regular file PATH whole, at most MAX_SIZE bytes, without
 * blocking on a FIFO or following more symbolic links than the system
 * allows.  FALSE and a translated ERROR (G_FILE_ERROR_NOENT when it is not
 * there) otherwise. */
gboolean mtc_accounts_read_file   (const char  *path,
                                   gsize        max_size,
                                   char       **contents,
                                   gsize       *length,
                                   GError     **error);

/* Reads PATH, a settings file of PROGRAM (its knowledge-base id), as a key
 * file (GKeyFile) through mtc_accounts_read_file.  NULL when it is not
 * there, and NULL with a sentence added to PROBLEMS when it cannot be read;
 * PROBLEMS may be NULL for a file whose absence or damage does not matter. */
GKeyFile *mtc_accounts_load_key_file (const char *program,
                                      const char *path,
                                      GPtrArray  *problems);

/* The value of KEY in GROUP as written, blanks around it removed; NULL when
 * it is absent or empty. */
char     *mtc_accounts_get_text   (GKeyFile   *key_file,
                                   const char *group,
                                   const char *key);

/* Adds to PROBLEMS the sentence that PROGRAM's (its name) settings file
 * PATH could not be read, because of REASON. */
void     mtc_accounts_add_problem (GPtrArray   *problems,
                                   const char  *program,
                                   const char  *path,
                                   const char  *reason);

void mtc_accounts_read_thunderbird (const char *home, GPtrArray *accounts, GPtrArray *problems);
void mtc_accounts_read_evolution   (const char *home, GPtrArray *accounts, GPtrArray *problems);
void mtc_accounts_read_geary       (const char *home, GPtrArray *accounts, GPtrArray *problems);
void mtc_accounts_read_claws       (const char *home, GPtrArray *accounts, GPtrArray *problems);
void mtc_accounts_read_kmail       (const char *home, GPtrArray *accounts, GPtrArray *problems);

G_END_DECLS
