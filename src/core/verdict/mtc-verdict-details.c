/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-words.h"
#include "mtc-verdict-private.h"

/* The details for support: the technical facts behind a verdict, one a line. */

void
append_line (GString    *out,
             const char *line)
{
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, line);
}

/* The versions the working servers of each role accepted, each one named:
 * a server that accepts only TLS 1.0 does not accept "1.0 and newer". */
void
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

/* Whether what the mail program can speak was read from it or assumed. */
void
append_client_ability (const Analysis *a,
                       GString        *out)
{
  g_autofree char *line = NULL;
  g_autofree char *label = NULL;

  if (a->ability == MTC_CLIENT_ABILITY_ASSUMED)
    append_line (out, _("What your mail program can speak was assumed from its name and the system, as the "
                        "knowledge base below states; it was not read from the program itself."));
  if (a->ability != MTC_CLIENT_ABILITY_READ)
    return;
  label = version_label (a->client_max);
  /* TRANSLATORS: "What your mail program can speak was read, not assumed: Thunderbird 128.5.0, as its
   * profile states; newest TLS version: TLS 1.3." */
  line = g_strdup_printf (_("What your mail program can speak was read, not assumed: %s; newest TLS version: %s."),
                          a->ability_source, label);
  append_line (out, line);
  if (a->account != NULL && a->account->tls_version_max >= 1 && a->account->tls_version_max <= MTC_N_TLS_VERSIONS)
    {
      g_clear_pointer (&line, g_free);
      /* TRANSLATORS: "Its setting security.tls.version.max is 3." (a Thunderbird preference, not translated) */
      line = g_strdup_printf (_("Its setting %s is %u."), "security.tls.version.max", a->account->tls_version_max);
      append_line (out, line);
    }
}

void
append_client_fact (const Analysis *a,
                    GString        *out)
{
  g_autofree char *line = NULL;
  g_autofree char *label = NULL;
  g_autofree char *sources = NULL;
  g_autofree char *note = NULL;

  append_client_ability (a, out);

  if (a->client_name == NULL)
    {
      append_line (out, _("Which mail program is used is not known, so its abilities were not taken into account."));
      return;
    }
  if (a->fact == NULL || a->fact->max_tls == MTC_TLS_UNKNOWN)
    {
      if (a->ability == MTC_CLIENT_ABILITY_READ)
        return;
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
  line = g_strdup_printf ("%s\n%s", _("Sources:"), sources);
  append_line (out, line);
}

/* Whether both could not look up the same name, for the same reason. */
static gboolean
same_name_failure (const MtcEndpointResult *one,
                   const MtcEndpointResult *other)
{
  return one->status == MTC_STATUS_DNS_ERROR && other->status == MTC_STATUS_DNS_ERROR
         && g_strcmp0 (one->endpoint->host, other->endpoint->host) == 0 && g_strcmp0 (one->detail, other->detail) == 0;
}

void
append_endpoint_problems (const Analysis *a,
                          GString        *out,
                          gboolean        with_certificates)
{
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);
      g_autofree char *line = NULL;

      if (result->status == MTC_STATUS_DNS_ERROR)
        {
          /* A name that could not be looked up is said once, with every
           * server that has it. */
          g_autoptr(GString) urls = NULL;
          gboolean said = FALSE;

          for (guint j = 0; j < i && !said; j++)
            said = same_name_failure (g_ptr_array_index (a->diagnosis->results, j), result);
          if (said)
            continue;
          urls = g_string_new (url);
          for (guint j = i + 1; j < a->diagnosis->results->len; j++)
            {
              const MtcEndpointResult *other = g_ptr_array_index (a->diagnosis->results, j);
              g_autofree char *other_url = NULL;

              if (!same_name_failure (other, result))
                continue;
              other_url = mtc_endpoint_to_url (other->endpoint);
              g_string_append_printf (urls, ", %s", other_url);
            }
          line = result->detail != NULL
                 ? g_strdup_printf ("%s: %s — %s", urls->str, mtc_status_describe (result->status), result->detail)
                 : g_strdup_printf ("%s: %s", urls->str, mtc_status_describe (result->status));
          append_line (out, line);
        }
      else if (result->status != MTC_STATUS_OK)
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
