/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-verdict-private.h"

/* What the decision looks at, worked out once from the diagnosis and the
 * user's side (analyse), and the questions the rules ask of it. */

Role
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
gboolean
is_blocking_failure (MtcStatus status)
{
  return status == MTC_STATUS_REFUSED || status == MTC_STATUS_UNREACHABLE || status == MTC_STATUS_TIMEOUT;
}

gboolean
result_working (const MtcEndpointResult *result)
{
  return result->status == MTC_STATUS_OK && mtc_endpoint_result_any_accepted (result);
}

/* Accepts some version up to @max (any version when @max is unknown). */
gboolean
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
gboolean
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
gboolean
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
gboolean
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

gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = casefold (haystack);
  g_autofree char *n = casefold (needle);

  return strstr (h, n) != NULL;
}

char *
version_label (MtcTlsVersion version)
{
  return g_strdup_printf ("TLS %s", mtc_tls_version_to_string (version));
}

void
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
MtcTlsVersion
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
