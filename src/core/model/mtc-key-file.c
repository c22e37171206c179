/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The localised keys of the data files (the knowledge base, the provider
 * profiles) in the current language. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-key-file.h"

/**
 * mtc_key_file_get_translated:
 * @keyfile: a key file loaded with %G_KEY_FILE_KEEP_TRANSLATIONS
 * @group: the group
 * @key: the key, without a locale
 * @error: where a missing group or key is said
 *
 * The value of a localised key in the current language (LANGUAGE,
 * LC_MESSAGES, as gettext has them): a `Key[xx]=` the file itself carries
 * for the language wins (a third-party profile may bring its own
 * translations); otherwise the English `Key=` goes through the program's
 * catalogue, so any catalogue present translates it, with no rebuild.
 * po/data-strings.py puts the bundled files' texts into the template.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL with @error set
 */
char *
mtc_key_file_get_translated (GKeyFile    *keyfile,
                             const char  *group,
                             const char  *key,
                             GError     **error)
{
  g_autofree char *locale = g_key_file_get_locale_for_key (keyfile, group, key, NULL);
  g_autofree char *value = NULL;

  if (locale != NULL)
    return g_key_file_get_locale_string (keyfile, group, key, locale, error);
  value = g_key_file_get_string (keyfile, group, key, error);
  if (value == NULL)
    return NULL;
  /* The template holds the text as the file has it, without the blanks
   * around it; "" would give the catalogue's header. */
  g_strstrip (value);
  if (*value == '\0')
    return g_steal_pointer (&value);
  return g_strdup (g_dgettext (GETTEXT_PACKAGE, value));
}
