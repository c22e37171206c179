/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mtc-account.h"

G_BEGIN_DECLS

/* One line for one account, in the current language: "In Thunderbird:
 * alice@example.net — receives from imap.example.net, port 993, SSL/TLS;
 * sends through smtp.example.net, port 587, STARTTLS". */
char *mtc_account_describe         (const MtcAccount *account);
/* "Version: Thunderbird 128.5.0, as its settings say.", or NULL when the
 * program's files do not say. */
char *mtc_account_describe_version (const MtcAccount *account);

/* ACCOUNTS (element type MtcAccount) and PROBLEMS (sentences, may be NULL)
 * as mtc_accounts_find() gives them: the list --accounts prints, or its
 * JSON (README, "JSON"); both end with a newline. */
char *mtc_accounts_report_to_text  (GPtrArray        *accounts,
                                    GPtrArray        *problems);
char *mtc_accounts_report_to_json  (GPtrArray        *accounts,
                                    GPtrArray        *problems);

G_END_DECLS
