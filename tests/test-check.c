/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-check.h"
#include "mtc-check-enums.h"
#include "mtc-endpoint.h"

/* MtcCheck against the demo provider on loopback: the phases in order, one
 * "endpoint-done" per endpoint with the counts, the verdict. */

typedef struct {
  MtcCheck *check;
  GArray *phases;               /* of MtcCheckPhase, as announced */
  GArray *done;                 /* of guint: n_done of each "endpoint-done" */
  guint n_total;
  guint n_wrong_total;
  GAsyncResult *result;
} Fixture;

static gboolean
same_endpoint (const MtcEndpoint *a,
               const MtcEndpoint *b)
{
  g_autofree char *url_a = mtc_endpoint_to_url (a);
  g_autofree char *url_b = mtc_endpoint_to_url (b);

  return g_strcmp0 (url_a, url_b) == 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MtcUserSide) user = mtc_user_side_new ();

  /* The help article's case: Apple Mail on OS X 10.11, another computer. */
  user->client_id = g_strdup ("apple-mail");
  user->system_id = g_strdup ("macos-10.11");
  user->this_computer = FALSE;
  fixture->check = mtc_check_new (NULL);
  mtc_check_set_demo (fixture->check, TRUE);
  mtc_check_set_timeout (fixture->check, 5000);
  mtc_check_set_user_side (fixture->check, user);
  fixture->phases = g_array_new (FALSE, FALSE, sizeof (MtcCheckPhase));
  fixture->done = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->check);
  g_clear_object (&fixture->result);
  g_array_unref (fixture->phases);
  g_array_unref (fixture->done);
}

static void
phase_changed_cb (MtcCheck      *check,
                  MtcCheckPhase  phase,
                  Fixture       *fixture)
{
  g_array_append_val (fixture->phases, phase);
}

static void
endpoint_done_cb (MtcCheck          *check,
                  guint              index,
                  MtcEndpointResult *result,
                  guint              n_done,
                  guint              n_total,
                  Fixture           *fixture)
{
  GPtrArray *endpoints = mtc_check_get_endpoints (check);

  g_assert_nonnull (result);
  g_assert_cmpuint (index, <, endpoints->len);
  g_assert_true (same_endpoint (result->endpoint, g_ptr_array_index (endpoints, index)));
  if (n_total != endpoints->len)
    fixture->n_wrong_total++;
  fixture->n_total = n_total;
  g_array_append_val (fixture->done, n_done);
}

static void
finished_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->result = g_object_ref (result);
}

static void
run (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_signal_connect (fixture->check, "phase-changed", G_CALLBACK (phase_changed_cb), fixture);
  g_signal_connect (fixture->check, "endpoint-done", G_CALLBACK (endpoint_done_cb), fixture);
  mtc_check_run_async (fixture->check, NULL, finished_cb, fixture);
  while (fixture->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (mtc_check_run_finish (fixture->check, fixture->result, &error));
  g_assert_no_error (error);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  const MtcCheckPhase expected[] = {
    MTC_CHECK_PHASE_DISCOVERING, MTC_CHECK_PHASE_PROBING, MTC_CHECK_PHASE_DECIDING, MTC_CHECK_PHASE_DONE,
  };
  GPtrArray *endpoints;
  const MtcVerdict *verdict;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  run (fixture);

  g_assert_cmpuint (fixture->phases->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (fixture->phases, MtcCheckPhase, i), ==, expected[i]);
  g_assert_cmpint (mtc_check_get_phase (fixture->check), ==, MTC_CHECK_PHASE_DONE);

  endpoints = mtc_check_get_endpoints (fixture->check);
  g_assert_nonnull (endpoints);
  g_assert_cmpuint (endpoints->len, >, 0);
  g_assert_cmpuint (fixture->n_wrong_total, ==, 0);
  g_assert_cmpuint (fixture->n_total, ==, endpoints->len);
  g_assert_cmpuint (fixture->done->len, ==, endpoints->len);
  for (guint i = 0; i < fixture->done->len; i++)
    g_assert_cmpuint (g_array_index (fixture->done, guint, i), ==, i + 1);
  g_assert_cmpuint (mtc_check_get_n_done (fixture->check), ==, endpoints->len);
  g_assert_cmpuint (mtc_check_get_n_total (fixture->check), ==, endpoints->len);

  g_assert_nonnull (mtc_check_get_diagnosis (fixture->check));
  g_assert_cmpuint (mtc_check_get_diagnosis (fixture->check)->results->len, ==, endpoints->len);
  verdict = mtc_check_get_verdict (fixture->check);
  g_assert_nonnull (verdict);
  g_assert_cmpstr (mtc_verdict_id_to_string (verdict->id), ==, "client-too-old");
  g_assert_true (mtc_check_found_problem (fixture->check));

  json = mtc_check_dup_json_report (fixture->check);
  g_assert_nonnull (strstr (json, "\"client-too-old\""));
  text = mtc_check_dup_text_report (fixture->check);
  g_assert_cmpuint (strlen (text), >, 0);
}

/* A prepared check lists its endpoints before any probe, and a run after
 * it probes those (no second discovery). */
static void
test_prepare_then_run (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) prepared = NULL;
  g_autoptr(GError) error = NULL;
  guint n_endpoints;

  mtc_check_prepare_async (fixture->check, NULL, finished_cb, fixture);
  while (fixture->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  prepared = g_steal_pointer (&fixture->result);
  g_assert_true (mtc_check_prepare_finish (fixture->check, prepared, &error));
  g_assert_no_error (error);
  g_assert_nonnull (mtc_check_get_target_set (fixture->check));
  g_assert_nonnull (mtc_check_get_endpoints (fixture->check));
  n_endpoints = mtc_check_get_endpoints (fixture->check)->len;
  g_assert_cmpuint (n_endpoints, >, 0);
  g_assert_null (mtc_check_get_diagnosis (fixture->check));

  run (fixture);
  g_assert_cmpuint (fixture->phases->len, ==, 3);
  g_assert_cmpint (g_array_index (fixture->phases, MtcCheckPhase, 0), ==, MTC_CHECK_PHASE_PROBING);
  g_assert_cmpuint (fixture->done->len, ==, n_endpoints);
  g_assert_cmpstr (mtc_verdict_id_to_string (mtc_check_get_verdict (fixture->check)->id), ==, "client-too-old");
}

/* A cancelled run ends with G_IO_ERROR_CANCELLED and no verdict. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  mtc_check_run_async (fixture->check, cancellable, finished_cb, fixture);
  g_cancellable_cancel (cancellable);
  while (fixture->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (mtc_check_run_finish (fixture->check, fixture->result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (mtc_check_get_verdict (fixture->check));
}

/* The boxed copy keeps every field of a result. */
static void
test_result_copy (void)
{
  g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, "mail.example.net", 993);
  g_autoptr(MtcEndpointResult) result = mtc_endpoint_result_new (endpoint);
  g_autoptr(MtcEndpointResult) copy = NULL;

  result->address = g_strdup ("192.0.2.1");
  result->status = MTC_STATUS_TIMEOUT;
  result->detail = g_strdup ("no answer");
  result->versions[MTC_TLS_1_2] = MTC_VERSION_ACCEPTED;
  result->version_reasons[MTC_TLS_1_0] = g_strdup ("protocol_version");
  result->address_failures = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_address_failure_free);
  g_ptr_array_add (result->address_failures,
                   mtc_address_failure_new ("192.0.2.2", MTC_STATUS_REFUSED, "refused"));
  copy = g_boxed_copy (MTC_TYPE_ENDPOINT_RESULT, result);
  g_assert_true (copy != result);
  g_assert_true (same_endpoint (copy->endpoint, endpoint));
  g_assert_cmpstr (copy->address, ==, "192.0.2.1");
  g_assert_cmpint (copy->status, ==, MTC_STATUS_TIMEOUT);
  g_assert_cmpstr (copy->detail, ==, "no answer");
  g_assert_cmpint (copy->versions[MTC_TLS_1_2], ==, MTC_VERSION_ACCEPTED);
  g_assert_cmpstr (copy->version_reasons[MTC_TLS_1_0], ==, "protocol_version");
  g_assert_cmpuint (copy->address_failures->len, ==, 1);
  g_assert_cmpstr (((MtcAddressFailure *) g_ptr_array_index (copy->address_failures, 0))->address, ==,
                   "192.0.2.2");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mtc/check/demo", Fixture, NULL, fixture_set_up, test_demo, fixture_tear_down);
  g_test_add ("/mtc/check/prepare-then-run", Fixture, NULL, fixture_set_up, test_prepare_then_run,
              fixture_tear_down);
  g_test_add ("/mtc/check/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add_func ("/mtc/check/result-copy", test_result_copy);
  return g_test_run ();
}
