/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-paths.h"

/* The folder the running program was installed into: "" for an ordinary
 * installation, the staging folder when it runs from a `meson install
 * --destdir` tree; NULL when it runs from anywhere else (a build tree).
 * @own_dir is the configured folder of the running program (BINDIR or
 * LIBEXECDIR). */
static char *
install_root (const char *own_dir)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;

  if (dir == NULL || !g_path_is_absolute (own_dir) || !g_str_has_suffix (dir, own_dir))
    return NULL;
  return g_strndup (dir, strlen (dir) - strlen (own_dir));
}

/**
 * mtc_paths_relocate:
 * @own_dir: the configured folder of the running program (BINDIR, LIBEXECDIR)
 * @configured: an installed file's configured path, e.g. LOCALEDIR
 *
 * Where an installed file really is: under the same root as the running
 * program, so that a staged installation uses its own files and not those
 * of another installation at the configured place.
 *
 * Returns: (transfer full): the path
 */
char *
mtc_paths_relocate (const char *own_dir,
                    const char *configured)
{
  g_autofree char *root = install_root (own_dir);

  if (root == NULL || *root == '\0')
    return g_strdup (configured);
  return g_build_filename (root, configured, NULL);
}

/**
 * mtc_paths_localedir:
 * @own_dir: the configured folder of the running program
 *
 * Where the program's translations are: MTC_LOCALEDIR when it is set (a
 * build run in place, the tests), otherwise LOCALEDIR under the installation
 * the program runs from.
 *
 * Returns: (transfer full): the folder
 */
char *
mtc_paths_localedir (const char *own_dir)
{
  const char *override = g_getenv ("MTC_LOCALEDIR");

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  return mtc_paths_relocate (own_dir, LOCALEDIR);
}
