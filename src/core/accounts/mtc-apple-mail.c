/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-account.h"
#include "mtc-accounts-private.h"
#include "mtc-apple-mail.h"
#include "mtc-plist.h"
#include "mtc-quote.h"

/* Apple Mail's Accounts.plist.  Only keys that programs reading this file
 * are known to use are read:
 *
 *  - OSXAuditor (github.com/jipegit/OSXAuditor, osxauditor.py,
 *    ParseMailAppAccount): the arrays MailAccounts and DeliveryAccounts, and
 *    in their entries AccountName, AccountType, SSLEnabled, Username,
 *    Hostname, PortNumber, SMTPIdentifier and EmailAddresses;
 *  - MailMeToo (github.com/aglv/MailMeToo, Sources/MailApp.m): AccountType
 *    "SMTPAccount" for an outgoing server in DeliveryAccounts;
 *  - OsiriX's mailer (-defaultSMTPAccountFromMail, read in the code corpus):
 *    an account's SMTPIdentifier is "Hostname:Username" of its outgoing
 *    server, or "Hostname" when that has no user name, and UseDefaultPorts
 *    means PortNumber is not used.  Apple's own MFLegacyAccountStorage has
 *    +smtpIdentifierWithHostname:username: (a class dump in the same corpus);
 *  - AccountType "IMAPAccount" in MailAccounts: an example entry of
 *    com.apple.mail.plist in a blog post in that corpus.  AccountType holds
 *    the name of the account's class in Apple's Message framework
 *    (IMAPAccount, POPAccount, SMTPAccount); runtime dumps of that framework
 *    in the same corpus show iToolsAccount (iCloud), GmailAccount,
 *    YahooAccount and AOLAccount as subclasses of IMAPAccount, so they are
 *    read as IMAP accounts too.
 *
 * SSLEnabled is Mail's one "Use SSL" check box.  Apple Mail moves the port to
 * 993 (IMAP) or 995 (POP) when it is ticked, and providers tell Mail users to
 * tick "Use Secure Sockets Layer (SSL)" with port 465 for sending (Caltech's
 * "Sending and Receiving Mail Using SSL With Apple Mail",
 * www.imss.caltech.edu/cms.php?op=wiki&wiki_op=view&id=425): there it means
 * TLS from the first byte.  On any other port the file does not say whether
 * Mail speaks TLS at once or STARTTLS, so the security is left unknown.
 *
 * Passwords (a "Password" key in old files) are never looked up. */

#define MAIL_VERSIONS_NEWEST 10  /* V2 … V10 */
#define MAX_TEXT_CHARS 255

static const char *const imap_types[] = {
  "IMAPAccount", "iToolsAccount", "GmailAccount", "YahooAccount", "AOLAccount", NULL,
};

static char *
account_problem (const char *path)
{
  g_autofree char *shown = mtc_quote_text (path, -1, 200);

  /* Translators: %s is a file's path.  Apple Mail is the program's name. */
  return g_strdup_printf (_("The Apple Mail settings in “%s” could not be read, so they are not listed."),
                          shown);
}

/* A text value as the program may show and use it, or NULL: empty text and
 * text with control or formatting characters are left out. */
static char *
clean_text (const MtcPlist *value)
{
  const char *text = mtc_plist_get_string (value);
  g_autofree char *stripped = NULL;
  g_autofree char *shown = NULL;

  if (text == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (text));
  shown = mtc_quote_text (stripped, -1, MAX_TEXT_CHARS);
  if (*stripped == '\0' || strcmp (shown, stripped) != 0)
    return NULL;
  return g_steal_pointer (&stripped);
}

/* A host name: clean text without spaces. */
static char *
clean_host (const MtcPlist *value)
{
  g_autofree char *host = clean_text (value);

  if (host == NULL || strpbrk (host, " /\\@") != NULL)
    return NULL;
  return g_steal_pointer (&host);
}

/* An e-mail address: clean text with an "@" and no spaces. */
static char *
clean_address (const MtcPlist *value)
{
  g_autofree char *address = clean_text (value);

  if (address == NULL || strchr (address, '@') == NULL || strchr (address, ' ') != NULL)
    return NULL;
  return g_steal_pointer (&address);
}

/* As NSString's boolValue reads "YES"/"NO" (Mail keeps these as strings),
 * or a real boolean.  FALSE when the key is missing or unreadable. */
static gboolean
read_flag (const MtcPlist *value,
           gboolean       *flag)
{
  const char *text = mtc_plist_get_string (value);

  if (mtc_plist_get_boolean (value, flag))
    return TRUE;
  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  *flag = strchr ("YyTt123456789", *text) != NULL && *text != '\0';
  return TRUE;
}

/* PortNumber, a string or an integer; 0 when missing, out of range, or
 * switched off by UseDefaultPorts. */
static guint16
read_port (const MtcPlist *entry)
{
  const char *text = mtc_plist_get_string (mtc_plist_lookup (entry, "PortNumber"));
  gboolean use_default = FALSE;
  gint64 number = 0;
  guint64 parsed = 0;

  if (read_flag (mtc_plist_lookup (entry, "UseDefaultPorts"), &use_default) && use_default)
    return 0;
  if (mtc_plist_get_integer (mtc_plist_lookup (entry, "PortNumber"), &number))
    return number >= 1 && number <= 65535 ? (guint16) number : 0;
  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 65535, &parsed, NULL))
    return (guint16) parsed;
  return 0;
}

static MtcAccountServer *
read_server (const MtcPlist      *entry,
             MtcAccountServerKind kind)
{
  g_autofree char *host = clean_host (mtc_plist_lookup (entry, "Hostname"));
  guint16 port = read_port (entry);
  guint16 tls_port = kind == MTC_ACCOUNT_SERVER_IMAP ? 993 : kind == MTC_ACCOUNT_SERVER_POP3 ? 995 : 465;
  MtcAccountSecurity security = MTC_ACCOUNT_SECURITY_UNKNOWN;
  gboolean ssl = FALSE;

  if (host == NULL)
    return NULL;
  if (read_flag (mtc_plist_lookup (entry, "SSLEnabled"), &ssl))
    {
      if (!ssl)
        security = MTC_ACCOUNT_SECURITY_NONE;
      else if (port == tls_port || (port == 0 && kind != MTC_ACCOUNT_SERVER_SMTP))
        security = MTC_ACCOUNT_SECURITY_SSL_TLS;
    }
  return mtc_account_server_new (kind, host, port, security);
}

/* The DeliveryAccounts entry whose identifier is ID: "Hostname:Username",
 * or "Hostname" for one without a user name. */
static const MtcPlist *
find_delivery (const MtcPlist *deliveries,
               const char     *id)
{
  for (gsize i = 0; i < mtc_plist_get_length (deliveries); i++)
    {
      const MtcPlist *entry = mtc_plist_get_element (deliveries, i);
      const char *host = mtc_plist_get_string (mtc_plist_lookup (entry, "Hostname"));
      const char *user = mtc_plist_get_string (mtc_plist_lookup (entry, "Username"));
      g_autofree char *entry_id = NULL;

      if (host == NULL)
        continue;
      entry_id = user != NULL && *user != '\0' ? g_strconcat (host, ":", user, NULL) : g_strdup (host);
      if (strcmp (entry_id, id) == 0)
        return entry;
    }
  return NULL;
}

static MtcAccount *
read_account (const MtcPlist *entry,
              const MtcPlist *deliveries,
              const char     *path,
              const char     *version)
{
  const char *type = mtc_plist_get_string (mtc_plist_lookup (entry, "AccountType"));
  const char *smtp_id = mtc_plist_get_string (mtc_plist_lookup (entry, "SMTPIdentifier"));
  const MtcPlist *addresses = mtc_plist_lookup (entry, "EmailAddresses");
  const MtcPlist *delivery;
  MtcAccountServerKind kind;
  MtcAccount *account;

  if (type != NULL && g_strv_contains (imap_types, type))
    kind = MTC_ACCOUNT_SERVER_IMAP;
  else if (g_strcmp0 (type, "POPAccount") == 0)
    kind = MTC_ACCOUNT_SERVER_POP3;
  else
    return NULL;                 /* "On My Mac", Exchange, …: no server we check */

  account = mtc_account_new ("apple-mail", path);
  account->program_version = g_strdup (version);
  account->display_name = clean_text (mtc_plist_lookup (entry, "AccountName"));
  /* The first address is the account's; Mail offers the others as senders. */
  for (gsize i = 0; i < mtc_plist_get_length (addresses) && account->address == NULL; i++)
    account->address = clean_address (mtc_plist_get_element (addresses, i));
  account->incoming = read_server (entry, kind);
  delivery = smtp_id != NULL ? find_delivery (deliveries, smtp_id) : NULL;
  if (delivery != NULL)
    account->outgoing = read_server (delivery, MTC_ACCOUNT_SERVER_SMTP);
  return account;
}

static char *
read_mail_version (const char *root)
{
  g_autofree char *path = g_build_filename (root, "Applications", "Mail.app", "Contents", "Info.plist", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(MtcPlist) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  gsize length = 0;

  if (!mtc_accounts_read_file (path, MTC_PLIST_MAX_SIZE, &contents, &length, NULL))
    return NULL;
  info = mtc_plist_parse (contents, length, &error);
  if (info == NULL)
    {
      g_debug ("%s: %s", path, error->message);
      return NULL;
    }
  version = clean_text (mtc_plist_lookup (info, "CFBundleShortVersionString"));
  if (version == NULL || !g_ascii_isdigit (version[0]) || strlen (version) > 32)
    return NULL;
  return g_steal_pointer (&version);
}

/* The newest Library/Mail/V<n>/MailData/Accounts.plist, or NULL. */
static char *
find_accounts_file (const char *mail_dir)
{
  for (int n = MAIL_VERSIONS_NEWEST; n >= 2; n--)
    {
      g_autofree char *folder = g_strdup_printf ("V%d", n);
      g_autofree char *path = g_build_filename (mail_dir, folder, "MailData", "Accounts.plist", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

void
mtc_apple_mail_read_with_root (const char *home,
                               const char *root,
                               GPtrArray  *accounts,
                               GPtrArray  *problems)
{
  g_autofree char *mail_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *version = NULL;
  g_autoptr(MtcPlist) top = NULL;
  g_autoptr(GError) error = NULL;
  const MtcPlist *entries;
  const MtcPlist *deliveries;
  gsize length = 0;

  g_return_if_fail (home != NULL && root != NULL && accounts != NULL);

  mail_dir = g_build_filename (home, "Library", "Mail", NULL);
  if (!g_file_test (mail_dir, G_FILE_TEST_IS_DIR))
    return;
  path = find_accounts_file (mail_dir);
  if (path == NULL)
    return;

  /* A file over the limit is not read at all; a FIFO never blocks. */
  if (mtc_accounts_read_file (path, MTC_PLIST_MAX_SIZE, &contents, &length, &error))
    top = mtc_plist_parse (contents, length, &error);
  if (top != NULL && mtc_plist_get_kind (top) != MTC_PLIST_DICT)
    g_set_error (&error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID, "The property list holds no dictionary.");
  if (error != NULL)
    {
      g_debug ("Apple Mail: %s: %s", path, error->message);
      if (problems != NULL)
        g_ptr_array_add (problems, account_problem (path));
      return;
    }

  version = read_mail_version (root);
  entries = mtc_plist_lookup (top, "MailAccounts");
  deliveries = mtc_plist_lookup (top, "DeliveryAccounts");
  for (gsize i = 0; i < mtc_plist_get_length (entries); i++)
    {
      MtcAccount *account = read_account (mtc_plist_get_element (entries, i), deliveries, path, version);

      if (account != NULL)
        g_ptr_array_add (accounts, account);
    }
}

void
mtc_apple_mail_read (const char *home,
                     GPtrArray  *accounts,
                     GPtrArray  *problems)
{
  mtc_apple_mail_read_with_root (home, "/", accounts, problems);
}
