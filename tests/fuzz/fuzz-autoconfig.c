/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-endpoint.h"
#include "mtc-discovery.h"

/* Autoconfig files (Thunderbird's config-v1.1.xml), fetched from a
 * stranger's web server: either the servers it names, as endpoints shown as
 * they are probed, with the display name and user name safe to show, or an
 * error in plain words.  The first byte chooses the address the file is
 * for (ASCII or internationalised); the rest is the file. */

#define FUZZ_MAX_INPUT (MTC_AUTOCONFIG_MAX_SIZE + 1024)
#define FUZZ_URL "https://autoconfig.example.net/mail/config-v1.1.xml"

static MtcEmailAddress *
fuzz_address (guint8 choice)
{
  static const char * const addresses[] = { "alice@example.net", "jörg.müller@bücher.example" };
  g_autoptr(GError) error = NULL;
  MtcEmailAddress *address = mtc_email_address_parse (addresses[choice & 1], &error);

  FUZZ_CHECK (address != NULL);
  return address;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MtcEmailAddress) address = NULL;
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_set_up ();
  if (size < 1 || size > FUZZ_MAX_INPUT)
    return 0;
  address = fuzz_address (data[0]);

  result = mtc_discovery_parse_autoconfig ((const char *) data + 1, size - 1, address, FUZZ_URL, &error);
  if (result == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == MTC_ERROR);
      if (!fuzz_text_is_safe (error->message))
        fprintf (stderr, "unsafe error message: %s\n", error->message);
      FUZZ_CHECK (fuzz_text_is_safe (error->message));
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (result->source == MTC_DISCOVERY_SOURCE_AUTOCONFIG);
  FUZZ_CHECK (result->endpoints->len > 0);
  for (guint i = 0; i < result->endpoints->len; i++)
    {
      const MtcEndpoint *endpoint = g_ptr_array_index (result->endpoints, i);

      check_endpoint (endpoint);
      FUZZ_CHECK (endpoint->source != NULL && g_utf8_validate (endpoint->source, -1, NULL));
    }
  if (result->display_name != NULL && !fuzz_text_is_clean (result->display_name))
    fprintf (stderr, "unsafe display name: %s\n", result->display_name);
  FUZZ_CHECK (result->display_name == NULL || fuzz_text_is_clean (result->display_name));
  FUZZ_CHECK (result->username == NULL || fuzz_text_is_clean (result->username));
  FUZZ_CHECK (result->webmail_url == NULL || g_str_has_prefix (result->webmail_url, "https://"));
  FUZZ_CHECK (result->webmail_url == NULL || fuzz_text_is_clean (result->webmail_url));
  return 0;
}
