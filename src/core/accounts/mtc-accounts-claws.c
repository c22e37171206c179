/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-accounts-private.h"

/* Claws Mail: ~/.claws-mail/accountrc, one [Account: N] group per account.
 * Key names from Claws Mail's own table (src/prefs_account.c, basic_param,
 * ssl_param, advanced_param): account_name, address, protocol, receive_server,
 * smtp_server, set_popport / pop_port, set_imapport / imap_port,
 * set_smtpport / smtp_port, ssl_pop, ssl_imap, ssl_smtp.  protocol is
 * RecvProtocol (src/prefs_account.h: 0 POP3, 3 IMAP4, 4 NNTP, 5 local,
 * 6 none, SMTP only); ssl_* is SSLType (src/common/ssl.h: 0 SSL_NONE,
 * 1 SSL_TUNNEL, TLS from the start, 2 SSL_STARTTLS).  Booleans are written
 * as 0 and 1.  Older versions kept the password in this file (password=):
 * it is never read.  Claws Mail 4.1 moves it into passwordstorerc, in
 * plain text without a primary passphrase (seen with Debian 12's 4.1.1 on
 * the fixture): that file is never opened. */

static MtcAccountSecurity
security_from_ssl_type (GKeyFile   *rc,
                        const char *group,
                        const char *key)
{
  g_autofree char *value = g_key_file_get_value (rc, group, key, NULL);

  if (value == NULL || strcmp (value, "0") == 0)
    return MTC_ACCOUNT_SECURITY_NONE;  /* the table's default, "0" */
  if (strcmp (value, "1") == 0)
    return MTC_ACCOUNT_SECURITY_SSL_TLS;
  if (strcmp (value, "2") == 0)
    return MTC_ACCOUNT_SECURITY_STARTTLS;
  return MTC_ACCOUNT_SECURITY_UNKNOWN;
}

static gboolean
get_flag (GKeyFile   *rc,
          const char *group,
          const char *key)
{
  g_autofree char *value = g_key_file_get_value (rc, group, key, NULL);

  return value != NULL && (strcmp (value, "1") == 0 || g_ascii_strcasecmp (value, "TRUE") == 0);
}

static guint16
get_port (GKeyFile   *rc,
          const char *group,
          const char *set_key,
          const char *key)
{
  g_autofree char *value = NULL;
  guint64 port;

  if (!get_flag (rc, group, set_key))
    return 0;
  value = g_key_file_get_value (rc, group, key, NULL);
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, 65535, &port, NULL))
    return 0;
  return (guint16) port;
}

static MtcAccountServer *
read_incoming (GKeyFile   *rc,
               const char *group)
{
  g_autofree char *protocol = g_key_file_get_value (rc, group, "protocol", NULL);
  g_autofree char *host = mtc_accounts_get_text (rc, group, "receive_server");
  MtcAccountSecurity security;
  gboolean imap;
  guint16 port;

  if (host == NULL || protocol == NULL)
    return NULL;
  if (strcmp (protocol, "3") == 0)
    imap = TRUE;
  else if (strcmp (protocol, "0") == 0)
    imap = FALSE;
  else
    return NULL;  /* news, local mailboxes, SMTP only */
  security = security_from_ssl_type (rc, group, imap ? "ssl_imap" : "ssl_pop");
  port = imap ? get_port (rc, group, "set_imapport", "imap_port") : get_port (rc, group, "set_popport", "pop_port");
  /* Unset, the protocol's port: 993 / 995 with SSL_TUNNEL (src/imap.c, src/pop.c). */
  if (port == 0)
    port = security == MTC_ACCOUNT_SECURITY_SSL_TLS ? (imap ? 993 : 995) : (imap ? 143 : 110);
  return mtc_account_server_new (imap ? MTC_ACCOUNT_SERVER_IMAP : MTC_ACCOUNT_SERVER_POP3, host, port, security);
}

void
mtc_accounts_read_claws (const char *home,
                         GPtrArray  *accounts,
                         GPtrArray  *problems)
{
  g_autofree char *path = g_build_filename (home, ".claws-mail", "accountrc", NULL);
  g_autoptr(GKeyFile) rc = mtc_accounts_load_key_file ("claws-mail", path, problems);
  g_auto(GStrv) groups = NULL;

  if (rc == NULL)
    return;
  groups = g_key_file_get_groups (rc, NULL);
  for (int i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *smtp_host = NULL;
      MtcAccount *account;

      if (!g_str_has_prefix (groups[i], "Account:"))
        continue;
      account = mtc_account_new ("claws-mail", path);
      account->display_name = mtc_accounts_get_text (rc, groups[i], "account_name");
      account->address = mtc_accounts_get_text (rc, groups[i], "address");
      account->incoming = read_incoming (rc, groups[i]);
      smtp_host = mtc_accounts_get_text (rc, groups[i], "smtp_server");
      if (smtp_host != NULL)
        account->outgoing = mtc_account_server_new (MTC_ACCOUNT_SERVER_SMTP, smtp_host,
                                                    get_port (rc, groups[i], "set_smtpport", "smtp_port"),
                                                    security_from_ssl_type (rc, groups[i], "ssl_smtp"));
      if (account->incoming == NULL && account->outgoing == NULL)
        {
          mtc_account_free (account);
          continue;
        }
      g_ptr_array_add (accounts, account);
    }
}
