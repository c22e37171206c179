/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-demo-server.h"
#include "mtc-prober.h"
#include "mtc-test-util.h"
#include "mtc-tls-probe.h"
#include "mtc-verdict.h"

/* How a version cell is decided: what the server says inside TLS after a
 * completed handshake, how an old hello is turned away, the server name sent,
 * and the words for alerts; against the demo servers' misbehaving modes. */

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
  mtc_prober_set_timeout (fixture->prober, 5000);
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

static MtcDiagnosis *
run (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  MtcDiagnosis *diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  g_assert_cmpuint (diagnosis->results->len, ==, fixture->endpoints->len);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

      g_test_message ("%s: %s — %s [%s]", url, mtc_status_to_string (result->status), result->detail,
                      result->server_words);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        g_test_message ("  TLS %s: %s (%s) %s", mtc_tls_version_to_string (v),
                        mtc_version_result_to_string (result->versions[v]), result->version_reasons[v],
                        result->version_details[v]);
    }
  return diagnosis;
}

static gboolean
offers_old_versions (void)
{
  gboolean available[MTC_N_TLS_VERSIONS];

  mtc_tls_probe_local_versions (available);
  return available[V10] && available[V11];
}

/* A cell: its result, its reason, and a part of its detail (or NULL). */
static void
assert_cell (const MtcEndpointResult *result,
             MtcTlsVersion            v,
             MtcVersionResult         want,
             const char              *reason,
             const char              *detail_part)
{
  g_assert_cmpstr (mtc_version_result_to_string (result->versions[v]), ==, mtc_version_result_to_string (want));
  if (reason != NULL)
    g_assert_cmpstr (result->version_reasons[v], ==, reason);
  if (detail_part != NULL)
    {
      g_assert_nonnull (result->version_details[v]);
      g_assert_nonnull (strstr (result->version_details[v], detail_part));
    }
  g_assert_true (result->version_details[v] == NULL || strstr (result->version_details[v], "GNUTLS_") == NULL);
}

typedef struct {
  const char *name;
  MtcProtocol protocol;
  MtcSecurity security;
  MtcDemoBehaviour behaviour;
  const char *words;     /* part of the cell's detail, or NULL */
} RefusalCase;

static const RefusalCase refusal_cases[] = {
  { "smtp-421", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_OLD_REFUSED_INSIDE_TLS, "421 4.7.66 TLS 1.0 and 1.1" },
  { "smtps-421", MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, MTC_DEMO_OLD_REFUSED_INSIDE_TLS, "421 4.7.66" },
  { "imap-bye", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_DEMO_OLD_REFUSED_INSIDE_TLS, "* BYE TLS 1.0" },
  { "imaps-bye", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, MTC_DEMO_OLD_REFUSED_INSIDE_TLS, "* BYE" },
  { "pop3-err", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_DEMO_OLD_REFUSED_INSIDE_TLS, "-ERR TLS 1.0" },
  { "pop3s-err", MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, MTC_DEMO_OLD_REFUSED_INSIDE_TLS, "-ERR" },
  { "smtp-close", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_DEMO_OLD_CLOSED_INSIDE_TLS, NULL },
  { "imaps-close", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, MTC_DEMO_OLD_CLOSED_INSIDE_TLS, NULL },
};

/* A TLS 1.0/1.1 handshake completes, then the server turns the client away
 * inside TLS: those versions are refused, with the server's words. */
static void
test_refused_inside_tls (Fixture       *fixture,
                         gconstpointer  data)
{
  const RefusalCase *c = data;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcEndpointResult *result;

  if (!offers_old_versions ())
    {
      g_test_skip ("this computer's TLS library does not offer TLS 1.0 and 1.1");
      return;
    }
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, c->protocol, c->security, V10, V13,
                                                             c->behaviour));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpstr (mtc_status_to_string (result->status), ==, "ok");
  assert_cell (result, V10, MTC_VERSION_REJECTED, "refused-inside-tls", c->words);
  assert_cell (result, V11, MTC_VERSION_REJECTED, "refused-inside-tls", c->words);
  assert_cell (result, V12, MTC_VERSION_ACCEPTED, "handshake-done", NULL);
  assert_cell (result, V13, MTC_VERSION_ACCEPTED, "handshake-done", NULL);
  if (c->words == NULL)
    g_assert_nonnull (strstr (result->version_details[V10], "without a word"));
  mtc_test_iterate (50);
  g_assert_cmpuint (mtc_demo_server_get_n_open (fixture->server), ==, 0);
}

/* The help article's case with Microsoft 365's behaviour: TLS 1.0 completes
 * and is turned away inside TLS, so El Capitan's Mail cannot work. */
static void
test_verdict_refused_inside_tls (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const struct {
    MtcProtocol protocol;
    MtcSecurity security;
  } kinds[] = {
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS },
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_default (&error);
  g_autoptr(MtcUserSide) user = mtc_user_side_new ();
  g_autoptr(MtcVerdict) verdict = NULL;

  g_assert_no_error (error);
  if (!offers_old_versions ())
    {
      g_test_skip ("this computer's TLS library does not offer TLS 1.0 and 1.1");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, kinds[i].protocol, kinds[i].security,
                                                               V10, V13, MTC_DEMO_OLD_REFUSED_INSIDE_TLS));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_HTTPS,
                                                             MTC_SECURITY_IMPLICIT, V12, V13, MTC_DEMO_NORMAL));
  diagnosis = run (fixture);
  user->client_id = g_strdup ("apple-mail");
  user->system_id = g_strdup ("macos-10.11");
  user->this_computer = FALSE;
  verdict = mtc_verdict_decide (diagnosis, user, NULL, knowledge);
  g_test_message ("verdict: %s — %s", mtc_verdict_id_to_string (verdict->id), verdict->title);
  g_assert_cmpstr (mtc_verdict_id_to_string (verdict->id), ==, mtc_verdict_id_to_string (MTC_VERDICT_CLIENT_TOO_OLD));
}

/* On an implicit-TLS port the greeting inside TLS is judged as in
 * plaintext: a web server there is not a mail server, "* BYE" and 421 are
 * busy. */
/* A web server on an implicit-TLS mail port: the handshake works, then it
 * waits silently for a request. Judged when the timeout ends the wait, and
 * every connection is closed. */
static void
test_https_on_mail_port (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  mtc_prober_set_timeout (fixture->prober, 2000);
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V12, V13,
                                                             MTC_DEMO_HTTPS_ON_MAIL_PORT));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_POP3,
                                                             MTC_SECURITY_IMPLICIT, V12, V13,
                                                             MTC_DEMO_HTTPS_ON_MAIL_PORT));
  diagnosis = run (fixture);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "not-mail-server");
      g_assert_nonnull (strstr (result->detail, "not a mail server"));
    }
  g_assert_true (mtc_diagnosis_has_problem (diagnosis));
  /* The wait ends with the timeout, not later. */
  g_test_message ("elapsed %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, 2000 * 3);
  mtc_test_iterate (50);
  g_assert_cmpuint (mtc_demo_server_get_n_open (fixture->server), ==, 0);
}

/* A mail server that greets only after a pause, as one that first looks
 * up the client's name in a slow DNS, or pauses on purpose (sendmail's
 * greet_pause, Exim's ident lookup): slow is not "not a mail server". The
 * greeting comes well after the handshake (or the connection, with
 * STARTTLS), inside the timeout. */
static void
test_slow_greeting (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcProtocol protocols[] = { MTC_PROTOCOL_IMAP, MTC_PROTOCOL_SMTP, MTC_PROTOCOL_POP3 };

  mtc_prober_set_timeout (fixture->prober, 9000);
  for (gsize i = 0; i < 2 * G_N_ELEMENTS (protocols); i++)
    {
      MtcSecurity security = i < G_N_ELEMENTS (protocols) ? MTC_SECURITY_IMPLICIT : MTC_SECURITY_STARTTLS;
      MtcProtocol protocol = protocols[i % G_N_ELEMENTS (protocols)];
      MtcDemoServiceConfig config = {
        .protocol = protocol, .security = security,
        .min_version = V12, .max_version = V13, .behaviour = MTC_DEMO_NORMAL, .greeting_delay_ms = 4000,
      };
      g_autoptr(GError) error = NULL;
      guint16 port = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", 0, &error);

      g_assert_no_error (error);
      g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (protocol, security, "127.0.0.1", port));
    }
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "ok");
      g_assert_cmpint (result->versions[V12], ==, MTC_VERSION_ACCEPTED);
      g_assert_cmpint (result->versions[V13], ==, MTC_VERSION_ACCEPTED);
      g_assert_cmpint (result->versions[V10], !=, MTC_VERSION_ACCEPTED);
      g_assert_cmpint (result->versions[V11], !=, MTC_VERSION_ACCEPTED);
    }
  g_assert_false (mtc_diagnosis_has_problem (diagnosis));
}

static void
test_busy_inside_tls (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  static const char * const words[] = { "* BYE", "421", "-ERR" };
  MtcProtocol protocols[] = { MTC_PROTOCOL_IMAP, MTC_PROTOCOL_SMTP, MTC_PROTOCOL_POP3 };

  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, protocols[i], MTC_SECURITY_IMPLICIT,
                                                               V12, V13, MTC_DEMO_BUSY));
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "busy");
      g_assert_nonnull (result->server_words);
      g_assert_nonnull (strstr (result->server_words, words[i]));
      /* Everyone is turned away: not a verdict on a version. */
      g_assert_false (mtc_endpoint_result_any_accepted (result));
      assert_cell (result, V12, MTC_VERSION_ERROR, "refused-inside-tls", NULL);
    }
}

/* PREAUTH as the greeting inside implicit TLS is judged as in plaintext. */
static void
test_preauth_inside_tls (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcEndpointResult *result;

  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V12, V13, MTC_DEMO_PREAUTH));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpstr (mtc_status_to_string (result->status), ==, "preauth");
  g_assert_nonnull (strstr (result->server_words, "PREAUTH"));
}

typedef struct {
  const char *name;
  MtcDemoBehaviour behaviour;
  const char *reason;
  const char *words;
} HelloCase;

static const HelloCase hello_cases[] = {
  { "close", MTC_DEMO_OLD_HELLO_CLOSE, "closed", "closed the connection" },
  { "reset", MTC_DEMO_OLD_HELLO_RESET, "reset", "reset" },
  { "handshake-failure", MTC_DEMO_OLD_HELLO_HANDSHAKE_FAILURE, "handshake_failure", "nothing it could agree on" },
};

/* An old hello turned away without protocol_version, by a server that
 * accepts TLS 1.2: a refusal of the old versions, and how it ended. */
static void
test_old_hello_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  const HelloCase *c = data;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcEndpointResult *result;

  if (!offers_old_versions ())
    {
      g_test_skip ("this computer's TLS library does not offer TLS 1.0 and 1.1");
      return;
    }
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V12, V13, c->behaviour));
  diagnosis = run (fixture);
  result = g_ptr_array_index (diagnosis->results, 0);
  g_assert_cmpstr (mtc_status_to_string (result->status), ==, "ok");
  assert_cell (result, V10, MTC_VERSION_REJECTED, c->reason, c->words);
  assert_cell (result, V11, MTC_VERSION_REJECTED, c->reason, c->words);
  assert_cell (result, V12, MTC_VERSION_ACCEPTED, "handshake-done", NULL);
  assert_cell (result, V13, MTC_VERSION_ACCEPTED, "handshake-done", NULL);
}

/* The same endings where no version completes: nothing says they are about
 * the version, so they stay errors. */
static void
test_refusal_without_success (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcEndpointResult *closes;
  MtcEndpointResult *fails;

  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V10, V13,
                                                             MTC_DEMO_DIE_MID_HANDSHAKE));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP,
                                                             MTC_SECURITY_STARTTLS, V10, V13,
                                                             MTC_DEMO_HELLO_HANDSHAKE_FAILURE));
  diagnosis = run (fixture);
  closes = g_ptr_array_index (diagnosis->results, 0);
  fails = g_ptr_array_index (diagnosis->results, 1);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      if (!diagnosis->local->versions_available[v])
        continue;
      assert_cell (closes, v, MTC_VERSION_ERROR, "closed", NULL);
      assert_cell (fails, v, MTC_VERSION_ERROR, "handshake_failure", "nothing it could agree on");
    }
  g_assert_cmpstr (mtc_status_to_string (fails->status), ==, "tls-error");
}

/* The default handshake to an address sends no server name (RFC 6066 3);
 * to a name, that name. */
static void
test_sni (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  MtcEndpoint *by_address = mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT,
                                                  V12, V13, MTC_DEMO_NORMAL);

  g_ptr_array_add (fixture->endpoints, by_address);
  diagnosis = run (fixture);
  g_assert_cmpstr (mtc_status_to_string (((MtcEndpointResult *) diagnosis->results->pdata[0])->status), ==, "ok");
  names = mtc_demo_server_dup_server_names (fixture->server);
  g_assert_cmpuint (g_strv_length (names), >=, 2);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_cmpstr (names[i], ==, "");
  g_clear_pointer (&names, g_strfreev);
  g_clear_pointer (&diagnosis, mtc_diagnosis_unref);

  mtc_test_resolver_add (resolver, "mail.sni.test", "127.0.0.1");
  mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
  url = g_strdup_printf ("imaps://mail.sni.test:%u", by_address->port);
  g_ptr_array_set_size (fixture->endpoints, 0);
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_parse (url, &error));
  g_assert_no_error (error);
  diagnosis = run (fixture);
  names = mtc_demo_server_dup_server_names (fixture->server);
  for (guint i = 0; names[i] != NULL; i++)
    g_test_message ("server name %u: “%s”", i, names[i]);
  g_assert_true (g_strv_contains ((const char * const *) names, "mail.sni.test"));
}

/* Alerts reach people as sentences; the machine name stays in the reason. */
static void
test_alert_words (void)
{
  g_autofree char *failure = mtc_tls_alert_describe (40, V10);
  g_autofree char *internal = mtc_tls_alert_describe (80, V12);
  g_autofree char *failure_reason = mtc_tls_alert_reason (40);
  g_autofree char *internal_reason = mtc_tls_alert_reason (80);

  g_assert_cmpstr (failure, ==, "The server broke off the TLS 1.0 handshake: it found nothing it could agree on with "
                                "this computer (no common encryption method, or it does not want this version).");
  g_assert_cmpstr (internal, ==, "The server broke off the TLS 1.2 handshake because of an internal error on its "
                                 "side.");
  g_assert_cmpstr (failure_reason, ==, "handshake_failure");
  g_assert_cmpstr (internal_reason, ==, "internal_error");
  for (int alert = 0; alert < 256; alert++)
    {
      g_autofree char *words = mtc_tls_alert_describe (alert, V13);

      g_assert_null (strstr (words, "GNUTLS"));
      g_assert_null (strstr (words, "_"));
    }
}

/* Bytes after the STARTTLS OK are injected even when they come in a write
 * of their own a moment later. */
static void
test_late_injection (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  MtcProtocol protocols[] = { MTC_PROTOCOL_SMTP, MTC_PROTOCOL_IMAP, MTC_PROTOCOL_POP3 };

  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, protocols[i], MTC_SECURITY_STARTTLS,
                                                               V12, V13, MTC_DEMO_INJECTION_LATE));
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "injection");
      g_assert_false (mtc_endpoint_result_any_accepted (result));
    }
}

/* One demo service of that kind and behaviour, checked alone. */
static MtcDiagnosis *
run_one (Fixture          *fixture,
         MtcProtocol       protocol,
         MtcSecurity       security,
         MtcTlsVersion     min_version,
         MtcDemoBehaviour  behaviour)
{
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, protocol, security, min_version, V13,
                                                             behaviour));
  return run (fixture);
}

/* Injected bytes that wait in the socket behind a STARTTLS OK filling the
 * client's read exactly, and that look like TLS (a forged alert): only the
 * look at the socket before the hello finds them. */
static void
test_hidden_injection (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = run_one (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, V12, MTC_DEMO_INJECTION_HIDDEN);
  MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, 0);

  g_assert_cmpstr (mtc_status_to_string (result->status), ==, "injection");
  g_assert_false (mtc_endpoint_result_any_accepted (result));
}

/* "250" to STARTTLS is not the "220" RFC 3207 requires: no TLS is started,
 * and the server is said not to start encryption. */
static void
test_starttls_250 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = run_one (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, V12, MTC_DEMO_STARTTLS_250);
  MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, 0);

  g_assert_cmpstr (mtc_status_to_string (result->status), ==, "no-starttls");
  g_assert_nonnull (strstr (result->server_words, "250 2.0.0 Ok, go ahead"));
  g_assert_false (mtc_endpoint_result_any_accepted (result));
}

/* When the probes of one endpoint meet different problems, the most telling
 * one is the endpoint's: an IMAP server that logs in without a password
 * (preauth) while turning TLS 1.0 away inside TLS (busy) is "preauth". */
static void
test_most_telling_status (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = run_one (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, V10, MTC_DEMO_PREAUTH_OLD_REFUSED);
  MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, 0);

  g_assert_cmpstr (mtc_status_to_string (result->status), ==, "preauth");
  g_assert_cmpstr (mtc_version_result_to_string (result->versions[V10]), ==, "rejected");
  g_assert_cmpstr (result->version_reasons[V10], ==, "refused-inside-tls");
  g_assert_cmpstr (mtc_version_result_to_string (result->versions[V12]), ==, "accepted");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/mtc/inside-tls/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  for (gsize i = 0; i < G_N_ELEMENTS (refusal_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/inside-tls/refused/%s", refusal_cases[i].name);
      g_test_add (path, Fixture, &refusal_cases[i], fixture_set_up, test_refused_inside_tls, fixture_tear_down);
    }
  ADD ("refused/verdict-apple-mail-10.11", NULL, test_verdict_refused_inside_tls);
  ADD ("greeting/https-on-mail-port", NULL, test_https_on_mail_port);
  ADD ("greeting/slow", NULL, test_slow_greeting);
  ADD ("greeting/busy", NULL, test_busy_inside_tls);
  ADD ("greeting/preauth", NULL, test_preauth_inside_tls);
  for (gsize i = 0; i < G_N_ELEMENTS (hello_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/inside-tls/old-hello/%s", hello_cases[i].name);
      g_test_add (path, Fixture, &hello_cases[i], fixture_set_up, test_old_hello_refused, fixture_tear_down);
    }
  ADD ("old-hello/no-version-completes", NULL, test_refusal_without_success);
  ADD ("sni", NULL, test_sni);
  ADD ("injection-late", NULL, test_late_injection);
  ADD ("injection-hidden", NULL, test_hidden_injection);
  ADD ("starttls-250", NULL, test_starttls_250);
  ADD ("most-telling-status", NULL, test_most_telling_status);
#undef ADD
  g_test_add_func ("/mtc/inside-tls/alert-words", test_alert_words);
  return g_test_run ();
}
