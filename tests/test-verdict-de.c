/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "verdict-cases.h"

/* Every text of every verdict has a German translation in po/de.po: the
 * verdicts of all cases are made once without a catalogue (the English
 * source) and once in German, and no text may come out the same. */

static GPtrArray *
collect_texts (MtcKnowledge *knowledge)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  /* Translated long ago: shows the switch of language itself works. */
  g_ptr_array_add (texts, g_strdup (mtc_status_describe (MTC_STATUS_OK)));
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      g_autoptr(MtcVerdict) verdict = case_verdict (&verdict_cases[i], knowledge);

      g_ptr_array_add (texts, g_strdup (verdict->title));
      g_ptr_array_add (texts, g_strdup (verdict->explanation));
      for (guint s = 0; s < verdict->steps->len; s++)
        {
          const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, s);

          g_ptr_array_add (texts, g_strdup (step->title));
          g_ptr_array_add (texts, g_strdup (step->text));
          if (step->username != NULL)
            g_ptr_array_add (texts, g_strdup (step->username));
        }
    }
  /* The headings of the text report. */
  g_ptr_array_add (texts, g_strdup (_("What you can do:")));
  g_ptr_array_add (texts, g_strdup (_("Details for support:")));
  g_ptr_array_add (texts, g_strdup (_("User name: %s")));
  g_ptr_array_add (texts, g_strdup (_("%s: server %s, port %u, security %s")));
  return texts;
}

static void
test_german (void)
{
  const char *localedir = g_getenv ("MTC_LOCALEDIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_default (&error);
  g_autoptr(GPtrArray) english = NULL;
  g_autoptr(GPtrArray) german = NULL;
  guint untranslated = 0;

  g_assert_no_error (error);
  if (localedir == NULL)
    {
      g_test_skip ("MTC_LOCALEDIR is not set (run through meson test)");
      return;
    }

  /* No catalogue: the English source texts. */
  g_setenv ("LANGUAGE", "en", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, "/nonexistent");
  setlocale (LC_ALL, "");
  english = collect_texts (knowledge);

  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  setlocale (LC_ALL, "");
  german = collect_texts (knowledge);

  g_assert_cmpuint (english->len, ==, german->len);
  g_assert_cmpstr (g_ptr_array_index (english, 0), !=, g_ptr_array_index (german, 0));
  for (guint i = 0; i < english->len; i++)
    if (g_strcmp0 (g_ptr_array_index (english, i), g_ptr_array_index (german, i)) == 0)
      {
        g_test_message ("untranslated: %s", (const char *) g_ptr_array_index (english, i));
        untranslated++;
      }
  g_test_message ("%u of %u texts untranslated", untranslated, english->len);
  g_assert_cmpuint (untranslated, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mtc/verdict-de/translated", test_german);
  return g_test_run ();
}
