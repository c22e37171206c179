/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-prefs-js.h"

/* Thunderbird's prefs.js, from a file on this computer that anything may
 * have written: either preferences whose names and texts are valid UTF-8,
 * each value a text, a 32-bit number or a truth value, or an error that
 * says which line. */

#define FUZZ_MAX_INPUT (256 * 1024)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) prefs = NULL;
  GHashTableIter iter;
  gpointer key, value;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;

  prefs = mtc_prefs_js_parse ((const char *) data, size, &error);
  if (prefs == NULL)
    {
      FUZZ_CHECK (error != NULL && error->message != NULL);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      FUZZ_CHECK (strstr (error->message, " 0:") == NULL);  /* lines count from 1 */
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  g_hash_table_iter_init (&iter, prefs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FUZZ_CHECK (g_utf8_validate (key, -1, NULL));
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          gsize length;
          const char *text = g_variant_get_string (value, &length);

          FUZZ_CHECK (g_utf8_validate (text, -1, NULL) && strlen (text) == length);
          FUZZ_CHECK (mtc_prefs_js_get_string (prefs, key) == text);
        }
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        {
          gint64 number = g_variant_get_int64 (value);

          FUZZ_CHECK (number >= G_MININT32 && number <= G_MAXINT32);
        }
      else
        FUZZ_CHECK (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN));
    }
  return 0;
}
