/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-plist.h"

/* Property lists, binary and XML (Apple Mail's Accounts.plist, Mail.app's
 * Info.plist): either a tree whose every string is valid text, whose
 * dictionaries find each of their own keys and which stays within the
 * parser's limits, or an error with a valid sentence. */

#define FUZZ_MAX_INPUT (256 * 1024)

static gsize
walk (const MtcPlist *plist,
      guint           depth)
{
  gsize values = 1;

  FUZZ_CHECK (depth <= MTC_PLIST_MAX_DEPTH);
  switch (mtc_plist_get_kind (plist))
    {
    case MTC_PLIST_STRING:
      FUZZ_CHECK (g_utf8_validate (mtc_plist_get_string (plist), -1, NULL));
      break;
    case MTC_PLIST_DICT:
      for (gsize i = 0; i < mtc_plist_get_length (plist); i++)
        {
          const char *key = mtc_plist_get_key (plist, i);
          const MtcPlist *found;

          FUZZ_CHECK (key != NULL && g_utf8_validate (key, -1, NULL));
          /* Look-ups are linear: the first keys only, or a large
           * dictionary would make the walk quadratic. */
          found = i < 64 ? mtc_plist_lookup (plist, key) : NULL;
          FUZZ_CHECK (i >= 64 || found != NULL);
          values += walk (mtc_plist_get_element (plist, i), depth + 1);
        }
      break;
    case MTC_PLIST_ARRAY:
      FUZZ_CHECK (mtc_plist_get_key (plist, 0) == NULL);
      for (gsize i = 0; i < mtc_plist_get_length (plist); i++)
        values += walk (mtc_plist_get_element (plist, i), depth + 1);
      break;
    default:
      FUZZ_CHECK (mtc_plist_get_length (plist) == 0);
      break;
    }
  return values;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) plist = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;

  plist = mtc_plist_parse ((const char *) data, size, &error);
  if (plist == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == MTC_PLIST_ERROR);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (walk (plist, 0) <= MTC_PLIST_MAX_VALUES);
  return 0;
}
