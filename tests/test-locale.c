/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "mtc-locale.h"

/* The languages as the catalogues make them (core/model/mtc-locale.c):
 * catalogues written here in both byte orders, one without its language's
 * name, two broken ones, and the build's German one beside them. */

typedef struct
{
  char *localedir;
} Fixture;

static void
put_u32 (GByteArray *out,
         guint32     value,
         gboolean    big_endian)
{
  guint32 raw = big_endian ? GUINT32_TO_BE (value) : GUINT32_TO_LE (value);

  g_byte_array_append (out, (const guint8 *) &raw, sizeof raw);
}

/* A .mo file of @n pairs (@pairs: original, translation, …, sorted by
 * original), as msgfmt writes it: header, table of originals, table of
 * translations, the strings each ended by a NUL. */
static GBytes *
make_mo (const char * const *pairs,
         guint32             n,
         gboolean            big_endian)
{
  GByteArray *out = g_byte_array_new ();
  guint32 offset = 28 + 16 * n;

  put_u32 (out, 0x950412de, big_endian);
  put_u32 (out, 0, big_endian);
  put_u32 (out, n, big_endian);
  put_u32 (out, 28, big_endian);
  put_u32 (out, 28 + 8 * n, big_endian);
  put_u32 (out, 0, big_endian);
  put_u32 (out, offset, big_endian);
  for (guint side = 0; side < 2; side++)
    for (guint32 i = 0; i < n; i++)
      {
        const char *text = pairs[2 * i + side];

        put_u32 (out, strlen (text), big_endian);
        put_u32 (out, offset, big_endian);
        offset += strlen (text) + 1;
      }
  for (guint side = 0; side < 2; side++)
    for (guint32 i = 0; i < n; i++)
      g_byte_array_append (out, (const guint8 *) pairs[2 * i + side], strlen (pairs[2 * i + side]) + 1);
  return g_byte_array_free_to_bytes (out);
}

static void
write_catalogue (const char *localedir,
                 const char *code,
                 const void *data,
                 gsize       size)
{
  g_autofree char *folder = g_build_filename (localedir, code, "LC_MESSAGES", NULL);
  g_autofree char *path = g_build_filename (folder, GETTEXT_PACKAGE ".mo", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, data, size, NULL));
}

static void
write_mo (const char         *localedir,
          const char         *code,
          const char * const *pairs,
          guint32             n,
          gboolean            big_endian)
{
  g_autoptr(GBytes) mo = make_mo (pairs, n, big_endian);
  gsize size;
  const void *data = g_bytes_get_data (mo, &size);

  write_catalogue (localedir, code, data, size);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const french[] = {
    "Report of Mail TLS Check %s", "Rapport de Mail TLS Check %s",
    "language name\004English", "Français",
  };
  static const char * const brazilian[] = { "language name\004English", "Português (Brasil)" };
  static const char * const serbian[] = { "Report of Mail TLS Check %s", "Izveštaj %s" };
  g_autofree char *german = g_build_filename (g_getenv ("MTC_LOCALEDIR"), "de", NULL);
  g_autofree char *german_link = NULL;
  g_autofree char *empty = NULL;
  g_autoptr(GBytes) bad_offsets = NULL;
  const guint8 *bad_data;
  guint8 *broken;
  gsize size = 0;
  char *argv[] = { (char *) "test-locale", NULL };

  fixture->localedir = g_dir_make_tmp ("mtc-locale-XXXXXX", NULL);
  g_assert_nonnull (fixture->localedir);
  german_link = g_build_filename (fixture->localedir, "de", NULL);
  g_assert_cmpint (symlink (german, german_link), ==, 0);
  write_mo (fixture->localedir, "fr", french, 2, FALSE);
  write_mo (fixture->localedir, "pt_BR", brazilian, 1, TRUE);
  write_mo (fixture->localedir, "sr@latin", serbian, 1, FALSE);
  /* Cut off after the magic number; a translation that points past the end. */
  write_catalogue (fixture->localedir, "zz", "\xde\x12\x04\x95\0\0\0\0", 8);
  bad_offsets = make_mo (brazilian, 1, FALSE);
  /* The size first: the order in which arguments are evaluated is not defined. */
  bad_data = g_bytes_get_data (bad_offsets, &size);
  broken = g_memdup2 (bad_data, size);
  broken[28 + 8 + 7] = 0x7f;   /* the translation's offset, highest byte */
  write_catalogue (fixture->localedir, "yy", broken, size);
  g_free (broken);
  /* A folder without a catalogue is no language. */
  empty = g_build_filename (fixture->localedir, "es", "LC_MESSAGES", NULL);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);

  g_unsetenv ("LANGUAGE");
  mtc_locale_setup (1, argv, fixture->localedir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->localedir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->localedir);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_auto(GStrv) languages = mtc_locale_list_languages ();
  g_autofree char *described = mtc_locale_describe_languages ();
  const char * const expected[] = { "de", "en", "fr", "pt_BR", "sr@latin", "yy", "zz", NULL };

  /* By name: Deutsch, English, Français, Português (Brasil), then those
   * named by their codes. */
  g_assert_cmpstrv (languages, expected);
  g_assert_cmpstr (described, ==, "de, en, fr, pt_BR, sr@latin, yy, zz");
}

static void
test_names (Fixture       *fixture,
            gconstpointer  user_data)
{
  static const struct { const char *code, *name; } names[] = {
    { "en", "English" }, { "de", "Deutsch" }, { "fr", "Français" },
    { "pt_BR", "Português (Brasil)" },  /* a big-endian catalogue */
    { "sr@latin", "sr@latin" },         /* without its name */
    { "zz", "zz" }, { "yy", "yy" },     /* broken */
    { "xx", "xx" },                     /* no catalogue */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = mtc_locale_get_language_name (names[i].code);

      g_assert_cmpstr (name, ==, names[i].name);
    }
}

static void
test_available (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_assert_true (mtc_locale_is_available ("en"));
  g_assert_true (mtc_locale_is_available ("de"));
  g_assert_true (mtc_locale_is_available ("fr"));
  g_assert_true (mtc_locale_is_available ("sr@latin"));
  g_assert_false (mtc_locale_is_available ("xx"));
  g_assert_false (mtc_locale_is_available ("es"));
  g_assert_false (mtc_locale_is_available (""));
  g_assert_false (mtc_locale_is_available ("../fr"));
  g_assert_false (mtc_locale_is_available ("fr/.."));
}

/* The language in use: the first of the user's with a catalogue, as gettext
 * goes on past those without one. */
static void
test_current (Fixture       *fixture,
              gconstpointer  user_data)
{
  static const struct { const char *language, *current; } cases[] = {
    { "fr", "fr" }, { "es:fr", "fr" }, { "en:de", "de" }, { "pt_BR:de", "pt_BR" },
    { "fr_CA", "fr" }, { "es", "en" }, { "sr@latin", "sr@latin" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *current = NULL;

      g_setenv ("LANGUAGE", cases[i].language, TRUE);
      current = mtc_locale_get_language ();
      g_assert_cmpstr (current, ==, cases[i].current);
    }
  g_unsetenv ("LANGUAGE");
}

/* Switching while running, as the wizard's menu does. */
static void
test_switch (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const struct { const char *language, *text; } cases[] = {
    { "fr", "Rapport de Mail TLS Check %s" }, { "de", "Bericht von Mail-TLS-Check %s" },
    { "sr@latin", "Izveštaj %s" }, { "en", "Report of Mail TLS Check %s" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *current = NULL;

      mtc_locale_set_language (cases[i].language);
      current = mtc_locale_get_language ();
      g_assert_cmpstr (current, ==, cases[i].language);
      g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Report of Mail TLS Check %s"), ==, cases[i].text);
    }
  g_unsetenv ("LANGUAGE");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/mtc/locale/list", Fixture, NULL, fixture_set_up, test_list, fixture_tear_down);
  g_test_add ("/mtc/locale/names", Fixture, NULL, fixture_set_up, test_names, fixture_tear_down);
  g_test_add ("/mtc/locale/available", Fixture, NULL, fixture_set_up, test_available, fixture_tear_down);
  g_test_add ("/mtc/locale/current", Fixture, NULL, fixture_set_up, test_current, fixture_tear_down);
  g_test_add ("/mtc/locale/switch", Fixture, NULL, fixture_set_up, test_switch, fixture_tear_down);
  return g_test_run ();
}
