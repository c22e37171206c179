/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-knowledge.h"
#include "mtc-report.h"
#include "../verdict-cases.h"

/* The knowledge file (GKeyFile): either a checked knowledge base or an error
 * naming the fault.  A knowledge base that loads is then used as the program
 * uses it: every look-up, and the verdict for every constructed case of
 * tests/verdict-cases.h, with the case's program and system and with those
 * the fuzzed file names. */

#define FUZZ_MAX_INPUT (256 * 1024)
#define MAX_IDS 6

static void
check_verdict (MtcVerdict *verdict)
{
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  FUZZ_CHECK (verdict != NULL);
  FUZZ_CHECK (verdict->id >= 0 && verdict->id < MTC_N_VERDICTS);
  FUZZ_CHECK (verdict->title != NULL && verdict->explanation != NULL);
  FUZZ_CHECK (verdict->steps != NULL && verdict->steps->len > 0);
  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      FUZZ_CHECK (step->id != NULL && step->title != NULL && step->text != NULL);
      FUZZ_CHECK (g_utf8_validate (step->text, -1, NULL));
    }
  json = mtc_verdict_to_json (verdict);
  FUZZ_CHECK (json != NULL && g_utf8_validate (json, -1, NULL));
  text = mtc_verdict_to_text (verdict);
  FUZZ_CHECK (text != NULL && g_utf8_validate (text, -1, NULL));
}

static void
decide (MtcKnowledge      *knowledge,
        const VerdictCase *c,
        const char        *client,
        const char        *system)
{
  g_autoptr(MtcDiagnosis) diagnosis = case_diagnosis (c);
  g_autoptr(MtcUserSide) user = case_user (c);
  g_autoptr(MtcProviderHints) hints = case_hints (c);
  g_autoptr(GDateTime) now = case_time (c->now != NULL ? c->now : CASE_NOW);
  g_autoptr(MtcVerdict) verdict = NULL;

  if (client != NULL)
    {
      g_free (user->client_id);
      user->client_id = g_strdup (client);
    }
  if (system != NULL)
    {
      g_free (user->system_id);
      user->system_id = g_strdup (system);
    }
  verdict = mtc_verdict_decide_at (diagnosis, user, hints, knowledge, now);
  check_verdict (verdict);
}

static void
use (MtcKnowledge *knowledge)
{
  g_auto(GStrv) clients = mtc_knowledge_list_clients (knowledge);
  g_auto(GStrv) systems = mtc_knowledge_list_systems (knowledge);
  g_autoptr(GPtrArray) facts = mtc_knowledge_list_facts (knowledge);
  guint n_clients, n_systems;

  FUZZ_CHECK (clients[0] != NULL && systems[0] != NULL);
  n_clients = MIN (g_strv_length (clients), MAX_IDS);
  n_systems = MIN (g_strv_length (systems), MAX_IDS);

  for (guint i = 0; i < facts->len; i++)
    {
      const MtcKnowledgeFact *fact = g_ptr_array_index (facts, i);
      g_autofree char *note = mtc_knowledge_get_fact_note (knowledge, fact);
      g_autofree char *sources = mtc_knowledge_describe_sources (knowledge, (const char * const *) fact->sources);

      FUZZ_CHECK (fact->sources != NULL && fact->sources[0] != NULL);
      FUZZ_CHECK (note == NULL || g_utf8_validate (note, -1, NULL));
      FUZZ_CHECK (sources != NULL && g_utf8_validate (sources, -1, NULL));
      FUZZ_CHECK (mtc_knowledge_has_client (knowledge, fact->client));
      if (fact->fix != NULL)
        {
          g_autofree char *title = mtc_knowledge_get_fix_title (knowledge, fact->fix);
          g_autofree char *text = mtc_knowledge_get_fix_text (knowledge, fact->fix);
          g_autofree char *url = mtc_knowledge_get_fix_url (knowledge, fact->fix);

          FUZZ_CHECK (title != NULL && text != NULL);
          FUZZ_CHECK (url == NULL || g_utf8_validate (url, -1, NULL));
          mtc_knowledge_get_fix_uncertain (knowledge, fact->fix);
        }
    }

  for (guint i = 0; i < n_clients; i++)
    {
      g_autofree char *name = mtc_knowledge_get_client_name (knowledge, clients[i]);
      g_autofree char *by_app = mtc_knowledge_client_for_app_id (knowledge, clients[i]);

      FUZZ_CHECK (name != NULL);
      FUZZ_CHECK (by_app == NULL || mtc_knowledge_has_client (knowledge, by_app));
      mtc_knowledge_get_client_kind (knowledge, clients[i]);
      for (guint j = 0; j < n_systems; j++)
        {
          gboolean uncertain;

          mtc_knowledge_lookup (knowledge, clients[i], systems[j]);
          mtc_knowledge_get_max_tls (knowledge, clients[i], systems[j], &uncertain);
        }
      for (MtcTlsVersion v = MTC_TLS_1_0; v < MTC_N_TLS_VERSIONS; v++)
        {
          g_autofree char *mac = mtc_knowledge_first_system_reaching (knowledge, clients[i], "macos", v);
          g_autofree char *windows = mtc_knowledge_first_system_reaching (knowledge, clients[i], "windows", v);

          FUZZ_CHECK (mac == NULL || mtc_knowledge_has_system (knowledge, mac));
          FUZZ_CHECK (windows == NULL || mtc_knowledge_has_system (knowledge, windows));
        }
    }
  for (guint j = 0; j < n_systems; j++)
    {
      g_autofree char *name = mtc_knowledge_get_system_name (knowledge, systems[j]);
      g_auto(GStrv) mail = mtc_knowledge_clients_on_system (knowledge, systems[j], MTC_CLIENT_KIND_MAIL);
      g_auto(GStrv) browsers = mtc_knowledge_clients_on_system (knowledge, systems[j], MTC_CLIENT_KIND_BROWSER);
      const char *family = mtc_knowledge_get_system_family (knowledge, systems[j]);

      FUZZ_CHECK (name != NULL);
      for (guint k = 0; mail[k] != NULL; k++)
        FUZZ_CHECK (mtc_knowledge_get_client_kind (knowledge, mail[k]) == MTC_CLIENT_KIND_MAIL);
      for (guint k = 0; browsers[k] != NULL; k++)
        FUZZ_CHECK (mtc_knowledge_get_client_kind (knowledge, browsers[k]) == MTC_CLIENT_KIND_BROWSER);
      FUZZ_CHECK (g_strcmp0 (family, "macos") == 0 || g_strcmp0 (family, "windows") == 0
                  || g_strcmp0 (family, "linux") == 0);
      for (guint k = 0; k < n_systems; k++)
        FUZZ_CHECK ((mtc_knowledge_compare_systems (knowledge, systems[j], systems[k]) < 0)
                    == (mtc_knowledge_compare_systems (knowledge, systems[k], systems[j]) > 0));
    }
  {
    static const char * const models[] = { "MacBookPro5,5", "macbookpro7,1", "iMac14,2", "", " " };

    for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
      {
        g_autofree char *condition = NULL;
        g_autofree char *newest = mtc_knowledge_newest_system_for_model (knowledge, models[i], &condition);

        FUZZ_CHECK (newest == NULL || mtc_knowledge_has_system (knowledge, newest));
      }
  }

  /* The verdicts: each case as written (its ids may be unknown to this
   * file), and the first case with the ids this file has. */
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    decide (knowledge, &verdict_cases[i], NULL, NULL);
  for (guint i = 0; i < n_clients; i++)
    for (guint j = 0; j < n_systems; j++)
      {
        decide (knowledge, &verdict_cases[0], clients[i], systems[j]);
        decide (knowledge, &verdict_cases[G_N_ELEMENTS (verdict_cases) - 1], clients[i], systems[j]);
      }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcKnowledge) knowledge = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;

  knowledge = mtc_knowledge_new_from_data ((const char *) data, size, &error);
  if (knowledge == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, MTC_KNOWLEDGE_ERROR, MTC_KNOWLEDGE_ERROR_INVALID));
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  use (knowledge);
  return 0;
}
