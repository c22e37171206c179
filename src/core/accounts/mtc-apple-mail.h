/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Apple Mail's accounts from HOME/Library/Mail/V<n>/MailData/Accounts.plist
 * (V2 of OS X 10.7–10.9, V3 of 10.10–10.11, and the later folders that keep
 * the same file): the newest folder that has the file.  Runs only when HOME
 * has Library/Mail.  Mail.app's version is read from
 * ROOT/Applications/Mail.app/Contents/Info.plist (ROOT: "/" on a Mac, a
 * fixture in the tests).  Adds MtcAccount to ACCOUNTS and one sentence per
 * file it cannot read to PROBLEMS; never copies a password. */
void mtc_apple_mail_read_with_root (const char *home,
                                    const char *root,
                                    GPtrArray  *accounts,
                                    GPtrArray  *problems);

/* The reader of mtc_accounts_find(): ROOT is "/". */
void mtc_apple_mail_read           (const char *home,
                                    GPtrArray  *accounts,
                                    GPtrArray  *problems);

G_END_DECLS
