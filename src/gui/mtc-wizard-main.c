/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-application.h"
#include "mtc-locale.h"
#include "mtc-paths.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *localedir = mtc_paths_localedir (LIBEXECDIR);
  g_autoptr(MtcApplication) application = NULL;

  /* mail-tls-check, which starts this program, has already said whether
   * the catalogue of the language asked for is missing. */
  mtc_locale_setup (argc, argv, localedir);
  g_set_prgname ("mail-tls-check");
  g_set_application_name (_("Mail TLS Check"));

  application = mtc_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
