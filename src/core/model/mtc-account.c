/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

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

/* The port the program uses: as set, or the protocol's standard port for
 * the security set when the settings leave it to the program (IANA's
 * registry: smtp 25, submissions 465, imap 143, imaps 993, pop3 110,
 * pop3s 995). */
guint16
mtc_account_server_get_port (const MtcAccountServer *server)
{
  gboolean implicit;

  g_return_val_if_fail (server != NULL, 0);
  if (server->port != 0)
    return server->port;
  implicit = server->security == MTC_ACCOUNT_SECURITY_SSL_TLS;
  switch (server->kind)
    {
    case MTC_ACCOUNT_SERVER_SMTP:
      return implicit ? 465 : 25;
    case MTC_ACCOUNT_SERVER_IMAP:
      return implicit ? 993 : 143;
    case MTC_ACCOUNT_SERVER_POP3:
    default:
      return implicit ? 995 : 110;
    }
}

/* The endpoint to probe exactly as @program is set to use @server: its
 * host and port, implicit TLS for "SSL/TLS", else the plain dialogue with
 * STARTTLS, which also shows whether a server set to "none" offers or
 * requires encryption.  NULL when the host is not a name that can be
 * looked up. */
MtcEndpoint *
mtc_account_server_to_endpoint (const MtcAccountServer *server,
                                const char             *program)
{
  static const MtcProtocol protocols[] = {
    [MTC_ACCOUNT_SERVER_SMTP] = MTC_PROTOCOL_SMTP,
    [MTC_ACCOUNT_SERVER_IMAP] = MTC_PROTOCOL_IMAP,
    [MTC_ACCOUNT_SERVER_POP3] = MTC_PROTOCOL_POP3,
  };
  g_autofree char *ascii = NULL;
  MtcEndpoint *endpoint;

  g_return_val_if_fail (server != NULL, NULL);
  if (server->host == NULL || *server->host == '\0' || (guint) server->kind >= G_N_ELEMENTS (protocols))
    return NULL;
  ascii = g_hostname_to_ascii (server->host);
  if (ascii == NULL || strpbrk (ascii, " /:@[]") != NULL)
    return NULL;
  endpoint = mtc_endpoint_new (protocols[server->kind],
                               server->security == MTC_ACCOUNT_SECURITY_SSL_TLS ? MTC_SECURITY_IMPLICIT
                                                                                : MTC_SECURITY_STARTTLS,
                               ascii, mtc_account_server_get_port (server));
  endpoint->configured_in = g_strdup (program);
  return endpoint;
}

/* Returns: (transfer full) (element-type MtcEndpoint): the account's
 * incoming and outgoing server as the program is set to use them. */
GPtrArray *
mtc_account_to_endpoints (const MtcAccount *account)
{
  GPtrArray *endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  const MtcAccountServer *servers[2];

  g_return_val_if_fail (account != NULL, endpoints);
  servers[0] = account->incoming;
  servers[1] = account->outgoing;
  for (gsize i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      MtcEndpoint *endpoint = servers[i] != NULL ? mtc_account_server_to_endpoint (servers[i], account->program)
                                                 : NULL;

      if (endpoint != NULL)
        g_ptr_array_add (endpoints, endpoint);
    }
  return endpoints;
}

/* Adds the account's servers, as its program is set to use them, to
 * @endpoints (element-type MtcEndpoint): one already there is only marked
 * as the program's (configured_in), so that nothing is probed twice. */
void
mtc_account_merge_endpoints (const MtcAccount *account,
                             GPtrArray        *endpoints)
{
  g_autoptr(GPtrArray) configured = NULL;

  g_return_if_fail (account != NULL && endpoints != NULL);
  configured = mtc_account_to_endpoints (account);
  for (guint i = 0; i < configured->len; i++)
    {
      MtcEndpoint *endpoint = g_ptr_array_index (configured, i);
      gboolean found = FALSE;

      for (guint j = 0; j < endpoints->len && !found; j++)
        {
          MtcEndpoint *known = g_ptr_array_index (endpoints, j);

          if (known->protocol == endpoint->protocol && known->security == endpoint->security
              && known->port == endpoint->port && g_ascii_strcasecmp (known->host, endpoint->host) == 0)
            {
              g_free (known->configured_in);
              known->configured_in = g_strdup (endpoint->configured_in);
              found = TRUE;
            }
        }
      if (!found)
        g_ptr_array_add (endpoints, mtc_endpoint_copy (endpoint));
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
    { "kmail", "KMail" },
    { "thunderbird", "Thunderbird" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (program, names[i].id) == 0)
      return names[i].name;
  return program;
}

/* Returns: (transfer none) (nullable): the first of @accounts (element-type
 * MtcAccount) whose e-mail address is @address, case aside. */
const MtcAccount *
mtc_account_find_address (GPtrArray  *accounts,
                          const char *address)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (accounts != NULL, NULL);
  if (address == NULL)
    return NULL;
  wanted = g_utf8_casefold (address, -1);
  for (guint i = 0; i < accounts->len; i++)
    {
      const MtcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *candidate = account->address != NULL ? g_utf8_casefold (account->address, -1) : NULL;

      if (g_strcmp0 (candidate, wanted) == 0)
        return account;
    }
  return NULL;
}
