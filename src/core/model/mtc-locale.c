/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-locale.h"

/* One language the program can speak: its code (the catalogue's folder)
 * and its name in itself. */
typedef struct
{
  char *code;
  char *name;
} Language;

/* Where the catalogues are (mtc_locale_setup()). */
static char *locale_dir;

static const char *
get_locale_dir (void)
{
  return locale_dir != NULL ? locale_dir : LOCALEDIR;
}

/* Whether LANGUAGE can name a folder of the locale directory: de, pt_BR,
 * sr@latin, en@pseudo, but nothing that leaves the folder. */
static gboolean
is_code (const char *language)
{
  return language != NULL && *language != '\0' && *language != '.' && strchr (language, G_DIR_SEPARATOR) == NULL;
}

static char *
catalogue_path (const char *localedir,
                const char *language)
{
  return g_build_filename (localedir, language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
}

/* Whether the locale directory holds the program's catalogue for LANGUAGE
 * (under exactly that name). */
static gboolean
is_installed (const char *language)
{
  g_autofree char *path = NULL;

  if (!is_code (language))
    return FALSE;
  path = catalogue_path (get_locale_dir (), language);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* Whether po/LINGUAS lists LANGUAGE (a code such as "de"): a language the
 * build itself translates, whose missing catalogue is a broken installation
 * (mtc_locale_check_catalogue()), not an unknown language. */
static gboolean
is_translated (const char *language)
{
  g_auto (GStrv) linguas = g_strsplit (LINGUAS, " ", -1);

  return g_strv_contains ((const char * const *) linguas, language);
}

static guint32
read_u32 (const guchar *data,
          gsize         offset,
          gboolean      swap)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return swap ? GUINT32_SWAP_LE_BE (value) : value;
}

/* The translation of KEY in the catalogue at PATH, read from the file
 * itself, so that looking up one language does not switch the program's:
 * the .mo format is a header (magic number, revision, number of strings,
 * offsets of the table of originals and of the table of translations),
 * each table a length and an offset per string (GNU gettext manual, "The
 * Format of GNU MO Files",
 * https://www.gnu.org/software/gettext/manual/html_node/MO-Files.html).
 * NULL when the file or the string is not there, or the file is broken. */
static char *
lookup_in_catalogue (const char *path,
                     const char *key)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  const guchar *data;
  gsize size, key_length = strlen (key);
  guint32 n, originals, translations;
  gboolean swap;

  if (file == NULL || g_mapped_file_get_length (file) < 20)
    return NULL;
  data = (const guchar *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  if (read_u32 (data, 0, FALSE) == 0x950412de)
    swap = FALSE;
  else if (read_u32 (data, 0, TRUE) == 0x950412de)
    swap = TRUE;
  else
    return NULL;
  n = read_u32 (data, 8, swap);
  originals = read_u32 (data, 12, swap);
  translations = read_u32 (data, 16, swap);
  if (originals > size || translations > size || n > (size - originals) / 8 || n > (size - translations) / 8)
    return NULL;

  for (guint32 i = 0; i < n; i++)
    {
      guint32 length = read_u32 (data, originals + 8 * (gsize) i, swap);
      guint32 offset = read_u32 (data, originals + 8 * (gsize) i + 4, swap);

      if (length != key_length || offset > size || length > size - offset || memcmp (data + offset, key, length) != 0)
        continue;
      length = read_u32 (data, translations + 8 * (gsize) i, swap);
      offset = read_u32 (data, translations + 8 * (gsize) i + 4, swap);
      if (length == 0 || offset > size || length > size - offset
          || !g_utf8_validate_len ((const char *) data + offset, length, NULL))
        return NULL;
      return g_strndup ((const char *) data + offset, length);
    }
  return NULL;
}

static void
clear_language (gpointer data)
{
  Language *language = data;

  g_free (language->code);
  g_free (language->name);
}

static int
compare_languages (gconstpointer a,
                   gconstpointer b)
{
  const Language *first = a, *second = b;
  g_autofree char *first_name = g_utf8_casefold (first->name, -1);
  g_autofree char *second_name = g_utf8_casefold (second->name, -1);
  int order = g_utf8_collate (first_name, second_name);

  return order != 0 ? order : strcmp (first->code, second->code);
}

/* Every language there is a catalogue for, and English, by name. */
static GArray *
list_languages (void)
{
  GArray *languages = g_array_new (FALSE, FALSE, sizeof (Language));
  g_autoptr(GDir) dir = g_dir_open (get_locale_dir (), 0, NULL);
  const char *entry;
  Language english = { g_strdup ("en"), mtc_locale_get_language_name ("en") };

  g_array_set_clear_func (languages, clear_language);
  g_array_append_val (languages, english);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    if (strcmp (entry, "en") != 0 && is_installed (entry))
      {
        Language language = { g_strdup (entry), mtc_locale_get_language_name (entry) };

        g_array_append_val (languages, language);
      }
  g_array_sort (languages, compare_languages);
  return languages;
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
  if (lang != NULL && mtc_locale_is_available (lang))
    g_setenv ("LANGUAGE", lang, TRUE);
  else if (g_getenv ("LANGUAGE") == NULL || *g_getenv ("LANGUAGE") == '\0')
    {
      /* The desktop's language (LC_ALL, LC_MESSAGES, LANG) when there is a
       * catalogue for it: gettext alone ignores it on a computer that lacks
       * the locale itself (fr_FR.UTF-8 not generated). */
      g_autofree char *desktop = mtc_locale_get_language ();

      if (strcmp (desktop, "en") != 0)
        g_setenv ("LANGUAGE", desktop, TRUE);
    }
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
      path = catalogue_path (localedir, names[i]);
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

  g_free (locale_dir);
  locale_dir = g_strdup (localedir);
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

/**
 * mtc_locale_is_available:
 * @language: a language code such as "de", "pt_BR" or "sr@latin"
 *
 * Whether the program speaks @language: English (the source), every
 * language with a catalogue in the locale directory, and those the build
 * translates (po/LINGUAS), whose missing catalogue
 * mtc_locale_check_catalogue() then says.
 */
gboolean
mtc_locale_is_available (const char *language)
{
  g_return_val_if_fail (language != NULL, FALSE);

  return strcmp (language, "en") == 0 || is_installed (language) || is_translated (language);
}

/**
 * mtc_locale_list_languages:
 *
 * The languages the program can speak: English and every language whose
 * catalogue is in the locale directory, so that a catalogue added is a
 * language without a change of code.  Sorted by their names
 * (mtc_locale_get_language_name()).
 *
 * Returns: (transfer full): the codes
 */
GStrv
mtc_locale_list_languages (void)
{
  g_autoptr(GArray) languages = list_languages ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < languages->len; i++)
    g_strv_builder_add (builder, g_array_index (languages, Language, i).code);
  return g_strv_builder_end (builder);
}

/**
 * mtc_locale_describe_languages:
 *
 * The codes of mtc_locale_list_languages() for a sentence: "de, en, fr".
 *
 * Returns: (transfer full): the list
 */
char *
mtc_locale_describe_languages (void)
{
  g_auto(GStrv) languages = mtc_locale_list_languages ();

  return g_strjoinv (", ", languages);
}

/**
 * mtc_locale_get_language_name:
 * @language: a language code
 *
 * The name of @language in itself (Deutsch, English, Français), as its
 * catalogue gives it; the code when the catalogue lacks the name.
 *
 * Returns: (transfer full): the name
 */
char *
mtc_locale_get_language_name (const char *language)
{
  g_autofree char *path = NULL;
  char *name;

  g_return_val_if_fail (language != NULL, NULL);

  if (strcmp (language, "en") == 0)
    /* TRANSLATORS: the name of your language, in your language ("Deutsch", "Français"), in the Language menu */
    return g_strdup (NC_("language name", "English"));
  if (!is_code (language))
    return g_strdup (language);
  path = catalogue_path (get_locale_dir (), language);
  name = lookup_in_catalogue (path, "language name\004English");
  return name != NULL ? name : g_strdup (language);
}

/**
 * mtc_locale_get_language:
 *
 * The language the program speaks now: the first of the user's languages
 * (LANGUAGE, else LC_ALL, LC_MESSAGES or LANG, as gettext reads them) that
 * has a catalogue, else English.
 *
 * Returns: (transfer full): its code
 */
char *
mtc_locale_get_language (void)
{
  const char * const *names = g_get_language_names ();

  /* gettext goes on past a language without a catalogue, English too. */
  for (int i = 0; names[i] != NULL; i++)
    if (is_installed (names[i]))
      return g_strdup (names[i]);
  return g_strdup ("en");
}

/**
 * mtc_locale_set_language:
 * @language: a code of mtc_locale_list_languages()
 *
 * Switches the language of everything translated from now on.
 */
void
mtc_locale_set_language (const char *language)
{
  g_return_if_fail (language != NULL);

  g_setenv ("LANGUAGE", language, TRUE);
  /* Setting the locale again makes gettext forget what it looked up. */
  setlocale (LC_MESSAGES, "");
  if (g_strcmp0 (setlocale (LC_MESSAGES, NULL), "C") == 0)
    setlocale (LC_MESSAGES, "C.UTF-8");
}
