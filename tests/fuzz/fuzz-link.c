/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-link.h"
#include "mtc-provider.h"

/* Support links (mail-tls-check:?provider=ID&email=ADDRESS), which come from
 * web pages: either a request with a valid provider ID and/or a checked
 * address, which mtc_link_build() turns back into a link that parses to the
 * same request, or an error whose message (it repeats the link) is safe to
 * show. */

#define FUZZ_MAX_INPUT (2 * MTC_LINK_MAX_LENGTH)

static void
check_request (const MtcLinkRequest *request)
{
  g_autoptr(MtcLinkRequest) copy = NULL;
  g_autoptr(MtcLinkRequest) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;

  FUZZ_CHECK (request->provider_id != NULL || request->email != NULL);
  FUZZ_CHECK (request->provider_id == NULL || mtc_provider_id_is_valid (request->provider_id));
  FUZZ_CHECK (request->ignored_keys != NULL);
  for (int i = 0; request->ignored_keys[i] != NULL; i++)
    FUZZ_CHECK (g_str_is_ascii (request->ignored_keys[i]));
  if (request->email != NULL)
    FUZZ_CHECK (fuzz_text_is_safe (request->email->address));

  link = mtc_link_build (request->provider_id, request->email ? request->email->address : NULL);
  again = mtc_link_parse (link, &error);
  if (again == NULL)
    fprintf (stderr, "the built link “%s” does not parse: %s\n", link, error->message);
  FUZZ_CHECK (again != NULL);
  FUZZ_CHECK (g_strcmp0 (again->provider_id, request->provider_id) == 0);
  FUZZ_CHECK ((again->email == NULL) == (request->email == NULL));
  if (again->email != NULL)
    FUZZ_CHECK (strcmp (again->email->address_ascii, request->email->address_ascii) == 0);

  copy = mtc_link_request_copy (request);
  FUZZ_CHECK (g_strcmp0 (copy->provider_id, request->provider_id) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcLinkRequest) request = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;
  text = fuzz_strndup (data, size);

  mtc_link_is_link (text);
  request = mtc_link_parse (text, &error);
  if (request != NULL)
    {
      FUZZ_CHECK (error == NULL);
      check_request (request);
    }
  else
    {
      FUZZ_CHECK (g_error_matches (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET));
      if (!fuzz_text_is_safe (error->message))
        fprintf (stderr, "unsafe error message: %s\n", error->message);
      FUZZ_CHECK (fuzz_text_is_safe (error->message));
    }
  return 0;
}
