/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-accounts-private.h"

/* Evolution: the sources of its registry (evolution-data-server), one key
 * file per source in ~/.config/evolution/sources/UID.source.  A mail account
 * is three sources: the account (incoming server), its identity (the
 * address) and the identity's transport (outgoing server).  Group and key
 * names as evolution-data-server 3.46 writes them (GNOME/evolution-data-
 * server, src/libedataserver/):
 * - e-source.c: [Data Source] DisplayName, Enabled, Parent;
 * - e-source-mail-account.c: [Mail Account] BackendName, IdentityUid;
 * - e-source-mail-identity.c: [Mail Identity] Address, Name;
 * - e-source-mail-submission.c: [Mail Submission] TransportUid;
 * - e-source-mail-transport.c: [Mail Transport] BackendName ("smtp");
 * - e-source-authentication.c: [Authentication] Host, Port, User;
 * - e-source-security.c: [Security] Method, the nick of
 *   CamelNetworkSecurityMethod (camel-enums.h): none, ssl-on-alternate-port
 *   (TLS from the start), starttls-on-standard-port.
 * Passwords are in the keyring, never in these files. */

static const char *
kind_of_backend (const char *backend)
{
  if (g_strcmp0 (backend, "imapx") == 0)
    return "imap";
  if (g_strcmp0 (backend, "pop") == 0)
    return "pop3";
  return NULL;
}

static MtcAccountSecurity
security_from_method (const char *method)
{
  if (g_strcmp0 (method, "none") == 0)
    return MTC_ACCOUNT_SECURITY_NONE;
  if (g_strcmp0 (method, "starttls-on-standard-port") == 0)
    return MTC_ACCOUNT_SECURITY_STARTTLS;
  if (g_strcmp0 (method, "ssl-on-alternate-port") == 0)
    return MTC_ACCOUNT_SECURITY_SSL_TLS;
  return MTC_ACCOUNT_SECURITY_UNKNOWN;
}

static MtcAccountServer *
read_server (GKeyFile            *source,
             MtcAccountServerKind kind)
{
  g_autofree char *host = g_key_file_get_string (source, "Authentication", "Host", NULL);
  g_autofree char *method = g_key_file_get_string (source, "Security", "Method", NULL);
  int port = g_key_file_get_integer (source, "Authentication", "Port", NULL);

  if (host == NULL || *g_strstrip (host) == '\0')
    return NULL;
  return mtc_account_server_new (kind, host, port > 0 && port <= 65535 ? (guint16) port : 0,
                                 security_from_method (method));
}

static gboolean
is_enabled (GKeyFile *source)
{
  g_autoptr(GError) error = NULL;
  gboolean enabled = g_key_file_get_boolean (source, "Data Source", "Enabled", &error);

  return error != NULL || enabled;
}

static GKeyFile *
lookup_source (GHashTable *sources,
               GKeyFile   *from,
               const char *group,
               const char *key)
{
  g_autofree char *uid = g_key_file_get_string (from, group, key, NULL);

  return uid != NULL ? g_hash_table_lookup (sources, uid) : NULL;
}

void
mtc_accounts_read_evolution (const char *home,
                             GPtrArray  *accounts,
                             GPtrArray  *problems)
{
  g_autofree char *folder = g_build_filename (home, ".config", "evolution", "sources", NULL);
  g_autoptr(GHashTable) sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_key_file_unref);
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) uids = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GKeyFile *source;

      if (!g_str_has_suffix (name, ".source"))
        continue;
      path = g_build_filename (folder, name, NULL);
      source = mtc_accounts_load_key_file ("evolution", path, problems);
      if (source == NULL)
        continue;
      g_hash_table_insert (sources, g_strndup (name, strlen (name) - strlen (".source")), source);
      g_hash_table_insert (paths, g_strndup (name, strlen (name) - strlen (".source")), g_steal_pointer (&path));
    }
  /* The order of the directory is no order: sort by file name. */
  uids = g_list_sort (g_hash_table_get_keys (sources), (GCompareFunc) g_strcmp0);

  for (GList *l = uids; l != NULL; l = l->next)
    {
      GKeyFile *source = g_hash_table_lookup (sources, l->data);
      g_autofree char *backend = g_key_file_get_string (source, "Mail Account", "BackendName", NULL);
      const char *kind = kind_of_backend (backend);
      GKeyFile *identity;
      GKeyFile *transport = NULL;
      MtcAccount *account;

      if (kind == NULL || !is_enabled (source))
        continue;
      account = mtc_account_new ("evolution", g_hash_table_lookup (paths, l->data));
      account->display_name = g_key_file_get_string (source, "Data Source", "DisplayName", NULL);
      account->incoming = read_server (source, strcmp (kind, "imap") == 0 ? MTC_ACCOUNT_SERVER_IMAP
                                                                          : MTC_ACCOUNT_SERVER_POP3);
      identity = lookup_source (sources, source, "Mail Account", "IdentityUid");
      if (identity != NULL)
        {
          account->address = g_key_file_get_string (identity, "Mail Identity", "Address", NULL);
          transport = lookup_source (sources, identity, "Mail Submission", "TransportUid");
        }
      if (transport != NULL)
        {
          g_autofree char *transport_backend = g_key_file_get_string (transport, "Mail Transport", "BackendName",
                                                                      NULL);

          if (g_strcmp0 (transport_backend, "smtp") == 0)
            account->outgoing = read_server (transport, MTC_ACCOUNT_SERVER_SMTP);
        }
      g_ptr_array_add (accounts, account);
    }
}
