/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mtc-accounts.h"
#include "mtc-accounts-report.h"
#include "mtc-prefs-js.h"
#include "mtc-test-util.h"

/* The readers of the mail programs' settings, on the fixture home in
 * tests/data/accounts/home (Thunderbird 78 and 115, Evolution, Geary,
 * Claws Mail, KMail of KDE Gear 24, broken files, files with a password in
 * them) and on homes made here: a huge prefs.js and mailtransports,
 * symbolic-link loops, a FIFO, KMail of KDE 4, KMail's defaults per
 * version. */

#define PASSWORD "Geheim-Passwort-4711"

/* ------------------------------------------------------------ prefs.js */

static void
test_prefs_js_values (void)
{
  static const char text[] =
    "# Mozilla User Preferences\n"
    "/* a comment\n over two lines */\n"
    "user_pref(\"a.string\", \"x \\\"quoted\\\" \\\\ back\\nslash \\u00FC \\uD83D\\uDE00 \\x41\");\n"
    "user_pref('single', 'it\\'s');\n"
    "user_pref(\"an.int\", -42); // trailing comment\n"
    "user_pref(\"plus\", +7);\n"
    "user_pref(\"yes\", true);\n"
    "  user_pref ( \"no\" ,false ) ;\n"
    "pref(\"twice\", 1);\n"
    "sticky_pref(\"twice\", 2);\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) prefs = mtc_prefs_js_parse (text, strlen (text), &error);
  gint64 value = 0;

  g_assert_no_error (error);
  g_assert_nonnull (prefs);
  g_assert_cmpstr (mtc_prefs_js_get_string (prefs, "a.string"), ==,
                   "x \"quoted\" \\ back\nslash \xc3\xbc \xf0\x9f\x98\x80 A");
  g_assert_cmpstr (mtc_prefs_js_get_string (prefs, "single"), ==, "it's");
  g_assert_true (mtc_prefs_js_get_int (prefs, "an.int", &value));
  g_assert_cmpint (value, ==, -42);
  g_assert_true (mtc_prefs_js_get_int (prefs, "plus", &value));
  g_assert_cmpint (value, ==, 7);
  g_assert_true (g_variant_get_boolean (g_hash_table_lookup (prefs, "yes")));
  g_assert_false (g_variant_get_boolean (g_hash_table_lookup (prefs, "no")));
  /* A later line wins, as in Mozilla's parser. */
  g_assert_true (mtc_prefs_js_get_int (prefs, "twice", &value));
  g_assert_cmpint (value, ==, 2);
  /* Asked for the wrong type, or for nothing: no value. */
  g_assert_null (mtc_prefs_js_get_string (prefs, "an.int"));
  g_assert_false (mtc_prefs_js_get_int (prefs, "a.string", &value));
  g_assert_null (mtc_prefs_js_get_string (prefs, "missing"));
  g_assert_cmpuint (g_hash_table_size (prefs), ==, 7);
}

typedef struct {
  const char *text;
  const char *message;
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "user_pref(\"a\", 1);\nuser_pref(\"b\", 2\nuser_pref(\"c\", 3);\n", "line 3: the line is not a preference" },
  { "user_pref(\"a\", \"no end);\n", "line 1: a text has no closing quotation mark" },
  { "user_pref(\"a\", \"bad \\q escape\");", "line 1: a text has a broken escape sequence" },
  { "user_pref(\"a\", \"\\uD800 lone\");", "line 1: a text has a broken escape sequence" },
  { "user_pref(\"a\", \"\\x0\");", "line 1: a text has a broken escape sequence" },
  { "user_pref(\"a\", \"\xff\xfe\");", "line 1: a text is not in UTF-8" },
  { "user_pref(\"a\", 99999999999);", "line 1: a number is too large" },
  { "user_pref(\"a\", yes);", "line 1: a value was expected" },
  { "user_pref(a, 1);", "line 1: a text in quotation marks was expected" },
  { "\n\n<html>", "line 3: the line is not a preference" },
  { "user_pref(\"a\", 1)", "line 1: the line is not a preference" },
};

static void
test_prefs_js_broken (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) prefs = mtc_prefs_js_parse (broken_cases[i].text, strlen (broken_cases[i].text), &error);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_null (prefs);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, broken_cases[i].message));
    }
}

static void
test_prefs_js_huge (void)
{
  gsize length = MTC_PREFS_JS_MAX_SIZE + 1;
  g_autofree char *text = g_malloc (length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) prefs = NULL;

  memset (text, ' ', length);
  prefs = mtc_prefs_js_parse (text, length, &error);
  g_assert_null (prefs);
  g_assert_nonnull (strstr (error->message, "larger than 16 MiB"));
  /* Empty and blank files are no preferences, not errors. */
  g_clear_pointer (&prefs, g_hash_table_unref);
  prefs = mtc_prefs_js_parse ("", 0, NULL);
  g_assert_cmpuint (g_hash_table_size (prefs), ==, 0);
}

/* ------------------------------------------------------------ the fixture home */

static char *
fixture_home (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "accounts", "home", NULL);
}

static void
assert_file (const MtcAccount *account,
             const char       *home,
             const char       *relative)
{
  g_autofree char *expected = g_build_filename (home, relative, NULL);

  g_assert_cmpstr (account->file, ==, expected);
}

static void
test_fixture_home (void)
{
  g_autofree char *home = fixture_home ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = mtc_accounts_find (home, &problems);
  MtcAccount *a;

  g_assert_cmpuint (accounts->len, ==, 11);

  /* Thunderbird 78 ESR: no .type on the outgoing server, STARTTLS on 143. */
  a = accounts->pdata[0];
  g_assert_cmpstr (a->program, ==, "thunderbird");
  g_assert_cmpstr (a->program_version, ==, "78.14.0");
  g_assert_cmpstr (a->address, ==, "oma.schmidt@example.de");
  assert_file (a, home, ".thunderbird/old78.default/prefs.js");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.example.de", 143, MTC_ACCOUNT_SECURITY_STARTTLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.de", 587, MTC_ACCOUNT_SECURITY_STARTTLS);
  g_assert_cmpuint (a->tls_version_min, ==, 3);
  g_assert_cmpuint (a->tls_version_max, ==, 0);

  /* Thunderbird 115 ESR: the account order of mail.accountmanager.accounts,
   * Local Folders left out, STARTTLS on 465, TLS at most 1.0. */
  a = accounts->pdata[1];
  g_assert_cmpstr (a->program_version, ==, "115.3.1");
  g_assert_cmpstr (a->address, ==, "alice@example.net");
  g_assert_cmpstr (a->display_name, ==, "alice@example.net");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.example.net", 993, MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.net", 465, MTC_ACCOUNT_SECURITY_STARTTLS);
  g_assert_cmpuint (a->tls_version_min, ==, 0);
  g_assert_cmpuint (a->tls_version_max, ==, 1);

  /* No socketType, no port, no smtpServer: Thunderbird's defaults (plain,
   * POP3's port 110) and the default outgoing server. */
  a = accounts->pdata[2];
  g_assert_cmpstr (a->address, ==, "bob@example.org");
  g_assert_cmpstr (a->display_name, ==, "Bob's mail");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_POP3, "pop.example.org", 110, MTC_ACCOUNT_SECURITY_NONE);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "mail.example.org", 25, MTC_ACCOUNT_SECURITY_NONE);

  /* Evolution: account, identity and transport joined; the disabled
   * account and the broken source left out. */
  a = accounts->pdata[3];
  g_assert_cmpstr (a->program, ==, "evolution");
  g_assert_null (a->program_version);
  g_assert_cmpstr (a->address, ==, "carla@example.com");
  g_assert_cmpstr (a->display_name, ==, "Carla bei Example");
  assert_file (a, home, ".config/evolution/sources/1a2b3c-account.source");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.example.com", 993, MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.com", 25, MTC_ACCOUNT_SECURITY_STARTTLS);

  /* Geary, version 1 with its own servers; a Gmail account without. */
  a = accounts->pdata[4];
  g_assert_cmpstr (a->program, ==, "geary");
  g_assert_cmpstr (a->address, ==, "dora@example.info");
  g_assert_cmpstr (a->display_name, ==, "Dora");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "mail.example.info", 993, MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "mail.example.info", 587, MTC_ACCOUNT_SECURITY_STARTTLS);
  a = accounts->pdata[5];
  g_assert_cmpstr (a->address, ==, "emil.example@gmail.com");
  g_assert_null (a->display_name);
  g_assert_null (a->incoming);
  g_assert_null (a->outgoing);
  assert_file (a, home, ".local/share/geary/account_02/geary.ini");

  /* Claws Mail: IMAP over SSL on its standard port, sending with STARTTLS
   * on 587; an account that only sends. */
  a = accounts->pdata[6];
  g_assert_cmpstr (a->program, ==, "claws-mail");
  g_assert_cmpstr (a->address, ==, "frieda@example.net");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.example.net", 993, MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.net", 587, MTC_ACCOUNT_SECURITY_STARTTLS);
  a = accounts->pdata[7];
  g_assert_cmpstr (a->address, ==, "versand@example.org");
  g_assert_null (a->incoming);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.org", 2525, MTC_ACCOUNT_SECURITY_SSL_TLS);

  /* KMail: an IMAP resource with its own identity, whose transport sends
   * with SSL/TLS on 465 (the password keys left alone). */
  a = accounts->pdata[8];
  g_assert_cmpstr (a->program, ==, "kmail");
  g_assert_null (a->program_version);
  g_assert_cmpstr (a->address, ==, "gisela@example.org");
  g_assert_cmpstr (a->display_name, ==, "Gisela bei Example");
  assert_file (a, home, ".config/akonadi_imap_resource_0rc");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.example.org", 143, MTC_ACCOUNT_SECURITY_STARTTLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "mail.example.org", 465, MTC_ACCOUNT_SECURITY_SSL_TLS);
  /* The resource's defaults (993, SSL/TLS) and the default identity, whose
   * transport id points nowhere: KMail then sends through the default. */
  a = accounts->pdata[9];
  g_assert_cmpstr (a->address, ==, "helga@example.de");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.kmail.example.de", 993,
                          MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.kmail.example.de", 587,
                          MTC_ACCOUNT_SECURITY_STARTTLS);
  /* POP3: the identity whose address is the login. */
  a = accounts->pdata[10];
  g_assert_cmpstr (a->address, ==, "gisela@example.org");
  g_assert_cmpstr (a->display_name, ==, "Gisela (POP3)");
  assert_file (a, home, ".config/akonadi_pop3_resource_2rc");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_POP3, "pop.example.org", 995, MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "mail.example.org", 465, MTC_ACCOUNT_SECURITY_SSL_TLS);

  /* The broken files, each named, and the others still read. */
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_nonnull (strstr (problems->pdata[0], "Thunderbird’s settings file "));
  g_assert_nonnull (strstr (problems->pdata[0], "broken.default/prefs.js could not be read: line 3:"));
  g_assert_nonnull (strstr (problems->pdata[1], "Evolution’s settings file "));
  g_assert_nonnull (strstr (problems->pdata[1], "sources/broken.source could not be read: its contents are not"));
  g_assert_nonnull (strstr (problems->pdata[2], "KMail’s settings file "));
  g_assert_nonnull (strstr (problems->pdata[2], ".config/akonadi_imap_resource_3rc could not be read: its contents are not"));
}

/* Every message logged while the readers and the reports run. */
static GString *logged;

static GLogWriterOutput
record_log (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  /* GLib takes one writer for the whole process: after the test, the usual one. */
  if (logged == NULL)
    return g_log_writer_default (level, fields, n_fields, user_data);
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      {
        g_string_append (logged, fields[i].length < 0 ? fields[i].value : "");
        g_string_append_c (logged, '\n');
      }
  return G_LOG_WRITER_HANDLED;
}

static void
test_password_never_shown (void)
{
  g_autofree char *home = fixture_home ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;

  logged = g_string_new (NULL);
  g_log_set_writer_func (record_log, NULL, NULL);
  g_log_set_debug_enabled (TRUE);
  accounts = mtc_accounts_find (home, &problems);
  text = mtc_accounts_report_to_text (accounts, problems);
  json = mtc_accounts_report_to_json (accounts, problems);

  /* The fixture has it in prefs.js, in accountrc, in a broken prefs.js, in
   * a broken Evolution source, in KMail's mailtransports, in two Akonadi
   * resources and in a broken one. */
  g_assert_nonnull (strstr (logged->str, "broken.source"));
  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (json, PASSWORD));
  g_assert_null (strstr (logged->str, PASSWORD));
  g_assert_nonnull (strstr (text, "In Thunderbird: alice@example.net — receives from imap.example.net, port"));
  g_assert_nonnull (strstr (text, "In KMail: gisela@example.org — receives from imap.example.org, port 143"));
  g_string_free (g_steal_pointer (&logged), TRUE);
  g_log_set_debug_enabled (FALSE);
}

/* ------------------------------------------------------------ homes made here */

static char *
make_home (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("mtc-accounts-XXXXXX", &error);

  g_assert_no_error (error);
  return home;
}

static void
write_file (const char *home,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (home, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
remove_home (const char *home)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", home);

  g_assert_cmpint (system (command), ==, 0);
}

static const char claws_rc[] =
  "[Account: 1]\naddress=still@example.net\nprotocol=3\nreceive_server=imap.example.net\nssl_imap=1\n";

/* Claws Mail numbered its receiving protocols anew with configuration
 * version 1 (src/prefs_migration.c): protocol=1 is IMAP in a file of 4.1,
 * POP3 (APOP) in one of 3.7. The version is the account's, else clawsrc's;
 * an account its wizard wrote says -1, with clawsrc saying 4. */
static void
test_claws_versions (void)
{
  static const struct {
    const char *accountrc;
    const char *clawsrc;
    MtcAccountServerKind kind;
    guint16 port;
  } cases[] = {
    /* 4.1.1's wizard, as tests/gui/test-claws.py has it write. */
    { "config_version=-1\nprotocol=1\n", "[Common]\nconfig_version=4\n", MTC_ACCOUNT_SERVER_IMAP, 993 },
    { "config_version=4\nprotocol=1\n", NULL, MTC_ACCOUNT_SERVER_IMAP, 993 },
    { "config_version=4\nprotocol=0\n", NULL, MTC_ACCOUNT_SERVER_POP3, 995 },
    /* Written by a Claws Mail that knows versions, before its first exit. */
    { "config_version=-1\nprotocol=1\n", NULL, MTC_ACCOUNT_SERVER_IMAP, 993 },
    /* 3.7: no version anywhere, or version 0. */
    { "protocol=3\n", NULL, MTC_ACCOUNT_SERVER_IMAP, 993 },
    { "protocol=1\n", NULL, MTC_ACCOUNT_SERVER_POP3, 995 },
    { "protocol=3\n", "[Common]\nconfig_version=0\n", MTC_ACCOUNT_SERVER_IMAP, 993 },
    { "config_version=-1\nprotocol=3\n", "[Other]\nconfig_version=4\n[Common]\nconfig_version=0\n",
      MTC_ACCOUNT_SERVER_IMAP, 993 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *home = make_home ();
      g_autofree char *rc = g_strdup_printf ("[Account: 1]\naddress=v@example.net\nreceive_server=in.example.net\n"
                                             "ssl_imap=1\nssl_pop=1\n%s", cases[i].accountrc);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) accounts = NULL;

      write_file (home, ".claws-mail/accountrc", rc);
      if (cases[i].clawsrc != NULL)
        write_file (home, ".claws-mail/clawsrc", cases[i].clawsrc);
      accounts = mtc_accounts_find (home, &problems);
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_cmpuint (accounts->len, ==, 1);
      mtc_test_assert_server (((MtcAccount *) accounts->pdata[0])->incoming, cases[i].kind, "in.example.net",
                              cases[i].port, MTC_ACCOUNT_SECURITY_SSL_TLS);
      remove_home (home);
    }
}

static void
test_huge_file (void)
{
  g_autofree char *home = make_home ();
  g_autofree char *prefs = g_build_filename (home, ".thunderbird", "p", "prefs.js", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  int fd;

  write_file (home, ".thunderbird/profiles.ini", "[Profile0]\nPath=p\nIsRelative=1\n");
  write_file (home, ".thunderbird/p/prefs.js", "");
  write_file (home, ".claws-mail/accountrc", claws_rc);
  /* 17 MiB without writing them: a file with a hole. */
  fd = g_open (prefs, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 17 * 1024 * 1024), ==, 0);
  close (fd);

  accounts = mtc_accounts_find (home, &problems);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (problems->pdata[0], "p/prefs.js could not be read: it is larger than 16 MiB"));
  /* The other programs are still read. */
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (((MtcAccount *) accounts->pdata[0])->address, ==, "still@example.net");
  remove_home (home);
}

static void
make_link (const char *home,
           const char *target,
           const char *relative)
{
  g_autofree char *path = g_build_filename (home, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_cmpint (symlink (target, path), ==, 0);
}

static void
test_symlink_loops_and_fifo (void)
{
  g_autofree char *home = make_home ();
  g_autofree char *fifo = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  /* A file that is a link to itself, two sources that point at each other,
   * a folder that contains itself, and a FIFO in place of prefs.js. */
  make_link (home, "profiles.ini", ".thunderbird/profiles.ini");
  make_link (home, "b.source", ".config/evolution/sources/a.source");
  make_link (home, "a.source", ".config/evolution/sources/b.source");
  make_link (home, ".", ".config/geary/loop");
  write_file (home, ".mozilla-thunderbird/profiles.ini", "[Profile0]\nPath=f\nIsRelative=1\n");
  fifo = g_build_filename (home, ".mozilla-thunderbird", "f", "prefs.js", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fifo, 0700), ==, 0);
  g_assert_cmpint (g_rmdir (fifo), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  write_file (home, ".claws-mail/accountrc", claws_rc);

  accounts = mtc_accounts_find (home, &problems);
  g_assert_cmpuint (accounts->len, ==, 1);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_nonnull (strstr (problems->pdata[0],
                            ".thunderbird/profiles.ini could not be read: it is a link that leads back to itself."));
  g_assert_nonnull (strstr (problems->pdata[1], "f/prefs.js could not be read: it is not an ordinary file"));
  g_assert_nonnull (strstr (problems->pdata[2], "Evolution’s settings file"));
  g_assert_nonnull (strstr (problems->pdata[3], "Evolution’s settings file"));
  remove_home (home);
}

/* ------------------------------------------------------------ KMail */

static const char kmail_imap_rc[] =
  "[network]\nImapServer=imap.example.net\nImapPort=993\nSafety=SSL\nUserName=still\n";

static void
test_kmail_huge_transports (void)
{
  g_autofree char *home = make_home ();
  g_autofree char *path = g_build_filename (home, ".config", "mailtransports", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  int fd;

  write_file (home, ".config/akonadi_imap_resource_0rc", kmail_imap_rc);
  write_file (home, ".config/emailidentities", "[Identity #0]\nEmail Address=still@example.net\nuoid=7\n");
  write_file (home, ".config/mailtransports", "");
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 17 * 1024 * 1024), ==, 0);
  close (fd);

  accounts = mtc_accounts_find (home, &problems);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (problems->pdata[0], "KMail’s settings file "));
  g_assert_nonnull (strstr (problems->pdata[0], ".config/mailtransports could not be read: it is larger than 16 MiB"));
  /* The account is still read, without a server to send through. */
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (((MtcAccount *) accounts->pdata[0])->address, ==, "still@example.net");
  mtc_test_assert_server (((MtcAccount *) accounts->pdata[0])->incoming, MTC_ACCOUNT_SERVER_IMAP,
                          "imap.example.net", 993, MTC_ACCOUNT_SECURITY_SSL_TLS);
  g_assert_null (((MtcAccount *) accounts->pdata[0])->outgoing);
  remove_home (home);
}

/* KDE 4's folder: the old "type" key, a sendmail transport left out, the
 * default transport by the name a migration left, and the defaults of then
 * (port 25, no encryption) for the keys KConfig left out. */
static void
test_kmail_kde4 (void)
{
  g_autofree char *home = make_home ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  MtcAccount *a;

  write_file (home, ".kde/share/config/akonadi_pop3_resource_0rc",
              "[General]\nhost=pop.example.de\nlogin=oma\nuseTLS=true\nname=Oma\n");
  write_file (home, ".kde/share/config/emailidentities",
              "[General]\nDefault Identity=5\n\n[Identity #0]\nEmail Address=oma@example.de\nuoid=5\n");
  write_file (home, ".kde/share/config/mailtransports",
              "[General]\ndefault-transport=Mein Server\n\n"
              "[Transport 1]\nhost=/usr/sbin/sendmail\nid=1\nname=Sendmail\ntype=Sendmail\n\n"
              "[Transport 2]\nhost=smtp.example.de\nid=2\nname=Mein Server\ntype=SMTP\n");
  accounts = mtc_accounts_find (home, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (accounts->len, ==, 1);
  a = accounts->pdata[0];
  g_assert_cmpstr (a->program, ==, "kmail");
  g_assert_cmpstr (a->address, ==, "oma@example.de");
  assert_file (a, home, ".kde/share/config/akonadi_pop3_resource_0rc");
  mtc_test_assert_server (a->incoming, MTC_ACCOUNT_SERVER_POP3, "pop.example.de", 110, MTC_ACCOUNT_SECURITY_STARTTLS);
  mtc_test_assert_server (a->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.de", 25, MTC_ACCOUNT_SECURITY_NONE);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Once ~/.config has KMail's files, KDE 4's are history. */
  write_file (home, ".config/emailidentities", "[Identity #0]\nEmail Address=neu@example.de\nuoid=9\n");
  accounts = mtc_accounts_find (home, &problems);
  g_assert_cmpuint (accounts->len, ==, 0);
  remove_home (home);
}

typedef struct {
  const char *library;     /* a file name in the library folder, or NULL */
  guint16 port;            /* of the transport without port and encryption */
  MtcAccountSecurity security;
  guint16 starttls_port;   /* of the one with encryption=TLS and no port */
} KmailVersionCase;

/* kmailtransport's defaults changed in KDE Gear 24.05 (6.1) and 25.12
 * (6.6); without the library they stay unknown. */
static const KmailVersionCase kmail_version_cases[] = {
  { NULL, 0, MTC_ACCOUNT_SECURITY_UNKNOWN, 0 },
  { "libKF5MailTransport.so.5.24.0", 25, MTC_ACCOUNT_SECURITY_NONE, 25 },
  { "libKPim6MailTransport.so.6.0.3", 25, MTC_ACCOUNT_SECURITY_NONE, 25 },
  { "libKPim6MailTransport.so.6.3.2", 587, MTC_ACCOUNT_SECURITY_SSL_TLS, 587 },
  { "libKPim6MailTransport.so.6.5.0", 587, MTC_ACCOUNT_SECURITY_SSL_TLS, 587 },
  { "libKPim6MailTransport.so.6.6.0", 465, MTC_ACCOUNT_SECURITY_SSL_TLS, 465 },
};

static void
test_kmail_defaults_per_version (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kmail_version_cases); i++)
    {
      const KmailVersionCase *c = &kmail_version_cases[i];
      g_autofree char *home = make_home ();
      g_autofree char *libdir = g_build_filename (home, "lib", NULL);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) accounts = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, c->library ? c->library : "no library");
      g_assert_cmpint (g_mkdir_with_parents (libdir, 0700), ==, 0);
      if (c->library != NULL)
        {
          g_autofree char *relative = g_build_filename ("lib", c->library, NULL);

          write_file (home, relative, "");
        }
      g_setenv ("MTC_KMAIL_LIBRARY_DIRS", libdir, TRUE);
      write_file (home, ".config/akonadi_imap_resource_0rc", kmail_imap_rc);
      write_file (home, ".config/akonadi_imap_resource_1rc",
                  "[network]\nImapServer=imap.example.net\n\n[cache]\nUseDefaultIdentity=false\nAccountIdentity=2\n");
      write_file (home, ".config/emailidentities",
                  "[Identity #0]\nEmail Address=a@example.net\nuoid=1\nTransport=10\n\n"
                  "[Identity #1]\nEmail Address=b@example.net\nuoid=2\nTransport=20\n");
      write_file (home, ".config/mailtransports",
                  "[Transport 10]\nhost=smtp.example.net\nid=10\n\n"
                  "[Transport 20]\nencryption=TLS\nhost=smtp.example.net\nid=20\n");
      accounts = mtc_accounts_find (home, &problems);
      g_unsetenv ("MTC_KMAIL_LIBRARY_DIRS");
      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_cmpuint (accounts->len, ==, 2);
      mtc_test_assert_server (((MtcAccount *) accounts->pdata[0])->outgoing, MTC_ACCOUNT_SERVER_SMTP,
                              "smtp.example.net", c->port, c->security);
      g_assert_cmpstr (((MtcAccount *) accounts->pdata[1])->address, ==, "b@example.net");
      mtc_test_assert_server (((MtcAccount *) accounts->pdata[1])->outgoing, MTC_ACCOUNT_SERVER_SMTP,
                              "smtp.example.net", c->starttls_port, MTC_ACCOUNT_SECURITY_STARTTLS);
      remove_home (home);
    }
}

static void
test_nothing_found (void)
{
  g_autofree char *home = make_home ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = mtc_accounts_find (home, &problems);
  g_autofree char *text = mtc_accounts_report_to_text (accounts, problems);
  g_autofree char *json = mtc_accounts_report_to_json (accounts, problems);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (text, ==, "No mail program accounts were found on this computer.\n");
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "schema"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "accounts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "problems")), ==, 0);
  remove_home (home);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mtc/accounts/prefs-js/values", test_prefs_js_values);
  g_test_add_func ("/mtc/accounts/prefs-js/broken", test_prefs_js_broken);
  g_test_add_func ("/mtc/accounts/prefs-js/huge", test_prefs_js_huge);
  g_test_add_func ("/mtc/accounts/fixture-home", test_fixture_home);
  g_test_add_func ("/mtc/accounts/password-never-shown", test_password_never_shown);
  g_test_add_func ("/mtc/accounts/huge-file", test_huge_file);
  g_test_add_func ("/mtc/accounts/claws-versions", test_claws_versions);
  g_test_add_func ("/mtc/accounts/symlink-loops-and-fifo", test_symlink_loops_and_fifo);
  g_test_add_func ("/mtc/accounts/kmail/huge-transports", test_kmail_huge_transports);
  g_test_add_func ("/mtc/accounts/kmail/kde4", test_kmail_kde4);
  g_test_add_func ("/mtc/accounts/kmail/defaults-per-version", test_kmail_defaults_per_version);
  g_test_add_func ("/mtc/accounts/nothing-found", test_nothing_found);
  return g_test_run ();
}
