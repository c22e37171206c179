/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-accounts-private.h"

/* Geary: one folder per account, each with geary.ini, in ~/.config/geary
 * (Geary 3.32 and later) or ~/.local/share/geary (older).  Names as Geary
 * writes them (GNOME/geary, src/client/accounts/accounts-manager.vala,
 * Accounts.Manager.SETTINGS_FILENAME, AccountConfigV1, ServiceConfigV1,
 * AccountConfigLegacy):
 * - [Account] sender_mailboxes (a list, the first is the account's
 *   address), service_provider (other, gmail, outlook);
 * - [Incoming] and [Outgoing]: host, port, transport_security, the nick of
 *   Geary.TlsNegotiationMethod (src/engine/api/geary-service-information.vala):
 *   none, start-tls, transport (TLS from the start);
 * - before version 1 ([AccountInformation]): primary_email.
 * Geary keeps the servers of Gmail and Outlook.com to itself (only "other"
 * accounts have them in the file): those accounts are listed without them.
 * Passwords are in the keyring, never in these files. */

static MtcAccountSecurity
security_from_value (const char *value)
{
  if (g_strcmp0 (value, "none") == 0)
    return MTC_ACCOUNT_SECURITY_NONE;
  if (g_strcmp0 (value, "start-tls") == 0)
    return MTC_ACCOUNT_SECURITY_STARTTLS;
  if (g_strcmp0 (value, "transport") == 0)
    return MTC_ACCOUNT_SECURITY_SSL_TLS;
  return MTC_ACCOUNT_SECURITY_UNKNOWN;
}

static MtcAccountServer *
read_server (GKeyFile            *ini,
             const char          *group,
             MtcAccountServerKind kind)
{
  g_autofree char *host = g_key_file_get_string (ini, group, "host", NULL);
  g_autofree char *security = g_key_file_get_string (ini, group, "transport_security", NULL);
  int port = g_key_file_get_integer (ini, group, "port", NULL);

  if (host == NULL || *g_strstrip (host) == '\0')
    return NULL;
  return mtc_account_server_new (kind, host, port > 0 && port <= 65535 ? (guint16) port : 0,
                                 security_from_value (security));
}

/* "Alice Example <alice@example.net>" → "alice@example.net". */
static char *
address_of_mailbox (const char *mailbox)
{
  const char *open = strrchr (mailbox, '<');
  const char *close = open ? strchr (open, '>') : NULL;

  if (open != NULL && close != NULL)
    return g_strstrip (g_strndup (open + 1, close - open - 1));
  return g_strstrip (g_strdup (mailbox));
}

static MtcAccount *
read_account (const char *path,
              GKeyFile   *ini)
{
  MtcAccount *account = mtc_account_new ("geary", path);
  g_autofree char *provider = NULL;

  if (g_key_file_has_group (ini, "Account"))
    {
      g_auto(GStrv) senders = g_key_file_get_string_list (ini, "Account", "sender_mailboxes", NULL, NULL);

      if (senders != NULL && senders[0] != NULL)
        account->address = address_of_mailbox (senders[0]);
      account->display_name = g_key_file_get_string (ini, "Account", "label", NULL);
      provider = g_key_file_get_string (ini, "Account", "service_provider", NULL);
    }
  else
    {
      account->address = g_key_file_get_string (ini, "AccountInformation", "primary_email", NULL);
      account->display_name = g_key_file_get_string (ini, "AccountInformation", "nickname", NULL);
      provider = g_key_file_get_string (ini, "AccountInformation", "service_provider", NULL);
    }
  if (account->display_name != NULL && *account->display_name == '\0')
    g_clear_pointer (&account->display_name, g_free);
  if (provider == NULL || g_ascii_strcasecmp (provider, "other") == 0)
    {
      account->incoming = read_server (ini, "Incoming", MTC_ACCOUNT_SERVER_IMAP);
      account->outgoing = read_server (ini, "Outgoing", MTC_ACCOUNT_SERVER_SMTP);
    }
  return account;
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
read_folder (const char *folder,
             GHashTable *seen,
             GPtrArray  *accounts,
             GPtrArray  *problems)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *id = names->pdata[i];
      g_autofree char *path = g_build_filename (folder, id, "geary.ini", NULL);
      g_autoptr(GKeyFile) ini = NULL;

      /* The same account in both places: the newer one is read first. */
      if (g_hash_table_contains (seen, id))
        continue;
      ini = mtc_accounts_load_key_file ("geary", path, problems);
      if (ini == NULL)
        continue;
      g_hash_table_add (seen, g_strdup (id));
      g_ptr_array_add (accounts, read_account (path, ini));
    }
}

void
mtc_accounts_read_geary (const char *home,
                         GPtrArray  *accounts,
                         GPtrArray  *problems)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *config = g_build_filename (home, ".config", "geary", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", "geary", NULL);

  read_folder (config, seen, accounts, problems);
  read_folder (data, seen, accounts, problems);
}
