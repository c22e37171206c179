/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-report.h"
#include "mtc-test-util.h"
#include "verdict-cases.h"

/* The verdict engine, table-driven: every category from constructed
 * diagnoses, the ranked steps, the flags, and the report's JSON and text. */

static MtcKnowledge *knowledge;

static void
test_case (gconstpointer data)
{
  const VerdictCase *c = data;
  g_autoptr(MtcVerdict) verdict = case_verdict (c, knowledge);
  g_autoptr(GString) ids = g_string_new (NULL);
  guint n_expected = 0;

  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);
      g_string_append_printf (ids, "%s%s", i ? " " : "", step->id);
    }
  g_test_message ("%s → %s: %s [%s]", c->name, mtc_verdict_id_to_string (verdict->id), verdict->title, ids->str);

  g_assert_cmpstr (mtc_verdict_id_to_string (verdict->id), ==, mtc_verdict_id_to_string (c->expected));
  while (n_expected < G_N_ELEMENTS (c->steps) && c->steps[n_expected] != NULL)
    n_expected++;
  g_assert_cmpuint (verdict->steps->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      g_assert_cmpstr (step->id, ==, c->steps[i]);
      g_assert_nonnull (step->title);
      g_assert_nonnull (step->text);
      g_assert_cmpstr (step->text, !=, "");
    }
  g_assert_cmpint (verdict->may_stop, ==, c->may_stop);
  g_assert_cmpint (verdict->this_computer_cannot_test, ==, c->cannot_test);

  /* One short heading in header capitalisation (every word of four
   * letters or more begins with a capital, no full stop); three or four
   * sentences of explanation. */
  g_assert_nonnull (verdict->title);
  g_assert_false (g_str_has_suffix (verdict->title, "."));
  g_assert_null (strchr (verdict->title, '\n'));
  {
    g_auto(GStrv) words = g_strsplit (verdict->title, " ", -1);

    for (guint w = 0; words[w] != NULL; w++)
      if (g_utf8_strlen (words[w], -1) >= 4)
        g_assert_true (g_unichar_isupper (g_utf8_get_char (words[w])));
  }
  g_assert_nonnull (verdict->explanation);
  g_assert_nonnull (verdict->details);
}

/* Count the sentences of a text: full stops followed by a space or the end. */
static guint
count_sentences (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if ((*p == '.' || *p == '!' || *p == '?') && (p[1] == ' ' || p[1] == '\0'))
      n++;
  return n;
}

/* The explanation is for a worried person: few sentences, no jargon. */
static void
test_plain_words (void)
{
  static const char * const jargon[] = { "TLS", "SSL", "STARTTLS", "SMTP", "IMAP", "POP3", "cipher", "handshake",
                                         "protocol", "port 5", "port 9" };

  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      g_autoptr(MtcVerdict) verdict = case_verdict (&verdict_cases[i], knowledge);
      guint sentences = count_sentences (verdict->explanation);

      g_test_message ("%s: %u sentences", verdict_cases[i].name, sentences);
      g_assert_cmpuint (sentences, >=, 3);
      g_assert_cmpuint (sentences, <=, 5);
      for (gsize j = 0; j < G_N_ELEMENTS (jargon); j++)
        {
          g_assert_null (strstr (verdict->title, jargon[j]));
          g_assert_null (strstr (verdict->explanation, jargon[j]));
        }
    }
}

static const VerdictCase *
find_case (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    if (strcmp (verdict_cases[i].name, name) == 0)
      return &verdict_cases[i];
  g_assert_not_reached ();
}

/* wrong-settings: each case's step says the exact change, in Thunderbird's
 * own words (its en-US strings), or plainly for a program whose words are
 * not known. */
static void
test_wrong_settings_changes (void)
{
  static const struct {
    const char *name;
    const char *title;
    const char *change;
    const char *text;
  } expected[] = {
    { "wrong-settings/port-25", "Change the Port to 465", "Port: 465\nConnection security: SSL/TLS",
      "In Thunderbird, open “Account Settings” › “Outgoing Server (SMTP)”, select the server mail.example.net and "
      "edit it: set “Port” to “465”, “Connection security” to “SSL/TLS”. Your password stays the same." },
    { "wrong-settings/ssl-on-587", "Change the Connection Security to STARTTLS", "Connection security: STARTTLS",
      NULL },
    { "wrong-settings/none-required", "Change the Connection Security to STARTTLS", "Connection security: STARTTLS",
      "In Thunderbird, open “Account Settings” › “Server Settings” of the account mail.example.net: set "
      "“Connection security” to “STARTTLS”. Your password stays the same." },
    { "wrong-settings/tls-version-max", "Correct the Setting security.tls.version.max",
      "security.tls.version.max = 4", NULL },
    { "wrong-settings/tls-version-min", "Correct the Setting security.tls.version.min",
      "security.tls.version.min = 3", NULL },
    { "wrong-settings/evolution-host", "Change the Server Name to mail.example.net", "Server: mail.example.net",
      "In Evolution, change the outgoing mail server mail.exmaple.net of your account: set “Server” to "
      "“mail.example.net”. Your password stays the same." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(MtcVerdict) verdict = case_verdict (find_case (expected[i].name), knowledge);
      const MtcVerdictStep *step = mtc_verdict_get_step (verdict, "change-setting");

      g_test_message ("%s: %s", expected[i].name, step->text);
      g_assert_cmpstr (step->title, ==, expected[i].title);
      g_assert_cmpstr (step->change, ==, expected[i].change);
      if (expected[i].text != NULL)
        g_assert_cmpstr (step->text, ==, expected[i].text);
      /* The probe as set, for support, where a server's setting is wrong. */
      if (step->settings != NULL)
        g_assert_nonnull (strstr (verdict->details, "As set in "));
      else
        g_assert_nonnull (strstr (verdict->details, "read, not assumed: Thunderbird 128.5.0"));
    }
}

static void
assert_setting (const MtcVerdictStep *step,
                MtcProtocol           protocol,
                guint16               port,
                MtcSecurity           security)
{
  g_assert_nonnull (step->settings);
  for (guint i = 0; i < step->settings->len; i++)
    {
      const MtcMailSetting *setting = g_ptr_array_index (step->settings, i);

      if (setting->protocol == protocol)
        {
          g_assert_cmpuint (setting->port, ==, port);
          g_assert_cmpint (setting->security, ==, security);
          g_assert_cmpstr (setting->host, ==, "mail.example.net");
          return;
        }
    }
  g_assert_not_reached ();
}

/* Apple Mail on El Capitan, TLS 1.2 provider: what each step offers. */
static void
test_el_capitan_steps (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("client-too-old/el-capitan"), knowledge);
  const MtcVerdictStep *webmail = mtc_verdict_get_step (verdict, "webmail");
  const MtcVerdictStep *upgrade = mtc_verdict_get_step (verdict, "upgrade");
  const MtcVerdictStep *other = mtc_verdict_get_step (verdict, "other-client");
  const MtcVerdictStep *support = mtc_verdict_get_step (verdict, "support");

  g_assert_cmpint (verdict->client_max, ==, MTC_TLS_1_0);
  g_assert_cmpint (verdict->needed, ==, MTC_TLS_1_2);
  g_assert_false (verdict->uncertain);

  /* Webmail: the checked HTTPS endpoint; Safari on 10.11 can open it. */
  g_assert_cmpstr (webmail->url, ==, "https://webmail.example.net:443");
  g_assert_nonnull (strstr (webmail->text, "Safari"));

  /* Upgrade: from which system on Apple Mail works (the Mac's model is unknown). */
  g_assert_cmpstr (upgrade->system_id, ==, "macos-10.12");
  g_assert_true (upgrade->fixes);
  g_assert_nonnull (strstr (upgrade->text, "macOS 10.12 Sierra"));

  /* Thunderbird 78: works, honestly without security updates. */
  g_assert_cmpstr (other->client_id, ==, "thunderbird");
  g_assert_true (other->has_cost);
  g_assert_nonnull (strstr (other->text, "78.14.0"));
  g_assert_nonnull (strstr (other->text, "security updates"));
  assert_setting (other, MTC_PROTOCOL_IMAP, 993, MTC_SECURITY_IMPLICIT);
  assert_setting (other, MTC_PROTOCOL_SMTP, 465, MTC_SECURITY_IMPLICIT);
  g_assert_cmpstr (other->username, ==, "your full e-mail address");

  g_assert_false (support->fixes);
  g_assert_nonnull (strstr (verdict->details, "TLS 1.0"));
  g_assert_nonnull (strstr (verdict->details, "openradar-mirror"));
}

static void
test_mac_models (void)
{
  g_autoptr(MtcVerdict) stuck = case_verdict (find_case ("client-too-old/el-capitan-macbookpro5,5"), knowledge);
  g_autoptr(MtcVerdict) can = case_verdict (find_case ("client-too-old/el-capitan-macbookpro7,1"), knowledge);
  const MtcVerdictStep *step;

  step = mtc_verdict_get_step (stuck, "upgrade");
  g_assert_false (step->fixes);
  g_assert_cmpstr (step->system_id, ==, "macos-10.11");
  g_assert_nonnull (strstr (step->text, "MacBookPro5,5"));

  step = mtc_verdict_get_step (can, "upgrade");
  g_assert_true (step->fixes);
  g_assert_cmpstr (step->system_id, ==, "macos-10.13");
  g_assert_nonnull (strstr (step->title, "macOS 10.13 High Sierra"));
}

static void
test_windows_7_fix (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("client-too-old/outlook-windows-7"), knowledge);
  g_autoptr(MtcVerdict) eight = case_verdict (find_case ("client-too-old/outlook-windows-8-uncertain"), knowledge);
  const MtcVerdictStep *upgrade = mtc_verdict_get_step (verdict, "upgrade");
  const MtcVerdictStep *other = mtc_verdict_get_step (verdict, "other-client");

  g_assert_cmpstr (upgrade->url, ==, "https://support.microsoft.com/help/3140245");
  g_assert_nonnull (strstr (upgrade->text, "KB3140245"));
  /* An attempt, not a promise: the knowledge base marks it uncertain. */
  g_assert_false (upgrade->fixes);
  g_assert_cmpstr (other->client_id, ==, "thunderbird");
  /* "115 is the last for Windows 7" is uncertain: no version is claimed. */
  g_assert_null (strstr (other->text, "115"));
  g_assert_false (other->has_cost);

  /* Windows 8's fact is uncertain: the verdict says so, and says less. */
  g_assert_true (eight->uncertain);
  g_assert_nonnull (strstr (eight->title, "Probably"));
  g_assert_false (verdict->uncertain);
}

static void
test_may_stop (void)
{
  g_autoptr(MtcVerdict) legacy = case_verdict (find_case ("all-good/el-capitan-legacy-provider"), knowledge);
  g_autoptr(MtcVerdict) modern = case_verdict (find_case ("all-good/mojave"), knowledge);
  const MtcVerdictStep *settings = mtc_verdict_get_step (legacy, "settings");
  g_autofree char *json = mtc_verdict_to_json (legacy);

  g_assert_true (legacy->may_stop);
  g_assert_cmpint (legacy->client_max, ==, MTC_TLS_1_0);
  g_assert_nonnull (strstr (legacy->explanation, "may stop"));
  g_assert_nonnull (strstr (legacy->explanation, "Apple Mail"));
  /* The settings are ones Apple Mail can use: TLS 1.0 accepted there. */
  assert_setting (settings, MTC_PROTOCOL_IMAP, 993, MTC_SECURITY_IMPLICIT);
  g_assert_nonnull (strstr (mtc_verdict_get_step (legacy, "upgrade")->text, "keeps working"));

  g_assert_false (modern->may_stop);
  g_assert_null (strstr (modern->explanation, "may stop"));

  g_assert_true (mtc_test_json_has (json, "$.verdict.may_stop", "true"));
}

static void
test_starttls_settings (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("starttls-stripped/published"), knowledge);
  const MtcVerdictStep *settings = mtc_verdict_get_step (verdict, "settings");

  g_assert_cmpuint (settings->settings->len, ==, 2);
  assert_setting (settings, MTC_PROTOCOL_IMAP, 993, MTC_SECURITY_IMPLICIT);
  assert_setting (settings, MTC_PROTOCOL_SMTP, 465, MTC_SECURITY_IMPLICIT);
}

static void
test_clock (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("clock-wrong/behind"), knowledge);

  g_assert_nonnull (strstr (verdict->explanation, "2009-01-03"));
  g_assert_nonnull (strstr (verdict->details, "2026-10-28"));
  g_assert_nonnull (strstr (mtc_verdict_get_step (verdict, "fix-clock")->text, "Date & Time"));
}

static void
test_hints (void)
{
  VerdictCase c = *find_case ("client-too-old/el-capitan");
  g_autoptr(MtcDiagnosis) diagnosis = case_diagnosis (&c);
  g_autoptr(MtcUserSide) user = case_user (&c);
  g_autoptr(MtcProviderHints) hints = mtc_provider_hints_new ();
  g_autoptr(GDateTime) now = case_time (CASE_NOW);
  g_autoptr(MtcVerdict) verdict = NULL;
  const MtcVerdictStep *support;

  hints->webmail_url = g_strdup ("https://cube.example.net:2096");
  hints->provider_name = g_strdup ("Example Mail");
  hints->support_contact = g_strdup ("https://example.net/support");
  verdict = mtc_verdict_decide_at (diagnosis, user, hints, knowledge, now);
  support = mtc_verdict_get_step (verdict, "support");
  g_assert_cmpstr (mtc_verdict_get_step (verdict, "webmail")->url, ==, "https://cube.example.net:2096");
  g_assert_nonnull (strstr (support->text, "Example Mail"));
  g_assert_cmpstr (support->url, ==, "https://example.net/support");
}

/* Nothing personal in the report, except an e-mail address the person typed. */
static void
test_nothing_personal (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      g_autoptr(MtcVerdict) verdict = case_verdict (&verdict_cases[i], knowledge);
      g_autofree char *json = mtc_verdict_to_json (verdict);
      g_autofree char *text = mtc_verdict_to_text (verdict);

      g_assert_null (strchr (json, '@'));
      g_assert_null (strchr (text, '@'));
    }

  {
    VerdictCase c = *find_case ("client-too-old/el-capitan");
    g_autoptr(MtcVerdict) verdict = NULL;
    g_autofree char *text = NULL;
    const MtcVerdictStep *other;

    c.email = "anna@example.net";
    verdict = case_verdict (&c, knowledge);
    other = mtc_verdict_get_step (verdict, "other-client");
    text = mtc_verdict_to_text (verdict);
    g_assert_cmpstr (other->username, ==, "anna@example.net");
    g_assert_nonnull (strstr (text, "User name: anna@example.net"));
    g_assert_nonnull (strstr (mtc_verdict_get_step (verdict, "support")->text,
                              "the only personal detail in it is your e-mail address"));
  }
}

/* @json is one valid JSON object whose only member is "verdict". */
static void
assert_verdict_json (const char *json)
{
  g_autoptr(JsonNode) root = mtc_test_json_parse (json);
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (root));

  g_assert_cmpuint (g_list_length (members), ==, 1);
  g_assert_cmpstr (members->data, ==, "verdict");
}

static void
test_json (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      g_autoptr(MtcVerdict) verdict = case_verdict (&verdict_cases[i], knowledge);
      g_autofree char *json = mtc_verdict_to_json (verdict);
      g_autofree char *expected_id = g_strdup_printf ("\"%s\"", mtc_verdict_id_to_string (verdict->id));

      assert_verdict_json (json);
      g_assert_true (mtc_test_json_has (json, "$.verdict.id", expected_id));
      for (guint s = 0; s < verdict->steps->len; s++)
        {
          const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, s);
          g_autofree char *path = g_strdup_printf ("$.verdict.steps[%u].id", s);
          g_autofree char *step_id = g_strdup_printf ("\"%s\"", step->id);

          g_assert_true (mtc_test_json_has (json, path, step_id));
        }
    }

  {
    g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("client-too-old/el-capitan"), knowledge);
    g_autofree char *json = mtc_verdict_to_json (verdict);

    g_assert_true (mtc_test_json_has (json, "$.verdict.client_max_version", "\"1.0\""));
    g_assert_true (mtc_test_json_has (json, "$.verdict.needed_version", "\"1.2\""));
    g_assert_true (mtc_test_json_has (json, "$.verdict.steps[*].url", "\"https://webmail.example.net:443\""));
    g_assert_true (mtc_test_json_has (json, "$.verdict.steps[*].settings[*]",
                                      "{\"role\": \"incoming\", \"protocol\": \"imap\", "
                                      "\"server\": \"mail.example.net\", \"port\": 993, \"security\": \"ssl-tls\"}"));
    g_assert_true (mtc_test_json_has (json, "$.verdict.steps[*].client", "\"thunderbird\""));
  }
}

/* The whole report: the diagnosis' JSON with the verdict block added. */
static void
test_report_json (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("client-too-old/el-capitan"), knowledge);
  g_autoptr(MtcDiagnosis) diagnosis = case_diagnosis (find_case ("client-too-old/el-capitan"));
  g_autofree char *with = mtc_report_to_json_with_verdict (diagnosis, verdict);
  g_autofree char *without = mtc_report_to_json (diagnosis);

  g_autoptr(JsonNode) with_root = mtc_test_json_parse (with);
  g_autoptr(JsonNode) without_root = mtc_test_json_parse (without);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (with_root), "verdict")));
  g_assert_false (json_object_has_member (json_node_get_object (without_root), "verdict"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (with_root), "endpoints")));
}

static void
test_text (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("client-too-old/el-capitan"), knowledge);
  g_autofree char *text = mtc_verdict_to_text (verdict);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, verdict->title));
  g_assert_nonnull (strstr (text, "  1. Use Webmail Now\n"));
  g_assert_nonnull (strstr (text, "     https://webmail.example.net:443\n"));
  /* A setting too long for a line goes on, indented, on the next. */
  g_assert_nonnull (strstr (text, "     Incoming mail (IMAP): server mail.example.net, port 993, security\n"
                                  "       SSL/TLS\n"));
  g_assert_nonnull (strstr (text, "     Outgoing mail (SMTP): server mail.example.net, port 465, security\n"
                                  "       SSL/TLS\n"));
  g_assert_nonnull (strstr (text, "User name: your full e-mail address"));
  g_assert_nonnull (strstr (text, "Details for support:"));
  /* Wrapped for webmail (long web addresses may overrun). */
  for (int i = 0; lines[i]; i++)
    if (strstr (lines[i], "://") == NULL)
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, MTC_REPORT_WIDTH);
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Injection is named as such in the title and the details alike, whether
 * every STARTTLS port is injected or only one beside clean ones. */
static void
test_injection_named (void)
{
  guint n_injected = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      const VerdictCase *c = &verdict_cases[i];
      g_autoptr(MtcVerdict) verdict = NULL;
      gboolean injection = FALSE;

      for (gsize e = 0; e < G_N_ELEMENTS (c->endpoints) && c->endpoints[e].url != NULL; e++)
        injection |= c->endpoints[e].status == MTC_STATUS_INJECTION;
      if (!injection || c->expected == MTC_VERDICT_TLS_INTERCEPTED)
        continue;
      n_injected++;
      verdict = case_verdict (c, knowledge);
      g_test_message ("%s: %s", c->name, verdict->title);
      g_assert_cmpint (verdict->id, ==, MTC_VERDICT_STARTTLS_STRIPPED);
      g_assert_nonnull (strstr (verdict->title, "Injects Data"));
      g_assert_nonnull (strstr (verdict->details, "response injection"));
      g_assert_null (strstr (verdict->explanation, "not caused by your computer"));
    }
  g_assert_cmpuint (n_injected, >=, 3);

  {
    g_autoptr(MtcVerdict) stripped = case_verdict (find_case ("starttls-stripped/published"), knowledge);

    g_assert_null (strstr (stripped->title, "inject"));
  }
}

/* A port without STARTTLS is tampering only with evidence; else a finding
 * about that port, and the settings use the implicit-TLS ports. */
static void
test_stripping_evidence (void)
{
  g_autoptr(MtcVerdict) plain = case_verdict (find_case ("all-good/no-starttls-without-evidence"), knowledge);
  g_autoptr(MtcVerdict) profile = case_verdict (find_case ("starttls-stripped/profile-says-143"), knowledge);
  g_autoptr(MtcVerdict) elsewhere = case_verdict (find_case ("starttls-stripped/same-server-elsewhere"), knowledge);
  const MtcVerdictStep *settings = mtc_verdict_get_step (plain, "settings");

  g_assert_cmpint (plain->id, ==, MTC_VERDICT_ALL_GOOD);
  assert_setting (settings, MTC_PROTOCOL_IMAP, 993, MTC_SECURITY_IMPLICIT);
  g_assert_cmpuint (settings->settings->len, ==, 1);
  g_assert_nonnull (strstr (settings->text, "Do not use port 143 of mail.example.net"));
  g_assert_nonnull (strstr (settings->text, "Do not use port 110 of mail.example.net"));
  g_assert_nonnull (strstr (plain->details, "imap://mail.example.net:143: no encryption offered"));

  g_assert_cmpint (profile->id, ==, MTC_VERDICT_STARTTLS_STRIPPED);
  g_assert_nonnull (strstr (profile->details,
                            "imap://mail.example.net:143: the provider publishes this server with STARTTLS"));
  /* 110 is not in the profile: no claim about it. */
  g_assert_null (strstr (profile->details, "pop3://mail.example.net:110: the provider"));
  g_assert_nonnull (strstr (elsewhere->details, "the same server offers it on smtp://mail.example.net:25"));
}

/* The summary names the versions accepted, no more. */
static void
test_accepted_words (void)
{
  g_autoptr(MtcVerdict) only_10 = case_verdict (find_case ("all-good/tls-1.0-only"), knowledge);
  g_autoptr(MtcVerdict) modern = case_verdict (find_case ("client-too-old/el-capitan"), knowledge);

  g_assert_nonnull (strstr (only_10->details, "The servers for sending mail accept TLS 1.0.\n"));
  g_assert_nonnull (strstr (only_10->details, "The servers for receiving mail accept TLS 1.0.\n"));
  g_assert_nonnull (strstr (only_10->details, "The webmail server accepts TLS 1.0.\n"));
  g_assert_null (strstr (only_10->details, "TLS 1.0 and newer"));
  g_assert_nonnull (strstr (modern->details, "The servers for sending mail accept TLS 1.2 and TLS 1.3."));
}

/* @text with each line break and the indent after it as one space: the
 * words as read, wherever the report wrapped them. */
static char *
flatten (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '\n')
        {
          g_string_append_c (out, *p);
          continue;
        }
      while (p[1] == ' ')
        p++;
      g_string_append_c (out, ' ');
    }
  return g_string_free (out, FALSE);
}

/* A failure common to every version is said once, as such. */
static void
test_common_failure (void)
{
  const VerdictCase *c = find_case ("server-problem/internal-error-everywhere");
  g_autoptr(MtcVerdict) verdict = case_verdict (c, knowledge);
  g_autoptr(MtcDiagnosis) diagnosis = case_diagnosis (c);
  g_autofree char *report_text = mtc_report_to_text (diagnosis);
  g_autofree char *report = flatten (report_text);

  g_test_message ("%s\n%s", verdict->details, report_text);
  g_assert_null (strstr (verdict->details, "TLS 1.0 handshake"));
  g_assert_cmpuint (count_occurrences (verdict->details, "internal_error"), ==, 2);
  g_assert_cmpuint (count_occurrences (verdict->details, "The same happened with every TLS version tried (TLS 1.0, "
                                                         "TLS 1.1, TLS 1.2 and TLS 1.3)."), ==, 2);
  g_assert_nonnull (strstr (verdict->details, "The server broke off the TLS handshake"));
  g_assert_null (strstr (report, "TLS 1.0 handshake"));
  g_assert_cmpuint (count_occurrences (report, "every TLS version tried"), ==, 2);

  /* Different failures are not summed up as one. */
  {
    g_autoptr(MtcDiagnosis) mixed = case_diagnosis (c);
    MtcEndpointResult *result = g_ptr_array_index (mixed->results, 0);
    g_autofree char *common = NULL;

    g_free (result->version_reasons[MTC_TLS_1_3]);
    result->version_reasons[MTC_TLS_1_3] = g_strdup ("closed");
    common = mtc_describe_common_failure (result);
    g_assert_null (common);
  }
}

/* A TLS-1.3-only webmail on El Capitan: Safari reaches TLS 1.2 at most, so
 * webmail is not offered as working right away; Firefox 78 can open it. */
static void
test_webmail_reach (void)
{
  const VerdictCase *c = find_case ("client-too-old/tls-1.3-webmail-el-capitan");
  g_autoptr(MtcVerdict) verdict = case_verdict (c, knowledge);
  const MtcVerdictStep *webmail = mtc_verdict_get_step (verdict, "webmail");
  g_autoptr(MtcVerdict) usual = case_verdict (find_case ("client-too-old/el-capitan"), knowledge);

  g_assert_cmpstr (((const MtcVerdictStep *) g_ptr_array_index (verdict->steps, 0))->id, !=, "webmail");
  g_assert_cmpstr (webmail->title, ==, "Use Webmail in Firefox");
  g_assert_nonnull (strstr (webmail->text, "Safari on OS X 10.11 El Capitan"));
  g_assert_nonnull (strstr (webmail->text, "does not open there"));
  g_assert_nonnull (strstr (webmail->text, "78 ESR"));
  g_assert_true (webmail->has_cost);
  g_assert_cmpstr (webmail->client_id, ==, "firefox");
  g_assert_null (strstr (verdict->explanation, "Webmail works right away"));

  /* Where webmail accepts TLS 1.2, Safari opens it: first, right away. */
  g_assert_cmpstr (mtc_verdict_get_step (usual, "webmail")->title, ==, "Use Webmail Now");
  g_assert_nonnull (strstr (usual->explanation, "Webmail works right away"));

  /* A knowledge base that knows no browser there reaching TLS 1.3: another
   * device, after the fixes, and nothing claimed for this Mac. */
  {
    g_autoptr(GBytes) bytes = g_resources_lookup_data (MTC_KNOWLEDGE_RESOURCE_PATH,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    g_autofree char *data = NULL;
    g_auto(GStrv) parts = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(MtcKnowledge) safari_only = NULL;
    g_autoptr(MtcVerdict) other = NULL;
    const MtcVerdictStep *step;

    g_assert_nonnull (bytes);
    parts = g_strsplit (g_bytes_get_data (bytes, NULL),
                        "[Fact firefox-78-old-macos]\nClient=firefox\nSystems=macos-10.9;macos-10.10;macos-10.11;", 2);
    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    data = g_strjoinv ("[Fact firefox-78-old-macos]\nClient=firefox\nSystems=macos-10.8;", parts);
    safari_only = mtc_knowledge_new_from_data (data, -1, &error);
    g_assert_no_error (error);
    other = case_verdict (c, safari_only);
    step = mtc_verdict_get_step (other, "webmail");
    g_assert_cmpint (other->id, ==, MTC_VERDICT_CLIENT_TOO_OLD);
    g_assert_cmpstr (step->title, ==, "Use Webmail on Another Device");
    g_assert_false (step->fixes);
    g_assert_cmpstr (((const MtcVerdictStep *) g_ptr_array_index (other->steps, other->steps->len - 2))->id, ==,
                     "webmail");
    g_assert_null (strstr (other->explanation, "Webmail works"));
  }
}

/* The provider's stated minimum counts, and both facts are said. */
static void
test_stated_minimum (void)
{
  g_autoptr(MtcVerdict) verdict = case_verdict (find_case ("client-too-old/stated-minimum-el-capitan"), knowledge);

  g_test_message ("%s\n%s", verdict->explanation, verdict->details);
  g_assert_cmpint (verdict->needed, ==, MTC_TLS_1_2);
  g_assert_cmpint (verdict->client_max, ==, MTC_TLS_1_0);
  g_assert_false (verdict->may_stop);
  g_assert_nonnull (strstr (verdict->explanation, "In this check the servers still let it through"));
  g_assert_nonnull (strstr (verdict->explanation, "turns that kind away when you log in"));
  g_assert_null (strstr (verdict->explanation, "now accept only"));
  g_assert_nonnull (strstr (verdict->details, "In this check the servers still accepted TLS 1.0."));
  g_assert_nonnull (strstr (verdict->details, "The provider’s profile states that it accepts TLS 1.2 and newer."));
}

/* Offline, only what was found is said: no mistyped name where nothing was
 * typed (servers from a profile or a link), none at all where no servers
 * could be looked up. */
static void
test_offline_words (void)
{
  const VerdictCase *c = find_case ("offline/names");
  g_autoptr(MtcDiagnosis) diagnosis = case_diagnosis (c);
  g_autoptr(MtcDiagnosis) nothing = mtc_diagnosis_new ();
  g_autoptr(MtcUserSide) user = case_user (c);
  g_autoptr(GDateTime) now = case_time (CASE_NOW);
  g_autoptr(MtcVerdict) typed = NULL;
  g_autoptr(MtcVerdict) profile = NULL;
  g_autoptr(MtcVerdict) looked_up = NULL;

  typed = mtc_verdict_decide_at (diagnosis, user, NULL, knowledge, now);
  g_assert_cmpint (typed->id, ==, MTC_VERDICT_OFFLINE);
  g_assert_nonnull (strstr (typed->explanation, "a server name was mistyped"));

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      result->endpoint->source = g_strdup ("provider profile macbay-v3");
    }
  profile = mtc_verdict_decide_at (diagnosis, user, NULL, knowledge, now);
  g_assert_cmpint (profile->id, ==, MTC_VERDICT_OFFLINE);
  g_assert_cmpstr (profile->title, ==, "This Computer Cannot Reach Your Provider at All");
  g_assert_nonnull (strstr (profile->explanation, "could not be looked up"));
  g_assert_null (strstr (profile->explanation, "mistyped"));
  g_assert_null (strstr (profile->explanation, "address"));
  g_assert_nonnull (strstr (profile->explanation, "then check again."));
  /* One name that could not be looked up is said once, with its servers. */
  g_assert_nonnull (strstr (profile->details, "smtps://mail.example.net:465, imaps://mail.example.net:993: "));
  g_assert_null (strstr (profile->details, "imaps://mail.example.net:993, https"));
  g_assert_nonnull (strstr (profile->details, "\nhttps://webmail.example.net:443: "));

  nothing->local = mtc_local_info_new ();
  nothing->local->os = g_strdup ("Debian GNU/Linux 12 (bookworm)");
  nothing->local->tls_library = g_strdup ("GnuTLS 3.7.9");
  looked_up = mtc_verdict_decide_at (nothing, user, NULL, knowledge, now);
  g_assert_cmpint (looked_up->id, ==, MTC_VERDICT_OFFLINE);
  g_assert_cmpstr (looked_up->title, ==, "This Computer Cannot Reach the Internet Right Now");
  g_assert_nonnull (strstr (looked_up->explanation, "cannot look up names on the internet"));
  g_assert_null (strstr (looked_up->explanation, "mistyped"));
  g_assert_cmpstr (mtc_verdict_get_step (looked_up, "check-connection")->title, ==,
                   "Check Your Internet Connection");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);

  knowledge = mtc_knowledge_new_default (&error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/verdict/case/%s", verdict_cases[i].name);
      g_test_add_data_func (path, &verdict_cases[i], test_case);
    }
  g_test_add_func ("/mtc/verdict/plain-words", test_plain_words);
  g_test_add_func ("/mtc/verdict/offline-words", test_offline_words);
  g_test_add_func ("/mtc/verdict/el-capitan-steps", test_el_capitan_steps);
  g_test_add_func ("/mtc/verdict/mac-models", test_mac_models);
  g_test_add_func ("/mtc/verdict/windows-7-fix", test_windows_7_fix);
  g_test_add_func ("/mtc/verdict/may-stop", test_may_stop);
  g_test_add_func ("/mtc/verdict/starttls-settings", test_starttls_settings);
  g_test_add_func ("/mtc/verdict/clock", test_clock);
  g_test_add_func ("/mtc/verdict/hints", test_hints);
  g_test_add_func ("/mtc/verdict/nothing-personal", test_nothing_personal);
  g_test_add_func ("/mtc/verdict/json", test_json);
  g_test_add_func ("/mtc/verdict/report-json", test_report_json);
  g_test_add_func ("/mtc/verdict/text", test_text);
  g_test_add_func ("/mtc/verdict/injection-named", test_injection_named);
  g_test_add_func ("/mtc/verdict/stripping-evidence", test_stripping_evidence);
  g_test_add_func ("/mtc/verdict/accepted-words", test_accepted_words);
  g_test_add_func ("/mtc/verdict/common-failure", test_common_failure);
  g_test_add_func ("/mtc/verdict/webmail-reach", test_webmail_reach);
  g_test_add_func ("/mtc/verdict/stated-minimum", test_stated_minimum);
  g_test_add_func ("/mtc/verdict/wrong-settings-changes", test_wrong_settings_changes);

  status = g_test_run ();
  g_clear_object (&knowledge);
  return status;
}
