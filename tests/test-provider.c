/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mtc-provider.h"
#include "mtc-test-util.h"

#define VALID_HEAD "[Provider]\nId=test\nName=Test provider\n"
#define VALID_SERVER "[Server mail]\nUrls=imaps://mail.example.net\n"

static const struct {
  const char *name;
  const char *data;
  const char *expect[3];   /* each must appear in the message */
} broken[] = {
  { "empty", "", { "it is empty" } },
  { "binary", "[Provider]\nId=te\0st\n", { "not a text file" } },
  { "latin1", "[Provider]\nId=test\nName=M\xfcller\n" VALID_SERVER, { "not a text file" } },
  { "not-a-keyfile", "this is not a key file at all\n", { "key file format" } },
  { "no-provider-group", VALID_SERVER, { "[Provider]", "missing" } },
  { "no-id", "[Provider]\nName=X\n" VALID_SERVER, { "“Id”", "missing" } },
  { "bad-id", "[Provider]\nId=Mac Bay\nName=X\n" VALID_SERVER, { "“Id”", "Mac Bay" } },
  { "id-path", "[Provider]\nId=../../etc/passwd\nName=X\n" VALID_SERVER, { "“Id”", "lower-case" } },
  { "no-name", "[Provider]\nId=test\n" VALID_SERVER, { "“Name”", "missing" } },
  { "empty-name", "[Provider]\nId=test\nName=  \n" VALID_SERVER, { "“Name”", "empty" } },
  { "unknown-key", VALID_HEAD "WebmailURL=https://x.example.net\n" VALID_SERVER, { "“WebmailURL”", "not known" } },
  { "unknown-group", VALID_HEAD "[Servers]\nUrls=imaps://x.example.net\n", { "[Servers]", "not known" } },
  { "server-no-name", VALID_HEAD "[Server ]\nUrls=imaps://x.example.net\n", { "[Server ]", "not known" } },
  { "duplicate-key", VALID_HEAD "Name=Other\n" VALID_SERVER, { "“Name”", "twice" } },
  { "duplicate-group", VALID_HEAD VALID_SERVER "[Provider]\nMinimumTls=1.2\n", { "[Provider]", "twice" } },
  { "bad-tls", VALID_HEAD "MinimumTls=1.5\n" VALID_SERVER, { "“MinimumTls”", "1.5" } },
  { "bad-date", VALID_HEAD "MinimumTls=1.2\nMinimumTlsSince=09.02.2018\n" VALID_SERVER,
    { "“MinimumTlsSince”", "2018-02-09" } },
  { "impossible-date", VALID_HEAD "MinimumTls=1.2\nMinimumTlsSince=2018-02-30\n" VALID_SERVER,
    { "“MinimumTlsSince”" } },
  { "date-without-version", VALID_HEAD "MinimumTlsSince=2018-02-09\n" VALID_SERVER, { "“MinimumTls”", "missing" } },
  { "webmail-http", VALID_HEAD "WebmailUrl=http://webmail.example.net\n" VALID_SERVER, { "“WebmailUrl”", "https://" } },
  { "webmail-bad-host", VALID_HEAD "WebmailUrl=https://bad_host_-.example.net:99999/\n" VALID_SERVER,
    { "“WebmailUrl”" } },
  { "help-javascript", VALID_HEAD "HelpUrl=javascript:alert(1)\n" VALID_SERVER, { "“HelpUrl”", "web address" } },
  { "support-empty-mailto", VALID_HEAD "SupportUrl=mailto:\n" VALID_SERVER, { "“SupportUrl”" } },
  { "demo-yes", VALID_HEAD "Demo=yes\n", { "“Demo”", "true or false" } },
  { "demo-with-servers", VALID_HEAD "Demo=true\n" VALID_SERVER, { "[Server mail]", "demo" } },
  { "candidate-without-note", VALID_HEAD "[Server mail]\nUrls=imaps://mail.example.net\nCandidate=true\n",
    { "[Server mail]", "Note" } },
  { "bad-url", VALID_HEAD "[Server mail]\nUrls=imaps://mail.example.net;ftp://mail.example.net\n",
    { "ftp://mail.example.net", "“Urls”" } },
  { "url-with-at", VALID_HEAD "[Server mail]\nUrls=alice@example.net\n", { "alice@example.net", "“Urls”" } },
  { "empty-urls", VALID_HEAD "[Server mail]\nUrls=;\n", { "“Urls”", "empty" } },
  { "no-urls", VALID_HEAD "[Server mail]\nCandidate=false\n", { "“Urls”", "missing" } },
  { "no-servers", VALID_HEAD, { "no mail servers" } },
  { "bad-domain", VALID_HEAD "Domains=example.net;bad..example.net\n" VALID_SERVER, { "bad..example.net", "“Domains”" } },
  { "not-localisable", VALID_HEAD "Id[de]=test\n" VALID_SERVER, { "“Id[de]”", "translated" } },
  { "control-character", VALID_HEAD "Support=call \x01 us\n" VALID_SERVER, { "“Support”", "control" } },
  { "bad-bool", VALID_HEAD "[Server mail]\nUrls=imaps://mail.example.net\nCandidate=1\n", { "“Candidate”" } },
};

static void
assert_broken (const char *data,
               gsize       length,
               const char *const *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProvider) provider = mtc_provider_new_from_data (data, length, "broken.provider", &error);

  g_assert_null (provider);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "broken.provider"));
  for (int i = 0; i < 3 && expect[i] != NULL; i++)
    if (strstr (error->message, expect[i]) == NULL)
      g_error ("“%s” not in the message: %s", expect[i], error->message);
}

static void
test_broken (gconstpointer data)
{
  gsize i = GPOINTER_TO_SIZE (data);
  gsize length = strlen (broken[i].data);

  /* The binary case has a nul byte inside: give the full literal length. */
  if (strcmp (broken[i].name, "binary") == 0)
    length = sizeof "[Provider]\nId=te\0st\n" - 1;
  assert_broken (broken[i].data, length, broken[i].expect);
}

static void
test_broken_too_large (void)
{
  g_autoptr(GString) data = g_string_new (VALID_HEAD VALID_SERVER);
  const char *const expect[] = { "64 KiB", NULL };

  while (data->len <= MTC_PROVIDER_FILE_MAX_SIZE)
    g_string_append (data, "# padding padding padding padding padding padding padding\n");
  assert_broken (data->str, data->len, expect);
}

static void
test_builtin_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = mtc_provider_list_builtin (&error);

  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 2);
  g_assert_cmpstr (mtc_provider_get_id (g_ptr_array_index (providers, 0)), ==, "demo");
  g_assert_cmpstr (mtc_provider_get_id (g_ptr_array_index (providers, 1)), ==, "macbay-v3");
}

static void
test_builtin_macbay (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProvider) provider = mtc_provider_lookup ("macbay-v3", &error);
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(MtcProviderHints) hints = NULL;
  g_autofree char *since = NULL;
  static const guint16 ports[] = { 587, 465, 143, 993, 110, 995 };
  GPtrArray *servers;
  MtcEndpoint *webmail;

  g_assert_no_error (error);
  g_assert_cmpstr (mtc_provider_get_id (provider), ==, "macbay-v3");
  g_assert_cmpstr (mtc_provider_get_name (provider), ==, "macbay (v3 platform)");
  g_assert_false (mtc_provider_is_demo (provider));
  /* The article names no e-mail domains. */
  g_assert_cmpuint (g_strv_length ((GStrv) mtc_provider_get_domains (provider)), ==, 0);
  g_assert_cmpstr (mtc_provider_get_webmail_url (provider), ==, "https://cube.macbay.net:2096");
  g_assert_cmpint (mtc_provider_get_min_version (provider), ==, MTC_TLS_1_2);
  since = g_date_time_format (mtc_provider_get_min_version_since (provider), "%F");
  g_assert_cmpstr (since, ==, "2018-02-09");
  /* Not published: no expected issuer, no support address. */
  g_assert_null (mtc_provider_get_expected_issuer (provider));
  g_assert_null (mtc_provider_get_support_url (provider));
  g_assert_nonnull (mtc_provider_get_support (provider));
  g_assert_cmpstr (mtc_provider_get_help_url (provider), ==,
                   "http://hilfe.macbay.de/v3-email-versandprobleme-mit-aelteren-macos/");

  /* The mail host is a candidate on the six mail ports, and the only host. */
  g_assert_true (mtc_provider_has_candidates (provider));
  servers = mtc_provider_get_servers (provider);
  g_assert_cmpuint (servers->len, ==, G_N_ELEMENTS (ports));
  for (guint i = 0; i < servers->len; i++)
    {
      MtcProviderServer *server = g_ptr_array_index (servers, i);

      g_assert_cmpstr (server->endpoint->host, ==, "cube.macbay.net");
      g_assert_cmpuint (server->endpoint->port, ==, ports[i]);
      g_assert_true (server->candidate);
      g_assert_nonnull (strstr (server->note, "2096"));
      g_assert_nonnull (strstr (server->note, "cPanel"));
      g_assert_nonnull (strstr (server->endpoint->source, "candidate"));
    }

  endpoints = mtc_provider_dup_endpoints (provider);
  g_assert_cmpuint (endpoints->len, ==, 7);
  for (guint i = 0; i < endpoints->len; i++)
    g_assert_cmpstr (((MtcEndpoint *) g_ptr_array_index (endpoints, i))->host, ==, "cube.macbay.net");
  webmail = g_ptr_array_index (endpoints, 6);
  g_assert_cmpint (webmail->protocol, ==, MTC_PROTOCOL_HTTPS);
  g_assert_cmpuint (webmail->port, ==, 2096);
  g_assert_nonnull (strstr (webmail->source, "webmail"));

  hints = mtc_provider_dup_hints (provider);
  g_assert_cmpstr (hints->provider_name, ==, "macbay (v3 platform)");
  g_assert_cmpstr (hints->webmail_url, ==, "https://cube.macbay.net:2096");
  g_assert_cmpint (hints->min_version, ==, MTC_TLS_1_2);
  g_assert_null (hints->expected_issuer);
  /* The article publishes no support address; the article itself is not one. */
  g_assert_null (hints->support_contact);
  /* Candidates only: nothing published says STARTTLS should be there. */
  g_assert_null (hints->starttls_published);
}

static void
test_builtin_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProvider) provider = mtc_provider_lookup ("demo", &error);
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) all = NULL;

  g_assert_no_error (error);
  g_assert_true (mtc_provider_is_demo (provider));
  g_assert_cmpstr (mtc_provider_get_name (provider), ==, "Demo provider");
  g_assert_true (mtc_provider_matches_domain (provider, "demo.mail-tls-check.invalid"));
  g_assert_true (mtc_provider_matches_domain (provider, "DEMO.mail-tls-check.invalid"));
  g_assert_false (mtc_provider_matches_domain (provider, "mail-tls-check.invalid"));
  g_assert_cmpstr (mtc_provider_get_expected_issuer (provider), ==, "Mail TLS Check Demo CA");
  g_assert_cmpint (mtc_provider_get_min_version (provider), ==, MTC_TLS_1_2);
  /* Its servers are the built-in demo servers, started by the caller. */
  g_assert_cmpuint (mtc_provider_get_servers (provider)->len, ==, 0);
  endpoints = mtc_provider_dup_endpoints (provider);
  g_assert_cmpuint (endpoints->len, ==, 0);

  all = mtc_provider_list_builtin (NULL);
  g_assert_true (mtc_provider_find_for_domain (all, "demo.mail-tls-check.invalid")
                 == g_ptr_array_index (all, 0));
  g_assert_null (mtc_provider_find_for_domain (all, "example.net"));
}

static void
test_builtin_localised (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr(MtcProvider) demo = NULL;
  g_autoptr(MtcProvider) macbay = NULL;

  if (!mtc_test_use_catalogue ())
    return;
  g_setenv ("LANGUAGE", "de", TRUE);
  demo = mtc_provider_lookup ("demo", NULL);
  macbay = mtc_provider_lookup ("macbay-v3", NULL);
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  g_assert_cmpstr (mtc_provider_get_name (demo), ==, "Demo-Anbieter");
  g_assert_nonnull (strstr (mtc_provider_get_support (macbay), "Support von macbay"));
  g_assert_nonnull (strstr (((MtcProviderServer *) g_ptr_array_index (mtc_provider_get_servers (macbay), 0))->note,
                            "nennt die Namen seiner Mailserver nicht"));
}

static void
test_lookup_unknown (void)
{
  static const char *const ids[] = { "nope", "Demo", "../etc/passwd", "demo.provider", "", "demo\n",
                                     "\xff\xfe", "a-very-long-id-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcProvider) provider = mtc_provider_lookup (ids[i], &error);

      g_assert_null (provider);
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "demo, macbay-v3"));
    }
}

static void
test_full_profile (void)
{
  const char *data =
    "# A profile with every key\n"
    "[Provider]\n"
    "Id=example-mail\n"
    "Name=Example Mail\n"
    "Name[de]=Beispiel-Mail\n"
    "Domains=example.net; müller.de ;\n"
    "WebmailUrl=https://webmail.example.net/\n"
    "MinimumTls=1.3\n"
    "MinimumTlsSince=2024-01-31\n"
    "ExpectedIssuer=Let's Encrypt\n"
    "Support=Call us\n"
    "SupportUrl=mailto:support@example.net\n"
    "HelpTitle=TLS 1.3 only\n"
    "HelpUrl=https://help.example.net/tls\n"
    "\n"
    "[Server published]\n"
    "Urls=smtps://mail.example.net;imaps://mail.example.net:993\n"
    "\n"
    "[Server guess]\n"
    "Urls=mail.müller.de\n"
    "Candidate=true\n"
    "Note=Not published; the usual name.\n"
    "Note[de]=Nicht veröffentlicht.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProvider) provider = mtc_provider_new_from_data (data, -1, "full.provider", &error);
  g_autoptr(GPtrArray) endpoints = NULL;
  GPtrArray *servers;
  MtcProviderServer *server;

  g_assert_no_error (error);
  g_assert_cmpstr (mtc_provider_get_origin (provider), ==, "full.provider");
  g_assert_true (mtc_provider_matches_domain (provider, "example.net"));
  g_assert_true (mtc_provider_matches_domain (provider, "xn--mller-kva.de"));
  g_assert_cmpint (mtc_provider_get_min_version (provider), ==, MTC_TLS_1_3);
  g_assert_cmpstr (mtc_provider_get_expected_issuer (provider), ==, "Let's Encrypt");
  g_assert_cmpstr (mtc_provider_get_support_url (provider), ==, "mailto:support@example.net");

  servers = mtc_provider_get_servers (provider);
  g_assert_cmpuint (servers->len, ==, 2 + 6);
  server = g_ptr_array_index (servers, 0);
  g_assert_false (server->candidate);
  g_assert_null (server->note);
  g_assert_cmpuint (server->endpoint->port, ==, 465);
  server = g_ptr_array_index (servers, 2);
  g_assert_true (server->candidate);
  g_assert_cmpstr (server->endpoint->host, ==, "mail.xn--mller-kva.de");
  g_assert_cmpstr (server->endpoint->host_display, ==, "mail.müller.de");

  endpoints = mtc_provider_dup_endpoints (provider);
  g_assert_cmpuint (endpoints->len, ==, 2 + 6 + 1);
  g_assert_cmpuint (((MtcEndpoint *) g_ptr_array_index (endpoints, 8))->port, ==, 443);
}

/* The hints name the STARTTLS endpoints the provider published, and only
 * those: a candidate is a guess, not evidence that STARTTLS belongs there. */
static void
test_hints_starttls_published (void)
{
  const char *data =
    "[Provider]\n"
    "Id=example-mail\n"
    "Name=Example Mail\n"
    "Support=Call us\n"
    "\n"
    "[Server published]\n"
    "Urls=smtp://Mail.Example.net:587;imap://mail.example.net:143;imaps://mail.example.net:993;"
    "https://webmail.example.net\n"
    "\n"
    "[Server guess]\n"
    "Urls=mail.example.org\n"
    "Candidate=true\n"
    "Note=Not published; the usual name.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProvider) provider = mtc_provider_new_from_data (data, -1, "published.provider", &error);
  g_autoptr(MtcProviderHints) hints = NULL;

  g_assert_no_error (error);
  hints = mtc_provider_dup_hints (provider);
  g_assert_nonnull (hints->starttls_published);
  g_assert_cmpuint (hints->starttls_published->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (hints->starttls_published, 0), ==, "smtp://mail.example.net:587");
  g_assert_cmpstr (g_ptr_array_index (hints->starttls_published, 1), ==, "imap://mail.example.net:143");
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(MtcProvider) provider = NULL;
  int fd;

  fd = g_file_open_tmp ("mtc-XXXXXX.provider", &path, &error);
  g_assert_no_error (error);
  close (fd);

  /* A good file: by its path, and through mtc_provider_load(). */
  g_assert_true (g_file_set_contents (path, VALID_HEAD VALID_SERVER, -1, NULL));
  provider = mtc_provider_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mtc_provider_get_id (provider), ==, "test");
  g_assert_cmpstr (mtc_provider_get_origin (provider), ==, path);
  g_clear_object (&provider);

  /* A broken one: the message names the file and the key. */
  g_assert_true (g_file_set_contents (path, VALID_HEAD "MinimumTls=TLS1.2\n" VALID_SERVER, -1, NULL));
  provider = mtc_provider_load (path, &error);
  g_assert_null (provider);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "MinimumTls"));
  g_clear_error (&error);
  g_unlink (path);

  /* Missing, a folder, a device that never ends. */
  provider = mtc_provider_load (path, &error);
  g_assert_null (provider);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  dir = g_dir_make_tmp ("mtc-XXXXXX", &error);
  g_assert_no_error (error);
  provider = mtc_provider_new_from_file (dir, &error);
  g_assert_null (provider);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER);
  g_assert_nonnull (strstr (error->message, "folder"));
  g_clear_error (&error);
  g_rmdir (dir);

  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      provider = mtc_provider_new_from_file ("/dev/zero", &error);
      g_assert_null (provider);
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER);
      g_assert_nonnull (strstr (error->message, "64 KiB"));
      g_clear_error (&error);
    }

  /* An ID is looked up among the built-in profiles, not as a file. */
  provider = mtc_provider_load ("demo", &error);
  g_assert_no_error (error);
  g_assert_true (mtc_provider_is_demo (provider));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mtc/provider/builtin/list", test_builtin_list);
  g_test_add_func ("/mtc/provider/builtin/macbay-v3", test_builtin_macbay);
  g_test_add_func ("/mtc/provider/builtin/demo", test_builtin_demo);
  g_test_add_func ("/mtc/provider/builtin/localised", test_builtin_localised);
  g_test_add_func ("/mtc/provider/lookup/unknown", test_lookup_unknown);
  g_test_add_func ("/mtc/provider/full", test_full_profile);
  g_test_add_func ("/mtc/provider/file", test_file);
  g_test_add_func ("/mtc/provider/hints/starttls-published", test_hints_starttls_published);
  g_test_add_func ("/mtc/provider/broken/too-large", test_broken_too_large);
  for (gsize i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/provider/broken/%s", broken[i].name);

      g_test_add_data_func (path, GSIZE_TO_POINTER (i), test_broken);
    }
  return g_test_run ();
}
