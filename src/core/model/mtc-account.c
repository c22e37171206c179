/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-account.h"

G_DEFINE_BOXED_TYPE (MtcAccount, mtc_account, mtc_account_copy, mtc_account_free)

MtcAccountServer *
mtc_account_server_new (MtcAccountServerKind kind,
                        const char          *host,
                        guint16              port,
                        MtcAccountSecurity   security)
{
  MtcAccountServer *server = g_new0 (MtcAccountServer, 1);

  server->kind = kind;
  server->host = g_strdup (host);
  server->port = port;
  server->security = security;
  return server;
}

MtcAccountServer *
mtc_account_server_copy (const MtcAccountServer *server)
{
  if (server == NULL)
    return NULL;
  return mtc_account_server_new (server->kind, server->host, server->port, server->security);
}

void
mtc_account_server_free (MtcAccountServer *server)
{
  if (server == NULL)
    return;
  g_free (server->host);
  g_free (server);
}

MtcAccount *
mtc_account_new (const char *program,
                 const char *file)
{
  MtcAccount *account = g_new0 (MtcAccount, 1);

  account->program = g_strdup (program);
  account->file = g_strdup (file);
  return account;
}

MtcAccount *
mtc_account_copy (const MtcAccount *account)
{
  MtcAccount *copy;

  g_return_val_if_fail (account != NULL, NULL);

  copy = mtc_account_new (account->program, account->file);
  copy->program_version = g_strdup (account->program_version);
  copy->address = g_strdup (account->address);
  copy->display_name = g_strdup (account->display_name);
  copy->incoming = mtc_account_server_copy (account->incoming);
  copy->outgoing = mtc_account_server_copy (account->outgoing);
  copy->tls_version_min = account->tls_version_min;
  copy->tls_version_max = account->tls_version_max;
  return copy;
}

void
mtc_account_free (MtcAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->program);
  g_free (account->program_version);
  g_free (account->address);
  g_free (account->display_name);
  g_free (account->file);
  mtc_account_server_free (account->incoming);
  mtc_account_server_free (account->outgoing);
  g_free (account);
}

const char *
mtc_account_security_to_string (MtcAccountSecurity security)
{
  switch (security)
    {
    case MTC_ACCOUNT_SECURITY_NONE:
      return "none";
    case MTC_ACCOUNT_SECURITY_STARTTLS:
      return "starttls";
    case MTC_ACCOUNT_SECURITY_SSL_TLS:
      return "ssl-tls";
    case MTC_ACCOUNT_SECURITY_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
mtc_account_program_name (const char *program)
{
  /* Proper names, the same in every language. */
  static const struct { const char *id, *name; } names[] = {
    { "apple-mail", "Apple Mail" },
    { "claws-mail", "Claws Mail" },
    { "evolution", "Evolution" },
    { "geary", "Geary" },
    { "thunderbird", "Thunderbird" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (program, names[i].id) == 0)
      return names[i].name;
  return program;
}
