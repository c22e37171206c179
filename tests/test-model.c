/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mtc-demo-server.h"
#include "mtc-numbers.h"
#include "mtc-report.h"
#include "mtc-test-util.h"

/* The report's contract, one name at a time: what each certificate problem
 * is called in JSON and in words, and which status outranks which when the
 * probes of one endpoint disagree. */

static const struct {
  GTlsCertificateFlags flag;
  const char *json;
  const char *words;      /* a phrase only this problem's description has */
} cert_problems[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown-ca", "authority this computer does not trust" },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, "bad-identity", "different server name" },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not-activated", "not valid yet" },
  { G_TLS_CERTIFICATE_EXPIRED, "expired", "expired" },
  { G_TLS_CERTIFICATE_REVOKED, "revoked", "revoked" },
  { G_TLS_CERTIFICATE_INSECURE, "insecure", "insecure algorithm" },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, "generic-error", "could not be checked" },
};

static void
test_certificate_names (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cert_problems); i++)
    {
      g_auto(GStrv) names = mtc_certificate_flags_to_strv (cert_problems[i].flag);
      g_autofree char *words = mtc_certificate_flags_describe (cert_problems[i].flag);

      g_assert_cmpuint (g_strv_length (names), ==, 1);
      g_assert_cmpstr (names[0], ==, cert_problems[i].json);
      g_assert_nonnull (strstr (words, cert_problems[i].words));
      /* No other problem's phrase in this one's description. */
      for (gsize j = 0; j < G_N_ELEMENTS (cert_problems); j++)
        if (j != i && strcmp (cert_problems[j].words, cert_problems[i].words) != 0
            && strstr (cert_problems[i].words, cert_problems[j].words) == NULL)
          g_assert_null (strstr (words, cert_problems[j].words));
    }
}

/* The names reach JSON through the whole writer, not only the table. */
static void
test_certificate_in_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDemoServer) server = mtc_demo_server_new (&error);
  g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT,
                                                       "mail.example.net", 993);
  g_autoptr(MtcDiagnosis) diagnosis = mtc_diagnosis_new ();
  MtcEndpointResult *result;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  diagnosis->local = mtc_local_info_new ();
  result = mtc_endpoint_result_new (endpoint);
  result->certificate = mtc_cert_info_new_from_certificate (mtc_demo_server_get_ca (server),
                                                            G_TLS_CERTIFICATE_BAD_IDENTITY
                                                              | G_TLS_CERTIFICATE_EXPIRED);
  g_ptr_array_add (diagnosis->results, result);
  json = mtc_report_to_json (diagnosis);
  g_assert_true (mtc_test_json_has (json, "$.endpoints[0].certificate.errors", "[\"bad-identity\", \"expired\"]"));
}

static void
test_status_rank (void)
{
  /* From least to most telling: a finding about the server outranks a
   * transport failure, which outranks "ok". */
  static const MtcStatus order[] = {
    MTC_STATUS_OK, MTC_STATUS_TIMEOUT, MTC_STATUS_REFUSED, MTC_STATUS_DNS_ERROR, MTC_STATUS_BUSY,
    MTC_STATUS_TLS_ERROR, MTC_STATUS_NOT_TLS, MTC_STATUS_NOT_MAIL_SERVER, MTC_STATUS_NO_STARTTLS,
    MTC_STATUS_PREAUTH, MTC_STATUS_INJECTION,
  };

  for (gsize i = 1; i < G_N_ELEMENTS (order); i++)
    {
      g_test_message ("%s above %s", mtc_status_to_string (order[i]), mtc_status_to_string (order[i - 1]));
      g_assert_cmpint (mtc_status_rank (order[i]), >, mtc_status_rank (order[i - 1]));
    }
  g_assert_cmpint (mtc_status_rank (MTC_STATUS_UNREACHABLE), ==, mtc_status_rank (MTC_STATUS_REFUSED));
}

static void
test_status_names (void)
{
  static const char * const names[MTC_N_STATUSES] = {
    "ok", "refused", "unreachable", "timeout", "dns-error", "not-mail-server", "busy", "no-starttls",
    "injection", "preauth", "tls-error", "not-tls",
  };

  for (int s = 0; s < MTC_N_STATUSES; s++)
    g_assert_cmpstr (mtc_status_to_string (s), ==, names[s]);
  g_assert_cmpstr (mtc_version_result_to_string (MTC_VERSION_ACCEPTED), ==, "accepted");
  g_assert_cmpstr (mtc_version_result_to_string (MTC_VERSION_REJECTED), ==, "rejected");
  g_assert_cmpstr (mtc_version_result_to_string (MTC_VERSION_ERROR), ==, "error");
  g_assert_cmpstr (mtc_version_result_to_string (MTC_VERSION_NOT_TESTED), ==, "not-tested");
}

/* Dates and lengths of time in the language of the messages, from the
 * catalogue, while LC_TIME and LC_NUMERIC stay C.UTF-8 (as meson test sets
 * them, and as --lang leaves them). */
static void
check_words (const char *language,
             const char *december,
             const char *may,
             const char *fraction,
             const char *one,
             const char *ten)
{
  g_autoptr(GDateTime) d1 = g_date_time_new_utc (2026, 12, 28, 23, 59, 0);
  g_autoptr(GDateTime) d2 = g_date_time_new_utc (2009, 5, 3, 0, 0, 0);
  g_autofree char *date1 = NULL;
  g_autofree char *date2 = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;

  g_setenv ("LANGUAGE", language, TRUE);
  /* gettext keeps what it found until the locale is set again. */
  setlocale (LC_ALL, "");
  date1 = mtc_date_describe (d1);
  date2 = mtc_date_describe (d2);
  s1 = mtc_seconds_describe (0.4);
  s2 = mtc_seconds_describe (1.0);
  s3 = mtc_seconds_describe (10.0);
  g_assert_cmpstr (date1, ==, december);
  g_assert_cmpstr (date2, ==, may);
  g_assert_cmpstr (s1, ==, fraction);
  g_assert_cmpstr (s2, ==, one);
  g_assert_cmpstr (s3, ==, ten);
}

static void
test_dates_and_seconds (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  if (!mtc_test_use_catalogue ())
    return;
  check_words ("en", "December 28, 2026", "May 3, 2009", "0.4 seconds", "1 second", "10 seconds");
  check_words ("de", "28. Dezember 2026", "3. Mai 2009", "0,4 Sekunden", "1 Sekunde", "10 Sekunden");
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/certificate-names", test_certificate_names);
  g_test_add_func ("/model/certificate-in-json", test_certificate_in_json);
  g_test_add_func ("/model/status-rank", test_status_rank);
  g_test_add_func ("/model/status-names", test_status_names);
  g_test_add_func ("/model/dates-and-seconds", test_dates_and_seconds);
  return g_test_run ();
}
