/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mtc-account.h"
#include "mtc-demo-server.h"
#include "mtc-prober.h"
#include "mtc-report.h"
#include "mtc-test-util.h"
#include "mtc-verdict.h"

/* Verdicts from real probes of the project's loopback servers: the prober's
 * output and the verdict engine agree on what each situation looks like. */

typedef struct {
  MtcDemoServer *server;
  MtcProber *prober;
  GPtrArray *endpoints;
  MtcKnowledge *knowledge;
} Fixture;

static const struct {
  MtcProtocol protocol;
  MtcSecurity security;
} provider_kinds[] = {
  { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS },
  { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT },
  { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS },
  { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT },
  { MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT },
};

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

static void
add_provider (Fixture       *fixture,
              MtcTlsVersion  min_version)
{
  for (gsize i = 0; i < G_N_ELEMENTS (provider_kinds); i++)
    g_ptr_array_add (fixture->endpoints,
                     mtc_test_add_service (fixture->server, provider_kinds[i].protocol, provider_kinds[i].security,
                                           min_version, MTC_TLS_1_3, MTC_DEMO_NORMAL));
}

static void
add_closed (Fixture     *fixture,
            MtcProtocol  protocol,
            MtcSecurity  security)
{
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (protocol, security, "127.0.0.1", mtc_test_closed_port ()));
}

static MtcDiagnosis *
run (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  MtcDiagnosis *diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  return diagnosis;
}

static MtcVerdict *
decide (Fixture                *fixture,
        const MtcDiagnosis     *diagnosis,
        const char             *client,
        const char             *system,
        const MtcProviderHints *hints)
{
  g_autoptr(MtcUserSide) user = mtc_user_side_new ();
  MtcVerdict *verdict;

  user->client_id = g_strdup (client);
  user->system_id = g_strdup (system);
  user->this_computer = FALSE;
  verdict = mtc_verdict_decide (diagnosis, user, hints, fixture->knowledge);
  g_test_message ("%s on %s: %s — %s", client ? client : "?", system ? system : "?",
                  mtc_verdict_id_to_string (verdict->id), verdict->title);
  return verdict;
}

static const char *
first_step (const MtcVerdict *verdict)
{
  g_assert_cmpuint (verdict->steps->len, >, 0);
  return ((const MtcVerdictStep *) g_ptr_array_index (verdict->steps, 0))->id;
}

/* The help article's situation: TLS 1.2 only; El Capitan's Mail is too old,
 * Mojave's is fine. */
static void
test_tls12_provider (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) old = NULL;
  g_autoptr(MtcVerdict) current = NULL;

  add_provider (fixture, MTC_TLS_1_2);
  diagnosis = run (fixture);
  old = decide (fixture, diagnosis, "apple-mail", "macos-10.11", NULL);
  current = decide (fixture, diagnosis, "apple-mail", "macos-10.14", NULL);

  g_assert_cmpint (old->id, ==, MTC_VERDICT_CLIENT_TOO_OLD);
  g_assert_cmpstr (first_step (old), ==, "webmail");
  g_assert_true (g_str_has_prefix (mtc_verdict_get_step (old, "webmail")->url, "https://127.0.0.1:"));
  g_assert_cmpint (old->needed, ==, MTC_TLS_1_2);
  g_assert_cmpint (current->id, ==, MTC_VERDICT_ALL_GOOD);
  g_assert_cmpstr (first_step (current), ==, "settings");
  g_assert_false (current->may_stop);
}

/* A provider that still accepts TLS 1.0: works today, may stop. */
static void
test_legacy_provider (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;

  add_provider (fixture, MTC_TLS_1_0);
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "apple-mail", "macos-10.11", NULL);
  if (!diagnosis->local->versions_available[MTC_TLS_1_0])
    {
      /* This computer's own policy forbids TLS 1.0: it cannot tell. */
      g_assert_cmpint (verdict->id, ==, MTC_VERDICT_LOCALLY_DISABLED);
      g_assert_true (verdict->this_computer_cannot_test);
      return;
    }
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_ALL_GOOD);
  g_assert_true (verdict->may_stop);
  g_assert_cmpint (verdict->client_max, ==, MTC_TLS_1_0);
}

static void
test_port_blocked (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;

  add_closed (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS);
  add_closed (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT);
  add_closed (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT);
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_HTTPS,
                                                             MTC_SECURITY_IMPLICIT, MTC_TLS_1_2, MTC_TLS_1_3,
                                                             MTC_DEMO_NORMAL));
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "apple-mail", "macos-10.14", NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_PORT_BLOCKED);
  g_assert_cmpstr (first_step (verdict), ==, "webmail");
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;

  add_closed (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT);
  add_closed (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT);
  add_closed (fixture, MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT);
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "thunderbird", "linux", NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_OFFLINE);
  g_assert_cmpstr (first_step (verdict), ==, "check-connection");
}

/* The demo servers' certificates come from the demo CA; a profile expecting
 * another issuer reads that as someone stepping in. */
static void
test_unexpected_issuer (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) intercepted = NULL;
  g_autoptr(MtcVerdict) plain = NULL;
  g_autoptr(MtcProviderHints) hints = mtc_provider_hints_new ();
  g_autoptr(MtcProviderHints) demo_hints = mtc_provider_hints_new ();

  hints->expected_issuer = g_strdup ("Let's Encrypt");
  demo_hints->expected_issuer = g_strdup ("Mail TLS Check Demo CA");
  add_provider (fixture, MTC_TLS_1_2);
  diagnosis = run (fixture);
  intercepted = decide (fixture, diagnosis, "thunderbird", "windows-10", hints);
  plain = decide (fixture, diagnosis, "thunderbird", "windows-10", demo_hints);
  g_assert_cmpint (intercepted->id, ==, MTC_VERDICT_TLS_INTERCEPTED);
  g_assert_cmpstr (first_step (intercepted), ==, "antivirus");
  g_assert_cmpint (plain->id, ==, MTC_VERDICT_ALL_GOOD);
}

static MtcEndpoint *
add (Fixture          *fixture,
     MtcProtocol       protocol,
     MtcSecurity       security,
     MtcTlsVersion     min_version,
     MtcTlsVersion     max_version,
     MtcDemoBehaviour  behaviour)
{
  MtcEndpoint *endpoint = mtc_test_add_service (fixture->server, protocol, security, min_version, max_version,
                                                behaviour);

  g_ptr_array_add (fixture->endpoints, endpoint);
  return endpoint;
}

/* No STARTTLS on IMAP and POP3, the implicit-TLS ports fine: without
 * evidence that STARTTLS belongs there, a finding about those ports and the
 * settings use the others; with a profile that publishes STARTTLS on the
 * IMAP port, tampering. */
static void
test_starttls_stripped (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) plain = NULL;
  g_autoptr(MtcVerdict) stripped = NULL;
  g_autoptr(MtcProviderHints) hints = mtc_provider_hints_new ();
  g_autofree char *port_143 = NULL;
  const MtcVerdictStep *settings;
  MtcEndpoint *imap;

  imap = add (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NO_STARTTLS);
  add (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  add (fixture, MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NO_STARTTLS);
  add (fixture, MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  diagnosis = run (fixture);

  plain = decide (fixture, diagnosis, "thunderbird", "linux", NULL);
  g_assert_cmpint (plain->id, ==, MTC_VERDICT_ALL_GOOD);
  settings = mtc_verdict_get_step (plain, "settings");
  g_assert_cmpstr (first_step (plain), ==, "settings");
  for (guint i = 0; i < settings->settings->len; i++)
    g_assert_cmpint (((MtcMailSetting *) g_ptr_array_index (settings->settings, i))->security, ==,
                     MTC_SECURITY_IMPLICIT);
  port_143 = g_strdup_printf ("Do not use port %u of 127.0.0.1", imap->port);
  g_assert_nonnull (strstr (settings->text, port_143));

  hints->starttls_published = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (hints->starttls_published, mtc_endpoint_to_ascii_url (imap));
  stripped = decide (fixture, diagnosis, "thunderbird", "linux", hints);
  g_assert_cmpint (stripped->id, ==, MTC_VERDICT_STARTTLS_STRIPPED);
  g_assert_cmpstr (first_step (stripped), ==, "settings");
  g_assert_nonnull (strstr (stripped->details, "the provider publishes this server with STARTTLS"));
}

/* Injection after STARTTLS is named as such: beside a clean STARTTLS port,
 * and on every STARTTLS port. */
static void
test_starttls_injected (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) beside = NULL;
  g_autoptr(MtcDiagnosis) everywhere = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;

  add (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_INJECTION);
  add (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  add (fixture, MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  add (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  beside = run (fixture);
  verdict = decide (fixture, beside, "thunderbird", "linux", NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_STARTTLS_STRIPPED);
  g_assert_nonnull (strstr (verdict->title, "Injects Data"));
  g_assert_cmpstr (first_step (verdict), ==, "webmail");
  g_clear_pointer (&verdict, mtc_verdict_free);

  g_ptr_array_set_size (fixture->endpoints, 0);
  add (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_INJECTION);
  add (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_INJECTION);
  everywhere = run (fixture);
  verdict = decide (fixture, everywhere, "thunderbird", "linux", NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_STARTTLS_STRIPPED);
  g_assert_nonnull (strstr (verdict->title, "Injects Data"));
  g_assert_null (strstr (verdict->explanation, "not caused by your computer"));
}

/* A server whose every handshake breaks off: the failure is said once, as
 * such, not in the words of its TLS 1.0 cell. */
static void
test_common_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  g_autofree char *report = NULL;

  add (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, MTC_TLS_1_0, MTC_TLS_1_3, MTC_DEMO_DIE_MID_HANDSHAKE);
  add (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, MTC_TLS_1_0, MTC_TLS_1_3, MTC_DEMO_DIE_MID_HANDSHAKE);
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "thunderbird", "linux", NULL);
  report = mtc_report_to_text_with_verdict (diagnosis, verdict, NULL);
  g_test_message ("%s", report);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_SERVER_PROBLEM);
  g_assert_nonnull (strstr (verdict->details, "The same happened with every TLS version tried"));
  g_assert_null (strstr (verdict->details, "offered TLS 1.0,"));
  g_assert_null (strstr (report, "offered TLS 1.0,"));
}

/* TLS 1.0 only: the words name TLS 1.0, not "1.0 and newer". */
static void
test_tls10_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (provider_kinds); i++)
    add (fixture, provider_kinds[i].protocol, provider_kinds[i].security, MTC_TLS_1_0, MTC_TLS_1_0,
         MTC_DEMO_NORMAL);
  diagnosis = run (fixture);
  if (!diagnosis->local->versions_available[MTC_TLS_1_0])
    {
      g_test_skip ("this computer's TLS library does not offer TLS 1.0");
      return;
    }
  verdict = decide (fixture, diagnosis, "apple-mail", "macos-10.11", NULL);
  g_test_message ("%s", verdict->details);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_ALL_GOOD);
  g_assert_nonnull (strstr (verdict->details, "The servers for sending mail accept TLS 1.0.\n"));
  g_assert_nonnull (strstr (verdict->details, "The servers for receiving mail accept TLS 1.0.\n"));
  g_assert_nonnull (strstr (verdict->details, "The webmail server accepts TLS 1.0.\n"));
  g_assert_null (strstr (verdict->details, "TLS 1.0 and newer"));
}

/* A TLS-1.3-only webmail and Apple Mail on El Capitan: Safari there reaches
 * TLS 1.2 at most, so webmail is not offered as working right away. */
static void
test_tls13_webmail (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  const MtcVerdictStep *webmail;

  for (gsize i = 0; i + 1 < G_N_ELEMENTS (provider_kinds); i++)
    add (fixture, provider_kinds[i].protocol, provider_kinds[i].security, MTC_TLS_1_2, MTC_TLS_1_3,
         MTC_DEMO_NORMAL);
  add (fixture, MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, MTC_TLS_1_3, MTC_TLS_1_3, MTC_DEMO_NORMAL);
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "apple-mail", "macos-10.11", NULL);
  webmail = mtc_verdict_get_step (verdict, "webmail");
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_CLIENT_TOO_OLD);
  g_assert_cmpstr (first_step (verdict), !=, "webmail");
  g_assert_cmpstr (webmail->title, !=, "Use Webmail Now");
  g_assert_nonnull (strstr (webmail->text, "Safari on OS X 10.11 El Capitan"));
  g_assert_null (strstr (verdict->explanation, "Webmail works right away"));
}

/* The provider states TLS 1.2 and newer; the servers still complete TLS 1.0
 * (as Microsoft's do before turning 1.0 away at login): the statement counts. */
static void
test_stated_minimum (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  g_autoptr(MtcProviderHints) hints = mtc_provider_hints_new ();

  hints->min_version = MTC_TLS_1_2;
  add_provider (fixture, MTC_TLS_1_0);
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "apple-mail", "macos-10.11", hints);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_CLIENT_TOO_OLD);
  g_assert_cmpint (verdict->needed, ==, MTC_TLS_1_2);
  if (diagnosis->local->versions_available[MTC_TLS_1_0])
    {
      g_assert_nonnull (strstr (verdict->explanation, "In this check the servers still let it through"));
      g_assert_nonnull (strstr (verdict->details, "In this check the servers still accepted TLS 1.0."));
    }
}

static void
test_server_busy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;

  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP,
                                                             MTC_SECURITY_STARTTLS, MTC_TLS_1_2, MTC_TLS_1_3,
                                                             MTC_DEMO_BUSY));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, MTC_TLS_1_2, MTC_TLS_1_3,
                                                             MTC_DEMO_NORMAL));
  diagnosis = run (fixture);
  verdict = decide (fixture, diagnosis, "thunderbird", "linux", NULL);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_SERVER_PROBLEM);
  g_assert_cmpstr (first_step (verdict), ==, "support");
}

/* wrong-settings: a mail program's account, as its settings files would
 * give it, probed exactly as set beside the provider's servers
 * (mtc_account_merge_endpoints, as MtcCheck does). */

/* The port of the provider's server of that kind (add_provider puts them first). */
static guint16
provider_port (Fixture     *fixture,
               MtcProtocol  protocol,
               MtcSecurity  security)
{
  for (guint i = 0; i < fixture->endpoints->len; i++)
    {
      const MtcEndpoint *endpoint = g_ptr_array_index (fixture->endpoints, i);

      if (endpoint->protocol == protocol && endpoint->security == security)
        return endpoint->port;
    }
  g_assert_not_reached ();
}

static const MtcVerdictStep *
first_card (const MtcVerdict *verdict)
{
  g_assert_cmpuint (verdict->steps->len, >, 0);
  return g_ptr_array_index (verdict->steps, 0);
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
                                              provider_port (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT), MTC_ACCOUNT_SECURITY_SSL_TLS);
  account->outgoing = mtc_account_server_new (MTC_ACCOUNT_SERVER_SMTP, "127.0.0.1", port, security);
  return account;
}

/* The provider's servers and the account's as set, probed. */
static MtcDiagnosis *
run_account (Fixture          *fixture,
             const MtcAccount *account)
{
  mtc_account_merge_endpoints (account, fixture->endpoints);
  return run (fixture);
}

static MtcVerdict *
decide_account (Fixture            *fixture,
                const MtcDiagnosis *diagnosis,
                const char         *client,
                const MtcAccount   *account)
{
  g_autoptr(MtcUserSide) user = mtc_user_side_new ();
  MtcVerdict *verdict;

  user->client_id = g_strdup (client);
  user->system_id = g_strdup ("linux");
  user->this_computer = TRUE;
  user->account = account != NULL ? mtc_account_copy (account) : NULL;
  verdict = mtc_verdict_decide (diagnosis, user, NULL, fixture->knowledge);
  g_test_message ("%s: %s — %s", client, mtc_verdict_id_to_string (verdict->id), verdict->title);
  return verdict;
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
  account = new_account (fixture, "thunderbird", "128.5.0", provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT),
                         MTC_ACCOUNT_SECURITY_STARTTLS);
  diagnosis = run_account (fixture, account);
  g_assert_cmpuint (diagnosis->results->len, ==, 6);  /* the configured SMTP probe beside the provider's five */
  assert_configured (diagnosis, provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT), MTC_SECURITY_STARTTLS, "thunderbird");
  assert_configured (diagnosis, provider_port (fixture, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT), MTC_SECURITY_IMPLICIT, "thunderbird");
  assert_configured (diagnosis, provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT), MTC_SECURITY_IMPLICIT, NULL);

  verdict = decide_account (fixture, diagnosis, "thunderbird", account);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  g_assert_cmpstr (mtc_verdict_id_to_string (verdict->id), ==, "wrong-settings");
  step = first_card (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  g_assert_cmpstr (step->title, ==, "Change the Connection Security to SSL/TLS");
  g_assert_nonnull (strstr (step->text, "“Account Settings” › “Outgoing Server (SMTP)”"));
  g_assert_nonnull (strstr (step->text, "set “Connection security” to “SSL/TLS”"));
  g_assert_cmpstr (step->change, ==, "Connection security: SSL/TLS");
  g_assert_cmpstr (step->client_id, ==, "thunderbird");
  g_assert_cmpuint (step->settings->len, ==, 1);
  setting = g_ptr_array_index (step->settings, 0);
  g_assert_cmpint (setting->security, ==, MTC_SECURITY_IMPLICIT);
  g_assert_cmpuint (setting->port, ==, provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT));
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
  account = new_account (fixture, "thunderbird", "115.18.0", provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS),
                         MTC_ACCOUNT_SECURITY_STARTTLS);
  account->tls_version_max = 1;
  diagnosis = run_account (fixture, account);
  g_assert_cmpuint (diagnosis->results->len, ==, 5);  /* both servers are the provider's, probed once */

  verdict = decide_account (fixture, diagnosis, "thunderbird", account);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_card (verdict);
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
  account = new_account (fixture, "thunderbird", "128.5.0", provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT),
                         MTC_ACCOUNT_SECURITY_SSL_TLS);
  account->tls_version_max = 4;
  diagnosis = run_account (fixture, account);
  g_assert_cmpuint (diagnosis->results->len, ==, 5);
  with = decide_account (fixture, diagnosis, "thunderbird", account);
  without = decide_account (fixture, diagnosis, "thunderbird", NULL);
  g_assert_cmpint (with->id, ==, without->id);
  g_assert_cmpint (with->id, ==, MTC_VERDICT_ALL_GOOD);
  g_assert_null (mtc_verdict_get_step (with, "change-setting"));
  g_assert_cmpint (with->client_ability, ==, MTC_CLIENT_ABILITY_READ);
  g_assert_cmpint (without->client_ability, ==, MTC_CLIENT_ABILITY_ASSUMED);
  g_assert_false (with->uncertain);
}

/* Evolution sends through a port that does not get through, while the
 * provider's submission port works: change the port. @closed is a closed
 * port: any, or port 25 itself (wrong-settings/port-25, in a network
 * namespace), as many networks block it. */
static void
check_blocked_port (Fixture *fixture,
                    guint16  closed)
{
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  const MtcVerdictStep *step;
  const MtcMailSetting *setting;
  g_autofree char *title = NULL;

  add_provider (fixture, MTC_TLS_1_2);
  account = new_account (fixture, "evolution", "3.46.4", closed, MTC_ACCOUNT_SECURITY_STARTTLS);
  diagnosis = run_account (fixture, account);
  verdict = decide_account (fixture, diagnosis, "evolution", account);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_card (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  setting = g_ptr_array_index (step->settings, 0);
  /* Encrypted from the first byte is preferred (RFC 8314). */
  g_assert_cmpuint (setting->port, ==, provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT));
  title = g_strdup_printf ("Change the Port to %u", provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT));
  g_assert_cmpstr (step->title, ==, title);
  /* No source for Evolution's labels: the setting in plain words, no menu path. */
  g_assert_true (g_str_has_prefix (step->text, "In Evolution, change the outgoing mail server 127.0.0.1 of your "
                                   "account:"));
  g_assert_null (strstr (step->text, "›"));
  if (closed == 25)
    g_assert_nonnull (strstr (verdict->explanation, "sends mail through port 25, which many networks block"));
  else
    g_assert_nonnull (strstr (verdict->explanation, "for sending mail does not get through from here"));
  /* Evolution uses this computer's TLS library: what it speaks is read here. */
  g_assert_cmpint (verdict->client_ability, ==, MTC_CLIENT_ABILITY_READ);
}

static void
test_blocked_port (Fixture       *fixture,
                   gconstpointer  data)
{
  check_blocked_port (fixture, mtc_test_closed_port ());
}

/* A sending server that encrypts but offers mail programs no login (no
 * AUTH after STARTTLS), as port 25 of a provider's incoming mail servers,
 * while the provider's submission works: change the port. @port 0 is any
 * free port; the provider's port 25 case needs a network namespace. */
static void
check_no_login (Fixture *fixture,
                guint16  port)
{
  MtcDemoServiceConfig config = {
    .protocol = MTC_PROTOCOL_SMTP, .security = MTC_SECURITY_STARTTLS,
    .min_version = MTC_TLS_1_2, .max_version = MTC_TLS_1_3, .behaviour = MTC_DEMO_NORMAL, .relay_only = TRUE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  guint16 relay;
  guint16 submissions;
  const MtcVerdictStep *step;
  const MtcMailSetting *setting;

  add_provider (fixture, MTC_TLS_1_2);
  relay = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  submissions = provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT);
  account = new_account (fixture, "thunderbird", "128.5.0", relay, MTC_ACCOUNT_SECURITY_STARTTLS);
  diagnosis = run_account (fixture, account);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      const MtcEndpoint *endpoint = result->endpoint;
      MtcLogin expected = endpoint->protocol != MTC_PROTOCOL_SMTP || endpoint->security != MTC_SECURITY_STARTTLS
                          ? MTC_LOGIN_UNKNOWN : endpoint->port == relay ? MTC_LOGIN_NOT_OFFERED : MTC_LOGIN_OFFERED;

      g_assert_cmpstr (mtc_status_to_string (result->status), ==, "ok");
      g_assert_cmpstr (mtc_login_to_string (result->login), ==, mtc_login_to_string (expected));
    }

  verdict = decide_account (fixture, diagnosis, "thunderbird", account);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_card (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  setting = g_ptr_array_index (step->settings, 0);
  g_assert_cmpuint (setting->port, ==, submissions);
  g_assert_cmpint (setting->security, ==, MTC_SECURITY_IMPLICIT);
  g_assert_nonnull (strstr (step->change, "SSL/TLS"));
  if (relay == 25)
    g_assert_nonnull (strstr (verdict->explanation, "sends mail through port 25. There your provider’s server only "
                                                    "takes mail from other mail servers"));
  else
    g_assert_nonnull (strstr (verdict->explanation, "offers it no login"));
}

static void
test_no_login (Fixture       *fixture,
               gconstpointer  data)
{
  check_no_login (fixture, 0);
}

/* The program is set to no encryption on a STARTTLS port whose server
 * offers a login only after STARTTLS (as Dovecot with
 * disable_plaintext_auth and Postfix with smtpd_tls_auth_only do): change
 * the connection security, with no provider profile saying anything. A
 * server that still offers a login without encryption is left alone. */
static void
test_no_encryption (Fixture       *fixture,
                    gconstpointer  data)
{
  MtcProtocol protocol = GPOINTER_TO_INT (data);
  MtcDemoServiceConfig config = {
    .protocol = protocol, .security = MTC_SECURITY_STARTTLS,
    .min_version = MTC_TLS_1_2, .max_version = MTC_TLS_1_3, .behaviour = MTC_DEMO_NORMAL,
  };
  MtcAccountServerKind kinds[] = {
    [MTC_PROTOCOL_SMTP] = MTC_ACCOUNT_SERVER_SMTP,
    [MTC_PROTOCOL_IMAP] = MTC_ACCOUNT_SERVER_IMAP,
    [MTC_PROTOCOL_POP3] = MTC_ACCOUNT_SERVER_POP3,
  };

  for (int plain = 0; plain <= 1; plain++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcAccount) account = NULL;
      g_autoptr(MtcDiagnosis) diagnosis = NULL;
      g_autoptr(MtcVerdict) verdict = NULL;
      MtcAccountServer *server;
      guint16 port;

      g_ptr_array_set_size (fixture->endpoints, 0);
      add_provider (fixture, MTC_TLS_1_2);
      config.plain_login = plain;
      port = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", 0, &error);
      g_assert_no_error (error);
      account = new_account (fixture, "thunderbird", "128.5.0",
                             provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT),
                             MTC_ACCOUNT_SECURITY_SSL_TLS);
      server = mtc_account_server_new (kinds[protocol], "127.0.0.1", port, MTC_ACCOUNT_SECURITY_NONE);
      if (protocol == MTC_PROTOCOL_SMTP)
        {
          mtc_account_server_free (account->outgoing);
          account->outgoing = server;
        }
      else
        {
          mtc_account_server_free (account->incoming);
          account->incoming = server;
        }
      diagnosis = run_account (fixture, account);
      for (guint i = 0; i < diagnosis->results->len; i++)
        {
          const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

          if (result->endpoint->port == port)
            g_assert_cmpstr (mtc_login_to_string (result->login_without_tls), ==, plain ? "offered" : "not-offered");
        }
      verdict = decide_account (fixture, diagnosis, "thunderbird", account);
      if (plain)
        {
          g_assert_cmpint (verdict->id, !=, MTC_VERDICT_WRONG_SETTINGS);
          g_assert_null (mtc_verdict_get_step (verdict, "change-setting"));
        }
      else
        {
          const MtcVerdictStep *step;
          const MtcMailSetting *setting;

          g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
          step = first_card (verdict);
          g_assert_cmpstr (step->title, ==, "Change the Connection Security to STARTTLS");
          setting = g_ptr_array_index (step->settings, 0);
          g_assert_cmpuint (setting->port, ==, port);
          g_assert_cmpint (setting->security, ==, MTC_SECURITY_STARTTLS);
          g_assert_nonnull (strstr (verdict->explanation, "without encryption"));
        }
    }
}

/* A server that offers no login is no way to send instead: the provider's
 * relay (listed first) and its submission port both speak STARTTLS, the
 * account's sending port is closed: the step names submission. */
static void
test_no_login_not_instead (Fixture       *fixture,
                           gconstpointer  data)
{
  MtcDemoServiceConfig config = {
    .protocol = MTC_PROTOCOL_SMTP, .security = MTC_SECURITY_STARTTLS,
    .min_version = MTC_TLS_1_2, .max_version = MTC_TLS_1_3, .behaviour = MTC_DEMO_NORMAL, .relay_only = TRUE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcAccount) account = NULL;
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  g_autoptr(MtcVerdict) verdict = NULL;
  guint16 relay = mtc_demo_server_add_service (fixture->server, &config, "127.0.0.1", 0, &error);
  guint16 submission;
  const MtcVerdictStep *step;

  g_assert_no_error (error);
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1", relay));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS,
                                                             MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL));
  submission = ((const MtcEndpoint *) g_ptr_array_index (fixture->endpoints, 1))->port;
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT,
                                                             MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL));
  account = new_account (fixture, "thunderbird", "128.5.0", mtc_test_closed_port (), MTC_ACCOUNT_SECURITY_STARTTLS);
  diagnosis = run_account (fixture, account);
  verdict = decide_account (fixture, diagnosis, "thunderbird", account);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_card (verdict);
  g_assert_cmpstr (step->id, ==, "change-setting");
  g_assert_cmpuint (((const MtcMailSetting *) g_ptr_array_index (step->settings, 0))->port, ==, submission);

  /* Without the account: the settings to use name submission too. */
  g_clear_pointer (&verdict, mtc_verdict_free);
  verdict = decide_account (fixture, diagnosis, "thunderbird", NULL);
  step = mtc_verdict_get_step (verdict, "settings");
  g_assert_nonnull (step);
  for (guint i = 0; i < step->settings->len; i++)
    {
      const MtcMailSetting *setting = g_ptr_array_index (step->settings, i);

      if (setting->protocol == MTC_PROTOCOL_SMTP)
        g_assert_cmpuint (setting->port, ==, submission);
    }
}

static void
port_25_child (void)
{
  Fixture fixture;

  g_assert_true (mtc_test_enter_network_namespace ());
  g_assert_true (mtc_test_run_ip ("link set lo up"));
  /* Port 25 of the provider offering no login, then port 25 blocked
   * (nothing answers there) for Evolution while submission works. */
  fixture_set_up (&fixture, NULL);
  check_no_login (&fixture, 25);
  fixture_tear_down (&fixture, NULL);
  fixture_set_up (&fixture, NULL);
  check_blocked_port (&fixture, 25);
  fixture_tear_down (&fixture, NULL);
}

static void
test_port_25 (void)
{
  pid_t pid;
  int status = 0;

  if (g_test_subprocess ())
    {
      port_25_child ();
      return;
    }
  /* Whether this computer lets the test make a network namespace. */
  pid = fork ();
  if (pid == 0)
    _exit (mtc_test_enter_network_namespace () && mtc_test_run_ip ("link set lo up") ? 0 : 1);
  if (pid < 0 || waitpid (pid, &status, 0) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_test_skip ("no network namespace of the test's own: port 25 needs one");
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
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
  account = new_account (fixture, "thunderbird", "128.5.0", provider_port (fixture, MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT),
                         MTC_ACCOUNT_SECURITY_SSL_TLS);
  g_free (account->outgoing->host);
  account->outgoing->host = g_strdup ("smtp.mistyped.test");
  diagnosis = run_account (fixture, account);
  verdict = decide_account (fixture, diagnosis, "thunderbird", account);
  g_assert_cmpint (verdict->id, ==, MTC_VERDICT_WRONG_SETTINGS);
  step = first_card (verdict);
  g_assert_cmpstr (step->title, ==, "Change the Server Name to 127.0.0.1");
  g_assert_cmpstr (step->change, ==, "Server Name: 127.0.0.1");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/mtc/verdict-loopback/" path, Fixture, NULL, fixture_set_up, func, \
                                    fixture_tear_down)
  ADD ("tls12-provider", test_tls12_provider);
  ADD ("legacy-provider", test_legacy_provider);
  ADD ("port-blocked", test_port_blocked);
  ADD ("offline", test_offline);
  ADD ("unexpected-issuer", test_unexpected_issuer);
  ADD ("starttls-stripped", test_starttls_stripped);
  ADD ("starttls-injected", test_starttls_injected);
  ADD ("common-failure", test_common_failure);
  ADD ("tls10-only", test_tls10_only);
  ADD ("tls13-webmail", test_tls13_webmail);
  ADD ("stated-minimum", test_stated_minimum);
  ADD ("server-busy", test_server_busy);
  ADD ("wrong-settings/starttls-on-implicit-port", test_starttls_on_implicit_port);
  ADD ("wrong-settings/tls-version-max", test_tls_version_max);
  ADD ("wrong-settings/correct-profile", test_correct_profile);
  ADD ("wrong-settings/blocked-port", test_blocked_port);
  ADD ("wrong-settings/unknown-host", test_unknown_host);
  ADD ("wrong-settings/no-login", test_no_login);
  g_test_add ("/mtc/verdict-loopback/wrong-settings/no-encryption/smtp", Fixture, GINT_TO_POINTER (MTC_PROTOCOL_SMTP),
              fixture_set_up, test_no_encryption, fixture_tear_down);
  g_test_add ("/mtc/verdict-loopback/wrong-settings/no-encryption/imap", Fixture, GINT_TO_POINTER (MTC_PROTOCOL_IMAP),
              fixture_set_up, test_no_encryption, fixture_tear_down);
  g_test_add ("/mtc/verdict-loopback/wrong-settings/no-encryption/pop3", Fixture, GINT_TO_POINTER (MTC_PROTOCOL_POP3),
              fixture_set_up, test_no_encryption, fixture_tear_down);
  ADD ("wrong-settings/no-login-not-instead", test_no_login_not_instead);
  g_test_add_func ("/mtc/verdict-loopback/wrong-settings/port-25", test_port_25);
#undef ADD

  return g_test_run ();
}
