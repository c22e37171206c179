/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-accounts.h"
#include "mtc-apple-mail.h"

/* One reader per mail program: adds what it finds in HOME to ACCOUNTS and
 * one sentence per refused file to PROBLEMS. */
typedef void (*AccountsReader) (const char *home,
                                GPtrArray  *accounts,
                                GPtrArray  *problems);

static const AccountsReader readers[] = {
  mtc_apple_mail_read,
  NULL,
};

GPtrArray *
mtc_accounts_find (const char *home,
                   GPtrArray **problems)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_account_free);
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);

  if (home == NULL)
    home = g_get_home_dir ();

  for (gsize i = 0; i < G_N_ELEMENTS (readers); i++)
    if (readers[i] != NULL)
      readers[i] (home, accounts, sentences);

  if (problems != NULL)
    *problems = g_steal_pointer (&sentences);
  return g_steal_pointer (&accounts);
}
