/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>

#include "fuzz-endpoint.h"

/* Command-line targets: endpoint URLs, bare hosts, host:port.  Whatever
 * parses must be a usable endpoint whose URL, printed, parses back to the
 * same endpoint (so what the report shows is what was probed); whatever does
 * not parse must say why. */

#define FUZZ_MAX_INPUT (4 * MTC_TARGET_MAX_LENGTH)

static void
check_error (GError *error)
{
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == MTC_ERROR);
  FUZZ_CHECK (error->message != NULL && *error->message != '\0');
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
}

static void
check_endpoints (GPtrArray *endpoints,
                 GError    *error)
{
  if (endpoints == NULL)
    {
      check_error (error);
      return;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (endpoints->len == 1 || endpoints->len == 6);
  for (guint i = 0; i < endpoints->len; i++)
    check_endpoint (g_ptr_array_index (endpoints, i));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(MtcEndpoint) endpoint = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;
  text = fuzz_strndup (data, size);

  endpoints = mtc_target_parse (text, &error);
  check_endpoints (endpoints, error);
  g_clear_error (&error);

  hosts = mtc_target_parse_host (text, &error);
  check_endpoints (hosts, error);
  g_clear_error (&error);

  endpoint = mtc_endpoint_parse (text, &error);
  if (endpoint != NULL)
    check_endpoint (endpoint);
  else
    check_error (error);
  g_clear_error (&error);

  /* Callers that do not care why. */
  g_clear_pointer (&endpoints, g_ptr_array_unref);
  endpoints = mtc_target_parse (text, NULL);
  mtc_target_is_endpoint_url (text);
  return 0;
}
