/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unshare() */
#define _GNU_SOURCE
#include "config.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "mtc-demo-server.h"
#include "mtc-dialogue.h"
#include "mtc-prober.h"
#include "mtc-report.h"
#include "mtc-test-util.h"

#define V10 MTC_TLS_1_0
#define V11 MTC_TLS_1_1
#define V12 MTC_TLS_1_2
#define V13 MTC_TLS_1_3

typedef struct {
  MtcDemoServer *server;
  MtcProber *prober;
  GPtrArray *endpoints;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;

  fixture->server = mtc_demo_server_new (&error);
  g_assert_no_error (error);
  fixture->prober = mtc_prober_new ();
  ca = mtc_demo_server_get_ca (fixture->server);
  mtc_prober_set_trust_anchor (fixture->prober, ca);
  fixture->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mtc_demo_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->prober);
  g_ptr_array_unref (fixture->endpoints);
}

static void
add_all_kinds (Fixture         *fixture,
               MtcTlsVersion    min_version,
               MtcTlsVersion    max_version)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mtc_demo_kinds); i++)
    g_ptr_array_add (fixture->endpoints,
                     mtc_test_add_service (fixture->server, mtc_demo_kinds[i].protocol, mtc_demo_kinds[i].security,
                                           min_version, max_version, MTC_DEMO_NORMAL));
}

static MtcDiagnosis *
run (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  MtcDiagnosis *diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  g_assert_cmpuint (diagnosis->results->len, ==, fixture->endpoints->len);
  return diagnosis;
}

static void
assert_versions (const MtcEndpointResult *result,
                 const char              *expected)
{
  /* EXPECTED spells the four results: A accepted, R rejected, E error, N not
   * tested, X rejected or error. */
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      if (expected[v] == 'X')
        {
          g_assert_true (result->versions[v] == MTC_VERSION_REJECTED || result->versions[v] == MTC_VERSION_ERROR);
          g_assert_nonnull (result->version_details[v]);
          continue;
        }
      {
      MtcVersionResult want = expected[v] == 'A' ? MTC_VERSION_ACCEPTED
                            : expected[v] == 'R' ? MTC_VERSION_REJECTED
                            : expected[v] == 'E' ? MTC_VERSION_ERROR : MTC_VERSION_NOT_TESTED;
      if (result->versions[v] != want)
        {
          g_autofree char *url = mtc_endpoint_to_url (result->endpoint);
          g_test_message ("%s TLS %s: %s (%s)", url, mtc_tls_version_to_string (v),
                          mtc_version_result_to_string (result->versions[v]), result->version_details[v]);
        }
      g_assert_cmpstr (mtc_version_result_to_string (result->versions[v]), ==, mtc_version_result_to_string (want));
      }
    }
}

static void
test_policy_modern (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  add_all_kinds (fixture, V12, V13);
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "ok");
      g_assert_null (result->detail);
      assert_versions (result, "RRAA");
      g_assert_cmpstr (result->version_reasons[V10], ==, "protocol_version");
      g_assert_nonnull (strstr (result->version_details[V10], "does not speak this version"));
      g_assert_cmpint (result->negotiated_version, ==, V13);
      g_assert_nonnull (result->negotiated_cipher);
      g_assert_cmpstr (result->address, ==, "127.0.0.1");
      g_assert_nonnull (result->certificate);
      g_assert_nonnull (strstr (result->certificate->issuer, "Mail TLS Check Demo CA"));
      g_assert_cmpint (result->certificate->errors, ==, 0);
      g_assert_true (g_strv_contains ((const char * const *) result->certificate->dns_names, "localhost"));
      g_assert_nonnull (result->certificate->not_after);
    }
  g_assert_false (mtc_diagnosis_has_problem (diagnosis));
  /* Every successful handshake (TLS 1.2 and the default one, which stands
   * in for TLS 1.3, per endpoint) ended with QUIT/LOGOUT or close_notify. */
  mtc_test_iterate (100);
  g_assert_cmpuint (mtc_demo_server_get_n_polite (fixture->server), ==, 2 * diagnosis->results->len);
  g_assert_cmpuint (mtc_demo_server_get_n_open (fixture->server), ==, 0);
}

static void
test_policy_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  add_all_kinds (fixture, V10, V13);
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      assert_versions (result, "AAAA");
    }
}

static void
test_policy_legacy_only (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  add_all_kinds (fixture, V10, V10);
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      assert_versions (result, "ARRR");
      /* The certificate is known even when the default handshake fails. */
      g_assert_nonnull (result->certificate);
      /* This computer's defaults still offer TLS 1.0 (the cells above say
       * so), and GIO's handshake reaches it. */
      g_assert_cmpstr (mtc_tls_version_to_string (result->negotiated_version), ==, "1.0");
      g_assert_null (result->negotiated_error);
    }
}

static void
test_policy_tls13_only (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  add_all_kinds (fixture, V13, V13);
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      /* A GnuTLS server without TLS 1.2 answers a TLS 1.2 hello with
       * handshake_failure, not protocol_version (OpenSSL servers send the
       * latter); as TLS 1.3 completed in the same run, that is a refusal. */
      assert_versions (result, "RRRA");
      g_assert_cmpstr (result->version_reasons[V12], ==, "handshake_failure");
      g_assert_cmpint (result->negotiated_version, ==, V13);
    }
}

static void
test_certificate_untrusted (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcEndpoint) by_name = NULL;
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  MtcEndpointResult *result;

  /* Without the demo authority as anchor, the system store does not know it. */
  mtc_prober_set_trust_anchor (fixture->prober, NULL);
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V12, V13, MTC_DEMO_NORMAL));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  g_assert_true (result->certificate->errors & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_true (mtc_diagnosis_has_problem (diagnosis));
  g_clear_pointer (&diagnosis, mtc_diagnosis_unref);

  /* With the anchor but under a name the certificate does not carry. */
  {
    g_autoptr(GTlsCertificate) ca = mtc_demo_server_get_ca (fixture->server);
    MtcEndpoint *first = g_ptr_array_index (fixture->endpoints, 0);

    mtc_prober_set_trust_anchor (fixture->prober, ca);
    mtc_test_resolver_add (resolver, "wrong-name.test", "127.0.0.1");
    mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
    by_name = mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, "wrong-name.test", first->port);
    g_ptr_array_set_size (fixture->endpoints, 0);
    g_ptr_array_add (fixture->endpoints, g_steal_pointer (&by_name));
  }
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpint (result->certificate->errors, ==, G_TLS_CERTIFICATE_BAD_IDENTITY);
}

typedef struct {
  const char *name;
  MtcProtocol protocol;
  MtcSecurity security;
  MtcDemoBehaviour behaviour;
  MtcStatus status;
  const char *words;     /* part of the server's words in the result, or NULL */
} StatusCase;

static const StatusCase status_cases[] = {
  { "other-service", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_OTHER_SERVICE, MTC_STATUS_NOT_MAIL_SERVER, "SSH-2.0" },
  { "http-on-imap", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_HTTP, MTC_STATUS_NOT_MAIL_SERVER, "HTTP/1.1 400" },
  { "http-on-pop3", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_DEMO_HTTP, MTC_STATUS_NOT_MAIL_SERVER, "HTTP/1.1" },
  { "busy-smtp", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_BUSY, MTC_STATUS_BUSY, "421" },
  { "busy-imap", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_BUSY, MTC_STATUS_BUSY, "BYE" },
  { "busy-pop3", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_DEMO_BUSY, MTC_STATUS_BUSY, "-ERR" },
  { "no-starttls-smtp", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_NO_STARTTLS, MTC_STATUS_NO_STARTTLS, NULL },
  { "no-starttls-imap", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_NO_STARTTLS, MTC_STATUS_NO_STARTTLS, NULL },
  { "no-starttls-pop3", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_DEMO_NO_STARTTLS, MTC_STATUS_NO_STARTTLS, NULL },
  { "injection-smtp", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_INJECTION, MTC_STATUS_INJECTION, NULL },
  { "injection-imap", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_INJECTION, MTC_STATUS_INJECTION, NULL },
  { "injection-pop3", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_DEMO_INJECTION, MTC_STATUS_INJECTION, NULL },
  { "preauth", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_PREAUTH, MTC_STATUS_PREAUTH, "PREAUTH" },
  { "tls-garbage-starttls", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_TLS_GARBAGE, MTC_STATUS_TLS_ERROR, NULL },
  { "tls-garbage-implicit", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, MTC_DEMO_TLS_GARBAGE, MTC_STATUS_TLS_ERROR, NULL },
  { "not-tls-imaps", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, MTC_DEMO_PLAINTEXT, MTC_STATUS_NOT_TLS, "* OK" },
  { "not-tls-smtps", MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, MTC_DEMO_PLAINTEXT, MTC_STATUS_NOT_TLS, "220" },
  { "long-line", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_LONG_LINE, MTC_STATUS_NOT_MAIL_SERVER, NULL },
  { "close-at-once", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_DEMO_CLOSE, MTC_STATUS_REFUSED, NULL },
  { "die-mid-dialogue", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_DIE_MID_DIALOGUE, MTC_STATUS_BUSY, NULL },
  { "die-mid-handshake", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_DIE_MID_HANDSHAKE, MTC_STATUS_TLS_ERROR, NULL },
  { "die-mid-handshake-implicit", MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, MTC_DEMO_DIE_MID_HANDSHAKE, MTC_STATUS_TLS_ERROR, NULL },
  { "imap-asks-capability", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_NO_GREETING_CAPABILITY, MTC_STATUS_OK, NULL },
  { "smtp-multiline-greeting", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_MULTILINE_GREETING, MTC_STATUS_OK, NULL },
};

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  const StatusCase *c = data;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcEndpointResult *result;

  mtc_prober_set_timeout (fixture->prober, 5000);
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, c->protocol, c->security, V12, V13,
                                                             c->behaviour));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_test_message ("%s: %s — %s (%s)", c->name, mtc_status_to_string (result->status), result->detail,
                  result->server_words);
  g_assert_cmpstr (mtc_status_to_string (result->status), ==, mtc_status_to_string (c->status));
  if (c->status != MTC_STATUS_OK)
    {
      g_assert_nonnull (result->detail);
      g_assert_true (g_utf8_validate (result->detail, -1, NULL));
      g_assert_false (mtc_endpoint_result_any_accepted (result));
      g_assert_true (mtc_diagnosis_has_problem (diagnosis));
    }
  else
    assert_versions (result, "RRAA");
  if (c->words != NULL)
    {
      g_assert_nonnull (result->server_words);
      g_assert_nonnull (strstr (result->server_words, c->words));
    }
  /* Bytes after the STARTTLS OK must stop the check before any handshake. */
  if (c->status == MTC_STATUS_INJECTION)
    for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
      g_assert_cmpint (result->versions[v], ==, MTC_VERSION_ERROR);
  /* No connection outlives the diagnosis. */
  mtc_test_iterate (50);
  g_assert_cmpuint (mtc_demo_server_get_n_open (fixture->server), ==, 0);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcEndpointResult *result;

  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         mtc_test_closed_port ()));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpint (result->status, ==, MTC_STATUS_REFUSED);
  assert_versions (result, "EEEE");
  g_assert_nonnull (result->negotiated_error);
  g_assert_null (result->certificate);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;
  MtcDemoBehaviour behaviours[] = { MTC_DEMO_SILENT, MTC_DEMO_STALL_HANDSHAKE };
  MtcSecurity securities[] = { MTC_SECURITY_STARTTLS, MTC_SECURITY_IMPLICIT };

  mtc_prober_set_timeout (fixture->prober, 700);
  for (gsize i = 0; i < G_N_ELEMENTS (behaviours); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (securities); j++)
      g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP, securities[j],
                                                                 V12, V13, behaviours[i]));
  diagnosis = run (fixture);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_test_message ("%u: %s", i, result->detail);
      g_assert_cmpint (result->status, ==, MTC_STATUS_TIMEOUT);
      g_assert_nonnull (result->detail);
    }
  /* All probes wait together, and none waits again for a server that let one
   * deadline pass: the whole run takes one timeout, not the number of probes
   * times the timeout. */
  g_test_message ("elapsed %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 700 * 9 / 10);
  g_assert_cmpint (elapsed_ms, <, 700 * 13 / 10);
}

static void
test_slow_server (Fixture       *fixture,
                  gconstpointer  data)
{
  MtcDemoServiceConfig config = {
    .protocol = MTC_PROTOCOL_IMAP, .security = MTC_SECURITY_STARTTLS,
    .min_version = V12, .max_version = V13, .behaviour = MTC_DEMO_NORMAL, .delay_ms = 150,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  guint16 port = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", 0, &error);
  MtcEndpointResult *result;

  g_assert_no_error (error);
  mtc_prober_set_timeout (fixture->prober, 5000);
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, "127.0.0.1", port));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  assert_versions (result, "RRAA");
  g_assert_cmpint (result->elapsed_ms, >=, 300);
}

/* "No such name" while the network monitor says there is no network: the
 * name could not be looked up, and the person is not told to check its
 * spelling; with a network the same answer means the name does not exist. */
static void
test_dns_offline (Fixture       *fixture,
                  gconstpointer  data)
{
  for (int available = 0; available <= 1; available++)
    {
      g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
      g_autoptr(GNetworkMonitor) monitor = mtc_test_monitor_new (available);
      g_autoptr(MtcDiagnosis) diagnosis = NULL;
      g_autoptr(GError) error = NULL;
      MtcEndpointResult *result;

      g_ptr_array_set_size (fixture->endpoints, 0);
      mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
      mtc_prober_set_network_monitor (fixture->prober, monitor);
      g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse ("imaps://nowhere.test", &error));
      g_assert_no_error (error);

      diagnosis = run (fixture);
      result = g_ptr_array_index (diagnosis->results, 0);
      g_assert_cmpint (result->status, ==, MTC_STATUS_DNS_ERROR);
      if (available)
        {
          g_assert_nonnull (strstr (result->detail, "does not exist"));
          g_assert_null (strstr (result->detail, "no network connection"));
        }
      else
        {
          g_assert_nonnull (strstr (result->detail, "could not be looked up: this computer has no network connection"));
          g_assert_null (strstr (result->detail, "spelling"));
        }
    }
}

static void
test_dns (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonArray) urls = NULL;
  MtcEndpoint *demo = mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, V12, V13,
                                            MTC_DEMO_NORMAL);
  gint64 start = g_get_monotonic_time ();

  mtc_test_resolver_add (resolver, "mail.xn--mller-kva.test", "127.0.0.1");
  mtc_test_resolver_add_silent (resolver, "silent.test");
  mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
  mtc_prober_set_timeout (fixture->prober, 600);

  /* Three endpoints on one internationalised name: one look-up. */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strdup_printf ("smtps://mail.müller.test:%u", demo->port);
      MtcEndpoint *endpoint = mtc_endpoint_parse (url, &error);

      g_assert_no_error (error);
      g_ptr_array_add (fixture->endpoints, endpoint);
    }
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse ("imaps://nowhere.test", &error));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse ("pop3s://silent.test", &error));
  g_assert_no_error (error);
  mtc_endpoint_free (demo);

  diagnosis = run (fixture);
  g_assert_cmpuint (mtc_test_resolver_get_n_lookups (resolver), ==, 3);
  for (int i = 0; i < 3; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      g_assert_cmpstr (result->address, ==, "127.0.0.1");
      g_assert_cmpstr (result->endpoint->host_display, ==, "mail.müller.test");
    }
  g_assert_cmpint (((MtcEndpointResult *) diagnosis->results->pdata[3])->status, ==, MTC_STATUS_DNS_ERROR);
  g_assert_nonnull (strstr (((MtcEndpointResult *) diagnosis->results->pdata[3])->detail, "nowhere.test"));
  g_assert_cmpint (((MtcEndpointResult *) diagnosis->results->pdata[4])->status, ==, MTC_STATUS_DNS_ERROR);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, 600 * 9 / 10);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 600 * 13 / 10);

  json = mtc_report_to_json (diagnosis);
  urls = mtc_test_json_query (json, "$.endpoints[0].url");
  g_assert_true (g_str_has_prefix (json_array_get_string_element (urls, 0), "smtps://mail.müller.test:"));
  g_assert_true (mtc_test_json_has (json, "$.endpoints[0].host", "\"mail.xn--mller-kva.test\""));
  g_assert_true (mtc_test_json_has (json, "$.endpoints[3].status", "\"dns-error\""));
}

static void
test_ipv6 (Fixture       *fixture,
           gconstpointer  data)
{
  MtcDemoServiceConfig config = {
    .protocol = MTC_PROTOCOL_POP3, .security = MTC_SECURITY_STARTTLS,
    .min_version = V12, .max_version = V13, .behaviour = MTC_DEMO_NORMAL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autofree char *url = NULL;
  guint16 port = mtc_demo_server_add_service (fixture->server, &config, "::1", 0, &error);
  MtcEndpointResult *result;

  if (port == 0)
    {
      g_test_skip_printf ("no IPv6 loopback here: %s", error->message);
      return;
    }
  url = g_strdup_printf ("pop3://[::1]:%u", port);
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse (url, &error));
  g_assert_no_error (error);
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  g_assert_cmpstr (result->address, ==, "::1");
  assert_versions (result, "RRAA");
  /* The certificate names ::1 among its addresses. */
  g_assert_cmpint (result->certificate->errors, ==, 0);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
endpoint_finished_cb (MtcProber         *prober,
                      guint              index,
                      MtcEndpointResult *result,
                      guint             *count)
{
  (*count)++;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  gint64 start;
  gint64 elapsed_ms;
  guint finished = 0;

  /* Servers that would keep the check waiting for the whole timeout. */
  for (int i = 0; i < 4; i++)
    g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP,
                                                               MTC_SECURITY_STARTTLS, V12, V13, MTC_DEMO_SILENT));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V12, V13,
                                                             MTC_DEMO_STALL_HANDSHAKE));
  mtc_prober_set_timeout (fixture->prober, 20000);
  g_signal_connect (fixture->prober, "endpoint-finished", G_CALLBACK (endpoint_finished_cb), &finished);
  g_timeout_add (300, cancel_cb, cancellable);
  start = g_get_monotonic_time ();
  diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, cancellable, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (diagnosis);
  g_assert_cmpuint (finished, ==, 0);
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, 5000);
  g_assert_cmpuint (mtc_demo_server_get_n_accepted (fixture->server), >=, 5);
  /* The probes really stopped: the servers see every connection closed. */
  mtc_test_iterate (200);
  g_assert_cmpuint (mtc_demo_server_get_n_open (fixture->server), ==, 0);

  /* A cancellable cancelled before the start ends the run at once. */
  g_clear_error (&error);
  diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_many_endpoints (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  guint finished = 0;
  const guint n = 42;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (fixture->endpoints,
                     mtc_test_add_service (fixture->server, mtc_demo_kinds[i % G_N_ELEMENTS (mtc_demo_kinds)].protocol,
                                           mtc_demo_kinds[i % G_N_ELEMENTS (mtc_demo_kinds)].security, V12, V13,
                                           MTC_DEMO_NORMAL));
  g_signal_connect (fixture->prober, "endpoint-finished", G_CALLBACK (endpoint_finished_cb), &finished);
  diagnosis = run (fixture);
  g_assert_cmpuint (finished, ==, n);
  for (guint i = 0; i < n; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      assert_versions (result, "RRAA");
    }
  /* Four connections per endpoint (the default handshake stands in for TLS
   * 1.3), and never more at once than allowed. */
  g_assert_cmpuint (mtc_demo_server_get_n_accepted (fixture->server), ==, 4 * n);
}

static void
test_demo_provider (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = mtc_demo_server_start_provider (fixture->server, &error);
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonArray) urls = NULL;
  gboolean webmail = FALSE;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 7);
  diagnosis = mtc_test_run_prober (fixture->prober, endpoints, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      assert_versions (result, "RRAA");
    }
  json = mtc_report_to_json (diagnosis);
  root = mtc_test_json_parse (json);
  members = json_object_get_members (json_node_get_object (root));
  g_assert_cmpstr (members->data, ==, "schema");
  g_assert_true (mtc_test_json_has (json, "$.schema", "2"));
  g_assert_true (mtc_test_json_has (json, "$.endpoints[0].versions",
                                    "{\"1.0\": \"rejected\", \"1.1\": \"rejected\", \"1.2\": \"accepted\", "
                                    "\"1.3\": \"accepted\"}"));
  urls = mtc_test_json_query (json, "$.endpoints[*].url");
  for (guint i = 0; i < json_array_get_length (urls); i++)
    webmail |= g_str_has_prefix (json_array_get_string_element (urls, i), "https://127.0.0.1:");
  g_assert_true (webmail);
  text = mtc_report_to_text (diagnosis);
  g_assert_nonnull (strstr (text, "Servers:"));
  g_assert_nonnull (strstr (text, " 7 checked in "));
  g_assert_nonnull (strstr (text, "Webmail"));
}

/* ------------------------------------------ every address, connection limits */

/* Every address of a name is tried: "localhost" answers ::1 first, the
 * server listens on 127.0.0.1 only. */
static void
test_address_localhost (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *status = NULL;
  g_autofree char *text = NULL;
  MtcEndpoint *demo = mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, V12, V13,
                                            MTC_DEMO_NORMAL);
  MtcEndpointResult *result;
  MtcAddressFailure *failure;

  mtc_test_resolver_add (resolver, "localhost", "::1,127.0.0.1");
  mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
  url = g_strdup_printf ("imaps://localhost:%u", demo->port);
  mtc_endpoint_free (demo);
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse (url, &error));
  g_assert_no_error (error);

  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_test_message ("%s: %s", mtc_status_to_string (result->status), result->detail);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  assert_versions (result, "RRAA");
  g_assert_nonnull (result->certificate);
  g_assert_nonnull (result->address_failures);
  g_assert_cmpuint (result->address_failures->len, ==, 1);
  failure = g_ptr_array_index (result->address_failures, 0);
  g_assert_cmpstr (failure->address, ==, "::1");
  /* Refused where the computer has IPv6 loopback, unreachable where not. */
  g_assert_true (failure->status == MTC_STATUS_REFUSED || failure->status == MTC_STATUS_UNREACHABLE);
  g_assert_nonnull (failure->detail);

  json = mtc_report_to_json (diagnosis);
  g_assert_true (mtc_test_json_has (json, "$.endpoints[0].address", "\"127.0.0.1\""));
  g_assert_true (mtc_test_json_has (json, "$.endpoints[0].address_failures[0].address", "\"::1\""));
  status = g_strdup_printf ("\"%s\"", mtc_status_to_string (failure->status));
  g_assert_true (mtc_test_json_has (json, "$.endpoints[0].address_failures[0].status", status));
  text = mtc_report_to_text (diagnosis);
  g_assert_nonnull (strstr (text, "Address ::1 did not work, so 127.0.0.1 was used:"));
}

/* A dead first A record (a closed port on another loopback address) next to
 * a live one: the next address is tried at once, and the dead one is a note. */
static void
test_address_dead_first (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  MtcEndpoint *demo = mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, V12, V13,
                                            MTC_DEMO_NORMAL);
  MtcEndpointResult *result;
  MtcAddressFailure *failure;
  g_autofree char *live = g_strdup_printf ("smtp://two.test:%u", demo->port);
  g_autofree char *dead = g_strdup_printf ("smtp://dead.test:%u", demo->port);

  mtc_endpoint_free (demo);
  mtc_test_resolver_add (resolver, "two.test", "127.0.0.2,127.0.0.1");
  mtc_test_resolver_add (resolver, "dead.test", "127.0.0.2,127.0.0.3");
  mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse (live, &error));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse (dead, &error));
  g_assert_no_error (error);

  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  assert_versions (result, "RRAA");
  g_assert_cmpuint (result->address_failures->len, ==, 1);
  failure = g_ptr_array_index (result->address_failures, 0);
  g_assert_cmpstr (failure->address, ==, "127.0.0.2");
  g_assert_cmpstr (mtc_status_to_string (failure->status), ==, "refused");
  /* No Connection Attempt Delay after a refusal. */
  g_assert_cmpint (result->elapsed_ms, <, 2000);

  /* No address answers: refused, and every address says how. */
  result = g_ptr_array_index (diagnosis->results, 1);
  g_assert_cmpint (result->status, ==, MTC_STATUS_REFUSED);
  g_assert_null (result->address);
  assert_versions (result, "EEEE");
  g_assert_cmpuint (result->address_failures->len, ==, 2);
  g_assert_cmpstr (((MtcAddressFailure *) g_ptr_array_index (result->address_failures, 0))->address, ==,
                   "127.0.0.2");
  g_assert_cmpstr (((MtcAddressFailure *) g_ptr_array_index (result->address_failures, 1))->address, ==,
                   "127.0.0.3");
}

static void
test_too_many_words (void)
{
  static const struct {
    MtcProtocol protocol;
    const char *greeting;
    gboolean too_many;
  } cases[] = {
    { MTC_PROTOCOL_SMTP, "421 4.7.0 Too many connections from your host", TRUE },
    { MTC_PROTOCOL_SMTP, "421 Too many concurrent SMTP connections from this IP address; please try again later.",
      TRUE },
    { MTC_PROTOCOL_SMTP, "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client", FALSE },
    { MTC_PROTOCOL_SMTP, "554 5.7.1 You are not allowed to connect.", FALSE },
    { MTC_PROTOCOL_SMTP, "220 mail.example.net ESMTP", FALSE },
    { MTC_PROTOCOL_IMAP, "* BYE Too many connections", TRUE },
    { MTC_PROTOCOL_IMAP, "* BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)",
      TRUE },
    { MTC_PROTOCOL_IMAP, "* BYE Server shutting down.", FALSE },
    { MTC_PROTOCOL_IMAP, "* OK [CAPABILITY IMAP4rev1] ready", FALSE },
    { MTC_PROTOCOL_POP3, "-ERR [IN-USE] Too many connections", TRUE },
    { MTC_PROTOCOL_POP3, "-ERR [SYS/TEMP] Try again later", TRUE },
    { MTC_PROTOCOL_POP3, "-ERR [AUTH] Go away", FALSE },
    { MTC_PROTOCOL_POP3, "+OK ready", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MtcReply) reply = mtc_reply_new (cases[i].protocol, NULL, FALSE);

      g_assert_cmpint (mtc_reply_feed_line (reply, cases[i].greeting), ==, MTC_REPLY_DONE);
      g_test_message ("%s", cases[i].greeting);
      g_assert_cmpint (mtc_reply_says_too_many_connections (reply), ==, cases[i].too_many);
    }
}

/* STARTTLS services of every mail protocol that allow MAX connections per
 * client address at once. */
static void
add_limited (Fixture          *fixture,
             MtcDemoBehaviour  behaviour,
             guint             max)
{
  static const MtcProtocol protocols[] = { MTC_PROTOCOL_SMTP, MTC_PROTOCOL_IMAP, MTC_PROTOCOL_POP3 };

  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      MtcDemoServiceConfig config = {
        .protocol = protocols[i], .security = MTC_SECURITY_STARTTLS, .min_version = V12, .max_version = V13,
        .behaviour = behaviour, .max_per_client = max,
      };
      g_autoptr(GError) error = NULL;
      guint16 port = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", 0, &error);

      g_assert_no_error (error);
      g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (protocols[i], MTC_SECURITY_STARTTLS, "127.0.0.1", port));
    }
}

static void
assert_like_normal (Fixture      *fixture,
                    MtcDiagnosis *diagnosis)
{
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

      g_test_message ("%s: %s, %u at once", url, mtc_status_to_string (result->status),
                      mtc_demo_server_get_max_concurrent (fixture->server, result->endpoint->port));
      g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
      assert_versions (result, "RRAA");
    }
}

/* A server that allows three connections per client: every cell as on a
 * normal server. */
static void
test_limit_three (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  add_limited (fixture, MTC_DEMO_CONNECTION_LIMIT, 3);
  add_limited (fixture, MTC_DEMO_CONNECTION_LIMIT_RESET, 3);
  diagnosis = run (fixture);
  assert_like_normal (fixture, diagnosis);
}

/* As Exim: three (or one) connections per client address to all ports together, and
 * on the implicit-TLS ports the turn-away comes in plain text before TLS
 * ("421 Too many concurrent SMTP connections …"): still every cell as on a
 * normal server, neither not-tls nor busy. */
static void
test_limit_host_wide (Fixture       *fixture,
                      gconstpointer  data)
{
  guint max = GPOINTER_TO_UINT (data);
  static const struct { MtcProtocol protocol; MtcSecurity security; } kinds[] = {
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS }, { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT }, { MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT },
  };
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      MtcDemoServiceConfig config = {
        .protocol = kinds[i].protocol, .security = kinds[i].security, .min_version = V12, .max_version = V13,
        .behaviour = MTC_DEMO_CONNECTION_LIMIT_HOST, .max_per_client = max,
      };
      g_autoptr(GError) error = NULL;
      guint16 port = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", 0, &error);

      g_assert_no_error (error);
      g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (kinds[i].protocol, kinds[i].security, "127.0.0.1", port));
    }
  diagnosis = run (fixture);
  assert_like_normal (fixture, diagnosis);
}

/* One connection per client: still right, through the retries. */
static void
test_limit_one (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  add_limited (fixture, MTC_DEMO_CONNECTION_LIMIT, 1);
  add_limited (fixture, MTC_DEMO_CONNECTION_LIMIT_RESET, 1);
  diagnosis = run (fixture);
  assert_like_normal (fixture, diagnosis);
}

/* No connection allowed: busy, and no version verdict. */
static void
test_limit_none (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  gint64 start = g_get_monotonic_time ();

  add_limited (fixture, MTC_DEMO_CONNECTION_LIMIT, 0);
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_test_message ("%s", result->detail);
      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "busy");
      assert_versions (result, "EEEE");
      g_assert_nonnull (strstr (result->server_words, "Too many connections"));
    }
  /* Each endpoint: four probes at once, then the first one turned away
   * alone twice more (after 200 and 400 ms, not a timeout); turned away
   * even alone, the others end as busy with it. */
  g_assert_cmpuint (mtc_demo_server_get_n_accepted (fixture->server), ==, 6 * fixture->endpoints->len);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, 600);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
}

/* Never more than 4 connections at once to one port, counted by the server,
 * nor more than --max-connections. */
static void
test_max_concurrent (Fixture       *fixture,
                     gconstpointer  data)
{
  for (guint max = MTC_PROBER_MAX_PER_SERVICE; max >= 1; max--)
    {
      g_autoptr(MtcDemoServer) server = NULL;
      g_autoptr(GPtrArray) endpoints = NULL;
      g_autoptr(MtcDiagnosis) diagnosis = NULL;
      g_autoptr(GTlsCertificate) ca = NULL;
      g_autoptr(GError) error = NULL;
      guint most = 0;

      server = mtc_demo_server_new (&error);
      g_assert_no_error (error);
      endpoints = mtc_demo_server_start_provider (server, &error);
      g_assert_no_error (error);
      ca = mtc_demo_server_get_ca (server);
      mtc_prober_set_trust_anchor (fixture->prober, ca);
      if (max < MTC_PROBER_MAX_PER_SERVICE)
        mtc_prober_set_max_connections (fixture->prober, max);
      g_assert_cmpuint (mtc_prober_get_max_connections (fixture->prober), ==, max);
      diagnosis = mtc_test_run_prober (fixture->prober, endpoints, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < diagnosis->results->len; i++)
        {
          MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
          guint at_once = mtc_demo_server_get_max_concurrent (server, result->endpoint->port);

          g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
          assert_versions (result, "RRAA");
          g_assert_cmpuint (at_once, >=, 1);
          g_assert_cmpuint (at_once, <=, max);
          most = MAX (most, at_once);
        }
      g_test_message ("max-connections %u: at most %u connections at once to one port of the demo provider",
                      max, most);
      mtc_demo_server_stop (server);
    }
}

/* A silent address on this computer: in a network namespace of the test's
 * own, an address reached through a veth pair whose far end drops every
 * frame (a neighbour entry with a MAC address nobody has), so that a SYN
 * gets no answer at all, as from a host that is down behind a firewall. */
#define SILENT_ADDRESS "10.213.0.2"
#define SILENT_ADDRESS6 "fd00:213::2"

static gboolean
make_silent_address (void)
{
  return mtc_test_run_ip ("link set lo up") && mtc_test_run_ip ("link add mtc0 type veth peer name mtc1")
         && mtc_test_run_ip ("addr add 10.213.0.1/24 dev mtc0") && mtc_test_run_ip ("link set mtc0 up") && mtc_test_run_ip ("link set mtc1 up")
         && mtc_test_run_ip ("neigh replace " SILENT_ADDRESS " lladdr 02:00:00:00:21:3f dev mtc0 nud permanent")
         && mtc_test_run_ip ("neigh replace 10.213.0.3 lladdr 02:00:00:00:21:3f dev mtc0 nud permanent")
         && mtc_test_run_ip ("-6 addr add fd00:213::1/64 dev mtc0 nodad")
         && mtc_test_run_ip ("-6 neigh replace " SILENT_ADDRESS6 " lladdr 02:00:00:00:21:3f dev mtc0 nud permanent");
}

/* Whether this computer lets the test make such a namespace (tried in a
 * child that exits at once). */
static gboolean
can_make_silent_address (void)
{
  pid_t pid = fork ();
  int status = 0;

  if (pid == 0)
    _exit (mtc_test_enter_network_namespace () && make_silent_address () ? 0 : 1);
  if (pid < 0 || waitpid (pid, &status, 0) != pid)
    return FALSE;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
silent_address_child (void)
{
  g_autoptr(MtcDemoServer) server = NULL;
  g_autoptr(MtcProber) prober = mtc_prober_new ();
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *live = NULL;
  g_autofree char *dead = NULL;
  g_autofree char *dead6 = NULL;
  MtcEndpoint *demo;
  MtcEndpointResult *result;
  MtcAddressFailure *failure;

  g_assert_true (mtc_test_enter_network_namespace ());
  g_assert_true (make_silent_address ());

  server = mtc_demo_server_new (&error);
  g_assert_no_error (error);
  ca = mtc_demo_server_get_ca (server);
  mtc_prober_set_trust_anchor (prober, ca);
  mtc_prober_set_timeout (prober, 1500);
  demo = mtc_test_add_service (server, MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, V12, V13, MTC_DEMO_NORMAL);
  live = g_strdup_printf ("pop3://silent-first.test:%u", demo->port);
  dead = g_strdup_printf ("pop3://all-silent.test:%u", demo->port);
  dead6 = g_strdup_printf ("pop3://ipv6-silent.test:%u", demo->port);
  mtc_endpoint_free (demo);
  mtc_test_resolver_add (resolver, "silent-first.test", SILENT_ADDRESS ",127.0.0.1");
  mtc_test_resolver_add (resolver, "all-silent.test", SILENT_ADDRESS ",10.213.0.3");
  /* A dead IPv6 address beside a live IPv4 one, the commonest case: IPv6 first. */
  mtc_test_resolver_add (resolver, "ipv6-silent.test", "127.0.0.1," SILENT_ADDRESS6);
  mtc_prober_set_resolver (prober, G_RESOLVER (resolver));
  g_ptr_array_add (endpoints, mtc_endpoint_parse (live, &error));
  g_ptr_array_add (endpoints, mtc_endpoint_parse (dead, &error));
  g_ptr_array_add (endpoints, mtc_endpoint_parse (dead6, &error));
  g_assert_no_error (error);

  diagnosis = mtc_test_run_prober (prober, endpoints, NULL, &error);
  g_assert_no_error (error);

  /* The silent address holds the race up by the Connection Attempt Delay only. */
  result = g_ptr_array_index (diagnosis->results, 0);
  g_printerr ("silent first: %s, %" G_GINT64_FORMAT " ms\n", mtc_status_to_string (result->status),
              result->elapsed_ms);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  assert_versions (result, "RRAA");
  g_assert_cmpuint (result->address_failures->len, ==, 1);
  failure = g_ptr_array_index (result->address_failures, 0);
  g_assert_cmpstr (failure->address, ==, SILENT_ADDRESS);
  g_assert_cmpstr (mtc_status_to_string (failure->status), ==, "timeout");
  g_assert_cmpint (result->elapsed_ms, >=, 250);
  g_assert_cmpint (result->elapsed_ms, <, 1000);

  /* Every address silent: a timeout after one deadline. */
  result = g_ptr_array_index (diagnosis->results, 1);
  g_printerr ("all silent: %s, %" G_GINT64_FORMAT " ms: %s\n", mtc_status_to_string (result->status),
              result->elapsed_ms, result->detail);
  g_assert_cmpint (result->status, ==, MTC_STATUS_TIMEOUT);
  g_assert_null (result->address);
  g_assert_cmpuint (result->address_failures->len, ==, 2);
  g_assert_cmpint (result->elapsed_ms, >=, 1500 * 9 / 10);
  g_assert_cmpint (result->elapsed_ms, <, 1500 * 13 / 10);

  /* The IPv6 address is tried first although the resolver named it last. */
  result = g_ptr_array_index (diagnosis->results, 2);
  g_printerr ("IPv6 silent: %s, %" G_GINT64_FORMAT " ms\n", mtc_status_to_string (result->status),
              result->elapsed_ms);
  g_assert_cmpint (result->status, ==, MTC_STATUS_OK);
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  assert_versions (result, "RRAA");
  g_assert_cmpuint (result->address_failures->len, ==, 1);
  failure = g_ptr_array_index (result->address_failures, 0);
  g_assert_cmpstr (failure->address, ==, SILENT_ADDRESS6);
  g_assert_cmpstr (mtc_status_to_string (failure->status), ==, "timeout");
  g_assert_cmpint (result->elapsed_ms, >=, 250);
  g_assert_cmpint (result->elapsed_ms, <, 1000);
  mtc_demo_server_stop (server);
  g_printerr ("PASSED\n");
}

static void
test_address_silent (void)
{
  if (g_test_subprocess ())
    {
      silent_address_child ();
      return;
    }
  if (!can_make_silent_address ())
    {
      g_test_skip ("no network namespace with a veth pair of the test's own here (unshare, ip)");
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*PASSED*");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mtc/prober/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("policy/tls12-and-13", test_policy_modern);
  ADD ("policy/tls10-to-13", test_policy_all);
  ADD ("policy/tls10-only-legacy", test_policy_legacy_only);
  ADD ("policy/tls13-only", test_policy_tls13_only);
  ADD ("certificate/untrusted", test_certificate_untrusted);
  ADD ("status/refused", test_refused);
  ADD ("status/timeout", test_timeout);
  ADD ("slow-server", test_slow_server);
  ADD ("dns", test_dns);
  ADD ("dns-offline", test_dns_offline);
  ADD ("ipv6", test_ipv6);
  ADD ("cancel", test_cancel);
  ADD ("many-endpoints", test_many_endpoints);
  ADD ("demo-provider", test_demo_provider);
  ADD ("address/localhost", test_address_localhost);
  ADD ("address/dead-first", test_address_dead_first);
  g_test_add_func ("/mtc/prober/address/silent", test_address_silent);
  ADD ("limit/three", test_limit_three);
  g_test_add ("/mtc/prober/limit/host-wide-three", Fixture, GUINT_TO_POINTER (3), fixture_set_up,
              test_limit_host_wide, fixture_tear_down);
  g_test_add ("/mtc/prober/limit/host-wide-one", Fixture, GUINT_TO_POINTER (1), fixture_set_up,
              test_limit_host_wide, fixture_tear_down);
  ADD ("limit/one", test_limit_one);
  ADD ("limit/none", test_limit_none);
  ADD ("limit/max-concurrent", test_max_concurrent);
  g_test_add_func ("/mtc/prober/limit/too-many-words", test_too_many_words);
#undef ADD
  for (gsize i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/prober/status/%s", status_cases[i].name);
      g_test_add (path, Fixture, &status_cases[i], fixture_set_up, test_status, fixture_tear_down);
    }
  return g_test_run ();
}
