/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "mtc-application.h"
#include "mtc-cli.h"

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

static void
setup_locale (void)
{
  const char *localedir = g_getenv ("MTC_LOCALEDIR");
  const char *messages;

  setlocale (LC_ALL, "");
  /* In the plain C locale gettext ignores LANGUAGE; C.UTF-8 behaves the
   * same otherwise but lets a translation be chosen. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    setlocale (LC_ALL, "C.UTF-8");

  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* The terminal front end serves --check and its companions, and everything
 * when there is no display to show a window on. */
static gboolean
wants_terminal (int    argc,
                char **argv)
{
  static const char * const terminal_options[] = { "--check", "--json", "--version", "--list-clients",
                                                   "--list-systems", "--timeout", "--client", "--system",
                                                   "--provider", NULL };

  for (int i = 1; i < argc; i++)
    for (int j = 0; terminal_options[j]; j++)
      if (g_str_has_prefix (argv[i], terminal_options[j]))
        return TRUE;
  return g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MtcApplication) application = NULL;

  apply_language (argc, argv);
  setup_locale ();
  g_set_prgname ("mail-tls-check");
  g_set_application_name (_("Mail TLS Check"));

  if (wants_terminal (argc, argv))
    return mtc_cli_run (argc, argv);

  application = mtc_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
