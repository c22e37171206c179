/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-address.h"
#include "mtc-endpoint.h"

/* The e-mail address a person types: what is accepted, what is refused with
 * which sentence, and the limits exactly at their bounds. */

static void
test_valid (void)
{
  static const struct { const char *text, *domain, *domain_display; } cases[] = {
    { "alice@example.net", "example.net", "example.net" },
    { "Alice.Smith+tag@Example.NET", "example.net", "example.net" },
    { "jörg@müller.de", "xn--mller-kva.de", "müller.de" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcEmailAddress) address = mtc_email_address_parse (cases[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (address->domain, ==, cases[i].domain);
      g_assert_cmpstr (address->domain_display, ==, cases[i].domain_display);
    }
}

static void
test_invalid (void)
{
  static const struct { const char *text, *words; } cases[] = {
    { "alice", "“@” is missing" },
    { "alice@bob@example.net", "more than once" },
    { "@example.net", "before the “@” is missing" },
    { "alice@", "after the “@” is missing" },
    { "al ice@example.net", "contains a space" },
    { "mailto:alice@example.net", "mailto:" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcEmailAddress) address = mtc_email_address_parse (cases[i].text, &error);

      g_test_message ("%s → %s", cases[i].text, error ? error->message : "(accepted)");
      g_assert_null (address);
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

/* RFC 5321: 64 bytes before the "@", 254 in all; 64 is fine, 65 is not. */
static void
test_limits (void)
{
  g_autofree char *local64 = g_strnfill (MTC_ADDRESS_LOCAL_MAX_LENGTH, 'a');
  g_autofree char *local65 = g_strnfill (MTC_ADDRESS_LOCAL_MAX_LENGTH + 1, 'a');
  g_autofree char *ok = g_strconcat (local64, "@example.net", NULL);
  g_autofree char *too_long = g_strconcat (local65, "@example.net", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcEmailAddress) accepted = mtc_email_address_parse (ok, &error);
  g_autoptr(MtcEmailAddress) refused = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (accepted);
  refused = mtc_email_address_parse (too_long, &error);
  g_assert_null (refused);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
  g_assert_nonnull (strstr (error->message, "too long"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/address/valid", test_valid);
  g_test_add_func ("/address/invalid", test_invalid);
  g_test_add_func ("/address/limits", test_limits);
  return g_test_run ();
}
