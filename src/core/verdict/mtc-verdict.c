/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-words.h"
#include "mtc-verdict.h"

/* A clock before this year cannot be right: the program did not exist. */
#define EARLIEST_PLAUSIBLE_YEAR 2025
/* Every certificate expired longer ago than this: the clock is ahead, not the
 * provider asleep. */
#define EXPIRED_LONG_AGO (G_TIME_SPAN_DAY * 365)


typedef enum {
  ROLE_SEND,
  ROLE_RECEIVE,
  ROLE_WEB,
  N_ROLES,
} Role;

/* What the decision looks at, worked out once. */
typedef struct {
  const MtcDiagnosis *diagnosis;
  const MtcUserSide *user;
  const MtcProviderHints *hints;
  MtcKnowledge *knowledge;
  GDateTime *now;

  guint n[N_ROLES];
  gboolean reached[N_ROLES];         /* some endpoint answered at all */
  gboolean working[N_ROLES];         /* some endpoint works with some TLS version */
  MtcTlsVersion lowest[N_ROLES];     /* oldest version a working endpoint accepts */
  gboolean any_mail;

  const MtcKnowledgeFact *fact;      /* the user's program on the user's system, or NULL */
  MtcTlsVersion client_max;
  char *client_name;
  char *system_name;
  const char *family;
} Analysis;

static const char * const verdict_names[MTC_N_VERDICTS] = {
  [MTC_VERDICT_ALL_GOOD] = "all-good",
  [MTC_VERDICT_CLIENT_TOO_OLD] = "client-too-old",
  [MTC_VERDICT_PORT_BLOCKED] = "port-blocked",
  [MTC_VERDICT_OFFLINE] = "offline",
  [MTC_VERDICT_TLS_INTERCEPTED] = "tls-intercepted",
  [MTC_VERDICT_CLOCK_WRONG] = "clock-wrong",
  [MTC_VERDICT_SERVER_PROBLEM] = "server-problem",
  [MTC_VERDICT_STARTTLS_STRIPPED] = "starttls-stripped",
  [MTC_VERDICT_LOCALLY_DISABLED] = "locally-disabled",
};

/* ------------------------------------------------------------------ helpers */

static void
mail_setting_free (MtcMailSetting *setting)
{
  g_free (setting->host);
  g_free (setting);
}

static void
step_free (MtcVerdictStep *step)
{
  g_free (step->id);
  g_free (step->title);
  g_free (step->text);
  g_free (step->url);
  g_free (step->client_id);
  g_free (step->system_id);
  g_clear_pointer (&step->settings, g_ptr_array_unref);
  g_free (step->username);
  g_free (step);
}

static MtcVerdictStep *
step_new (const char *id,
          char       *title,
          char       *text)
{
  MtcVerdictStep *step = g_new0 (MtcVerdictStep, 1);

  step->id = g_strdup (id);
  step->title = title;
  step->text = text;
  step->fixes = TRUE;
  return step;
}

static Role
role_of (const MtcEndpointResult *result)
{
  switch (result->endpoint->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return ROLE_SEND;
    case MTC_PROTOCOL_IMAP:
    case MTC_PROTOCOL_POP3:
      return ROLE_RECEIVE;
    case MTC_PROTOCOL_HTTPS:
    default:
      return ROLE_WEB;
    }
}

static gboolean
is_network_failure (MtcStatus status)
{
  return status == MTC_STATUS_REFUSED || status == MTC_STATUS_UNREACHABLE || status == MTC_STATUS_TIMEOUT
         || status == MTC_STATUS_DNS_ERROR;
}

/* Failures a firewall produces; a missing name is not one of them. */
static gboolean
is_blocking_failure (MtcStatus status)
{
  return status == MTC_STATUS_REFUSED || status == MTC_STATUS_UNREACHABLE || status == MTC_STATUS_TIMEOUT;
}

static gboolean
result_working (const MtcEndpointResult *result)
{
  return result->status == MTC_STATUS_OK && mtc_endpoint_result_any_accepted (result);
}

/* Accepts some version up to @max (any version when @max is unknown). */
static gboolean
accepts_up_to (const MtcEndpointResult *result,
               MtcTlsVersion            max)
{
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if ((max == MTC_TLS_UNKNOWN || v <= (int) max) && result->versions[v] == MTC_VERSION_ACCEPTED)
      return TRUE;
  return FALSE;
}

static MtcTlsVersion
lowest_accepted (const MtcEndpointResult *result)
{
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (result->versions[v] == MTC_VERSION_ACCEPTED)
      return v;
  return MTC_TLS_UNKNOWN;
}

static MtcTlsVersion
min_version (MtcTlsVersion a,
             MtcTlsVersion b)
{
  if (a == MTC_TLS_UNKNOWN)
    return b;
  if (b == MTC_TLS_UNKNOWN)
    return a;
  return MIN (a, b);
}

/* The server refused everything this computer tried, and this computer's own
 * TLS policy kept it from trying a version up to @max that the server might
 * still accept. */
static gboolean
hidden_by_local_policy (const Analysis          *a,
                        const MtcEndpointResult *result,
                        MtcTlsVersion            max)
{
  if (result->status != MTC_STATUS_OK && result->status != MTC_STATUS_TLS_ERROR)
    return FALSE;
  if (accepts_up_to (result, max))
    return FALSE;
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if ((max == MTC_TLS_UNKNOWN || v <= (int) max) && result->versions[v] == MTC_VERSION_NOT_TESTED
        && !a->diagnosis->local->versions_available[v])
      return TRUE;
  return FALSE;
}

/* Some endpoint of @role works with a version up to @max. */
static gboolean
role_ok_for (const Analysis *a,
             Role            role,
             MtcTlsVersion   max)
{
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (role_of (result) == role && result_working (result) && accepts_up_to (result, max))
        return TRUE;
    }
  return FALSE;
}

/* The roles the mail program needs: sending and receiving, or the web when
 * only webmail was checked. */
static gboolean
role_matters (const Analysis *a,
              Role            role)
{
  if (a->n[role] == 0)
    return FALSE;
  return a->any_mail ? role != ROLE_WEB : role == ROLE_WEB;
}

static char *
casefold (const char *text)
{
  return g_utf8_casefold (text != NULL ? text : "", -1);
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = casefold (haystack);
  g_autofree char *n = casefold (needle);

  return strstr (h, n) != NULL;
}

static char *
version_label (MtcTlsVersion version)
{
  return g_strdup_printf ("TLS %s", mtc_tls_version_to_string (version));
}

static const char *
security_label (MtcSecurity security)
{
  /* The words mail programs use in their account settings. */
  return security == MTC_SECURITY_IMPLICIT ? "SSL/TLS" : "STARTTLS";
}

static const char *
setting_role_label (const MtcMailSetting *setting)
{
  switch (setting->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return _("Outgoing mail (SMTP)");
    case MTC_PROTOCOL_IMAP:
      return _("Incoming mail (IMAP)");
    case MTC_PROTOCOL_POP3:
      return _("Incoming mail (POP3)");
    case MTC_PROTOCOL_HTTPS:
    default:
      return _("Webmail");
    }
}

/* One setting as a line to read or to copy. */
char *
mtc_mail_setting_to_text (const MtcMailSetting *setting)
{
  /* TRANSLATORS: "Incoming mail (IMAP): server mail.example.net, port 993, security SSL/TLS" */
  return g_strdup_printf (_("%s: server %s, port %u, security %s"), setting_role_label (setting),
                          setting->host, setting->port, security_label (setting->security));
}

/* ------------------------------------------------------------------ analysis */

static void
analyse (Analysis *a)
{
  for (int r = 0; r < N_ROLES; r++)
    a->lowest[r] = MTC_TLS_UNKNOWN;
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      Role role = role_of (result);

      a->n[role]++;
      if (!is_network_failure (result->status))
        a->reached[role] = TRUE;
      if (result_working (result))
        {
          a->working[role] = TRUE;
          a->lowest[role] = min_version (a->lowest[role], lowest_accepted (result));
        }
    }
  a->any_mail = a->n[ROLE_SEND] + a->n[ROLE_RECEIVE] > 0;

  a->client_max = MTC_TLS_UNKNOWN;
  if (a->user != NULL)
    {
      a->fact = mtc_knowledge_lookup (a->knowledge, a->user->client_id, a->user->system_id);
      if (a->fact != NULL)
        a->client_max = a->fact->max_tls;
      a->client_name = mtc_knowledge_get_client_name (a->knowledge, a->user->client_id);
      a->system_name = mtc_knowledge_get_system_name (a->knowledge, a->user->system_id);
      a->family = mtc_knowledge_get_system_family (a->knowledge, a->user->system_id);
    }
}

/* The oldest version the servers the program needs accept. */
static MtcTlsVersion
needed_version (const Analysis *a)
{
  MtcTlsVersion needed = MTC_TLS_UNKNOWN;

  for (int r = 0; r < N_ROLES; r++)
    if (role_matters (a, r) && a->working[r])
      needed = MAX (needed, a->lowest[r]);
  if (needed == MTC_TLS_UNKNOWN && a->hints != NULL)
    needed = a->hints->min_version;
  return needed;
}

static const MtcEndpointResult *
best_endpoint (const Analysis *a,
               Role            role,
               MtcTlsVersion   max,
               gboolean        implicit_only)
{
  const MtcEndpointResult *best = NULL;
  int best_score = G_MAXINT;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      int score;

      if (role_of (result) != role || !result_working (result) || !accepts_up_to (result, max))
        continue;
      if (implicit_only && result->endpoint->security != MTC_SECURITY_IMPLICIT)
        continue;
      /* RFC 8314: encryption from the first byte is preferred; IMAP over POP3. */
      score = (result->endpoint->protocol == MTC_PROTOCOL_POP3 ? 2 : 0)
              + (result->endpoint->security == MTC_SECURITY_STARTTLS ? 1 : 0);
      if (score < best_score)
        {
          best = result;
          best_score = score;
        }
    }
  return best;
}

static GPtrArray *
pick_settings (const Analysis *a,
               MtcTlsVersion   max,
               gboolean        implicit_only)
{
  static const Role roles[] = { ROLE_RECEIVE, ROLE_SEND };
  GPtrArray *settings = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_setting_free);

  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      const MtcEndpointResult *result = best_endpoint (a, roles[i], max, implicit_only);
      MtcMailSetting *setting;

      if (result == NULL)
        continue;
      setting = g_new0 (MtcMailSetting, 1);
      setting->protocol = result->endpoint->protocol;
      setting->security = result->endpoint->security;
      setting->host = g_strdup (result->endpoint->host_display ? result->endpoint->host_display
                                                               : result->endpoint->host);
      setting->port = result->endpoint->port;
      g_ptr_array_add (settings, setting);
    }
  if (settings->len == 0)
    g_clear_pointer (&settings, g_ptr_array_unref);
  return settings;
}

static void
attach_settings (const Analysis *a,
                 MtcVerdictStep *step,
                 MtcTlsVersion   max,
                 gboolean        implicit_only)
{
  step->settings = pick_settings (a, max, implicit_only);
  if (step->settings != NULL)
    step->username = g_strdup (a->user != NULL && a->user->email_address != NULL
                               ? a->user->email_address
                               : _("your full e-mail address"));
}

static char *
webmail_url (const Analysis *a)
{
  if (a->hints != NULL && a->hints->webmail_url != NULL && *a->hints->webmail_url != '\0')
    return g_strdup (a->hints->webmail_url);
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (role_of (result) == ROLE_WEB && result_working (result))
        return mtc_endpoint_to_url (result->endpoint);
    }
  return NULL;
}

/* ------------------------------------------------------------------ evidence */

/* Returns the certificate whose dates show this computer's clock is off. */
static const MtcCertInfo *
clock_evidence (const Analysis *a)
{
  const MtcCertInfo *behind = NULL;
  const MtcCertInfo *ahead = NULL;
  const MtcCertInfo *any_time_error = NULL;
  gboolean all_long_expired = TRUE;
  guint n_certificates = 0;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      const MtcCertInfo *cert = result->certificate;

      if (cert == NULL)
        continue;
      n_certificates++;
      if (cert->errors & (G_TLS_CERTIFICATE_NOT_ACTIVATED | G_TLS_CERTIFICATE_EXPIRED))
        any_time_error = cert;
      if ((cert->errors & G_TLS_CERTIFICATE_NOT_ACTIVATED) && cert->not_before != NULL
          && g_date_time_compare (a->now, cert->not_before) < 0)
        behind = cert;
      if ((cert->errors & G_TLS_CERTIFICATE_EXPIRED) && cert->not_after != NULL
          && g_date_time_difference (a->now, cert->not_after) > EXPIRED_LONG_AGO)
        ahead = cert;
      else
        all_long_expired = FALSE;
    }
  if (behind != NULL)
    return behind;
  if (any_time_error != NULL && g_date_time_get_year (a->now) < EARLIEST_PLAUSIBLE_YEAR)
    return any_time_error;
  if (ahead != NULL && all_long_expired && n_certificates > 0)
    return ahead;
  return NULL;
}

/* Returns the endpoint whose certificate comes from someone else than the
 * provider. */
static const MtcEndpointResult *
interception_evidence (const Analysis *a)
{
  const char *expected = a->hints != NULL ? a->hints->expected_issuer : NULL;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      const MtcCertInfo *cert = result->certificate;

      if (cert == NULL || cert->issuer == NULL)
        continue;
      if (expected != NULL && *expected != '\0')
        {
          if (!contains_casefold (cert->issuer, expected))
            return result;
          continue;
        }
      /* Without a profile: the same server shows an untrusted certificate on
       * one port and a trusted one from another issuer on the other — what
       * mail scanners that only step into mail ports look like. */
      if (!(cert->errors & G_TLS_CERTIFICATE_UNKNOWN_CA))
        continue;
      for (guint j = 0; j < a->diagnosis->results->len; j++)
        {
          const MtcEndpointResult *other = g_ptr_array_index (a->diagnosis->results, j);

          if (other->certificate == NULL || other->certificate->issuer == NULL
              || (other->certificate->errors & G_TLS_CERTIFICATE_UNKNOWN_CA))
            continue;
          if (g_ascii_strcasecmp (other->endpoint->host, result->endpoint->host) == 0
              && g_strcmp0 (other->certificate->issuer, cert->issuer) != 0)
            return result;
        }
    }
  return NULL;
}

/* A STARTTLS port of a mail server whose reply to STARTTLS came with data
 * nobody asked for: response injection, whoever did it. */
static gboolean
injected (const MtcEndpointResult *result)
{
  return role_of (result) != ROLE_WEB && result->endpoint->security == MTC_SECURITY_STARTTLS
         && result->status == MTC_STATUS_INJECTION;
}

static gboolean
injection_evidence (const Analysis *a)
{
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    if (injected (g_ptr_array_index (a->diagnosis->results, i)))
      return TRUE;
  return FALSE;
}

/* Why STARTTLS should be there: the provider publishes the endpoint with
 * STARTTLS, or the same server offers it on another port of the same
 * protocol.  Returns: (transfer full) (nullable): the reason in words for the
 * details, or %NULL when nothing says STARTTLS should be there. */
static char *
starttls_expected (const Analysis          *a,
                   const MtcEndpointResult *result)
{
  g_autofree char *url = mtc_endpoint_to_ascii_url (result->endpoint);
  g_autofree char *display = mtc_endpoint_to_url (result->endpoint);

  if (a->hints != NULL && a->hints->starttls_published != NULL)
    for (guint i = 0; i < a->hints->starttls_published->len; i++)
      if (g_ascii_strcasecmp (url, g_ptr_array_index (a->hints->starttls_published, i)) == 0)
        /* TRANSLATORS: %s is a server address such as imap://mail.example.net:143 */
        return g_strdup_printf (_("%s: the provider publishes this server with STARTTLS, but STARTTLS was "
                                  "missing."), display);
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *other = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *other_url = NULL;

      if (other == result || other->endpoint->protocol != result->endpoint->protocol
          || other->endpoint->security != MTC_SECURITY_STARTTLS || !result_working (other)
          || g_ascii_strcasecmp (other->endpoint->host, result->endpoint->host) != 0)
        continue;
      other_url = mtc_endpoint_to_url (other->endpoint);
      /* TRANSLATORS: "smtp://mail.example.net:587: STARTTLS was missing, though the same server offers it
       * on smtp://mail.example.net:25." */
      return g_strdup_printf (_("%s: STARTTLS was missing, though the same server offers it on %s."), display,
                              other_url);
    }
  return NULL;
}

/* STARTTLS missing where it should be: someone on the way removed it. */
static gboolean
stripped (const Analysis          *a,
          const MtcEndpointResult *result)
{
  g_autofree char *why = NULL;

  if (role_of (result) == ROLE_WEB || result->endpoint->security != MTC_SECURITY_STARTTLS
      || result->status != MTC_STATUS_NO_STARTTLS)
    return FALSE;
  why = starttls_expected (a, result);
  return why != NULL;
}

static gboolean
implicit_works (const Analysis *a)
{
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (role_of (result) != ROLE_WEB && result->endpoint->security == MTC_SECURITY_IMPLICIT
          && result_working (result))
        return TRUE;
    }
  return FALSE;
}

/* A server that simply offers no STARTTLS is a finding about that port; only
 * evidence that STARTTLS should be there makes it tampering. */
static gboolean
stripping_evidence (const Analysis *a)
{
  gboolean any_stripped = FALSE;

  for (guint i = 0; i < a->diagnosis->results->len && !any_stripped; i++)
    any_stripped = stripped (a, g_ptr_array_index (a->diagnosis->results, i));
  return any_stripped && implicit_works (a);
}

/* ------------------------------------------------------------------ details */

static void
append_line (GString    *out,
             const char *line)
{
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, line);
}

/* The versions the working servers of each role accepted, each one named:
 * a server that accepts only TLS 1.0 does not accept "1.0 and newer". */
static void
append_accepted (const Analysis *a,
                 GString        *out)
{
  for (int r = 0; r < N_ROLES; r++)
    {
      gboolean accepted[MTC_N_TLS_VERSIONS] = { FALSE };
      gboolean any = FALSE;
      g_autofree char *line = NULL;
      g_autofree char *versions = NULL;

      for (guint i = 0; i < a->diagnosis->results->len; i++)
        {
          const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

          if (role_of (result) != (Role) r || !result_working (result))
            continue;
          for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
            if (result->versions[v] == MTC_VERSION_ACCEPTED)
              accepted[v] = any = TRUE;
        }
      if (!any)
        continue;
      versions = mtc_tls_versions_describe (accepted);
      /* TRANSLATORS: %s lists TLS versions, e.g. "TLS 1.0" or "TLS 1.2 and TLS 1.3" */
      if (r == ROLE_SEND)
        line = g_strdup_printf (_("The servers for sending mail accept %s."), versions);
      else if (r == ROLE_RECEIVE)
        line = g_strdup_printf (_("The servers for receiving mail accept %s."), versions);
      else
        line = g_strdup_printf (_("The webmail server accepts %s."), versions);
      append_line (out, line);
    }
}

static void
append_client_fact (const Analysis *a,
                    GString        *out)
{
  g_autofree char *line = NULL;
  g_autofree char *label = NULL;
  g_autofree char *sources = NULL;
  g_autofree char *note = NULL;

  if (a->client_name == NULL)
    {
      append_line (out, _("Which mail program is used is not known, so its abilities were not taken into account."));
      return;
    }
  if (a->fact == NULL || a->fact->max_tls == MTC_TLS_UNKNOWN)
    {
      line = g_strdup_printf (_("What %s on %s can speak is not known to this program."), a->client_name,
                              a->system_name != NULL ? a->system_name : "?");
      append_line (out, line);
      return;
    }
  label = version_label (a->fact->max_tls);
  /* TRANSLATORS: "Newest TLS version known for Apple Mail on OS X 10.11 El Capitan: TLS 1.0." */
  line = g_strdup_printf (_("Newest TLS version known for %s on %s: %s."), a->client_name, a->system_name, label);
  append_line (out, line);
  note = mtc_knowledge_get_fact_note (a->knowledge, a->fact);
  if (note != NULL)
    append_line (out, note);
  if (a->fact->uncertain)
    append_line (out, _("This information is marked uncertain in the program’s knowledge base."));
  sources = mtc_knowledge_describe_sources (a->knowledge, (const char * const *) a->fact->sources);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf (_("Sources: %s"), sources);
  append_line (out, line);
}

static void
append_endpoint_problems (const Analysis *a,
                          GString        *out,
                          gboolean        with_certificates)
{
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);
      g_autofree char *line = NULL;

      if (result->status != MTC_STATUS_OK)
        {
          g_autofree char *common = result->status == MTC_STATUS_TLS_ERROR
                                    ? mtc_describe_common_failure (result) : NULL;
          const char *detail = common != NULL ? common : result->detail;

          line = detail != NULL
                 ? g_strdup_printf ("%s: %s — %s", url, mtc_status_describe (result->status), detail)
                 : g_strdup_printf ("%s: %s", url, mtc_status_describe (result->status));
          append_line (out, line);
        }
      else if (with_certificates && result->certificate != NULL && result->certificate->errors != 0)
        {
          g_autofree char *problems = mtc_certificate_flags_describe (result->certificate->errors);

          /* TRANSLATORS: "<server>: certificate problem: expired (issued by …)" */
          line = g_strdup_printf (_("%s: certificate problem: %s (issued by %s)"), url, problems,
                                  result->certificate->issuer != NULL ? result->certificate->issuer : "?");
          append_line (out, line);
        }
    }
}

/* ------------------------------------------------------------------ steps */

static MtcVerdictStep *
make_webmail_step (const Analysis *a,
                   MtcTlsVersion   needed)
{
  g_autofree char *url = webmail_url (a);
  GString *text = g_string_new (NULL);
  MtcVerdictStep *step;

  if (url == NULL && a->n[ROLE_WEB] > 0)
    {
      /* The check found the webmail server broken: do not send people there. */
      g_string_free (text, TRUE);
      return NULL;
    }
  if (url != NULL)
    g_string_append (text, _("Open the address below in your web browser and log in with your e-mail address and "
                             "password. You can read and send mail there right away, without changing anything "
                             "on your computer."));
  else
    g_string_append (text, _("Your provider’s website tells you the address of its webmail. Log in there with your "
                             "e-mail address and password to read and send mail right away."));

  if (a->user != NULL && a->user->system_id != NULL)
    {
      g_auto(GStrv) browsers = mtc_knowledge_clients_on_system (a->knowledge, a->user->system_id,
                                                                MTC_CLIENT_KIND_BROWSER);
      MtcTlsVersion web_needed = a->working[ROLE_WEB] ? a->lowest[ROLE_WEB]
                                 : needed != MTC_TLS_UNKNOWN ? needed : MTC_TLS_1_2;
      g_autoptr(GPtrArray) cannot = g_ptr_array_new_with_free_func (g_free);
      const char *found = NULL;

      for (int i = 0; browsers[i]; i++)
        {
          const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, browsers[i], a->user->system_id);

          /* Only what the knowledge base knows for sure, either way. */
          if (fact == NULL || fact->uncertain || fact->max_tls == MTC_TLS_UNKNOWN)
            continue;
          if (fact->max_tls >= web_needed)
            {
              if (found == NULL)
                found = browsers[i];
            }
          else
            g_ptr_array_add (cannot, mtc_knowledge_get_client_name (a->knowledge, browsers[i]));
        }
      /* The webmail was checked, and a browser of this system cannot reach
       * the versions it accepts: say so, and what can. */
      if (a->working[ROLE_WEB] && cannot->len > 0)
        {
          g_autofree char *names = mtc_join_list (cannot);

          g_string_truncate (text, 0);
          /* TRANSLATORS: "Your provider’s webmail accepts only a newer kind of encryption than Safari on
           * OS X 10.11 El Capitan can use, so it does not open there." */
          g_string_append_printf (text, _("Your provider’s webmail accepts only a newer kind of encryption than %s "
                                          "on %s can use, so it does not open there."), names, a->system_name);
          g_string_append_c (text, ' ');
          if (found == NULL)
            {
              g_string_append (text, _("Open the address below on another device instead, such as a phone, a "
                                       "tablet or a newer computer, and log in there with your e-mail address and "
                                       "password."));
              step = step_new ("webmail", g_strdup (_("Use Webmail on Another Device")), g_string_free (text, FALSE));
              step->url = g_steal_pointer (&url);
              /* Not on this computer: not a fix for it. */
              step->fixes = FALSE;
              return step;
            }
          else
            {
              const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, found, a->user->system_id);
              g_autofree char *browser = mtc_knowledge_get_client_name (a->knowledge, found);

              /* TRANSLATORS: "Firefox runs on OS X 10.11 El Capitan and can open it." */
              g_string_append_printf (text, _("%s runs on %s and can open it."), browser, a->system_name);
              if (fact->client_version != NULL && !fact->client_version_uncertain)
                {
                  g_string_append_c (text, ' ');
                  g_string_append_printf (text, _("Version %s is the newest one for this system."),
                                          fact->client_version);
                }
              if (fact->security_updates_ended)
                {
                  g_string_append_c (text, ' ');
                  g_string_append (text, _("Be aware that this version no longer gets security updates: use it "
                                           "only for your webmail."));
                }
              g_string_append_c (text, ' ');
              g_string_append (text, _("Open the address below in it and log in with your e-mail address and "
                                       "password."));
              /* TRANSLATORS: "Use Webmail in Firefox" */
              step = step_new ("webmail", g_strdup_printf (_("Use Webmail in %s"), browser),
                               g_string_free (text, FALSE));
              step->url = g_steal_pointer (&url);
              step->client_id = g_strdup (found);
              step->has_cost = fact->security_updates_ended;
              return step;
            }
        }
      if (found != NULL)
        {
          const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, found, a->user->system_id);
          g_autofree char *browser = mtc_knowledge_get_client_name (a->knowledge, found);

          g_string_append_c (text, ' ');
          if (fact->security_updates_ended)
            /* TRANSLATORS: "Should your browser fail to open it, Firefox works on OS X 10.10 Yosemite, though …" */
            g_string_append_printf (text, _("Should your browser fail to open it, %s works on %s, though it gets "
                                            "no security updates any more."), browser, a->system_name);
          else
            /* TRANSLATORS: "Should your browser fail to open it, Safari works on OS X 10.11 El Capitan." */
            g_string_append_printf (text, _("Should your browser fail to open it, %s works on %s."), browser,
                                    a->system_name);
        }
      else if (g_strv_length (browsers) == 0 && a->client_max != MTC_TLS_UNKNOWN && a->client_max < MTC_TLS_1_2)
        {
          g_string_append_c (text, ' ');
          /* TRANSLATORS: %s is a system, e.g. "Mac OS X 10.6 Snow Leopard" */
          g_string_append_printf (text, _("If the page does not open, the browser on %s may be too old as well; a "
                                          "phone, a tablet or a newer computer will do."), a->system_name);
        }
    }

  step = step_new ("webmail", g_strdup (_("Use Webmail Now")), g_string_free (text, FALSE));
  step->url = g_steal_pointer (&url);
  return step;
}

static MtcVerdictStep *
make_support_step (const Analysis *a)
{
  GString *text = g_string_new (NULL);
  const char *name = a->hints != NULL ? a->hints->provider_name : NULL;
  const char *contact = a->hints != NULL ? a->hints->support_contact : NULL;
  MtcVerdictStep *step;

  if (name != NULL && *name != '\0')
    /* TRANSLATORS: %s is the provider's name */
    g_string_append_printf (text, _("Send the report below to the support of %s; it shows exactly what this check "
                                    "found."), name);
  else
    g_string_append (text, _("Send the report below to your provider’s support; it shows exactly what this check "
                             "found."));
  g_string_append_c (text, ' ');
  if (a->user != NULL && a->user->email_address != NULL)
    g_string_append (text, _("It contains no password, and the only personal detail in it is the e-mail address "
                             "you entered."));
  else
    g_string_append (text, _("It contains no password and nothing personal."));
  if (contact != NULL && *contact != '\0')
    {
      g_string_append_c (text, ' ');
      /* TRANSLATORS: %s is a web address or an e-mail address */
      g_string_append_printf (text, _("You can reach them at %s."), contact);
    }

  step = step_new ("support", g_strdup (_("Ask Your Provider for Help")), g_string_free (text, FALSE));
  step->fixes = FALSE;
  if (contact != NULL && (g_str_has_prefix (contact, "https://") || g_str_has_prefix (contact, "http://")))
    step->url = g_strdup (contact);
  return step;
}

/* An update of the system (or of its TLS settings) and whether it helps.
 * @prepare: the program still works; the step gets it ready for when the
 * provider turns old encryption off. */
static MtcVerdictStep *
make_upgrade_step (const Analysis *a,
                   MtcTlsVersion   needed,
                   gboolean        prepare)
{
  const char *client = a->user != NULL ? a->user->client_id : NULL;
  const char *system = a->user != NULL ? a->user->system_id : NULL;
  const char *outcome;
  g_autofree char *target = NULL;
  g_autofree char *target_name = NULL;
  g_autofree char *condition = NULL;
  MtcVerdictStep *step;

  if (client == NULL || system == NULL || needed == MTC_TLS_UNKNOWN)
    return NULL;

  outcome = prepare ? _("Your mail then keeps working when your provider turns the older encryption off.")
                    : _("Your mail then works again without changing any settings.");

  /* A fix inside the same system (Windows 7: an update and a registry value). */
  if (a->fact != NULL && a->fact->fix != NULL && a->fact->max_tls_with_fix >= needed)
    {
      step = step_new ("upgrade", mtc_knowledge_get_fix_title (a->knowledge, a->fact->fix),
                       mtc_knowledge_get_fix_text (a->knowledge, a->fact->fix));
      step->url = mtc_knowledge_get_fix_url (a->knowledge, a->fact->fix);
      step->system_id = g_strdup (system);
      /* An attempt, not a promise, where the data says so. */
      step->fixes = !mtc_knowledge_get_fix_uncertain (a->knowledge, a->fact->fix);
      return step;
    }

  if (g_strcmp0 (a->family, "macos") != 0)
    return NULL;

  if (a->user->mac_model != NULL)
    target = mtc_knowledge_newest_system_for_model (a->knowledge, a->user->mac_model, &condition);

  if (target != NULL)
    {
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, client, target);
      gboolean newer = mtc_knowledge_compare_systems (a->knowledge, target, system) > 0;
      gboolean fixes = fact != NULL && fact->max_tls != MTC_TLS_UNKNOWN && fact->max_tls >= needed;
      g_autofree char *target_display = NULL;

      target_name = mtc_knowledge_get_system_name (a->knowledge, target);
      target_display = condition != NULL ? g_strdup_printf ("%s (%s)", target_name, condition) : g_strdup (target_name);
      if (!newer)
        {
          step = step_new ("upgrade", g_strdup (_("This Mac Cannot Get a Newer macOS")),
                           /* TRANSLATORS: "Your Mac (MacBookPro5,5) already runs the newest system it can:
                            * OS X 10.11 El Capitan. …" */
                           g_strdup_printf (_("Your Mac (%s) already runs the newest system it can: %s. An update "
                                              "is therefore not possible; webmail or another mail program is the "
                                              "way to go."), a->user->mac_model, target_display));
          step->fixes = FALSE;
        }
      else if (fixes)
        {
          /* TRANSLATORS: "Update to macOS 10.13 High Sierra" */
          step = step_new ("upgrade", g_strdup_printf (_("Update to %s"), target_name),
                           /* TRANSLATORS: "Your Mac (MacBookPro7,1) can run macOS 10.13 High Sierra, and
                            * Apple Mail there uses the newer encryption. <outcome> Back up …" */
                           g_strdup_printf (_("Your Mac (%s) can run %s, and %s there uses the newer encryption. %s "
                                              "Back up your Mac first, and check that the programs you rely on still "
                                              "run on the newer system."), a->user->mac_model, target_display,
                                            a->client_name, outcome));
        }
      else
        {
          step = step_new ("upgrade", g_strdup (_("An Update Is Not Enough")),
                           /* TRANSLATORS: "Your Mac (…) can run … at most, but Apple Mail there still
                            * cannot use the encryption your provider requires." */
                           g_strdup_printf (_("Your Mac (%s) can run %s at most, but %s there still cannot use the "
                                              "encryption your provider requires."), a->user->mac_model,
                                            target_display, a->client_name));
          step->fixes = FALSE;
        }
      step->system_id = g_steal_pointer (&target);
      return step;
    }

  /* The Mac's model is not known: say from which system on it works. */
  target = mtc_knowledge_first_system_reaching (a->knowledge, client, "macos", needed);
  if (target == NULL || mtc_knowledge_compare_systems (a->knowledge, target, system) <= 0)
    return NULL;
  target_name = mtc_knowledge_get_system_name (a->knowledge, target);
  step = step_new ("upgrade", g_strdup (_("Update macOS If Your Mac Can")),
                   /* TRANSLATORS: "Apple Mail uses the newer encryption from macOS 10.12 Sierra on.
                    * <outcome> Whether …" */
                   g_strdup_printf (_("%s uses the newer encryption from %s on. %s Whether your Mac can install it "
                                      "depends on its model: the Apple menu › About This Mac shows the model, and "
                                      "Apple’s website lists the systems each model can run."),
                                    a->client_name, target_name, outcome));
  step->system_id = g_steal_pointer (&target);
  return step;
}

static MtcVerdictStep *
make_other_client_step (const Analysis *a,
                        MtcTlsVersion   needed)
{
  g_auto(GStrv) clients = NULL;
  const MtcKnowledgeFact *best = NULL;
  int best_rank = G_MAXINT;
  g_autofree char *name = NULL;
  GString *text;
  MtcVerdictStep *step;

  if (a->user == NULL || a->user->system_id == NULL || needed == MTC_TLS_UNKNOWN)
    return NULL;
  clients = mtc_knowledge_clients_on_system (a->knowledge, a->user->system_id, MTC_CLIENT_KIND_MAIL);
  for (int i = 0; clients[i]; i++)
    {
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, clients[i], a->user->system_id);
      int rank = (fact->security_updates_ended ? 2 : 0) + (fact->uncertain ? 1 : 0);

      if (g_strcmp0 (clients[i], a->user->client_id) == 0 || fact->max_tls < needed)
        continue;
      if (rank < best_rank)
        {
          best = fact;
          best_rank = rank;
        }
    }
  if (best == NULL)
    return NULL;

  name = mtc_knowledge_get_client_name (a->knowledge, best->client);
  text = g_string_new (NULL);
  if (best->uncertain)
    /* TRANSLATORS: "Evolution should work on Linux with your provider’s servers." */
    g_string_append_printf (text, _("%s should work on %s with your provider’s servers."), name, a->system_name);
  else
    /* TRANSLATORS: "Thunderbird runs on OS X 10.11 El Capitan and can use the encryption your provider requires." */
    g_string_append_printf (text, _("%s runs on %s and can use the encryption your provider requires."), name,
                            a->system_name);
  if (best->client_version != NULL && !best->client_version_uncertain)
    {
      g_string_append_c (text, ' ');
      /* TRANSLATORS: "Version 78.14.0 is the newest one for this system." */
      g_string_append_printf (text, _("Version %s is the newest one for this system."), best->client_version);
    }
  if (best->security_updates_ended)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Be aware that this version no longer gets security updates. Treat it as a stopgap, "
                               "use it only for your mail, and be careful with attachments and links."));
    }
  g_string_append_c (text, ' ');
  g_string_append (text, _("Set it up with the settings below; your password stays the same."));

  /* TRANSLATORS: "Use Thunderbird Instead" */
  step = step_new ("other-client", g_strdup_printf (_("Use %s Instead"), name), g_string_free (text, FALSE));
  step->client_id = g_strdup (best->client);
  step->has_cost = best->security_updates_ended;
  attach_settings (a, step, best->max_tls, FALSE);
  return step;
}

static MtcVerdictStep *
make_settings_step (const Analysis *a,
                    MtcTlsVersion   max,
                    gboolean        implicit_only)
{
  MtcVerdictStep *step = step_new ("settings", g_strdup (_("Check Your Mail Program’s Settings")),
                                   g_strdup (_("These settings work with your provider’s servers. Compare them "
                                               "with the ones in your mail program’s account settings and correct "
                                               "any that differ; your password stays the same.")));

  attach_settings (a, step, max, implicit_only);
  if (step->settings == NULL)
    {
      step_free (step);
      return NULL;
    }
  /* A port without STARTTLS is a finding about that port, not a problem of
   * its own: the settings leave it out, and say why.  (With @implicit_only
   * the verdict itself says why: tampering on the way.) */
  for (guint i = 0; !implicit_only && i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *expected = NULL;
      g_autofree char *sentence = NULL;
      char *text;

      if (role_of (result) == ROLE_WEB || result->endpoint->security != MTC_SECURITY_STARTTLS
          || result->status != MTC_STATUS_NO_STARTTLS || (expected = starttls_expected (a, result)) != NULL)
        continue;
      /* TRANSLATORS: "Do not use port 143 of mail.example.net: the server offers no encryption there." */
      sentence = g_strdup_printf (_("Do not use port %u of %s: the server offers no encryption there."),
                                  result->endpoint->port,
                                  result->endpoint->host_display ? result->endpoint->host_display
                                                                 : result->endpoint->host);
      text = g_strdup_printf ("%s %s", step->text, sentence);
      g_free (step->text);
      step->text = text;
    }
  return step;
}

static MtcVerdictStep *
make_fix_clock_step (const Analysis *a)
{
  const char *how;

  if (g_strcmp0 (a->family, "macos") == 0)
    how = _("Open the Apple menu › System Preferences (System Settings on newer Macs) › Date & Time and turn on "
            "“Set date and time automatically”.");
  else if (g_strcmp0 (a->family, "windows") == 0)
    how = _("Right-click the clock on the taskbar, choose to adjust the date and time, and let Windows set the "
            "time automatically.");
  else
    how = _("Open the system settings › Date & Time and turn on the automatic date and time.");
  return step_new ("fix-clock", g_strdup (_("Set the Date and Time")),
                   g_strdup_printf ("%s %s", how, _("Then run this check again.")));
}

static MtcVerdictStep *
make_antivirus_step (void)
{
  return step_new ("antivirus", g_strdup (_("Turn Off Mail Scanning")),
                   g_strdup (_("Open your antivirus or internet security program and turn off its e-mail "
                               "protection, often called “mail scanning”, “e-mail shield” or “SSL scanning”. Your "
                               "mail program keeps its own protection. On a company computer, ask your IT "
                               "department instead.")));
}

static MtcVerdictStep *
make_other_network_step (void)
{
  return step_new ("other-network", g_strdup (_("Try Another Network")),
                   g_strdup (_("Connect through another network, for example at home or through your phone’s "
                               "hotspot, and try again. If mail works there, the network you were on blocks it, "
                               "and its administrator can tell you why.")));
}

static MtcVerdictStep *
make_check_connection_step (void)
{
  return step_new ("check-connection", g_strdup (_("Check Your Internet Connection")),
                   g_strdup (_("Open any web page. If none opens, restart your router or connect to another "
                               "network, then run this check again.")));
}

static void
add_step (MtcVerdict     *verdict,
          MtcVerdictStep *step)
{
  if (step != NULL)
    g_ptr_array_add (verdict->steps, step);
}

/* ------------------------------------------------------------------ verdicts */

static MtcVerdict *
verdict_new (MtcVerdictId id)
{
  MtcVerdict *verdict = g_new0 (MtcVerdict, 1);

  verdict->id = id;
  verdict->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  verdict->client_max = MTC_TLS_UNKNOWN;
  verdict->needed = MTC_TLS_UNKNOWN;
  return verdict;
}

static MtcVerdict *
decide_offline (const Analysis *a)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_OFFLINE);
  g_autoptr(GString) details = g_string_new (NULL);
  gboolean all_names = TRUE;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (result->status != MTC_STATUS_DNS_ERROR)
        all_names = FALSE;
    }
  verdict->title = g_strdup (_("This computer cannot reach your provider at all."));
  if (all_names)
    verdict->explanation = g_strdup (_("The names of your provider’s servers could not be looked up. Either this "
                                       "computer is not connected to the internet right now, or the address was "
                                       "mistyped. Check that other web pages open and that the address is right, "
                                       "then run the check again."));
  else
    verdict->explanation = g_strdup (_("None of your provider’s servers answered. Most likely this computer is not "
                                       "connected to the internet right now, or a firewall stops every connection. "
                                       "Check that other web pages open, then run the check again."));
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_check_connection_step ());
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_clock_wrong (const Analysis    *a,
                    const MtcCertInfo *evidence)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_CLOCK_WRONG);
  g_autoptr(GDateTime) now_utc = g_date_time_to_utc (a->now);
  g_autofree char *today = g_date_time_format (now_utc, "%Y-%m-%d");
  g_autofree char *now_text = g_date_time_format (now_utc, "%Y-%m-%d %H:%M UTC");
  g_autofree char *from = evidence->not_before ? g_date_time_format (evidence->not_before, "%Y-%m-%d") : g_strdup ("?");
  g_autofree char *until = evidence->not_after ? g_date_time_format (evidence->not_after, "%Y-%m-%d") : g_strdup ("?");

  verdict->title = g_strdup (_("This computer’s clock is wrong."));
  /* TRANSLATORS: %s is a date such as 2009-01-03 */
  verdict->explanation = g_strdup_printf (_("This computer thinks today is %s. Security certificates are valid only "
                                            "for a certain time, so with a wrong date your provider’s servers look "
                                            "untrustworthy and mail programs refuse to connect. Set the right date "
                                            "and time, then try again."), today);
  /* TRANSLATORS: "This computer’s clock: <date>. The certificate of <subject> is valid from <date> to <date>." */
  verdict->details = g_strdup_printf (_("This computer’s clock: %s. The certificate of %s is valid from %s to %s."),
                                      now_text, evidence->subject ? evidence->subject : "?", from, until);
  add_step (verdict, make_fix_clock_step (a));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_intercepted (const Analysis          *a,
                    const MtcEndpointResult *evidence)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_TLS_INTERCEPTED);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *url = mtc_endpoint_to_url (evidence->endpoint);
  g_autofree char *line = NULL;

  verdict->title = g_strdup (_("A program on this computer steps into your mail connections."));
  verdict->explanation = g_strdup (_("Your provider’s mail servers answered with a security certificate that does "
                                     "not come from your provider. This usually happens when antivirus or internet "
                                     "security software checks e-mail by stepping into the encrypted connection, or "
                                     "when a company network does the same. Many mail programs then refuse to "
                                     "connect or report a certificate error; turning off the mail scanning usually "
                                     "fixes it."));
  if (evidence->certificate->errors == 0)
    {
      /* Trusted by this computer, so not among the problems listed below. */
      /* TRANSLATORS: "<server>: certificate issued by <issuer>" */
      line = g_strdup_printf (_("%s: certificate issued by %s"), url, evidence->certificate->issuer);
      append_line (details, line);
      g_clear_pointer (&line, g_free);
    }
  if (a->hints != NULL && a->hints->expected_issuer != NULL)
    {
      line = g_strdup_printf (_("Expected an issuer containing “%s”."), a->hints->expected_issuer);
      append_line (details, line);
    }
  append_endpoint_problems (a, details, TRUE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_antivirus_step ());
  add_step (verdict, make_webmail_step (a, needed_version (a)));
  add_step (verdict, make_support_step (a));
  return verdict;
}

/* @injection: a reply to STARTTLS came with data nobody asked for;
 * otherwise STARTTLS was missing where it should be. */
static MtcVerdict *
decide_tampered (const Analysis *a,
                 gboolean        injection)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_STARTTLS_STRIPPED);
  g_autoptr(GString) details = g_string_new (NULL);
  MtcVerdictStep *settings = make_settings_step (a, a->client_max, TRUE);

  if (injection)
    {
      verdict->title = g_strdup (_("Something on the way injects data into your mail connections."));
      verdict->explanation = g_strdup_printf ("%s %s",
                                              _("Just as your mail connection was about to switch to encryption, "
                                                "data arrived that nobody had asked for. That is what happens when "
                                                "something on your way to the server rewrites mail traffic: the "
                                                "network you are on, a router, or a security program on this "
                                                "computer; rarely, the server itself is at fault."),
                                              settings != NULL
                                              ? _("The connections that are encrypted from the very first moment "
                                                  "are not affected: switch your mail program to them with the "
                                                  "settings below.")
                                              : _("Until this is cleared up, use another network, and send the "
                                                  "report to your provider’s support."));
    }
  else
    {
      verdict->title = g_strdup (_("Something on the way tampers with your mail connections."));
      verdict->explanation = g_strdup (_("On the usual mail ports, something between this computer and your "
                                         "provider removed or changed the step that switches the connection to "
                                         "encryption. On the ports that are encrypted from the very first moment, "
                                         "everything works. Switch your mail program to those ports with the "
                                         "settings below, and be careful with the network you are on."));
    }
  append_endpoint_problems (a, details, FALSE);
  for (guint i = 0; !injection && i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *why = NULL;

      if (result->status == MTC_STATUS_NO_STARTTLS && (why = starttls_expected (a, result)) != NULL)
        append_line (details, why);
    }
  if (injection)
    append_line (details, _("Data arrived after the reply to STARTTLS and before the encryption began (response "
                            "injection)."));
  else
    append_line (details, _("STARTTLS was missing where it should be offered."));
  if (settings != NULL)
    append_line (details, _("Implicit TLS, encrypted from the first byte, works (RFC 8314)."));
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);

  if (settings != NULL)
    add_step (verdict, settings);
  else if (injection && (a->working[ROLE_WEB] || (a->hints != NULL && a->hints->webmail_url != NULL)))
    add_step (verdict, make_webmail_step (a, needed_version (a)));
  add_step (verdict, make_other_network_step ());
  if (injection)
    add_step (verdict, make_antivirus_step ());
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_port_blocked (const Analysis *a,
                     gboolean        send_blocked,
                     gboolean        receive_blocked)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_PORT_BLOCKED);
  g_autoptr(GString) details = g_string_new (NULL);
  const char *first;

  if (send_blocked && receive_blocked)
    first = a->reached[ROLE_WEB] ? _("Your provider’s website answers, but connections to its mail servers do not "
                                     "get through.")
                                 : _("Connections to your provider’s mail servers do not get through.");
  else if (send_blocked)
    first = _("Receiving mail works, but connections for sending mail do not get through.");
  else
    first = _("Sending mail works, but connections for receiving mail do not get through.");

  verdict->title = g_strdup (_("Your network blocks the way to the mail servers."));
  verdict->explanation = g_strdup_printf ("%s %s", first,
                                          _("That usually means the network you are using blocks them – common in "
                                            "hotels, offices and public Wi-Fi – or a firewall or security program on "
                                            "this computer does. Your account and your mail program are probably "
                                            "fine."));
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_webmail_step (a, needed_version (a)));
  add_step (verdict, make_other_network_step ());
  add_step (verdict, make_support_step (a));
  return verdict;
}

/* @cannot_test: this computer's policy does not bind the program in question,
 * it only kept the check from knowing.  @program_needs_old: the program's own
 * limit (not the servers') is what could not be tested. */
static MtcVerdict *
decide_locally_disabled (const Analysis *a,
                         gboolean        cannot_test,
                         gboolean        program_needs_old)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_LOCALLY_DISABLED);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *line = NULL;
  GString *missing = g_string_new (NULL);

  verdict->this_computer_cannot_test = cannot_test;
  verdict->client_max = a->client_max;
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (!a->diagnosis->local->versions_available[v])
      g_string_append_printf (missing, "%sTLS %s", missing->len ? ", " : "", mtc_tls_version_to_string (v));

  if (!cannot_test)
    {
      verdict->title = g_strdup (_("This computer’s own security rules block the connection."));
      verdict->explanation = g_strdup (_("Your provider’s servers only offer an older kind of encryption, and this "
                                         "computer forbids it on purpose, because it is no longer considered safe. "
                                         "That is why the connection fails, even though nothing is broken. The "
                                         "lasting fix is on your provider’s side: ask them to offer current "
                                         "encryption."));
    }
  else
    {
      verdict->title = g_strdup (_("This computer cannot test what your mail program needs."));
      if (program_needs_old && a->client_name != NULL && a->system_name != NULL)
        /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan needs an older kind of encryption. …" */
        verdict->explanation = g_strdup_printf (_("%s on %s needs an older kind of encryption. This computer’s own "
                                                  "security rules forbid that kind, so this check could not find out "
                                                  "whether your provider still accepts it. Run the check on the "
                                                  "computer that has the problem, or ask your provider’s support."),
                                                a->client_name, a->system_name);
      else
        verdict->explanation = g_strdup (_("Your provider’s servers turned down every kind of encryption this "
                                           "computer allows itself. They may still accept an older kind, but this "
                                           "computer’s own security rules forbid it, so this check could not test "
                                           "that. Your mail program may follow rules of its own and still connect; "
                                           "to be sure, run the check on another computer or ask your provider’s "
                                           "support."));
    }
  /* TRANSLATORS: %s lists TLS versions, e.g. "TLS 1.0, TLS 1.1" */
  line = g_strdup_printf (_("This computer’s TLS library does not offer %s (a system policy such as "
                            "/etc/gnutls/config), so these versions were not tested."), missing->str);
  g_string_free (missing, TRUE);
  append_line (details, line);
  append_accepted (a, details);
  append_client_fact (a, details);
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  if (!cannot_test)
    add_step (verdict, make_webmail_step (a, MTC_TLS_UNKNOWN));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_server_problem (const Analysis *a,
                       gboolean        certificate)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_SERVER_PROBLEM);
  g_autoptr(GString) details = g_string_new (NULL);

  verdict->title = g_strdup (_("Your provider’s mail server has a problem."));
  if (certificate)
    verdict->explanation = g_strdup (_("This check reached your provider’s mail servers, but their security "
                                       "certificate is not in order. Mail programs rightly refuse such a "
                                       "connection, because they cannot be sure they are talking to your provider. "
                                       "This is not caused by your computer, and you cannot fix it from here: "
                                       "please send the report to your provider’s support."));
  else
    verdict->explanation = g_strdup (_("This check reached your provider’s mail servers, but they did not answer the "
                                       "way working mail servers do. This is not caused by your computer or your "
                                       "mail program, and you cannot fix it from here. Please send the report to "
                                       "your provider’s support: it tells them exactly what went wrong."));
  append_endpoint_problems (a, details, TRUE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_support_step (a));
  if (a->working[ROLE_WEB] || (a->hints != NULL && a->hints->webmail_url != NULL))
    add_step (verdict, make_webmail_step (a, needed_version (a)));
  return verdict;
}

/* @stated: the servers still accepted the program's version in this check,
 * but the provider states a higher minimum. */
static MtcVerdict *
decide_client_too_old (const Analysis *a,
                       MtcTlsVersion   needed,
                       gboolean        stated)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_CLIENT_TOO_OLD);
  g_autoptr(GString) details = g_string_new (NULL);
  MtcVerdictStep *upgrade = make_upgrade_step (a, needed, FALSE);
  MtcVerdictStep *webmail = make_webmail_step (a, needed);
  g_autofree char *finding = NULL;

  verdict->client_max = a->client_max;
  verdict->needed = needed;
  verdict->uncertain = a->fact->uncertain;
  if (stated)
    {
      verdict->title = g_strdup (a->fact->uncertain
                                 ? _("Your mail program is probably too old for your provider’s servers.")
                                 : _("Your mail program is too old for your provider’s servers."));
      /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan uses an older kind of encryption than …" */
      finding = g_strdup_printf (a->fact->uncertain
                                 ? _("As far as is known, %s on %s uses an older kind of encryption than your "
                                     "provider accepts. In this check the servers still let it through, but your "
                                     "provider states that it turns that kind away when you log in, and a check "
                                     "without your password cannot see that step. Nothing is wrong with your "
                                     "account or your password.")
                                 : _("%s on %s uses an older kind of encryption than your provider accepts. In this "
                                     "check the servers still let it through, but your provider states that it "
                                     "turns that kind away when you log in, and a check without your password "
                                     "cannot see that step. Nothing is wrong with your account or your password."),
                                 a->client_name, a->system_name);
    }
  else if (a->fact->uncertain)
    {
      verdict->title = g_strdup (_("Your mail program is probably too old for your provider’s servers."));
      /* TRANSLATORS: "… As far as is known, Apple Mail on OS X 10.11 El Capitan knows only an older kind …" */
      finding = g_strdup_printf (_("Your provider’s mail servers now accept only a newer, safer kind of encryption. "
                                   "As far as is known, %s on %s knows only an older kind, so the servers would "
                                   "turn it away, and all you see is that the connection failed. Nothing is wrong "
                                   "with your account or your password."), a->client_name, a->system_name);
    }
  else
    {
      verdict->title = g_strdup (_("Your mail program is too old for your provider’s servers."));
      /* TRANSLATORS: "… Apple Mail on OS X 10.11 El Capitan knows only an older kind …" */
      finding = g_strdup_printf (_("Your provider’s mail servers now accept only a newer, safer kind of encryption. "
                                   "%s on %s knows only an older kind, so the servers turn it away, and all you see "
                                   "is that the connection failed. Nothing is wrong with your account or your "
                                   "password."), a->client_name, a->system_name);
    }
  verdict->explanation = g_strdup_printf ("%s %s", finding,
                                          webmail == NULL || !webmail->fixes
                                          ? _("The suggested steps show the lasting fixes.")
                                          : webmail->client_id != NULL
                                          ? _("Webmail works in another browser, and the suggested steps show the "
                                              "lasting fixes.")
                                          : _("Webmail works right away, and the suggested steps show the lasting "
                                              "fixes."));
  append_accepted (a, details);
  if (stated)
    {
      g_autofree char *accepted = version_label (a->client_max);
      g_autofree char *minimum = version_label (needed);
      g_autofree char *line = NULL;

      /* TRANSLATORS: %s is a TLS version, e.g. "TLS 1.0" */
      line = g_strdup_printf (_("In this check the servers still accepted %s."), accepted);
      append_line (details, line);
      g_clear_pointer (&line, g_free);
      /* TRANSLATORS: %s is a TLS version, e.g. "TLS 1.2" */
      line = g_strdup_printf (_("The provider’s profile states that it accepts %s and newer. A provider can turn "
                                "older versions away when you log in, after the encryption has started, where a "
                                "check without a password cannot see it; the provider’s statement counts."), minimum);
      append_line (details, line);
    }
  append_client_fact (a, details);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);

  /* Webmail first where it works right away; in another browser after an
   * update that fixes it; on another device only after the fixes. */
  if (webmail != NULL && webmail->fixes && webmail->client_id == NULL)
    add_step (verdict, g_steal_pointer (&webmail));
  if (upgrade != NULL && upgrade->fixes)
    add_step (verdict, g_steal_pointer (&upgrade));
  if (webmail != NULL && webmail->fixes)
    add_step (verdict, g_steal_pointer (&webmail));
  add_step (verdict, make_other_client_step (a, needed));
  add_step (verdict, g_steal_pointer (&upgrade));
  add_step (verdict, g_steal_pointer (&webmail));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_all_good (const Analysis *a)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_ALL_GOOD);
  g_autoptr(GString) details = g_string_new (NULL);
  GString *explanation = g_string_new (NULL);
  MtcTlsVersion needed = needed_version (a);
  gboolean known = a->client_max != MTC_TLS_UNKNOWN;

  verdict->client_max = a->client_max;
  verdict->needed = needed;
  verdict->uncertain = !known || a->fact->uncertain;
  /* It works only through a version the provider may switch off: TLS older
   * than 1.2, or older than the minimum the provider announced. */
  verdict->may_stop = known && (a->client_max < MTC_TLS_1_2
                                || (a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN
                                    && a->client_max < a->hints->min_version));

  if (known)
    {
      verdict->title = g_strdup (_("Your provider’s servers work with your mail program."));
      g_string_append (explanation, _("This check reached your provider’s mail servers, and they accept the "
                                      "encryption your mail program uses. So the cause of a problem lies elsewhere: "
                                      "most often a mistyped password, or a server name, port or security setting "
                                      "that does not match. Compare your mail program’s settings with the ones "
                                      "below."));
    }
  else
    {
      verdict->title = g_strdup (_("Your provider’s mail servers are working."));
      g_string_append (explanation, _("This check reached your provider’s mail servers, and they work. So the cause "
                                      "of a problem lies elsewhere: most often a mistyped password, or a server "
                                      "name, port or security setting that does not match. Compare your mail "
                                      "program’s settings with the ones below."));
      if (needed != MTC_TLS_UNKNOWN && needed >= MTC_TLS_1_2)
        {
          g_string_append_c (explanation, ' ');
          g_string_append (explanation, _("This check does not know what your mail program can do: a very old one "
                                          "may lack the encryption your provider requires, and webmail shows "
                                          "quickly whether your account itself works."));
        }
    }
  if (verdict->may_stop)
    {
      g_string_append_c (explanation, ' ');
      /* TRANSLATORS: %s is a mail program, e.g. "Apple Mail" */
      g_string_append_printf (explanation, _("It works today only because your provider still accepts the older "
                                             "encryption that %s uses; it may stop doing so at any time, as many "
                                             "providers already have."), a->client_name);
    }
  verdict->explanation = g_string_free (explanation, FALSE);

  append_accepted (a, details);
  append_client_fact (a, details);
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);

  add_step (verdict, make_settings_step (a, a->client_max, FALSE));
  if (verdict->may_stop)
    {
      MtcTlsVersion future = MAX (MTC_TLS_1_2, a->hints != NULL ? a->hints->min_version : MTC_TLS_UNKNOWN);
      MtcVerdictStep *upgrade = make_upgrade_step (a, future, TRUE);

      if (upgrade != NULL && upgrade->fixes)
        add_step (verdict, g_steal_pointer (&upgrade));
      add_step (verdict, make_other_client_step (a, future));
      add_step (verdict, g_steal_pointer (&upgrade));
    }
  else if (!known && needed != MTC_TLS_UNKNOWN && needed >= MTC_TLS_1_2)
    add_step (verdict, make_webmail_step (a, needed));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide (Analysis *a)
{
  const MtcCertInfo *clock_cert = NULL;
  const MtcEndpointResult *intercepted = NULL;
  gboolean blocked[N_ROLES] = { FALSE };
  gboolean any_reached = FALSE;
  gboolean certificate_problem = FALSE;

  for (int r = 0; r < N_ROLES; r++)
    any_reached |= a->reached[r];
  if (!any_reached)
    return decide_offline (a);

  clock_cert = clock_evidence (a);
  if (clock_cert != NULL)
    return decide_clock_wrong (a, clock_cert);

  intercepted = interception_evidence (a);
  if (intercepted != NULL)
    return decide_intercepted (a, intercepted);

  /* Injection is tampering wherever it shows, next to clean ports or not;
   * a missing STARTTLS only where it should be there. */
  if (injection_evidence (a))
    return decide_tampered (a, TRUE);
  if (stripping_evidence (a))
    return decide_tampered (a, FALSE);

  for (int r = ROLE_SEND; r <= ROLE_RECEIVE; r++)
    {
      gboolean all_blocking = a->n[r] > 0;
      int other = r == ROLE_SEND ? ROLE_RECEIVE : ROLE_SEND;

      for (guint i = 0; i < a->diagnosis->results->len; i++)
        {
          const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

          if (role_of (result) == (Role) r && !is_blocking_failure (result->status))
            all_blocking = FALSE;
        }
      blocked[r] = all_blocking && (a->reached[other] || a->reached[ROLE_WEB]);
    }
  if (blocked[ROLE_SEND] || blocked[ROLE_RECEIVE])
    return decide_port_blocked (a, blocked[ROLE_SEND], blocked[ROLE_RECEIVE]);

  /* This computer's own TLS policy kept it from reaching (or testing) what
   * the servers might still accept. */
  for (int r = 0; r < N_ROLES; r++)
    {
      if (!role_matters (a, r) || a->working[r])
        continue;
      for (guint i = 0; i < a->diagnosis->results->len; i++)
        {
          const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
          gboolean limited_here;

          if (role_of (result) != (Role) r || !hidden_by_local_policy (a, result, MTC_TLS_UNKNOWN))
            continue;
          /* A program with its own TLS library (Thunderbird) is not bound by
           * this computer's policy: then the check only cannot tell. */
          limited_here = a->user != NULL && a->user->this_computer
                         && (a->fact == NULL || g_strcmp0 (a->fact->tls_library, "gnutls") == 0);
          return decide_locally_disabled (a, !limited_here, FALSE);
        }
    }
  if (a->client_max != MTC_TLS_UNKNOWN
      && !(a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN && a->hints->min_version > a->client_max))
    for (int r = 0; r < N_ROLES; r++)
      {
        if (!role_matters (a, r) || role_ok_for (a, r, a->client_max))
          continue;
        for (guint i = 0; i < a->diagnosis->results->len; i++)
          {
            const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

            if (role_of (result) == (Role) r && result_working (result)
                && hidden_by_local_policy (a, result, a->client_max))
              return decide_locally_disabled (a, TRUE, TRUE);
          }
      }

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (result->certificate != NULL && result->certificate->errors != 0)
        certificate_problem = TRUE;
    }
  if (certificate_problem)
    return decide_server_problem (a, TRUE);
  for (int r = 0; r < N_ROLES; r++)
    if (role_matters (a, r) && !a->working[r])
      return decide_server_problem (a, FALSE);

  if (a->client_max != MTC_TLS_UNKNOWN)
    {
      MtcTlsVersion needed = MTC_TLS_UNKNOWN;
      gboolean too_old = FALSE;

      for (int r = 0; r < N_ROLES; r++)
        if (role_matters (a, r) && !role_ok_for (a, r, a->client_max))
          {
            too_old = TRUE;
            needed = MAX (needed, a->lowest[r]);
          }
      if (too_old)
        return decide_client_too_old (a, needed, FALSE);
      /* The provider states a minimum above what the program speaks: it may
       * turn the old version away at login, after the handshake, where a
       * check without a password cannot see it.  The statement counts. */
      if (a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN && a->client_max < a->hints->min_version)
        return decide_client_too_old (a, a->hints->min_version, TRUE);
    }

  return decide_all_good (a);
}

/* ------------------------------------------------------------------ public */

const char *
mtc_verdict_id_to_string (MtcVerdictId id)
{
  g_return_val_if_fail (id < MTC_N_VERDICTS, NULL);
  return verdict_names[id];
}

/**
 * mtc_verdict_decide_at:
 * @diagnosis: what the prober found
 * @user: (nullable): the user's system and mail program
 * @hints: (nullable): what the provider's profile says
 * @knowledge: the knowledge base
 * @now: the time to judge certificates against (tests); this computer's
 *   clock is what the certificates were checked with
 *
 * Returns: (transfer full): the verdict
 */
MtcVerdict *
mtc_verdict_decide_at (const MtcDiagnosis     *diagnosis,
                       const MtcUserSide      *user,
                       const MtcProviderHints *hints,
                       MtcKnowledge           *knowledge,
                       GDateTime              *now)
{
  Analysis a = { 0 };
  MtcVerdict *verdict;

  g_return_val_if_fail (diagnosis != NULL && diagnosis->local != NULL, NULL);
  g_return_val_if_fail (diagnosis->results->len > 0, NULL);
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (knowledge), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  a.diagnosis = diagnosis;
  a.user = user;
  a.hints = hints;
  a.knowledge = knowledge;
  a.now = now;
  analyse (&a);
  verdict = decide (&a);
  if (verdict->client_max == MTC_TLS_UNKNOWN)
    verdict->client_max = a.client_max;
  if (verdict->needed == MTC_TLS_UNKNOWN)
    verdict->needed = needed_version (&a);
  g_free (a.client_name);
  g_free (a.system_name);
  return verdict;
}

/* Returns: (transfer full): the verdict, judged at the current time */
MtcVerdict *
mtc_verdict_decide (const MtcDiagnosis     *diagnosis,
                    const MtcUserSide      *user,
                    const MtcProviderHints *hints,
                    MtcKnowledge           *knowledge)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return mtc_verdict_decide_at (diagnosis, user, hints, knowledge, now);
}

void
mtc_verdict_free (MtcVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->title);
  g_free (verdict->explanation);
  g_free (verdict->details);
  g_ptr_array_unref (verdict->steps);
  g_free (verdict);
}

/* Returns: (nullable) (transfer none): the step with @step_id */
const MtcVerdictStep *
mtc_verdict_get_step (const MtcVerdict *verdict,
                      const char       *step_id)
{
  g_return_val_if_fail (verdict != NULL, NULL);
  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      if (g_strcmp0 (step->id, step_id) == 0)
        return step;
    }
  return NULL;
}

