/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mtc-knowledge.h"
#include "mtc-test-util.h"

/* The knowledge base: every fact sourced, the lookups the verdict relies on,
 * and clear errors for broken files. */

static MtcKnowledge *
load_default (void)
{
  g_autoptr(GError) error = NULL;
  MtcKnowledge *knowledge = mtc_knowledge_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (knowledge);
  return knowledge;
}

static void
test_default_loads (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  g_auto(GStrv) clients = mtc_knowledge_list_clients (knowledge);
  g_auto(GStrv) systems = mtc_knowledge_list_systems (knowledge);
  static const char * const wanted_clients[] = {
    "apple-mail", "thunderbird", "outlook", "windows-live-mail", "evolution", "geary", "kmail", "safari", "firefox",
  };
  static const char * const wanted_systems[] = {
    "macos-10.6", "macos-10.7", "macos-10.8", "macos-10.9", "macos-10.10", "macos-10.11", "macos-10.12",
    "macos-10.14", "macos-11", "windows-7", "windows-8", "windows-8.1", "windows-10", "linux",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (wanted_clients); i++)
    {
      g_assert_true (g_strv_contains ((const char * const *) clients, wanted_clients[i]));
      g_assert_true (mtc_knowledge_has_client (knowledge, wanted_clients[i]));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (wanted_systems); i++)
    {
      g_assert_true (g_strv_contains ((const char * const *) systems, wanted_systems[i]));
      g_assert_true (mtc_knowledge_has_system (knowledge, wanted_systems[i]));
    }
  g_assert_false (mtc_knowledge_has_client (knowledge, "mutt"));
  g_assert_false (mtc_knowledge_has_system (knowledge, "macos-9"));
  g_assert_false (mtc_knowledge_has_client (knowledge, NULL));
}

/* Read the data file itself, not through the loader: every [Fact] group
 * names sources, and every source says what it is. */
static void
test_every_fact_has_a_source (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "mail-tls-check.knowledge", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  g_autoptr(GPtrArray) facts = mtc_knowledge_list_facts (knowledge);
  g_auto(GStrv) groups = NULL;
  guint n_facts = 0;

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  groups = g_key_file_get_groups (file, NULL);
  for (int i = 0; groups[i]; i++)
    {
      g_auto(GStrv) sources = NULL;

      if (!g_str_has_prefix (groups[i], "Fact ") && !g_str_has_prefix (groups[i], "Fix ")
          && !g_str_has_prefix (groups[i], "Macs "))
        continue;
      if (g_str_has_prefix (groups[i], "Fact "))
        n_facts++;
      sources = g_key_file_get_string_list (file, groups[i], "Sources", NULL, NULL);
      g_test_message ("%s", groups[i]);
      g_assert_nonnull (sources);
      g_assert_cmpuint (g_strv_length (sources), >, 0);
      for (int j = 0; sources[j]; j++)
        {
          g_autofree char *source_group = g_strdup_printf ("Source %s", sources[j]);
          g_autofree char *title = g_key_file_get_string (file, source_group, "Title", NULL);
          g_autofree char *url = g_key_file_get_string (file, source_group, "Url", NULL);

          g_assert_true (g_key_file_has_group (file, source_group));
          g_assert_true ((title != NULL && *title) || (url != NULL && *url));
        }
    }
  /* The compiled-in copy holds the same facts. */
  g_assert_cmpuint (n_facts, ==, facts->len);
  for (guint i = 0; i < facts->len; i++)
    {
      const MtcKnowledgeFact *fact = g_ptr_array_index (facts, i);
      g_autofree char *described = mtc_knowledge_describe_sources (knowledge, (const char * const *) fact->sources);

      g_assert_cmpuint (g_strv_length (fact->sources), >, 0);
      g_assert_cmpstr (described, !=, "");
    }
}

static void
test_apple_mail (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  static const char * const old[] = { "macos-10.6", "macos-10.7", "macos-10.8", "macos-10.9", "macos-10.10",
                                      "macos-10.11" };
  static const char * const current[] = { "macos-10.12", "macos-10.13", "macos-10.14", "macos-10.15", "macos-11",
                                          "macos-14" };
  gboolean uncertain;

  for (gsize i = 0; i < G_N_ELEMENTS (old); i++)
    {
      g_assert_cmpint (mtc_knowledge_get_max_tls (knowledge, "apple-mail", old[i], &uncertain), ==, MTC_TLS_1_0);
      g_assert_false (uncertain);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (current); i++)
    {
      g_assert_cmpint (mtc_knowledge_get_max_tls (knowledge, "apple-mail", current[i], &uncertain), ==, MTC_TLS_1_2);
      g_assert_false (uncertain);
    }
  /* Apple Mail does not run on Windows: no fact, so unknown. */
  g_assert_cmpint (mtc_knowledge_get_max_tls (knowledge, "apple-mail", "windows-10", &uncertain), ==, MTC_TLS_UNKNOWN);
  g_assert_true (uncertain);
  g_assert_null (mtc_knowledge_lookup (knowledge, "apple-mail", NULL));
}

static void
test_thunderbird (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  const MtcKnowledgeFact *fact;

  fact = mtc_knowledge_lookup (knowledge, "thunderbird", "macos-10.11");
  g_assert_nonnull (fact);
  g_assert_cmpint (fact->max_tls, >=, MTC_TLS_1_2);
  g_assert_cmpstr (fact->client_version, ==, "78.14.0");
  g_assert_false (fact->client_version_uncertain);
  g_assert_true (fact->security_updates_ended);

  /* 78 needs 10.9: nothing is known for older systems. */
  g_assert_null (mtc_knowledge_lookup (knowledge, "thunderbird", "macos-10.8"));

  fact = mtc_knowledge_lookup (knowledge, "thunderbird", "macos-10.14");
  g_assert_nonnull (fact);
  g_assert_cmpstr (fact->client_version, ==, "115");
  g_assert_true (fact->client_version_uncertain);
  g_assert_false (fact->security_updates_ended);

  fact = mtc_knowledge_lookup (knowledge, "thunderbird", "windows-7");
  g_assert_nonnull (fact);
  g_assert_true (fact->client_version_uncertain);
  g_assert_cmpstr (fact->tls_library, ==, "nss");

  fact = mtc_knowledge_lookup (knowledge, "thunderbird", "linux");
  g_assert_nonnull (fact);
  g_assert_null (fact->client_version);
}

static void
test_outlook (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  const MtcKnowledgeFact *fact = mtc_knowledge_lookup (knowledge, "outlook", "windows-7");
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *url = NULL;

  g_assert_nonnull (fact);
  g_assert_cmpint (fact->max_tls, ==, MTC_TLS_1_0);
  g_assert_cmpstr (fact->fix, ==, "windows-7-tls12");
  g_assert_cmpint (fact->max_tls_with_fix, ==, MTC_TLS_1_2);
  title = mtc_knowledge_get_fix_title (knowledge, fact->fix);
  text = mtc_knowledge_get_fix_text (knowledge, fact->fix);
  url = mtc_knowledge_get_fix_url (knowledge, fact->fix);
  g_assert_nonnull (title);
  g_assert_nonnull (strstr (text, "KB3140245"));
  g_assert_nonnull (strstr (text, "DefaultSecureProtocols"));
  g_assert_cmpstr (url, ==, "https://support.microsoft.com/help/3140245");
  /* Whether Outlook honours the switch is uncertain: the data says so. */
  g_assert_true (mtc_knowledge_get_fix_uncertain (knowledge, fact->fix));

  fact = mtc_knowledge_lookup (knowledge, "outlook", "windows-8");
  g_assert_cmpint (fact->max_tls, ==, MTC_TLS_1_0);
  g_assert_true (fact->uncertain);
  fact = mtc_knowledge_lookup (knowledge, "outlook", "windows-10");
  g_assert_cmpint (fact->max_tls, ==, MTC_TLS_1_2);
  fact = mtc_knowledge_lookup (knowledge, "outlook", "windows-8.1");
  g_assert_cmpint (fact->max_tls, ==, MTC_TLS_1_2);
}

/* No source for Windows Live Mail: listed, but nothing claimed. */
static void
test_windows_live_mail_unknown (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  g_auto(GStrv) systems = mtc_knowledge_list_systems (knowledge);

  g_assert_true (mtc_knowledge_has_client (knowledge, "windows-live-mail"));
  for (int i = 0; systems[i]; i++)
    g_assert_cmpint (mtc_knowledge_get_max_tls (knowledge, "windows-live-mail", systems[i], NULL), ==,
                     MTC_TLS_UNKNOWN);
}

static void
test_linux_clients (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  static const struct {
    const char *client;
    const char *library;
  } cases[] = {
    { "evolution", "gnutls" },
    { "geary", "gnutls" },
    { "kmail", "openssl" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (knowledge, cases[i].client, "linux");

      g_assert_nonnull (fact);
      g_assert_cmpint (fact->max_tls, >=, MTC_TLS_1_2);
      g_assert_cmpstr (fact->tls_library, ==, cases[i].library);
      /* Only the libraries' own documentation is cited: marked uncertain. */
      g_assert_true (fact->uncertain);
    }
}

static void
test_models (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  static const struct {
    const char *model;
    const char *system;
    gboolean condition;
  } cases[] = {
    { "MacBookPro5,5", "macos-10.11", FALSE },
    { "macbookpro5,5", "macos-10.11", FALSE },
    { "iMac9,1", "macos-10.11", FALSE },
    { "MacBookAir2,1", "macos-10.11", FALSE },
    { "iMac10,1", "macos-10.13", FALSE },
    { "MacBookPro8,2", "macos-10.13", FALSE },
    { "MacPro5,1", "macos-10.14", TRUE },
    { "MacBookPro9,2", "macos-10.15", FALSE },
    { "MacBookAir6,2", "macos-11", FALSE },
    { "Macmini8,1", NULL, FALSE },
    { "PowerBook6,8", NULL, FALSE },
    { NULL, NULL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *condition = NULL;
      g_autofree char *system = mtc_knowledge_newest_system_for_model (knowledge, cases[i].model, &condition);

      g_assert_cmpstr (system, ==, cases[i].system);
      g_assert_true ((condition != NULL) == cases[i].condition);
      if (system != NULL)
        g_assert_true (mtc_knowledge_has_system (knowledge, system));
    }
}

static void
test_clients_on_system (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  g_auto(GStrv) mail_10_11 = mtc_knowledge_clients_on_system (knowledge, "macos-10.11", MTC_CLIENT_KIND_MAIL);
  g_auto(GStrv) web_10_11 = mtc_knowledge_clients_on_system (knowledge, "macos-10.11", MTC_CLIENT_KIND_BROWSER);
  g_auto(GStrv) mail_10_6 = mtc_knowledge_clients_on_system (knowledge, "macos-10.6", MTC_CLIENT_KIND_MAIL);
  g_auto(GStrv) web_10_6 = mtc_knowledge_clients_on_system (knowledge, "macos-10.6", MTC_CLIENT_KIND_BROWSER);
  g_auto(GStrv) mail_linux = mtc_knowledge_clients_on_system (knowledge, "linux", MTC_CLIENT_KIND_MAIL);
  g_auto(GStrv) mail_windows_7 = mtc_knowledge_clients_on_system (knowledge, "windows-7", MTC_CLIENT_KIND_MAIL);

  g_assert_true (g_strv_contains ((const char * const *) mail_10_11, "apple-mail"));
  g_assert_true (g_strv_contains ((const char * const *) mail_10_11, "thunderbird"));
  g_assert_false (g_strv_contains ((const char * const *) mail_10_11, "safari"));
  g_assert_true (g_strv_contains ((const char * const *) web_10_11, "safari"));
  g_assert_true (g_strv_contains ((const char * const *) web_10_11, "firefox"));
  g_assert_cmpstrv (mail_10_6, ((const char * const[]) { "apple-mail", NULL }));
  g_assert_cmpuint (g_strv_length (web_10_6), ==, 0);
  g_assert_cmpstrv (mail_linux, ((const char * const[]) { "thunderbird", "evolution", "geary", "kmail", NULL }));
  /* Windows Live Mail's ability is unknown, so it is never offered. */
  g_assert_cmpstrv (mail_windows_7, ((const char * const[]) { "thunderbird", "outlook", NULL }));
}

static void
test_systems_order (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  g_autofree char *first = mtc_knowledge_first_system_reaching (knowledge, "apple-mail", "macos", MTC_TLS_1_2);
  g_autofree char *never = mtc_knowledge_first_system_reaching (knowledge, "apple-mail", "macos", MTC_TLS_1_3);
  g_autofree char *tb = mtc_knowledge_first_system_reaching (knowledge, "thunderbird", "macos", MTC_TLS_1_2);

  g_assert_cmpstr (first, ==, "macos-10.12");
  g_assert_null (never);
  g_assert_cmpstr (tb, ==, "macos-10.9");
  g_assert_cmpint (mtc_knowledge_compare_systems (knowledge, "macos-10.9", "macos-10.11"), <, 0);
  g_assert_cmpint (mtc_knowledge_compare_systems (knowledge, "macos-10.11", "macos-11"), <, 0);
  g_assert_cmpint (mtc_knowledge_compare_systems (knowledge, "macos-26", "macos-15"), >, 0);
  g_assert_cmpint (mtc_knowledge_compare_systems (knowledge, "windows-8.1", "windows-8"), >, 0);
  g_assert_cmpint (mtc_knowledge_compare_systems (knowledge, "windows-10", "windows-10"), ==, 0);
  g_assert_cmpstr (mtc_knowledge_get_system_family (knowledge, "macos-10.11"), ==, "macos");
  g_assert_cmpstr (mtc_knowledge_get_system_family (knowledge, "windows-7"), ==, "windows");
  g_assert_null (mtc_knowledge_get_system_family (knowledge, "beos"));
}

static void
test_app_ids (void)
{
  g_autoptr(MtcKnowledge) knowledge = load_default ();
  static const struct {
    const char *app_id;
    const char *client;
  } cases[] = {
    { "org.mozilla.Thunderbird.desktop", "thunderbird" },
    { "thunderbird.desktop", "thunderbird" },
    { "net.thunderbird.Thunderbird.desktop", "thunderbird" },
    { "org.gnome.Evolution.desktop", "evolution" },
    { "org.gnome.Geary.desktop", "geary" },
    { "org.kde.kmail2.desktop", "kmail" },
    { "com.apple.mail", "apple-mail" },
    { "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "outlook" },
    { "C:\\Program Files (x86)\\Windows Live\\Mail\\wlmail.exe", "windows-live-mail" },
    { "org.example.Unknown.desktop", NULL },
    { "gedit.desktop", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *client = mtc_knowledge_client_for_app_id (knowledge, cases[i].app_id);

      g_assert_cmpstr (client, ==, cases[i].client);
    }
}

#define KB3140245 "Microsoft KB3140245: update to enable TLS 1.1 and TLS 1.2 as default secure protocols in WinHTTP " \
                  "in Windows"

/* The file's English through the catalogue, unless the file brings its own
 * translation (a Key[de]=). */
static void
test_localised (void)
{
  static const char data[] =
    "[Knowledge]\nVersion=1\n"
    "[Source s]\nTitle=A source\n"
    /* A title de.po translates: the file's own Title[de]= wins, or else
     * the catalogue's. */
    "[Source own]\nTitle=" KB3140245 "\nTitle[de]=Eigener Titel\n"
    "[Source catalogue]\nTitle=" KB3140245 "\n"
    "[System os-1]\nName=Example System\nName[de]=Beispielsystem\nFamily=linux\nVersion=1\n"
    "[Client mail]\nName=Mail program\nName[de]=E-Mail-Programm\nKind=mail\n"
    "[Fact mail-os-1]\nClient=mail\nSystems=os-1;\nMaxTls=1.2\nSources=s;\n"
    "Note=A note.\nNote[de]=Eine Notiz.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_from_data (data, -1, &error);
  g_autoptr(MtcKnowledge) builtin = load_default ();
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));

  g_assert_no_error (error);
  if (!mtc_test_use_catalogue ())
    return;

  g_setenv ("LANGUAGE", "de", TRUE);
  {
    static const char * const own[] = { "own", NULL };
    static const char * const catalogue[] = { "catalogue", NULL };
    g_autofree char *own_title = mtc_knowledge_describe_sources (knowledge, own);
    g_autofree char *catalogue_title = mtc_knowledge_describe_sources (knowledge, catalogue);

    g_autofree char *client = mtc_knowledge_get_client_name (knowledge, "mail");
    g_autofree char *system = mtc_knowledge_get_system_name (knowledge, "os-1");
    g_autofree char *note = mtc_knowledge_get_fact_note (knowledge, mtc_knowledge_lookup (knowledge, "mail", "os-1"));
    g_autofree char *fix = mtc_knowledge_get_fix_title (builtin, "windows-7-tls12");

    g_assert_cmpstr (client, ==, "E-Mail-Programm");
    g_assert_cmpstr (system, ==, "Beispielsystem");
    g_assert_cmpstr (note, ==, "Eine Notiz.");
    g_assert_cmpstr (fix, ==, "Die neuere Verschlüsselung in Windows 7 einschalten");
    g_assert_cmpstr (own_title, ==, "Eigener Titel");
    g_assert_cmpstr (catalogue_title, ==,
                     "Microsoft KB3140245: Update, das TLS 1.1 und TLS 1.2 in WinHTTP unter Windows als Standard "
                     "einschaltet");
  }
  g_setenv ("LANGUAGE", "en", TRUE);
  /* gettext keeps what it found until the locale is set again. */
  setlocale (LC_ALL, "");
  {
    g_autofree char *client = mtc_knowledge_get_client_name (knowledge, "mail");
    g_autofree char *fix = mtc_knowledge_get_fix_title (builtin, "windows-7-tls12");

    g_assert_cmpstr (client, ==, "Mail program");
    g_assert_cmpstr (fix, ==, "Switch On the Newer Encryption in Windows 7");
  }
  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

/* A small valid file; each broken case replaces one piece of it. */
#define VALID_HEAD "[Knowledge]\nVersion=1\n[Source s]\nTitle=A source\n" \
                   "[System os-1]\nName=OS\nFamily=linux\nVersion=1\n" \
                   "[Client mail]\nName=Mail\nKind=mail\n"

static void
test_broken (void)
{
  static const struct {
    const char *data;
    const char *words;
  } cases[] = {
    { "this is not a key file", "Knowledge base" },
    { "[Source s]\nTitle=x\n", "no format Version" },
    { "[Knowledge]\nVersion=2\n", "format version 2" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.2\n", "[Fact f]: no source" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.2\nSources=\n", "[Fact f]: no source" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.2\nSources=nowhere;\n",
      "“nowhere” in “Sources” names no [Source nowhere] group" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-2;\nMaxTls=1.2\nSources=s;\n", "names no [System os-2]" },
    { VALID_HEAD "[Fact f]\nClient=nobody\nSystems=os-1;\nMaxTls=1.2\nSources=s;\n", "names no [Client nobody]" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.5\nSources=s;\n", "MaxTls “1.5”" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nSources=s;\n", "“MaxTls” is missing" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.2\nSources=s;\nUncertain=maybe\n",
      "“Uncertain” must be true or false" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.2\nSources=s;\n"
      "[Fact g]\nClient=mail\nSystems=os-1;\nMaxTls=1.0\nSources=s;\n", "already described" },
    { VALID_HEAD "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.0\nSources=s;\nFix=x\n", "names no [Fix x]" },
    { VALID_HEAD "[Fix x]\nTitle=T\nText=T\nSources=s;\n"
      "[Fact f]\nClient=mail\nSystems=os-1;\nMaxTls=1.0\nSources=s;\nFix=x\n", "MaxTlsWithFix" },
    { VALID_HEAD "[Fix x]\nTitle=T\nText=T\n", "[Fix x]: no source" },
    { VALID_HEAD "[Source t]\nNote=nothing\n", "[Source t]: a source needs a Title or a Url" },
    { VALID_HEAD "[Source t]\nUrl=ftp://example.org\n", "not a web address" },
    { VALID_HEAD "[Program p]\nName=P\n", "[Program p]: unknown kind of group" },
    { VALID_HEAD "[Client bad id]\nName=P\nKind=mail\n", "not a valid id" },
    { VALID_HEAD "[Client web]\nName=P\nKind=gopher\n", "Kind must be mail or browser" },
    { VALID_HEAD "[System os-2]\nName=OS 2\nFamily=beos\nVersion=2\n", "Family must be" },
    { VALID_HEAD "[System os-2]\nName=OS 2\nFamily=linux\nVersion=two\n", "not numeric" },
    { VALID_HEAD "[System os-2]\nFamily=linux\nVersion=2\n", "“Name” is missing" },
    { VALID_HEAD "[Macs m]\nNewestSystem=os-1\nModels=A1,1;\n", "[Macs m]: no source" },
    { VALID_HEAD "[Macs m]\nNewestSystem=os-9\nModels=A1,1;\nSources=s;\n", "names no [System os-9]" },
    { VALID_HEAD "[Macs m]\nNewestSystem=os-1\nModels=A1,1;\nSources=s;\n"
      "[Macs n]\nNewestSystem=os-1\nModels=a1,1;\nSources=s;\n", "already listed" },
    { "[Knowledge]\nVersion=1\n[Source s]\nTitle=A source\n", "no clients or no systems" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_from_data (cases[i].data, -1, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error ? error->message : "(loaded)");
      g_assert_null (knowledge);
      g_assert_error (error, MTC_KNOWLEDGE_ERROR, MTC_KNOWLEDGE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "Knowledge base"));
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }

  /* The valid head itself loads: the cases above fail for their one reason. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_from_data (VALID_HEAD, -1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (knowledge);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mtc/knowledge/default-loads", test_default_loads);
  g_test_add_func ("/mtc/knowledge/every-fact-has-a-source", test_every_fact_has_a_source);
  g_test_add_func ("/mtc/knowledge/apple-mail", test_apple_mail);
  g_test_add_func ("/mtc/knowledge/thunderbird", test_thunderbird);
  g_test_add_func ("/mtc/knowledge/outlook", test_outlook);
  g_test_add_func ("/mtc/knowledge/windows-live-mail-unknown", test_windows_live_mail_unknown);
  g_test_add_func ("/mtc/knowledge/linux-clients", test_linux_clients);
  g_test_add_func ("/mtc/knowledge/models", test_models);
  g_test_add_func ("/mtc/knowledge/clients-on-system", test_clients_on_system);
  g_test_add_func ("/mtc/knowledge/systems-order", test_systems_order);
  g_test_add_func ("/mtc/knowledge/app-ids", test_app_ids);
  g_test_add_func ("/mtc/knowledge/localised", test_localised);
  g_test_add_func ("/mtc/knowledge/broken", test_broken);

  return g_test_run ();
}
