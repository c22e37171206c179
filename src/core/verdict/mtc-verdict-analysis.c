/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

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

/* The newest version this computer's TLS library offers. */
static MtcTlsVersion
local_newest (const Analysis *a)
{
  for (int v = MTC_N_TLS_VERSIONS - 1; v >= 0; v--)
    if (a->diagnosis->local->versions_available[v])
      return v;
  return MTC_TLS_UNKNOWN;
}

/* What the program in question can speak, read where it can be instead
 * of assumed from its name: Thunderbird's version from its profile (every
 * Thunderbird from 78 on brings NSS with TLS 1.2 and 1.3, the knowledge
 * base's facts thunderbird-78-old-macos and thunderbird-current, sources
 * thunderbird-notes-78 and nss-description), narrowed by its own
 * security.tls.version.max; a program that uses this computer's GnuTLS
 * through GIO (the knowledge base's TlsLibrary=gnutls: Evolution, Geary),
 * when it runs here, speaks what local.versions_available says. */
static void
read_ability (Analysis *a)
{
  const MtcAccount *account = a->account;

  if (account == NULL)
    return;
  if (g_strcmp0 (account->program, "thunderbird") == 0 && account->program_version != NULL
      && g_ascii_strtoull (account->program_version, NULL, 10) >= 78)
    {
      a->client_max = MTC_TLS_1_3;
      a->ability = MTC_CLIENT_ABILITY_READ;
      /* TRANSLATORS: "Thunderbird 128.5.0" as read from its profile */
      a->ability_source = g_strdup_printf (_("%s %s, as its profile states"), a->client_name,
                                           account->program_version);
    }
  else if (a->fact != NULL && g_strcmp0 (a->fact->tls_library, "gnutls") == 0 && a->user->this_computer
           && local_newest (a) != MTC_TLS_UNKNOWN)
    {
      a->client_max = local_newest (a);
      a->ability = MTC_CLIENT_ABILITY_READ;
      /* TRANSLATORS: %s is a mail program, e.g. "Evolution" */
      a->ability_source = g_strdup_printf (_("%s uses this computer’s TLS library, which offers the versions "
                                             "listed under “Checked from”"), a->client_name);
    }
  if (account->tls_version_max >= 1 && account->tls_version_max <= MTC_N_TLS_VERSIONS
      && a->client_max != MTC_TLS_UNKNOWN)
    a->client_max = MIN (a->client_max, (MtcTlsVersion) (account->tls_version_max - 1));
}

/* The knowledge base marks what the program can speak uncertain, or has
 * nothing on it; what was read from the program itself is not. */
gboolean
client_uncertain (const Analysis *a)
{
  if (a->ability == MTC_CLIENT_ABILITY_READ)
    return FALSE;
  return a->fact == NULL || a->fact->uncertain;
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
      if (a->user->account != NULL && g_strcmp0 (a->user->account->program, a->user->client_id) == 0)
        a->account = a->user->account;
    }
  a->ability = a->client_max != MTC_TLS_UNKNOWN ? MTC_CLIENT_ABILITY_ASSUMED : MTC_CLIENT_ABILITY_UNKNOWN;
  read_ability (a);
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
