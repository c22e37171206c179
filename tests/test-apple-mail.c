/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mtc-accounts.h"
#include "mtc-apple-mail.h"
#include "mtc-plist.h"
#include "mtc-test-util.h"

/* Apple Mail's Accounts.plist in the layouts of OS X 10.7–10.9 (V2, XML)
 * and 10.10–10.11 (V3, binary), written by python3's plistlib
 * (tests/data/apple-mail/make-fixtures.py); broken, huge and hostile ones in
 * a home made for the test. */

#define PASSWORD "Geheim-Passwort-42"

typedef struct {
  GPtrArray *accounts;
  GPtrArray *problems;
  char *tmp_home;                /* a home made by the test, or NULL */
} Fixture;

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "apple-mail", name, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_account_free);
  fixture->problems = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->tmp_home != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->tmp_home, "Library", "Mail", "V3", "MailData",
                                                "Accounts.plist", NULL);
      const char *const parts[] = { "MailData", "V3", "Mail", "Library" };
      g_autofree char *dir = g_path_get_dirname (file);

      g_unlink (file);
      for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          char *up = g_path_get_dirname (dir);

          g_rmdir (dir);
          g_free (dir);
          dir = up;
        }
      g_rmdir (fixture->tmp_home);
      g_free (fixture->tmp_home);
    }
  g_ptr_array_unref (fixture->accounts);
  g_ptr_array_unref (fixture->problems);
}

/* A home whose V3 Accounts.plist holds CONTENTS (LENGTH bytes, or a file of
 * that many zero bytes when CONTENTS is NULL). */
static char *
make_home (Fixture    *fixture,
           const char *contents,
           gsize       length)
{
  g_autofree char *dir = NULL;
  char *file;

  fixture->tmp_home = g_dir_make_tmp ("mtc-apple-mail-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp_home);
  dir = g_build_filename (fixture->tmp_home, "Library", "Mail", "V3", "MailData", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  file = g_build_filename (dir, "Accounts.plist", NULL);
  if (contents != NULL)
    g_assert_true (g_file_set_contents (file, contents, length, NULL));
  else
    {
      FILE *f = fopen (file, "wb");

      g_assert_nonnull (f);
      g_assert_cmpint (fseek (f, (long) length - 1, SEEK_SET), ==, 0);
      g_assert_cmpint (fputc (' ', f), ==, ' ');
      fclose (f);
    }
  return file;
}

/* The password in the fixtures appears in no field and no sentence. */
static void
assert_no_password (Fixture *fixture)
{
  for (guint i = 0; i < fixture->accounts->len; i++)
    {
      MtcAccount *account = g_ptr_array_index (fixture->accounts, i);
      const char *fields[] = {
        account->program, account->program_version, account->address, account->display_name, account->file,
        account->incoming != NULL ? account->incoming->host : NULL,
        account->outgoing != NULL ? account->outgoing->host : NULL,
      };

      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_null (fields[f] != NULL ? strstr (fields[f], PASSWORD) : NULL);
    }
  for (guint i = 0; i < fixture->problems->len; i++)
    g_assert_null (strstr (g_ptr_array_index (fixture->problems, i), PASSWORD));
}

/* OS X 10.7–10.9: XML, SSLEnabled and PortNumber as the strings Mail writes,
 * a local account (left out), a POP account whose outgoing server is not in
 * the list, and passwords in the file. */
static void
test_v2_xml (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *home = fixture_path ("home-v2");
  g_autofree char *root = fixture_path ("no-such-root");
  MtcAccount *work, *pop, *other;

  mtc_apple_mail_read_with_root (home, root, fixture->accounts, fixture->problems);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
  g_assert_cmpuint (fixture->accounts->len, ==, 3);

  work = g_ptr_array_index (fixture->accounts, 0);
  g_assert_cmpstr (work->program, ==, "apple-mail");
  g_assert_null (work->program_version);
  g_assert_cmpstr (work->address, ==, "alice@example.net");
  g_assert_cmpstr (work->display_name, ==, "Work");
  g_assert_true (g_str_has_suffix (work->file, "/Library/Mail/V2/MailData/Accounts.plist"));
  mtc_test_assert_server (work->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.example.net", 993, MTC_ACCOUNT_SECURITY_SSL_TLS);
  /* Matched by SMTPIdentifier "smtp.example.net:alice@example.net", not the
   * first server of the list. */
  mtc_test_assert_server (work->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.example.net", 587, MTC_ACCOUNT_SECURITY_NONE);
  g_assert_cmpuint (work->tls_version_min, ==, 0);

  pop = g_ptr_array_index (fixture->accounts, 1);
  g_assert_cmpstr (pop->address, ==, "bob@example.net");
  mtc_test_assert_server (pop->incoming, MTC_ACCOUNT_SERVER_POP3, "pop.example.net", 110, MTC_ACCOUNT_SECURITY_NONE);
  g_assert_null (pop->outgoing);

  /* "Use SSL" on port 143 does not say whether Mail speaks TLS at once or
   * STARTTLS; an outgoing server without SSLEnabled says nothing either.
   * The first entry of EmailAddresses that is an address is taken. */
  other = g_ptr_array_index (fixture->accounts, 2);
  g_assert_cmpstr (other->address, ==, "dora@example.net");
  mtc_test_assert_server (other->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.mail.example.net", 143,
                 MTC_ACCOUNT_SECURITY_UNKNOWN);
  mtc_test_assert_server (other->outgoing, MTC_ACCOUNT_SERVER_SMTP, "smtp.other.example.net", 0,
                 MTC_ACCOUNT_SECURITY_UNKNOWN);
  assert_no_password (fixture);
}

/* OS X 10.10–10.11: binary, real booleans and integers, no port (Mail's
 * default), the V2 folder of an earlier system left beside it and not read,
 * and Mail.app's version from its Info.plist. */
static void
test_v3_binary (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *home = fixture_path ("home-v3");
  g_autofree char *root = fixture_path ("root-v3");
  MtcAccount *cloud, *carol;

  mtc_apple_mail_read_with_root (home, root, fixture->accounts, fixture->problems);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
  g_assert_cmpuint (fixture->accounts->len, ==, 2);

  /* iCloud's account class is an IMAP account; UseDefaultPorts sets the
   * port aside; its outgoing server is not in the list. */
  cloud = g_ptr_array_index (fixture->accounts, 0);
  g_assert_cmpstr (cloud->display_name, ==, "Cloud");
  mtc_test_assert_server (cloud->incoming, MTC_ACCOUNT_SERVER_IMAP, "imap.cloud.example.net", 0, MTC_ACCOUNT_SECURITY_SSL_TLS);
  g_assert_null (cloud->outgoing);

  carol = g_ptr_array_index (fixture->accounts, 1);
  g_assert_cmpstr (carol->program_version, ==, "8.2");
  g_assert_cmpstr (carol->address, ==, "carol@example.net");
  g_assert_true (g_str_has_suffix (carol->file, "/Library/Mail/V3/MailData/Accounts.plist"));
  mtc_test_assert_server (carol->incoming, MTC_ACCOUNT_SERVER_IMAP, "mail.example.net", 0, MTC_ACCOUNT_SECURITY_SSL_TLS);
  mtc_test_assert_server (carol->outgoing, MTC_ACCOUNT_SERVER_SMTP, "mail.example.net", 465, MTC_ACCOUNT_SECURITY_SSL_TLS);
  assert_no_password (fixture);
}

/* Through the accounts layer: the reader is in its table. */
static void
test_layer (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *home = fixture_path ("home-v2");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = mtc_accounts_find (home, &problems);
  gsize apple = 0;

  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (((MtcAccount *) g_ptr_array_index (accounts, i))->program, "apple-mail") == 0)
      apple++;
  g_assert_cmpuint (apple, ==, 3);
  g_ptr_array_extend_and_steal (fixture->accounts, g_steal_pointer (&accounts));
  g_ptr_array_extend_and_steal (fixture->problems, g_steal_pointer (&problems));
  assert_no_password (fixture);
}

static void
assert_one_problem (Fixture    *fixture,
                    const char *file)
{
  const char *sentence;

  g_assert_cmpuint (fixture->accounts->len, ==, 0);
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  sentence = g_ptr_array_index (fixture->problems, 0);
  g_test_message ("%s", sentence);
  g_assert_nonnull (strstr (sentence, file));
  g_assert_nonnull (strstr (sentence, "Apple Mail"));
}

/* A file cut in half: one sentence naming it, no account, and the other
 * readers of the layer go on (mtc_accounts_find returns). */
static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *home = fixture_path ("home-broken");
  g_autofree char *file = g_build_filename (home, "Library", "Mail", "V2", "MailData", "Accounts.plist", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  mtc_apple_mail_read_with_root (home, "/nonexistent", fixture->accounts, fixture->problems);
  assert_one_problem (fixture, file);

  accounts = mtc_accounts_find (home, &problems);
  g_assert_cmpuint (problems->len, >=, 1);
}

/* Not a property list, and a top value that is not a dictionary. */
static void
test_not_accounts (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char html[] = "<html><body>Accounts</body></html>";
  g_autofree char *file = make_home (fixture, html, strlen (html));

  mtc_apple_mail_read_with_root (fixture->tmp_home, "/nonexistent", fixture->accounts, fixture->problems);
  assert_one_problem (fixture, file);
  g_assert_true (g_file_set_contents (file, "<plist><array/></plist>", -1, NULL));
  g_ptr_array_set_size (fixture->problems, 0);
  mtc_apple_mail_read_with_root (fixture->tmp_home, "/nonexistent", fixture->accounts, fixture->problems);
  assert_one_problem (fixture, file);
}

/* A file over the size limit is not even read, and a small one that
 * expands without bound is refused by the parser's budget: both quickly. */
static void
test_huge (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *file = make_home (fixture, NULL, MTC_PLIST_MAX_SIZE + 4096);
  g_autofree char *bomb_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "apple-plist", "bomb.bplist", NULL);
  g_autofree char *bomb = NULL;
  gsize length = 0;

  g_test_timer_start ();
  mtc_apple_mail_read_with_root (fixture->tmp_home, "/nonexistent", fixture->accounts, fixture->problems);
  assert_one_problem (fixture, file);

  g_assert_true (g_file_get_contents (bomb_path, &bomb, &length, NULL));
  g_assert_true (g_file_set_contents (file, bomb, length, NULL));
  g_ptr_array_set_size (fixture->problems, 0);
  mtc_apple_mail_read_with_root (fixture->tmp_home, "/nonexistent", fixture->accounts, fixture->problems);
  assert_one_problem (fixture, file);
  g_test_message ("both refused in %.3f s", g_test_timer_elapsed ());
  g_assert_cmpfloat (g_test_timer_elapsed (), <, 5.0);
}

/* Without Library/Mail the reader does nothing (every computer but a Mac). */
static void
test_no_mail (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *home = fixture_path ("no-such-home");

  mtc_apple_mail_read_with_root (home, "/nonexistent", fixture->accounts, fixture->problems);
  g_assert_cmpuint (fixture->accounts->len, ==, 0);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
}

/* The sentence in German, from po/de.po (the build's catalogue). */
static void
test_german (Fixture       *fixture,
             gconstpointer  data)
{
  const char *localedir = g_getenv ("MTC_LOCALEDIR");
  g_autofree char *home = fixture_path ("home-broken");

  if (localedir == NULL)
    {
      g_test_skip ("MTC_LOCALEDIR is not set (run through meson test)");
      return;
    }
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  setlocale (LC_ALL, "");
  mtc_apple_mail_read_with_root (home, "/nonexistent", fixture->accounts, fixture->problems);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");

  g_assert_cmpuint (fixture->problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->problems, 0), "Die Einstellungen von Apple Mail in „"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mtc/apple-mail/v2-xml", Fixture, NULL, fixture_set_up, test_v2_xml, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/v3-binary", Fixture, NULL, fixture_set_up, test_v3_binary, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/layer", Fixture, NULL, fixture_set_up, test_layer, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/truncated", Fixture, NULL, fixture_set_up, test_truncated, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/not-accounts", Fixture, NULL, fixture_set_up, test_not_accounts, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/huge", Fixture, NULL, fixture_set_up, test_huge, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/no-mail", Fixture, NULL, fixture_set_up, test_no_mail, fixture_tear_down);
  g_test_add ("/mtc/apple-mail/german", Fixture, NULL, fixture_set_up, test_german, fixture_tear_down);
  return g_test_run ();
}
