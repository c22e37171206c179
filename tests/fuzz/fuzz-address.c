/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-address.h"
#include "mtc-endpoint.h"

/* E-mail addresses as people type them, and mail domains.  An address that
 * parses has one "@", a local part, a domain in ASCII for DNS and the same
 * domain for people, and parses again from what is shown; a domain turns
 * into a lower-case ASCII name within DNS's limits. */

#define FUZZ_MAX_INPUT 4096

static void
check_error (GError *error)
{
  FUZZ_CHECK (g_error_matches (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET));
  FUZZ_CHECK (*error->message != '\0' && g_utf8_validate (error->message, -1, NULL));
}

static void
check_address (const MtcEmailAddress *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcEmailAddress) again = NULL;
  g_autoptr(MtcEmailAddress) copy = NULL;
  g_autofree char *expected = NULL;

  FUZZ_CHECK (address->local != NULL && *address->local != '\0');
  FUZZ_CHECK (strlen (address->local) <= MTC_ADDRESS_LOCAL_MAX_LENGTH);
  FUZZ_CHECK (strchr (address->local, '@') == NULL);
  FUZZ_CHECK (address->domain != NULL && *address->domain != '\0' && g_str_is_ascii (address->domain));
  FUZZ_CHECK (strchr (address->domain, '.') != NULL && strlen (address->domain) <= 253);
  for (const char *p = address->domain; *p; p++)
    FUZZ_CHECK (!g_ascii_isupper (*p));
  FUZZ_CHECK (fuzz_text_is_safe (address->local));
  FUZZ_CHECK (fuzz_text_is_clean (address->domain_display));
  FUZZ_CHECK (fuzz_text_is_safe (address->address));
  expected = g_strdup_printf ("%s@%s", address->local, address->domain);
  FUZZ_CHECK (strcmp (expected, address->address_ascii) == 0);

  /* What is shown is what is used. */
  again = mtc_email_address_parse (address->address, &error);
  if (again == NULL)
    fprintf (stderr, "“%s” does not parse again: %s\n", address->address, error->message);
  FUZZ_CHECK (again != NULL);
  if (strcmp (again->address_ascii, address->address_ascii) != 0)
    fprintf (stderr, "“%s” parses again as “%s”, not “%s”\n", address->address, again->address_ascii,
             address->address_ascii);
  FUZZ_CHECK (strcmp (again->address_ascii, address->address_ascii) == 0);

  copy = mtc_email_address_copy (address);
  FUZZ_CHECK (strcmp (copy->address, address->address) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcEmailAddress) address = NULL;
  g_autofree char *domain = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;
  text = fuzz_strndup (data, size);

  mtc_text_looks_like_email (text);
  address = mtc_email_address_parse (text, &error);
  if (address != NULL)
    check_address (address);
  else
    check_error (error);
  g_clear_error (&error);

  if (g_utf8_validate (text, -1, NULL))
    {
      domain = mtc_domain_to_ascii (text, &error);
      if (domain != NULL)
        {
          FUZZ_CHECK (*domain != '\0' && g_str_is_ascii (domain) && strlen (domain) <= 253);
          FUZZ_CHECK (domain[strlen (domain) - 1] != '.');
        }
      else
        check_error (error);
    }
  return 0;
}
