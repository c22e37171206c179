/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-endpoint.h"
#include "mtc-provider.h"

/* Provider profiles (GKeyFile; the keys are described at the top of
 * data/providers/macbay-v3.provider), built in or given as a file: either a
 * profile whose every server is a usable endpoint and whose texts are valid
 * UTF-8 without control characters, or an error naming the fault. */

#define FUZZ_MAX_INPUT (MTC_PROVIDER_FILE_MAX_SIZE + 1024)

static void
check_text (const char *text,
            gboolean    required)
{
  if (text == NULL)
    {
      FUZZ_CHECK (!required);
      return;
    }
  FUZZ_CHECK (*text != '\0' && g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    FUZZ_CHECK (!g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
use (MtcProvider *provider)
{
  GPtrArray *servers = mtc_provider_get_servers (provider);
  const char * const *domains = mtc_provider_get_domains (provider);
  g_autoptr(GPtrArray) endpoints = mtc_provider_dup_endpoints (provider);
  g_autoptr(MtcProviderHints) hints = mtc_provider_dup_hints (provider);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  FUZZ_CHECK (mtc_provider_id_is_valid (mtc_provider_get_id (provider)));
  check_text (mtc_provider_get_name (provider), TRUE);
  check_text (mtc_provider_get_support (provider), FALSE);
  check_text (mtc_provider_get_help_title (provider), FALSE);
  check_text (mtc_provider_get_expected_issuer (provider), FALSE);
  check_text (mtc_provider_get_webmail_url (provider), FALSE);
  check_text (mtc_provider_get_support_url (provider), FALSE);
  check_text (mtc_provider_get_help_url (provider), FALSE);
  FUZZ_CHECK (mtc_provider_get_min_version (provider) >= MTC_TLS_UNKNOWN
              && mtc_provider_get_min_version (provider) < MTC_N_TLS_VERSIONS);
  FUZZ_CHECK (servers != NULL && domains != NULL && endpoints != NULL && hints != NULL);
  FUZZ_CHECK (mtc_provider_is_demo (provider) || servers->len > 0);
  for (guint i = 0; i < servers->len; i++)
    {
      const MtcProviderServer *server = g_ptr_array_index (servers, i);

      check_endpoint (server->endpoint);
      FUZZ_CHECK (!server->candidate || server->note != NULL);
    }
  for (guint i = 0; i < endpoints->len; i++)
    check_endpoint (g_ptr_array_index (endpoints, i));
  for (int i = 0; domains[i] != NULL; i++)
    {
      FUZZ_CHECK (g_str_is_ascii (domains[i]));
      FUZZ_CHECK (mtc_provider_matches_domain (provider, domains[i]));
    }
  mtc_provider_matches_domain (provider, "example.net");
  mtc_provider_has_candidates (provider);
  mtc_provider_get_min_version_since (provider);

  g_ptr_array_add (list, provider);
  if (domains[0] != NULL)
    FUZZ_CHECK (mtc_provider_find_for_domain (list, domains[0]) == provider);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProvider) provider = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;

  provider = mtc_provider_new_from_data ((const char *) data, size, "fuzz.provider", &error);
  if (provider == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER));
      if (!g_utf8_validate (error->message, -1, NULL))
        fprintf (stderr, "error message not UTF-8: %s\n", error->message);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  use (provider);
  return 0;
}
