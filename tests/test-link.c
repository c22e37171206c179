/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-endpoint.h"
#include "mtc-link.h"

static MtcLinkRequest *
parse_ok (const char *uri)
{
  g_autoptr(GError) error = NULL;
  MtcLinkRequest *request = mtc_link_parse (uri, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_nonnull (request->ignored_keys);
  return request;
}

static void
test_valid (void)
{
  g_autoptr(MtcLinkRequest) both = parse_ok ("mail-tls-check:?provider=macbay-v3&email=alice%40example.net");
  g_autoptr(MtcLinkRequest) swapped = parse_ok ("mail-tls-check:?email=alice@example.net&provider=macbay-v3");
  g_autoptr(MtcLinkRequest) provider = parse_ok ("MAIL-TLS-CHECK:?provider=demo");
  g_autoptr(MtcLinkRequest) email = parse_ok ("mail-tls-check:?email=alice%2Btag%40Example.NET");
  g_autoptr(MtcLinkRequest) plus = parse_ok ("mail-tls-check:?email=alice+tag@example.net");

  g_assert_cmpstr (both->provider_id, ==, "macbay-v3");
  g_assert_cmpstr (both->email->address, ==, "alice@example.net");
  g_assert_cmpstr (swapped->provider_id, ==, "macbay-v3");
  g_assert_cmpstr (swapped->email->address, ==, "alice@example.net");
  g_assert_cmpstr (provider->provider_id, ==, "demo");
  g_assert_null (provider->email);
  g_assert_null (email->provider_id);
  /* "+" is a plus sign, not a space; the domain is lower-cased. */
  g_assert_cmpstr (email->email->address, ==, "alice+tag@example.net");
  g_assert_cmpstr (plus->email->address, ==, "alice+tag@example.net");
  g_assert_true (mtc_link_is_link ("Mail-Tls-Check:?provider=demo"));
  g_assert_false (mtc_link_is_link ("mail-tls-checker:?provider=demo"));
  g_assert_false (mtc_link_is_link (NULL));
}

static void
test_international (void)
{
  g_autoptr(MtcLinkRequest) encoded = parse_ok ("mail-tls-check:?email=j%C3%B6rg%40m%C3%BCller.de");
  g_autoptr(MtcLinkRequest) raw = parse_ok ("mail-tls-check:?email=jörg@müller.de");
  g_autoptr(MtcLinkRequest) again = NULL;
  g_autofree char *built = mtc_link_build ("macbay-v3", "jörg@müller.de");

  g_assert_cmpstr (encoded->email->address, ==, "jörg@müller.de");
  g_assert_cmpstr (encoded->email->domain, ==, "xn--mller-kva.de");
  g_assert_cmpstr (encoded->email->address_ascii, ==, "jörg@xn--mller-kva.de");
  g_assert_cmpstr (raw->email->address, ==, "jörg@müller.de");

  /* A built link is plain ASCII and reads back the same. */
  for (const char *p = built; *p; p++)
    g_assert_true (*p > 0x20 && *p < 0x7f);
  g_assert_cmpstr (built, ==, "mail-tls-check:?provider=macbay-v3&email=j%C3%B6rg%40m%C3%BCller.de");
  again = parse_ok (built);
  g_assert_cmpstr (again->provider_id, ==, "macbay-v3");
  g_assert_cmpstr (again->email->address, ==, "jörg@müller.de");
}

static void
test_unknown_keys (void)
{
  g_autoptr(MtcLinkRequest) request = parse_ok ("mail-tls-check:?provider=demo&lang=de&utm_source=article");

  g_assert_cmpstr (request->provider_id, ==, "demo");
  g_assert_cmpuint (g_strv_length (request->ignored_keys), ==, 2);
  g_assert_cmpstr (request->ignored_keys[0], ==, "lang");
  g_assert_cmpstr (request->ignored_keys[1], ==, "utm_source");
}

static const struct {
  const char *uri;
  const char *expect;
} hostile[] = {
  { "", "does not start" },
  { "http://evil.example/?provider=demo", "does not start" },
  { "mail-tls-check", "does not start" },
  { "mail-tls-check:", "must have the form" },
  { "mail-tls-check:provider=demo", "must have the form" },
  { "mail-tls-check://?provider=demo", "must have the form" },
  { "mail-tls-check:/?provider=demo", "must have the form" },
  { "mail-tls-check:?", "neither a provider nor" },
  { "mail-tls-check:?lang=de", "neither a provider nor" },
  { "mail-tls-check:?provider=demo#top", "“#”" },
  { "mail-tls-check:?provider=demo&provider=macbay-v3", "more than once" },
  { "mail-tls-check:?email=a@example.net&x=1&x=2", "more than once" },
  { "mail-tls-check:?provider=demo&&email=a@example.net", "empty part" },
  { "mail-tls-check:?provider=demo&", "empty part" },
  { "mail-tls-check:?&provider=demo", "empty part" },
  { "mail-tls-check:?provider", "no “=”" },
  { "mail-tls-check:?provider=", "is empty" },
  { "mail-tls-check:?provider=%", "hexadecimal" },
  { "mail-tls-check:?provider=%4", "hexadecimal" },
  { "mail-tls-check:?provider=%zz", "hexadecimal" },
  { "mail-tls-check:?=demo", "not a valid name" },
  { "mail-tls-check:?Provider=demo", "not a valid name" },
  { "mail-tls-check:?pro%76ider=demo", "not a valid name" },
  { "mail-tls-check:?provider=Demo", "not a provider ID" },
  { "mail-tls-check:?provider=..%2F..%2Fetc%2Fpasswd", "not a provider ID" },
  { "mail-tls-check:?provider=demo%26email%3Dx", "not a provider ID" },
  { "mail-tls-check:?email=alice%00@example.net", "not valid text" },
  { "mail-tls-check:?email=%FF%FE", "not valid text" },
  { "mail-tls-check:?email=alice%0A@example.net", "control characters" },
  { "mail-tls-check:?email=%E2%80%A8alice@example.net", "control characters" },
  { "mail-tls-check:?email=alice%E2%80%AEten.fed%40example.net", "control characters" },
  { "mail-tls-check:?email=al%E2%80%8Bice@example.net", "control characters" },
  { "mail-tls-check:?email=alice%20@example.net", "space" },
  { "mail-tls-check:?email=alice", "“@” is missing" },
  { "mail-tls-check:?email=@@", "more than once" },
  { "mail-tls-check:?email=alice@", "domain after the “@” is missing" },
  { "mail-tls-check:?email=%22Alice%22%20%3Calice@example.net%3E", "e-mail address" },
  { "mail-tls-check:?provider=demo x", "space" },
  { "mail-tls-check:?provider=demo\n", "control character" },
  { "mail-tls-check:?provider=demo\t", "control character" },
  { "mail-tls-check:?provider=<script>", "%3C" },
  { "mail-tls-check:?provider=demo&email=a{b}@example.net", "%7B" },
  { "mail-tls-check:?provider=demo&email=a\xff@example.net", "not valid text" },
  { "mail-tls-check:?provider=demo&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1", "not a valid name" },
};

static void
assert_refused (const char *uri,
                const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcLinkRequest) request = mtc_link_parse (uri, &error);

  g_assert_null (request);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
  g_test_message ("%s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p; p++)
    g_assert_true (*p == '\n' || !g_ascii_iscntrl (*p));
  /* The link is repeated shortened, never whole. */
  g_assert_cmpuint (strlen (error->message), <, 600);
  if (strstr (error->message, expect) == NULL)
    g_error ("“%s” not in the message for “%s”: %s", expect, uri, error->message);
}

static void
test_hostile (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hostile); i++)
    assert_refused (hostile[i].uri, hostile[i].expect);
}

static void
test_too_long (void)
{
  g_autoptr(GString) uri = g_string_new ("mail-tls-check:?provider=demo&padding=");
  g_autoptr(GString) email = g_string_new ("mail-tls-check:?email=");
  g_autofree char *nul = NULL;

  while (uri->len <= MTC_LINK_MAX_LENGTH)
    g_string_append (uri, "xxxxxxxxxx");
  assert_refused (uri->str, "longer than");

  /* Within the link's limit but not the address's. */
  for (int i = 0; i < 100; i++)
    g_string_append_c (email, 'a');
  g_string_append (email, "@example.net");
  assert_refused (email->str, "too long");

  nul = g_strdup ("mail-tls-check:?provider=demo");
  assert_refused (nul + 1, "does not start");
}

/* Random damage to good links: every result is a request or a clear error. */
static void
test_mutations (void)
{
  static const char *const seeds[] = {
    "mail-tls-check:?provider=macbay-v3&email=j%C3%B6rg%40m%C3%BCller.de",
    "mail-tls-check:?email=alice+tag@example.net&lang=de",
  };
  static const char alphabet[] = "%&=?#@:/+.-_ aZ09\x01\x7f\xc3\xbc\xff";

  for (int n = 0; n < 5000; n++)
    {
      g_autofree char *uri = g_strdup (seeds[n % G_N_ELEMENTS (seeds)]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcLinkRequest) request = NULL;
      gsize len = strlen (uri);
      int changes = g_test_rand_int_range (1, 4);

      for (int c = 0; c < changes; c++)
        uri[g_test_rand_int_range (strlen (MTC_LINK_SCHEME) + 1, len)] =
          alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      request = mtc_link_parse (uri, &error);
      if (request == NULL)
        {
          g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (request->provider_id != NULL || request->email != NULL);
          g_assert_true (request->provider_id == NULL || g_utf8_validate (request->provider_id, -1, NULL));
          g_assert_true (request->email == NULL || g_utf8_validate (request->email->address, -1, NULL));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mtc/link/valid", test_valid);
  g_test_add_func ("/mtc/link/international", test_international);
  g_test_add_func ("/mtc/link/unknown-keys", test_unknown_keys);
  g_test_add_func ("/mtc/link/hostile", test_hostile);
  g_test_add_func ("/mtc/link/too-long", test_too_long);
  g_test_add_func ("/mtc/link/mutations", test_mutations);
  return g_test_run ();
}
