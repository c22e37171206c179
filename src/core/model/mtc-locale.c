/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-locale.h"

/* Whether po/LINGUAS lists LANGUAGE (a code such as "de"). */
static gboolean
is_translated (const char *language)
{
  g_auto (GStrv) linguas = g_strsplit (LINGUAS, " ", -1);

  return g_strv_contains ((const char * const *) linguas, language);
}

/* --lang must take effect before anything is translated, so it is read
 * ahead of the real option parsing. */
static void
apply_language (int    argc,
                char **argv)
{
  const char *lang = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (g_str_has_prefix (argv[i], "--lang="))
        lang = argv[i] + strlen ("--lang=");
      else if (strcmp (argv[i], "--lang") == 0 && i + 1 < argc)
        lang = argv[i + 1];
    }
  if (lang != NULL && (strcmp (lang, "en") == 0 || is_translated (lang)))
    g_setenv ("LANGUAGE", lang, TRUE);
}

/* The language asked for: the first of the user's languages (LANGUAGE, else
 * LC_ALL, LC_MESSAGES or LANG, as gettext reads them) that is English or a
 * translation the program has.  NULL for English. */
static char *
requested_language (void)
{
  const char * const *names = g_get_language_names ();

  for (int i = 0; names[i] != NULL; i++)
    {
      g_autofree char *code = g_strndup (names[i], strcspn (names[i], "_.@"));

      if (strcmp (code, "en") == 0 || strcmp (code, "C") == 0 || strcmp (code, "POSIX") == 0)
        return NULL;
      if (is_translated (code))
        return g_steal_pointer (&code);
    }
  return NULL;
}

/* Whether LOCALEDIR holds the program's catalogue for LANGUAGE under one of
 * the names gettext tries (de_DE.UTF-8, de_DE, de). */
static gboolean
has_catalogue (const char *localedir,
               const char *language)
{
  const char * const *names = g_get_language_names ();

  for (int i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (strncmp (names[i], language, strlen (language)) != 0
          || strcspn (names[i], "_.@") != strlen (language))
        continue;
      path = g_build_filename (localedir, names[i], "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }
  return FALSE;
}

/**
 * mtc_locale_setup:
 * @localedir: where the translations are (see mtc_paths_localedir())
 *
 * The locale and the translations of both front ends, --lang included.
 */
void
mtc_locale_setup (int         argc,
                  char      **argv,
                  const char *localedir)
{
  const char *messages;

  apply_language (argc, argv);
  setlocale (LC_ALL, "");
  /* In the plain C locale gettext ignores LANGUAGE; C.UTF-8 behaves the
   * same otherwise but lets a translation be chosen. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    setlocale (LC_ALL, "C.UTF-8");

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* GLib decides once, at its first translation, whether to translate at
   * all, and says no when the program's own domain has no catalogue for the
   * language in use (English). Asked before the domain is set, it says yes:
   * the wizard can then switch from English to German while running. */
  (void) g_dgettext (GETTEXT_PACKAGE, "");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * mtc_locale_check_catalogue:
 * @localedir: where the translations were looked for
 *
 * Says on stderr, in one line, when the user asked for a language the
 * program has a translation for (--lang, LANGUAGE, LANG) but its catalogue
 * is not in @localedir.  The program then speaks English; without this line
 * nobody would know why.  The line itself is English: its translation is
 * what is missing.
 */
void
mtc_locale_check_catalogue (const char *localedir)
{
  g_autofree char *language = requested_language ();

  if (language == NULL || has_catalogue (localedir, language))
    return;
  g_printerr ("%s: the translations for “%s” were not found in %s; going on in English.\n",
              g_get_prgname (), language, localedir);
}
