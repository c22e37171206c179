/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-accounts-private.h"

/* KMail (KDE): three kinds of KConfig files in ~/.config, each named and
 * laid out as KDE's own sources say (github.com/KDE, read at kdepim-runtime
 * e6bf0536, kmailtransport 62c92ea7, kidentitymanagement aabd6264, akonadi
 * 0e419252, kconfig c21442bc, kmail 485bb3b6, all of August 2026, and the
 * history of each file named):
 *
 * - Incoming: one Akonadi resource per account, its settings in
 *   ~/.config/<instance>rc (akonadi, src/agentbase: the agent's application
 *   name is its instance id, its settings KSharedConfig::openConfig(), and
 *   removing the agent removes that file), so akonadi_imap_resource_<N>rc and
 *   akonadi_pop3_resource_<N>rc.
 *   IMAP (kdepim-runtime, resources/imap/imapresource.kcfg, settings.cpp
 *   loadAccount): [network] ImapServer (passed whole to the connection, so a
 *   "host:port" of KDE SC 4.4 is no host), ImapPort (default 993), Safety
 *   ("SSL", the default: TLS from the start; "STARTTLS"; anything else,
 *   written "None": no encryption), OverrideEncryption (SSLV2, SSLV3, TLSV1,
 *   SSL, STARTTLS, UNENCRYPTED, replacing Safety), name; [cache]
 *   UseDefaultIdentity (default true), AccountIdentity (an identity's uoid).
 *   POP3 (resources/pop3/settings.kcfg, pop3protocol.cpp): [General] host,
 *   port (default 110, also with useSSL), login, useSSL (TLS from the start),
 *   useTLS (STLS), name.
 * - Outgoing: ~/.config/mailtransports (kmailtransport, src/mailtransport.kcfg,
 *   transportmanager.cpp, plugins/smtp/smtpjob.cpp): [Transport <id>] id,
 *   name, identifier (default "SMTP"; before 17.08 an enum "type": SMTP,
 *   Sendmail, Akonadi), host, port, user, encryption (None, SSL: TLS from
 *   the start, TLS: STARTTLS; KConfig also reads 0, 1, 2); [General]
 *   default-transport (an id, or a migrated name; none valid: the first).
 * - Identities: ~/.config/emailidentities (kidentitymanagement,
 *   src/core/identity.h, identitymanager.cpp): [Identity #N] uoid, Identity
 *   (its name), "Email Address", Transport (a transport id; empty or unknown:
 *   the default transport, kmail src/editor/kmcomposerwin.cpp with
 *   TransportManager::transportById (id, true)); [General] "Default Identity"
 *   (a uoid; none valid: the first group, which KConfig lists sorted).
 *
 * KConfig leaves out every value equal to the default of the version that
 * wrote it (kconfig, src/core/kcoreconfigskeleton.cpp, writeConfig:
 * revertToDefault), so a missing key means the default of the version that
 * reads it.  The IMAP and POP3 defaults have not changed since KDE SC 4.5;
 * the transport's have: port 25 and no encryption up to KDE Gear 24.02
 * (kmailtransport 6.0), port 587 and SSL/TLS from 24.05 (commit ab467256,
 * library 6.1) and port 465 from 25.12 (commit 79d3da0f, library 6.6).
 * Which one applies is read from the name of the kmailtransport library on
 * this computer (libKPim6MailTransport.so.6.MINOR.PATCH, SOVERSION 6 and
 * VERSION the PIM version; libKF5/KPim5MailTransport.so.5: older); without
 * it the port and the security stay unknown, never guessed.  The
 * environment variable MTC_KMAIL_LIBRARY_DIRS (folders separated by ":")
 * replaces the folders searched, for the tests.
 *
 * Which address an incoming account belongs to: an Akonadi resource has no
 * address of its own.  An IMAP resource names its identity (AccountIdentity,
 * unless UseDefaultIdentity), as its settings dialog writes it; a POP3
 * resource names none, so we take the identity whose address is its login,
 * else the default identity, which KMail itself uses for mail without one.
 * That identity's transport is the account's outgoing server.
 *
 * KDE 4's folders (~/.kde/share/config, ~/.kde4/share/config) hold the same
 * files; they are read only when ~/.config has none of KMail's, since KDE's
 * migration copied them there, and their transports have the old defaults.
 *
 * GKeyFile reads these files; what KConfig knows beyond it (immutable
 * groups "[G][$i]", nested groups, keys before the first group) none of the
 * three libraries writes into a user's file.  Passwords: "password" in
 * mailtransports (obscured, where no keyring was found), "unitTestPassword"
 * of the POP3 resource and an old "Password" are never read; KWallet is
 * never opened.  KMail's version is in none of these files: it stays
 * unknown. */

typedef struct {
  guint16 port;                  /* 0: not known */
  MtcAccountSecurity security;   /* UNKNOWN: not known */
} TransportDefaults;

/* A transport or an identity: each starts with its id, as text. */
typedef struct {
  char *id;
} Item;

typedef struct {
  char *id;
  char *name;
  MtcAccountServer *server;
} Transport;

typedef struct {
  char *id;                      /* the identity's uoid */
  char *address;
  char *transport;
} Identity;

static void
transport_free (Transport *transport)
{
  g_free (transport->id);
  g_free (transport->name);
  g_clear_pointer (&transport->server, mtc_account_server_free);
  g_free (transport);
}

static void
identity_free (Identity *identity)
{
  g_free (identity->id);
  g_free (identity->address);
  g_free (identity->transport);
  g_free (identity);
}

/* KConfig's boolean: true, on, yes, 1 and their opposites, any case;
 * anything else is the default. */
static gboolean
get_bool (GKeyFile   *rc,
          const char *group,
          const char *key,
          gboolean    fallback)
{
  static const char *const yes[] = { "true", "on", "yes", "1" };
  static const char *const no[] = { "false", "off", "no", "0" };
  g_autofree char *value = mtc_accounts_get_text (rc, group, key);

  for (gsize i = 0; value != NULL && i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (value, yes[i]) == 0)
        return TRUE;
      if (g_ascii_strcasecmp (value, no[i]) == 0)
        return FALSE;
    }
  return fallback;
}

/* A port as written, FALLBACK when the key is absent or no number (KConfig
 * then reads the default), 0 when it is no port. */
static guint16
get_port (GKeyFile   *rc,
          const char *group,
          const char *key,
          guint16     fallback)
{
  g_autofree char *value = mtc_accounts_get_text (rc, group, key);
  char *end = NULL;
  gint64 port;

  if (value == NULL)
    return fallback;
  port = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0')
    return fallback;
  return port > 0 && port <= 65535 ? (guint16) port : 0;
}

static gpointer
find_item (GPtrArray  *items,
           const char *id)
{
  for (guint i = 0; id != NULL && i < items->len; i++)
    if (g_strcmp0 (((Item *) items->pdata[i])->id, id) == 0)
      return items->pdata[i];
  return NULL;
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The groups whose names start with PREFIX, sorted as KConfig lists them. */
static GPtrArray *
groups_with_prefix (GKeyFile   *rc,
                    const char *prefix)
{
  g_auto(GStrv) groups = g_key_file_get_groups (rc, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], prefix) && groups[i][strlen (prefix)] != '\0')
      g_ptr_array_add (found, g_strdup (groups[i]));
  g_ptr_array_sort (found, compare_names);
  return found;
}

/* ------------------------------------------------------------ transports */

/* The kmailtransport library's minor version, from its file name in FOLDER:
 * 6.MINOR for KPim6, -1 for an older one (KF5, KPim5), -2 for none. */
static int
library_minor_in (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  int minor = -2;

  if (dir == NULL)
    return minor;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "libKPim6MailTransport.so.6."))
        {
          const char *digits = name + strlen ("libKPim6MailTransport.so.6.");
          char *end = NULL;
          guint64 value = g_ascii_strtoull (digits, &end, 10);

          if (end != digits && (*end == '.' || *end == '\0') && value < 1000)
            minor = MAX (minor, (int) value);
        }
      else if (g_str_has_prefix (name, "libKPim5MailTransport.so.5")
               || g_str_has_prefix (name, "libKF5MailTransport.so.5"))
        minor = MAX (minor, -1);
    }
  return minor;
}

static int
library_minor (void)
{
  const char *fixed = g_getenv ("MTC_KMAIL_LIBRARY_DIRS");
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  int minor = -2;

  if (fixed != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (fixed, ":", -1);

      for (int i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_ptr_array_add (folders, g_strdup (parts[i]));
    }
  else
    {
      g_autoptr(GDir) lib = g_dir_open ("/usr/lib", 0, NULL);
      const char *name;

      g_ptr_array_add (folders, g_strdup ("/usr/lib"));
      g_ptr_array_add (folders, g_strdup ("/usr/lib64"));
      g_ptr_array_add (folders, g_strdup ("/usr/local/lib"));
      /* Debian's multiarch folders: /usr/lib/x86_64-linux-gnu and the like. */
      while (lib != NULL && (name = g_dir_read_name (lib)) != NULL)
        if (strstr (name, "-linux-") != NULL)
          g_ptr_array_add (folders, g_build_filename ("/usr/lib", name, NULL));
    }
  for (guint i = 0; i < folders->len; i++)
    minor = MAX (minor, library_minor_in (folders->pdata[i]));
  return minor;
}

static TransportDefaults
transport_defaults (gboolean kde4)
{
  TransportDefaults defaults = { 0, MTC_ACCOUNT_SECURITY_UNKNOWN };
  int minor = kde4 ? -1 : library_minor ();

  if (minor == -1 || minor == 0)
    {
      defaults.port = 25;
      defaults.security = MTC_ACCOUNT_SECURITY_NONE;
    }
  else if (minor >= 1)
    {
      defaults.port = minor >= 6 ? 465 : 587;
      defaults.security = MTC_ACCOUNT_SECURITY_SSL_TLS;
    }
  return defaults;
}

static MtcAccountSecurity
security_from_encryption (const char        *value,
                          TransportDefaults *defaults)
{
  if (value == NULL)
    return defaults->security;
  if (g_ascii_strcasecmp (value, "None") == 0 || strcmp (value, "0") == 0)
    return MTC_ACCOUNT_SECURITY_NONE;
  if (g_ascii_strcasecmp (value, "SSL") == 0 || strcmp (value, "1") == 0)
    return MTC_ACCOUNT_SECURITY_SSL_TLS;
  if (g_ascii_strcasecmp (value, "TLS") == 0 || strcmp (value, "2") == 0)
    return MTC_ACCOUNT_SECURITY_STARTTLS;
  return MTC_ACCOUNT_SECURITY_UNKNOWN;
}

/* An SMTP server: "identifier" SMTP (its default), or before it the enum
 * "type" SMTP (0). */
static gboolean
is_smtp (GKeyFile   *rc,
         const char *group)
{
  g_autofree char *identifier = mtc_accounts_get_text (rc, group, "identifier");
  g_autofree char *type = NULL;

  if (identifier != NULL)
    return g_ascii_strcasecmp (identifier, "SMTP") == 0;
  type = mtc_accounts_get_text (rc, group, "type");
  return type == NULL || g_ascii_strcasecmp (type, "SMTP") == 0 || strcmp (type, "0") == 0;
}

/* Every transport of RC, in KConfig's order; the default one in *DEFAULT. */
static GPtrArray *
read_transports (GKeyFile         *rc,
                 gboolean          kde4,
                 const Transport **default_transport)
{
  GPtrArray *transports = g_ptr_array_new_with_free_func ((GDestroyNotify) transport_free);
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *wanted = NULL;
  TransportDefaults defaults = { 0, MTC_ACCOUNT_SECURITY_UNKNOWN };
  gboolean defaults_known = FALSE;

  *default_transport = NULL;
  if (rc == NULL)
    return transports;
  groups = groups_with_prefix (rc, "Transport ");
  for (guint i = 0; i < groups->len; i++)
    {
      const char *group = groups->pdata[i];
      g_autofree char *host = mtc_accounts_get_text (rc, group, "host");
      g_autofree char *encryption = mtc_accounts_get_text (rc, group, "encryption");
      Transport *transport;

      if (host == NULL || !is_smtp (rc, group))
        continue;
      /* Only a missing port or encryption needs the version's defaults. */
      if (!defaults_known && (encryption == NULL || !g_key_file_has_key (rc, group, "port", NULL)))
        {
          defaults = transport_defaults (kde4);
          defaults_known = TRUE;
        }
      transport = g_new0 (Transport, 1);
      transport->id = mtc_accounts_get_text (rc, group, "id");
      if (transport->id == NULL)
        transport->id = g_strdup (group + strlen ("Transport "));
      transport->name = mtc_accounts_get_text (rc, group, "name");
      transport->server = mtc_account_server_new (MTC_ACCOUNT_SERVER_SMTP, host,
                                                  get_port (rc, group, "port", defaults.port),
                                                  security_from_encryption (encryption, &defaults));
      g_ptr_array_add (transports, transport);
    }

  /* The default: its id, or the name a migration left there; else the first. */
  wanted = mtc_accounts_get_text (rc, "General", "default-transport");
  *default_transport = find_item (transports, wanted);
  for (guint i = 0; wanted != NULL && i < transports->len && *default_transport == NULL; i++)
    if (g_strcmp0 (((Transport *) transports->pdata[i])->name, wanted) == 0)
      *default_transport = transports->pdata[i];
  if (*default_transport == NULL && transports->len > 0)
    *default_transport = transports->pdata[0];
  return transports;
}

/* ------------------------------------------------------------ identities */

static GPtrArray *
read_identities (GKeyFile        *rc,
                 const Identity **default_identity)
{
  GPtrArray *identities = g_ptr_array_new_with_free_func ((GDestroyNotify) identity_free);
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *wanted = NULL;

  *default_identity = NULL;
  if (rc == NULL)
    return identities;
  groups = groups_with_prefix (rc, "Identity #");
  for (guint i = 0; i < groups->len; i++)
    {
      Identity *identity = g_new0 (Identity, 1);

      identity->id = mtc_accounts_get_text (rc, groups->pdata[i], "uoid");
      identity->address = mtc_accounts_get_text (rc, groups->pdata[i], "Email Address");
      identity->transport = mtc_accounts_get_text (rc, groups->pdata[i], "Transport");
      g_ptr_array_add (identities, identity);
    }
  /* The default must have an address (IdentityManager::readConfig). */
  wanted = mtc_accounts_get_text (rc, "General", "Default Identity");
  *default_identity = find_item (identities, wanted);
  if ((*default_identity == NULL || (*default_identity)->address == NULL) && identities->len > 0)
    *default_identity = identities->pdata[0];
  return identities;
}

static const Identity *
find_identity_by_address (GPtrArray  *identities,
                          const char *address)
{
  for (guint i = 0; address != NULL && i < identities->len; i++)
    {
      const Identity *identity = identities->pdata[i];

      if (identity->address != NULL && g_ascii_strcasecmp (identity->address, address) == 0)
        return identity;
    }
  return NULL;
}

/* ------------------------------------------------------------ incoming */

static MtcAccountSecurity
security_from_safety (const char *safety,
                      const char *override)
{
  if (override != NULL)
    {
      static const char *const implicit[] = { "SSLV2", "SSLV3", "TLSV1", "SSL" };

      for (gsize i = 0; i < G_N_ELEMENTS (implicit); i++)
        if (strcmp (override, implicit[i]) == 0)
          return MTC_ACCOUNT_SECURITY_SSL_TLS;
      if (strcmp (override, "STARTTLS") == 0)
        return MTC_ACCOUNT_SECURITY_STARTTLS;
      if (strcmp (override, "UNENCRYPTED") == 0)
        return MTC_ACCOUNT_SECURITY_NONE;
      /* Any other value is ignored, with a warning in KMail's log. */
    }
  if (safety == NULL || strcmp (safety, "SSL") == 0)
    return MTC_ACCOUNT_SECURITY_SSL_TLS;
  if (strcmp (safety, "STARTTLS") == 0)
    return MTC_ACCOUNT_SECURITY_STARTTLS;
  return MTC_ACCOUNT_SECURITY_NONE;
}

typedef struct {
  GPtrArray *transports;
  const Transport *default_transport;
  GPtrArray *identities;
  const Identity *default_identity;
} Outgoing;

static void
add_account (const char       *path,
             GKeyFile         *rc,
             gboolean          imap,
             const Outgoing   *out,
             GPtrArray        *accounts)
{
  const char *group = imap ? "network" : "General";
  g_autofree char *host = mtc_accounts_get_text (rc, group, imap ? "ImapServer" : "host");
  const Identity *identity = NULL;
  const Transport *transport = NULL;
  MtcAccount *account;

  if (host == NULL)
    return;  /* a resource not set up */
  account = mtc_account_new ("kmail", path);
  account->display_name = mtc_accounts_get_text (rc, group, "name");
  if (imap)
    {
      g_autofree char *safety = mtc_accounts_get_text (rc, "network", "Safety");
      g_autofree char *override = mtc_accounts_get_text (rc, "network", "OverrideEncryption");
      g_autofree char *uoid = NULL;

      account->incoming = mtc_account_server_new (MTC_ACCOUNT_SERVER_IMAP, host,
                                                  get_port (rc, "network", "ImapPort", 993),
                                                  security_from_safety (safety, override));
      if (!get_bool (rc, "cache", "UseDefaultIdentity", TRUE))
        uoid = mtc_accounts_get_text (rc, "cache", "AccountIdentity");
      /* identityForUoidOrDefault */
      identity = find_item (out->identities, uoid);
    }
  else
    {
      g_autofree char *login = mtc_accounts_get_text (rc, "General", "login");
      MtcAccountSecurity security = MTC_ACCOUNT_SECURITY_NONE;

      if (get_bool (rc, "General", "useSSL", FALSE))
        security = MTC_ACCOUNT_SECURITY_SSL_TLS;
      else if (get_bool (rc, "General", "useTLS", FALSE))
        security = MTC_ACCOUNT_SECURITY_STARTTLS;
      account->incoming = mtc_account_server_new (MTC_ACCOUNT_SERVER_POP3, host,
                                                  get_port (rc, "General", "port", 110), security);
      identity = find_identity_by_address (out->identities, login);
    }
  if (identity == NULL)
    identity = out->default_identity;
  if (identity != NULL)
    {
      account->address = g_strdup (identity->address);
      transport = find_item (out->transports, identity->transport);
    }
  /* transportById (id, true): the default when the id names none. */
  if (transport == NULL)
    transport = out->default_transport;
  if (transport != NULL)
    account->outgoing = mtc_account_server_copy (transport->server);
  g_ptr_array_add (accounts, account);
}

/* The resources' settings files in FOLDER, sorted by name. */
static GPtrArray *
resource_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if ((g_str_has_prefix (name, "akonadi_imap_resource_") || g_str_has_prefix (name, "akonadi_pop3_resource_"))
        && g_str_has_suffix (name, "rc"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gboolean
has_kmail_files (const char *folder)
{
  g_autofree char *transports = g_build_filename (folder, "mailtransports", NULL);
  g_autofree char *identities = g_build_filename (folder, "emailidentities", NULL);
  g_autoptr(GPtrArray) resources = resource_files (folder);

  return resources->len > 0 || g_file_test (transports, G_FILE_TEST_EXISTS)
         || g_file_test (identities, G_FILE_TEST_EXISTS);
}

static void
read_folder (const char *folder,
             gboolean    kde4,
             GPtrArray  *accounts,
             GPtrArray  *problems)
{
  g_autofree char *transports_path = g_build_filename (folder, "mailtransports", NULL);
  g_autofree char *identities_path = g_build_filename (folder, "emailidentities", NULL);
  g_autoptr(GKeyFile) transports_rc = mtc_accounts_load_key_file ("kmail", transports_path, problems);
  g_autoptr(GKeyFile) identities_rc = mtc_accounts_load_key_file ("kmail", identities_path, problems);
  g_autoptr(GPtrArray) names = resource_files (folder);
  Outgoing out;

  out.transports = read_transports (transports_rc, kde4, &out.default_transport);
  out.identities = read_identities (identities_rc, &out.default_identity);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GKeyFile) rc = mtc_accounts_load_key_file ("kmail", path, problems);

      if (rc != NULL)
        add_account (path, rc, g_str_has_prefix (name, "akonadi_imap_"), &out, accounts);
    }
  g_ptr_array_unref (out.transports);
  g_ptr_array_unref (out.identities);
}

void
mtc_accounts_read_kmail (const char *home,
                         GPtrArray  *accounts,
                         GPtrArray  *problems)
{
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *kde = g_build_filename (home, ".kde", "share", "config", NULL);
  g_autofree char *kde4 = g_build_filename (home, ".kde4", "share", "config", NULL);

  if (has_kmail_files (config))
    read_folder (config, FALSE, accounts, problems);
  else if (has_kmail_files (kde))
    read_folder (kde, TRUE, accounts, problems);
  else if (has_kmail_files (kde4))
    read_folder (kde4, TRUE, accounts, problems);
}
