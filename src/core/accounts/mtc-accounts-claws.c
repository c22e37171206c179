/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-accounts-private.h"

/* Claws Mail: ~/.claws-mail/accountrc, one [Account: N] group per account.
 * Key names from Claws Mail's own table (src/prefs_account.c, basic_param,
 * ssl_param, advanced_param): account_name, address, protocol, receive_server,
 * smtp_server, set_popport / pop_port, set_imapport / imap_port,
 * set_smtpport / smtp_port, ssl_pop, ssl_imap, ssl_smtp.  protocol is
 * RecvProtocol, whose numbers changed with the configuration version
 * (src/prefs_migration.c, _update_config_account, case 0): in version 0,
 * 0 POP3, 1 APOP (POP3), 2 RPOP, 3 IMAP4, 4 NNTP, 5 local, 6 none (SMTP
 * only), as in Claws Mail 3.7 (src/prefs_account.h); from version 1 on,
 * 0 POP3, 1 IMAP4, 2 NNTP, 3 local, 4 none, as in Debian 12's 4.1.1
 * (/usr/include/claws-mail/prefs_account.h of libclaws-mail-dev).  The
 * version is the account's config_version, or, where that is -1 or
 * missing, clawsrc's [Common] config_version (prefs_update_config_version_
 * accounts).  Without clawsrc (the program never ended normally), an
 * account that says config_version=-1 was written by a Claws Mail that
 * knows versions, as its own setup wizard writes it (4.1.1): the new
 * numbers; one without the key is from before them: version 0.
 * ssl_* is SSLType (src/common/ssl.h: 0 SSL_NONE,
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

static gint64
parse_version (const char *value)
{
  g_autofree char *copy = value != NULL ? g_strstrip (g_strdup (value)) : NULL;
  gint64 version;

  if (copy == NULL || !g_ascii_string_to_signed (copy, 10, -1, 1000, &version, NULL))
    return -1;
  return version;
}

/* An account's configuration version as written, or -1. */
static gint64
get_version (GKeyFile   *rc,
             const char *group)
{
  g_autofree char *value = g_key_file_get_value (rc, group, "config_version", NULL);

  return parse_version (value);
}

/* clawsrc's [Common] config_version, or -1. Only that line is looked at:
 * the rest of the file is not the accounts' business. */
static gint64
get_common_version (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  gboolean common = FALSE;

  if (!mtc_accounts_read_file (path, MTC_ACCOUNTS_MAX_FILE_SIZE, &contents, &length, NULL)
      || memchr (contents, '\0', length) != NULL)
    return -1;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchomp (lines[i]);

      if (line[0] == '[')
        common = strcmp (line, "[Common]") == 0;
      else if (common && g_str_has_prefix (line, "config_version="))
        return parse_version (line + strlen ("config_version="));
    }
  return -1;
}

static MtcAccountServer *
read_incoming (GKeyFile   *rc,
               const char *group,
               gint64      common_version)
{
  g_autofree char *protocol = g_key_file_get_value (rc, group, "protocol", NULL);
  g_autofree char *host = mtc_accounts_get_text (rc, group, "receive_server");
  gint64 version = get_version (rc, group);
  MtcAccountSecurity security;
  gboolean imap;
  guint16 port;

  if (host == NULL || protocol == NULL)
    return NULL;
  if (version < 0 && common_version >= 0)
    version = common_version;
  else if (version < 0)
    version = g_key_file_has_key (rc, group, "config_version", NULL) ? 1 : 0;
  g_strstrip (protocol);
  if (strcmp (protocol, version == 0 ? "3" : "1") == 0)
    imap = TRUE;
  else if (strcmp (protocol, "0") == 0 || (version == 0 && strcmp (protocol, "1") == 0))
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
  g_autofree char *common_path = g_build_filename (home, ".claws-mail", "clawsrc", NULL);
  g_autoptr(GKeyFile) rc = mtc_accounts_load_key_file ("claws-mail", path, problems);
  g_auto(GStrv) groups = NULL;
  gint64 common_version;

  if (rc == NULL)
    return;
  common_version = get_common_version (common_path);
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
      account->incoming = read_incoming (rc, groups[i], common_version);
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
