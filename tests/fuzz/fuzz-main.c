/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "fuzz-common.h"

/* The corpus driver: without libFuzzer, runs every file of the given
 * directories (recursively, in name order) or the given files through the
 * fuzz target once, so that the seed corpus and every saved crash are part of
 * the normal test suite (and run under the sanitizers in the sanitizer
 * build).  Output is TAP.
 *
 *     fuzz-TARGET-corpus CORPUS [MORE…]
 *
 * The first path must exist and hold at least one file; the others (the
 * regressions directory) may be missing. */

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_strcmp0 (name, "README") != 0)
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    collect (g_ptr_array_index (names, i), files);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint n_required;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS [MORE…]\n", argv[0]);
      return 2;
    }
  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "%s: %s: %s\n", argv[0], argv[1], g_strerror (ENOENT));
      return 1;
    }
  collect (argv[1], files);
  n_required = files->len;
  for (int i = 2; i < argc; i++)
    if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
      collect (argv[i], files);
  if (n_required == 0)
    {
      /* A corpus test without inputs would pass without testing anything. */
      fprintf (stderr, "%s: %s holds no inputs\n", argv[0], argv[1]);
      return 1;
    }

  printf ("1..%u\n", files->len);
  fflush (stdout);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length;
      guint8 *exact;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, path, error->message);
          return 1;
        }
      /* An allocation of exactly the input's size, as libFuzzer passes it:
       * the sanitizers see a read past its end. */
      exact = malloc (length > 0 ? length : 1);
      memcpy (exact, contents, length);
      LLVMFuzzerTestOneInput (exact, length);
      free (exact);
      printf ("ok %u - %s (%" G_GSIZE_FORMAT " bytes)\n", i + 1, path, length);
      fflush (stdout);
    }
  return 0;
}
