/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "mtc-cli.h"
#include "mtc-locale.h"
#include "mtc-paths.h"

#define WIZARD_NAME "mail-tls-check-wizard"

/* The terminal front end serves --check and its companions, and everything
 * when there is no display to show a window on. */
static gboolean
wants_terminal (int    argc,
                char **argv)
{
  static const char * const terminal_options[] = { "--check", "--json", "--version", "--list-clients",
                                                   "--list-systems", "--timeout", "--client", "--system",
                                                   "--provider", "--ca-file", "--max-connections", "--accounts",
                                                   "--account", NULL };

  for (int i = 1; i < argc; i++)
    for (int j = 0; terminal_options[j]; j++)
      if (g_str_has_prefix (argv[i], terminal_options[j]))
        return TRUE;
  return g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL;
}

/* --help lists the options of the manual page, also on a desktop: the
 * terminal front end's, not the wizard's. */
static gboolean
asks_for_help (int    argc,
               char **argv)
{
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (g_str_has_prefix (argv[i], "--help") || strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "-?") == 0)
      return TRUE;
  return FALSE;
}

/* The wizard is a program of its own, so that the command line does not
 * carry GTK: beside this program in a build tree, else where it is installed
 * (under the same root as this program). */
static char *
find_wizard (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;
  char *beside = dir ? g_build_filename (dir, WIZARD_NAME, NULL) : NULL;

  if (beside != NULL && g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
    return beside;
  g_free (beside);
  return mtc_paths_relocate (BINDIR, LIBEXECDIR G_DIR_SEPARATOR_S WIZARD_NAME);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *localedir = mtc_paths_localedir (BINDIR);
  g_autofree char *wizard = NULL;

  /* Debug messages (G_MESSAGES_DEBUG=mail-tls-check) go where errors go, so
   * that the report on standard output, JSON above all, stays whole. */
  g_log_writer_default_set_use_stderr (TRUE);
  mtc_locale_setup (argc, argv, localedir);
  g_set_prgname ("mail-tls-check");
  g_set_application_name (_("Mail TLS Check"));
  /* Said here for the wizard too, which runs in place of this program. */
  mtc_locale_check_catalogue (localedir);

  if (wants_terminal (argc, argv) || asks_for_help (argc, argv))
    return mtc_cli_run (argc, argv);

  wizard = find_wizard ();
  argv[0] = wizard;
  execv (wizard, argv);
  /* TRANSLATORS: the first %s is the wizard program's file, the second the reason */
  g_printerr (_("The wizard (%s) cannot be started: %s\n"), wizard, g_strerror (errno));
  return MTC_EXIT_USAGE;
}
