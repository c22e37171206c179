/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-accounts-private.h"
#include "mtc-prefs-js.h"

/* Thunderbird (and Betterbird, which keeps Thunderbird's files): the
 * profiles in profiles.ini, each profile's prefs.js and compatibility.ini.
 * Never logins.json, key4.db or signons*: the passwords stay where they are.
 *
 * The pref names, checked in Thunderbird's source (mozilla/releases-comm-
 * central) for 78 ESR and for the current ESR (115 / 128 and later):
 * - mail.accountmanager.accounts, mail.account.<a>.server and .identities:
 *   mailnews/base/src/nsMsgAccountManager.cpp, nsMsgAccount.cpp.
 * - mail.server.<s>.hostname, .port, .socketType, .type, .name:
 *   mailnews/base/src/nsMsgIncomingServer.cpp; socketType is
 *   nsMsgSocketType (mailnews/base/public/MailNewsTypes2.idl: 0 plain,
 *   1 "try STARTTLS", obsolete, 2 STARTTLS, 3 SSL/TLS); unset, it is
 *   mail.server.default.socketType, 0 (mailnews/mailnews.js).
 * - mail.identity.<i>.useremail, .fullName, .smtpServer (the outgoing
 *   server's key): mailnews/base/src/nsMsgIdentity.cpp (NS_IMPL_IDPREF_STR
 *   (SmtpServerKey, "smtpServer")); without one, mail.smtp.defaultserver.
 * - The outgoing server: 78 ESR reads mail.smtpserver.<k>.hostname, .port
 *   and .try_ssl (a socket type as above) in mailnews/compose/src/
 *   nsSmtpServer.cpp.  Recent versions renamed the outgoing servers
 *   (nsISmtpServer became nsIMsgOutgoingServer, mailnews/compose/src/
 *   OutgoingServerService.sys.mjs and SmtpServer.sys.mjs) but kept the pref
 *   branch mail.smtpserver.<k>. and try_ssl (unset: mail.smtpserver.default.
 *   try_ssl, 0), and added mail.smtpserver.<k>.type ("smtp"; unset on older
 *   profiles, which the service then takes for SMTP).  Another type (such as
 *   "ews", Exchange) is no SMTP server and is not read.
 * - security.tls.version.min / .max: the TLS versions NSS may use, 1 TLS 1.0
 *   … 4 TLS 1.3 (the numbering of MtcAccount's tls_version_min / _max).
 * - compatibility.ini [Compatibility] LastVersion=115.3.1_20231001175000/…:
 *   the version that last used the profile (toolkit/xre/nsAppRunner.cpp). */

/* Where profiles.ini is, below the home directory. */
static const char *const profile_roots[] = {
  ".thunderbird",
  ".mozilla-thunderbird",
  "snap/thunderbird/common/.thunderbird",
  ".var/app/org.mozilla.Thunderbird/.thunderbird",
  ".var/app/net.thunderbird.Thunderbird/.thunderbird",
  ".var/app/eu.betterbird.Betterbird/.thunderbird",
};

/* Incoming servers that are not mail accounts of a provider. */
static gboolean
is_mail_server_type (const char *type)
{
  return g_strcmp0 (type, "imap") == 0 || g_strcmp0 (type, "pop3") == 0;
}

static char *
pref_name (const char *prefix,
           const char *key,
           const char *field)
{
  return g_strconcat (prefix, key, ".", field, NULL);
}

static const char *
get_string (GHashTable *prefs,
            const char *prefix,
            const char *key,
            const char *field)
{
  g_autofree char *name = pref_name (prefix, key, field);

  return mtc_prefs_js_get_string (prefs, name);
}

static gint64
get_int (GHashTable *prefs,
         const char *prefix,
         const char *key,
         const char *field,
         gint64      fallback)
{
  g_autofree char *name = pref_name (prefix, key, field);
  gint64 value;

  return mtc_prefs_js_get_int (prefs, name, &value) ? value : fallback;
}

static MtcAccountSecurity
security_from_socket_type (gint64 socket_type)
{
  switch (socket_type)
    {
    case 0:
      return MTC_ACCOUNT_SECURITY_NONE;
    case 2:
      return MTC_ACCOUNT_SECURITY_STARTTLS;
    case 3:
      return MTC_ACCOUNT_SECURITY_SSL_TLS;
    default:  /* 1, "try STARTTLS", which recent versions turn into 2 */
      return MTC_ACCOUNT_SECURITY_UNKNOWN;
    }
}

static guint16
port_or_zero (gint64 port)
{
  return port > 0 && port <= 65535 ? (guint16) port : 0;
}

static MtcAccountServer *
read_incoming (GHashTable *prefs,
               const char *key)
{
  const char *type = get_string (prefs, "mail.server.", key, "type");
  const char *host = get_string (prefs, "mail.server.", key, "hostname");
  gint64 fallback = 0;
  MtcAccountSecurity security;
  guint16 port;
  gboolean imap;

  if (!is_mail_server_type (type) || host == NULL || *host == '\0')
    return NULL;
  imap = strcmp (type, "imap") == 0;
  mtc_prefs_js_get_int (prefs, "mail.server.default.socketType", &fallback);
  security = security_from_socket_type (get_int (prefs, "mail.server.", key, "socketType", fallback));
  port = port_or_zero (get_int (prefs, "mail.server.", key, "port", 0));
  /* Unset, the port is the protocol's own: nsImapIncomingServer and
   * nsPop3IncomingServer's default ports, 993 / 995 over SSL/TLS. */
  if (port == 0)
    port = security == MTC_ACCOUNT_SECURITY_SSL_TLS ? (imap ? 993 : 995) : (imap ? 143 : 110);
  return mtc_account_server_new (imap ? MTC_ACCOUNT_SERVER_IMAP : MTC_ACCOUNT_SERVER_POP3, host, port, security);
}

static MtcAccountServer *
read_outgoing (GHashTable *prefs,
               const char *key)
{
  const char *type;
  const char *host;
  gint64 fallback = 0;

  if (key == NULL || *key == '\0')
    key = mtc_prefs_js_get_string (prefs, "mail.smtp.defaultserver");
  if (key == NULL || *key == '\0')
    return NULL;
  type = get_string (prefs, "mail.smtpserver.", key, "type");
  host = get_string (prefs, "mail.smtpserver.", key, "hostname");
  if ((type != NULL && strcmp (type, "smtp") != 0) || host == NULL || *host == '\0')
    return NULL;
  mtc_prefs_js_get_int (prefs, "mail.smtpserver.default.try_ssl", &fallback);
  return mtc_account_server_new (MTC_ACCOUNT_SERVER_SMTP, host,
                                 port_or_zero (get_int (prefs, "mail.smtpserver.", key, "port", 0)),
                                 security_from_socket_type (get_int (prefs, "mail.smtpserver.", key, "try_ssl",
                                                                     fallback)));
}

static guint
tls_limit (GHashTable *prefs,
           const char *name)
{
  gint64 value;

  return mtc_prefs_js_get_int (prefs, name, &value) && value >= 1 && value <= 4 ? (guint) value : 0;
}

/* "115.3.1_20231001175000/20231001175000" → "115.3.1"; NULL when absent. */
static char *
read_version (const char *profile)
{
  g_autofree char *path = g_build_filename (profile, "compatibility.ini", NULL);
  g_autoptr(GKeyFile) ini = mtc_accounts_load_key_file ("thunderbird", path, NULL);
  g_autofree char *last = NULL;
  gsize n;

  if (ini == NULL)
    return NULL;
  last = g_key_file_get_string (ini, "Compatibility", "LastVersion", NULL);
  if (last == NULL)
    return NULL;
  n = strspn (last, "0123456789.abesr");
  if (n == 0 || !g_ascii_isdigit (last[0]))
    return NULL;
  return g_strndup (last, MIN (n, 32));
}

static void
read_profile (const char *profile,
              GPtrArray  *accounts,
              GPtrArray  *problems)
{
  g_autofree char *path = g_build_filename (profile, "prefs.js", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GHashTable) prefs = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) account_keys = NULL;
  gsize length = 0;

  if (!mtc_accounts_read_file (path, MTC_PREFS_JS_MAX_SIZE, &contents, &length, &error)
      || (prefs = mtc_prefs_js_parse (contents, length, &error)) == NULL)
    {
      /* A profile that was never started has no prefs.js yet. */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        mtc_accounts_add_problem (problems, "thunderbird", path, error->message);
      return;
    }
  version = read_version (profile);
  account_keys = g_strsplit (mtc_prefs_js_get_string (prefs, "mail.accountmanager.accounts") ?: "", ",", -1);
  for (int i = 0; account_keys[i] != NULL; i++)
    {
      g_autofree char *key = g_strstrip (g_strdup (account_keys[i]));
      g_auto(GStrv) identities = NULL;
      const char *server_key = get_string (prefs, "mail.account.", key, "server");
      const char *identity = NULL;
      MtcAccountServer *incoming;
      MtcAccount *account;

      if (*key == '\0' || server_key == NULL)
        continue;
      /* Local Folders, news, feeds: no mail account of a provider. */
      incoming = read_incoming (prefs, server_key);
      if (incoming == NULL)
        continue;
      identities = g_strsplit (get_string (prefs, "mail.account.", key, "identities") ?: "", ",", 2);
      if (identities[0] != NULL && *g_strstrip (identities[0]) != '\0')
        identity = identities[0];

      account = mtc_account_new ("thunderbird", path);
      account->program_version = g_strdup (version);
      account->incoming = incoming;
      account->display_name = g_strdup (get_string (prefs, "mail.server.", server_key, "name"));
      if (identity != NULL)
        {
          account->address = g_strdup (get_string (prefs, "mail.identity.", identity, "useremail"));
          account->outgoing = read_outgoing (prefs, get_string (prefs, "mail.identity.", identity, "smtpServer"));
        }
      account->tls_version_min = tls_limit (prefs, "security.tls.version.min");
      account->tls_version_max = tls_limit (prefs, "security.tls.version.max");
      g_ptr_array_add (accounts, account);
    }
}

/* The profile folders profiles.ini in ROOT lists, absolute, each once. */
static void
read_profiles_ini (const char *root,
                   GPtrArray  *profiles,
                   GPtrArray  *problems)
{
  g_autofree char *path = g_build_filename (root, "profiles.ini", NULL);
  g_autoptr(GKeyFile) ini = mtc_accounts_load_key_file ("thunderbird", path, problems);
  g_auto(GStrv) groups = NULL;

  if (ini == NULL)
    return;
  groups = g_key_file_get_groups (ini, NULL);
  for (int i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *profile_path = NULL;
      g_autofree char *profile = NULL;

      if (!g_str_has_prefix (groups[i], "Profile"))
        continue;
      profile_path = g_key_file_get_string (ini, groups[i], "Path", NULL);
      if (profile_path == NULL || *profile_path == '\0')
        continue;
      /* IsRelative=1 (the usual): below ROOT; 0: an absolute path. */
      if (g_key_file_get_integer (ini, groups[i], "IsRelative", NULL) != 0 || !g_path_is_absolute (profile_path))
        profile = g_build_filename (root, profile_path, NULL);
      else
        profile = g_strdup (profile_path);
      if (!g_ptr_array_find_with_equal_func (profiles, profile, g_str_equal, NULL))
        g_ptr_array_add (profiles, g_steal_pointer (&profile));
    }
}

void
mtc_accounts_read_thunderbird (const char *home,
                               GPtrArray  *accounts,
                               GPtrArray  *problems)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < G_N_ELEMENTS (profile_roots); i++)
    {
      g_autofree char *root = g_build_filename (home, profile_roots[i], NULL);

      read_profiles_ini (root, profiles, problems);
    }
  for (guint i = 0; i < profiles->len; i++)
    read_profile (profiles->pdata[i], accounts, problems);
}
