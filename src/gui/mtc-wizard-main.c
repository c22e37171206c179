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
  g_autoptr(MtcApplication) application = NULL;

  mtc_locale_setup (argc, argv);
  mtc_paths_bind_textdomain (LIBEXECDIR);
  g_set_prgname ("mail-tls-check");
  g_set_application_name (_("Mail TLS Check"));

  application = mtc_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
