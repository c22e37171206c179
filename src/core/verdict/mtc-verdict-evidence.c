/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-verdict-private.h"

/* The evidence for the verdicts that name a cause between this computer and
 * the servers: a wrong clock, a certificate not the provider's, STARTTLS
 * injected into or stripped from the conversation. */

/* A clock before this year cannot be right: the program did not exist. */
#define EARLIEST_PLAUSIBLE_YEAR 2025
/* Every certificate expired longer ago than this: the clock is ahead, not the
 * provider asleep. */
#define EXPIRED_LONG_AGO (G_TIME_SPAN_DAY * 365)

/* Returns the certificate whose dates show this computer's clock is off. */
const MtcCertInfo *
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
const MtcEndpointResult *
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

gboolean
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
char *
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
gboolean
stripping_evidence (const Analysis *a)
{
  gboolean any_stripped = FALSE;

  for (guint i = 0; i < a->diagnosis->results->len && !any_stripped; i++)
    any_stripped = stripped (a, g_ptr_array_index (a->diagnosis->results, i));
  return any_stripped && implicit_works (a);
}
