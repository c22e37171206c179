/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-account.h"
#include "mtc-demo-server.h"
#include "mtc-prober.h"
#include "mtc-report.h"
#include "mtc-test-util.h"
#include "mtc-verdict.h"

/* The verdict wrong-settings from real probes of the loopback servers: a
 * mail program's account, as its settings files would give it, is probed
 * exactly as set beside the provider's servers (mtc_account_merge_endpoints,
 * as MtcCheck does), and the verdict names the setting to change. */

typedef struct {
  MtcDemoServer *server;
  MtcProber *prober;
  GPtrArray *endpoints;
  MtcKnowledge *knowledge;
  MtcEndpoint *smtp_starttls;  /* the provider's servers, owned by endpoints */
  MtcEndpoint *smtp_implicit;
  MtcEndpoint *imap_implicit;
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
  fixture->knowledge = mtc_knowledge_new_default (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mtc_demo_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->prober);
  g_clear_object (&fixture->knowledge);
  g_ptr_array_unref (fixture->endpoints);
}

/* The provider: sending with STARTTLS and with implicit TLS, receiving
 * with implicit TLS, every one accepting @min_version and newer. */
static void
add_provider (Fixture       *fixture,
              MtcTlsVersion  min_version)
{
  fixture->smtp_starttls = mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS,
                                                 min_version, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  fixture->smtp_implicit = mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT,
                                                 min_version, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  fixture->imap_implicit = mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT,
                                                 min_version, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  g_ptr_array_add (fixture->endpoints, fixture->smtp_starttls);
  g_ptr_array_add (fixture->endpoints, fixture->smtp_implicit);
  g_ptr_array_add (fixture->endpoints, fixture->imap_implicit);
}

/* An account of @program whose incoming server is the provider's IMAP as
 * published, and whose outgoing server is @port with @security. */
static MtcAccount *
new_account (Fixture            *fixture,
             const char         *program,
             const char         *version,
             guint16             port,
             MtcAccountSecurity  security)
{
  MtcAccount *account = mtc_account_new (program, "/home/alice/settings");

  account->program_version = g_strdup (version);
  account->address = g_strdup ("alice@example.net");
  account->incoming = mtc_account_server_new (MTC_ACCOUNT_SERVER_IMAP, "127.0.0.1",
                                              fixture->imap_implicit->port, MTC_ACCOUNT_SECURITY_SSL_TLS);
  account->outgoing = mtc_account_server_new (MTC_ACCOUNT_SERVER_SMTP, "127.0.0.1", port, security);
  return account;
}

static MtcDiagnosis *
run (Fixture          *fixture,
     const MtcAccount *account)
{
  g_autoptr(GError) error = NULL;
  MtcDiagnosis *diagnosis;

  if (account != NULL)
    mtc_account_merge_endpoints (account, fixture->endpoints);
  diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  return diagnosis;
}

static MtcVerdict *
decide (Fixture                *fixture,
        const MtcDiagnosis     *diagnosis,
        const char             *client,
        const MtcAccount       *account,
        const MtcProviderHints *hints)
{
  g_autoptr(MtcUserSide) user = mtc_user_side_new ();
  MtcVerdict *verdict;

  user->client_id = g_strdup (client);
  user->system_id = g_strdup ("linux");
  user->this_computer = TRUE;
  user->account = account != NULL ? mtc_account_copy (account) : NULL;
  verdict = mtc_verdict_decide (diagnosis, user, hints, fixture->knowledge);
  g_test_message ("%s: %s — %s", client, mtc_verdict_id_to_string (verdict->id), verdict->title);
  return verdict;
}

static const MtcVerdictStep *
first_step (const MtcVerdict *verdict)
{
  g_assert_cmpuint (verdict->steps->len, >, 0);
  return g_ptr_array_index (verdict->steps, 0);
}

static void
assert_configured (const MtcDiagnosis *diagnosis,
                   guint16             port,
                   MtcSecurity         security,
                   const char         *program)
{
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      if (result->endpoint->port == port && result->endpoint->security == security)
        {
          g_assert_cmpstr (result->endpoint->configured_in, ==, program);
          return;
        }
    }
  g_assert_not_reached ();
}

/* Thunderbird sends through the implicit-TLS port (465 at a real provider)
 * with STARTTLS: the port was probed as set and failed, the same port
 * works with SSL/TLS. */
static void
test_starttls_on_implicit_port (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  const MtcVerdictStep *step;
  const MtcMailSetting *setting;

  add_provider (fixture, MTC_TLS_1_2);
  account = new_account (fixture, "thunderbird", "128.5.0", fixture->smtp_implicit->port,
                         MTC_ACCOUNT_SECURITY_STARTTLS);
  diagnosis = run (fixture, account);
  g_assert_cmpuint (diagnosis->results->len, ==, 4);  /* the configured SMTP probe beside the provider's three */
  assert_configured (diagnosis, fixture->smtp_implicit->port, MTC_SECURITY_STARTTLS, "thunderbird");
  assert_configured (diagnosis, fixture->imap_implicit->port, MTC_SECURITY_IMPLICIT, "thunderbird");
  assert_configured (diagnosis, fixture->smtp_implicit->port, MTC_SECURITY_IMPLICIT, NULL);

  verdict = decide (fixture, diagnosis, "thunderbird", account, NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  g_assert_cmpstr (mtc_verdict_id_to_string (verdict->id), ==, "wrong-settings");
  step = first_step (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  g_assert_cmpstr (step->title, ==, "Change the Connection Security to SSL/TLS");
  g_assert_nonnull (strstr (step->text, "“Account Settings” › “Outgoing Server (SMTP)”"));
  g_assert_nonnull (strstr (step->text, "set “Connection security” to “SSL/TLS”"));
  g_assert_cmpstr (step->change, ==, "Connection security: SSL/TLS");
  g_assert_cmpstr (step->client_id, ==, "thunderbird");
  g_assert_cmpuint (step->settings->len, ==, 1);
  setting = g_ptr_array_index (step->settings, 0);
  g_assert_cmpint (setting->security, ==, MTC_SECURITY_IMPLICIT);
  g_assert_cmpuint (setting->port, ==, fixture->smtp_implicit->port);
  g_assert_nonnull (strstr (verdict->explanation, "For sending mail, your mail program is set to another kind of "
                                                  "encryption than the server expects there."));
  g_assert_cmpint (verdict->client_ability, ==, MTC_CLIENT_ABILITY_READ);
  g_assert_nonnull (strstr (verdict->details, "read, not assumed: Thunderbird 128.5.0"));

  json = mtc_verdict_to_json (verdict);
  g_assert_nonnull (strstr (json, "\"id\" : \"wrong-settings\""));
  g_assert_nonnull (strstr (json, "\"client_ability\" : \"read\""));
  g_assert_nonnull (strstr (json, "\"change\" : \"Connection security: SSL/TLS\""));
  text = mtc_report_to_json_with_verdict (diagnosis, verdict);
  g_assert_nonnull (strstr (text, "\"configured_in\" : \"thunderbird\""));
}

/* security.tls.version.max=1 (TLS 1.0 only) against a provider that
 * accepts TLS 1.2 and newer: the servers as set are right, the preference
 * is not. */
static void
test_tls_version_max (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  const MtcVerdictStep *step;

  add_provider (fixture, MTC_TLS_1_2);
  account = new_account (fixture, "thunderbird", "115.18.0", fixture->smtp_starttls->port,
                         MTC_ACCOUNT_SECURITY_STARTTLS);
  account->tls_version_max = 1;
  diagnosis = run (fixture, account);
  g_assert_cmpuint (diagnosis->results->len, ==, 3);  /* both servers are the provider's, probed once */

  verdict = decide (fixture, diagnosis, "thunderbird", account, NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_step (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  g_assert_cmpstr (step->title, ==, "Correct the Setting security.tls.version.max");
  g_assert_nonnull (strstr (step->text, "“Config Editor…”, search for security.tls.version.max and set it to 4"));
  g_assert_cmpstr (step->change, ==, "security.tls.version.max = 4");
  g_assert_nonnull (strstr (verdict->explanation, "not to use the newer encryption your provider requires"));
  /* What the program speaks, read and narrowed by the preference. */
  g_assert_cmpint (verdict->client_max, ==, MTC_TLS_1_0);
  g_assert_cmpint (verdict->client_ability, ==, MTC_CLIENT_ABILITY_READ);
  g_assert_nonnull (strstr (verdict->details, "Its setting security.tls.version.max is 1."));
}

/* A correct profile: the verdict the check gives without it. */
static void
test_correct_profile (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) with = NULL;
  g_autoptr(MtcVerdict) without = NULL;

  add_provider (fixture, MTC_TLS_1_2);
  account = new_account (fixture, "thunderbird", "128.5.0", fixture->smtp_implicit->port,
                         MTC_ACCOUNT_SECURITY_SSL_TLS);
  account->tls_version_max = 4;
  diagnosis = run (fixture, account);
  g_assert_cmpuint (diagnosis->results->len, ==, 3);
  with = decide (fixture, diagnosis, "thunderbird", account, NULL);
  without = decide (fixture, diagnosis, "thunderbird", NULL, NULL);
  g_assert_cmpint (with->id, ==, without->id);
  g_assert_cmpint (with->id, ==, MTC_VERDICT_ALL_GOOD);
  g_assert_null (mtc_verdict_get_step (with, "change-setting"));
  g_assert_cmpint (with->client_ability, ==, MTC_CLIENT_ABILITY_READ);
  g_assert_cmpint (without->client_ability, ==, MTC_CLIENT_ABILITY_ASSUMED);
  g_assert_false (with->uncertain);
}

/* Evolution sends through a port that does not get through (port 25 at a
 * real provider; here a closed one), while the provider's submission port
 * works: change the port. */
static void
test_blocked_port (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  guint16 closed = mtc_test_closed_port ();
  const MtcVerdictStep *step;
  const MtcMailSetting *setting;
  g_autofree char *title = NULL;

  add_provider (fixture, MTC_TLS_1_2);
  account = new_account (fixture, "evolution", "3.46.4", closed, MTC_ACCOUNT_SECURITY_STARTTLS);
  diagnosis = run (fixture, account);
  verdict = decide (fixture, diagnosis, "evolution", account, NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_step (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  setting = g_ptr_array_index (step->settings, 0);
  /* Encrypted from the first byte is preferred (RFC 8314). */
  g_assert_cmpuint (setting->port, ==, fixture->smtp_implicit->port);
  title = g_strdup_printf ("Change the Port to %u", fixture->smtp_implicit->port);
  g_assert_cmpstr (step->title, ==, title);
  /* No source for Evolution's labels: the setting in plain words, no menu path. */
  g_assert_true (g_str_has_prefix (step->text, "In Evolution, change the outgoing mail server 127.0.0.1 of your "
                                   "account:"));
  g_assert_null (strstr (step->text, "›"));
  g_assert_nonnull (strstr (verdict->explanation, "for sending mail does not get through from here"));
  /* Evolution uses this computer's TLS library: what it speaks is read here. */
  g_assert_cmpint (verdict->client_ability, ==, MTC_CLIENT_ABILITY_READ);
}

/* A host name that does not resolve while the provider's servers answer. */
static void
test_unknown_host (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  const MtcVerdictStep *step;

  mtc_test_resolver_add_failure (resolver, "smtp.mistyped.test", G_RESOLVER_ERROR_NOT_FOUND);
  mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));
  add_provider (fixture, MTC_TLS_1_2);
  account = new_account (fixture, "thunderbird", "128.5.0", fixture->smtp_implicit->port,
                         MTC_ACCOUNT_SECURITY_SSL_TLS);
  g_free (account->outgoing->host);
  account->outgoing->host = g_strdup ("smtp.mistyped.test");
  diagnosis = run (fixture, account);
  verdict = decide (fixture, diagnosis, "thunderbird", account, NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_step (verdict);
  g_assert_cmpstr (step->title, ==, "Change the Server Name to 127.0.0.1");
  g_assert_cmpstr (step->change, ==, "Server Name: 127.0.0.1");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/mtc/verdict-settings/" path, Fixture, NULL, fixture_set_up, func, \
                                    fixture_tear_down)
  ADD ("starttls-on-implicit-port", test_starttls_on_implicit_port);
  ADD ("tls-version-max", test_tls_version_max);
  ADD ("correct-profile", test_correct_profile);
  ADD ("blocked-port", test_blocked_port);
  ADD ("unknown-host", test_unknown_host);
#undef ADD
  return g_test_run ();
}
