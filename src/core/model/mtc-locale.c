/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-locale.h"

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
  if (lang != NULL && (strcmp (lang, "de") == 0 || strcmp (lang, "en") == 0))
    g_setenv ("LANGUAGE", lang, TRUE);
}

/* The locale and the translations of both front ends; MTC_LOCALEDIR points
 * a build run in place at its own catalogues. */
void
mtc_locale_setup (int    argc,
                  char **argv)
{
  const char *localedir = g_getenv ("MTC_LOCALEDIR");
  const char *messages;

  apply_language (argc, argv);
  setlocale (LC_ALL, "");
  /* In the plain C locale gettext ignores LANGUAGE; C.UTF-8 behaves the
   * same otherwise but lets a translation be chosen. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    setlocale (LC_ALL, "C.UTF-8");

  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* GLib decides once, at its first translation, whether to translate at
   * all, and says no when the program's own domain has no catalogue for the
   * language in use (English). Asked before the domain is set, it says yes:
   * the wizard can then switch from English to German while running. */
  (void) g_dgettext (GETTEXT_PACKAGE, "");
  textdomain (GETTEXT_PACKAGE);
}
