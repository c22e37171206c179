/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the cells of one endpoint are decided from what its probes found:
 * one value per TLS version, each with the reason it got it, and the
 * endpoint's status and certificate (README.md, "How a check works"). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-judge.h"
#include "mtc-tls-probe.h"

static void
verify_certificate (const MtcJudgeInput *in,
                    MtcEndpointResult   *result,
                    GTlsCertificate     *certificate)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags errors;

  if (mtc_endpoint_is_ip_literal (in->endpoint))
    identity = G_SOCKET_CONNECTABLE (g_inet_socket_address_new_from_string (in->endpoint->host, in->endpoint->port));
  else
    identity = g_network_address_new (in->endpoint->host, in->endpoint->port);

  /* A certificate from an anchor's authority is judged by that anchor; any
   * other by the system's trust store. */
  errors = G_TLS_CERTIFICATE_UNKNOWN_CA;
  for (guint i = 0; in->anchors != NULL && i < in->anchors->len && (errors & G_TLS_CERTIFICATE_UNKNOWN_CA); i++)
    errors = g_tls_certificate_verify (certificate, identity, g_ptr_array_index (in->anchors, i));
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      GTlsDatabase *database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

      if (database != NULL)
        {
          errors = g_tls_database_verify_chain (database, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                                identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
          g_object_unref (database);
        }
    }
  result->certificate = mtc_cert_info_new_from_certificate (certificate, errors);
}

static gboolean
is_transient (MtcStatus status)
{
  return status == MTC_STATUS_TIMEOUT || status == MTC_STATUS_REFUSED || status == MTC_STATUS_UNREACHABLE
         || status == MTC_STATUS_BUSY || status == MTC_STATUS_DNS_ERROR;
}

/* The TLS 1.3 cell when no TLS 1.3 probe ran: the default handshake offered
 * TLS 1.3 among the others, and the server's choice answers for it. */
static void
decide_from_default (MtcEndpointResult     *result,
                     const MtcProbeOutcome *def)
{
  const MtcTlsProbeResult *tls = def->tls;
  const int v = MTC_TLS_1_3;

  if (tls != NULL && tls->handshake_done && tls->negotiated_version == MTC_TLS_1_3)
    {
      result->versions[v] = tls->result;
      result->version_details[v] = g_strdup (tls->detail);
      result->version_reasons[v] = g_strdup (tls->reason);
    }
  else if (tls != NULL && tls->handshake_done && tls->negotiated_version != MTC_TLS_UNKNOWN)
    {
      g_autofree char *picked = g_strdup_printf ("TLS %s", mtc_tls_version_to_string (tls->negotiated_version));

      result->versions[v] = MTC_VERSION_REJECTED;
      /* TRANSLATORS: the TLS version asked for, then the one the server chose (“TLS 1.2”) */
      result->version_details[v] = g_strdup_printf (_("The server does not speak %s: offered a choice, it picked "
                                                      "%s."), "TLS 1.3", picked);
      result->version_reasons[v] = g_strdup ("other-version");
    }
  else
    {
      result->versions[v] = MTC_VERSION_ERROR;
      result->version_details[v] = g_strdup (tls != NULL && tls->detail != NULL ? tls->detail
                                            : def->detail != NULL ? def->detail : def->negotiated_error);
      result->version_reasons[v] = g_strdup (tls != NULL ? tls->reason : "unreached");
    }
}

/* The newest version whose handshake completed in this run, whatever was
 * said inside TLS afterwards. */
static MtcTlsVersion
newest_completed (const MtcJudgeInput *in)
{
  MtcTlsVersion newest = MTC_TLS_UNKNOWN;

  for (int i = 0; i < MTC_N_PROBES; i++)
    {
      const MtcProbeOutcome *outcome = in->outcomes[i];

      if (outcome != NULL && outcome->tls != NULL && outcome->tls->handshake_done)
        newest = MAX (newest, outcome->tls->negotiated_version);
    }
  return newest;
}

static gboolean
is_bare_refusal (const char *reason)
{
  static const char * const refusals[] = { "closed", "reset", "handshake_failure", "insufficient_security", NULL };

  return reason != NULL && g_strv_contains (refusals, reason);
}

/* How the cells of one endpoint are decided together:
 *  - an old hello answered by a close, a reset, handshake_failure or
 *    insufficient_security is a refusal when a newer version's handshake
 *    completed in the same run (as Dovecot with OpenSSL 3 answers TLS 1.0);
 *    alone it may be anything, and stays an error;
 *  - a refusal inside TLS refuses that version only when another handshake
 *    was let in; when every one was turned away, it is the server turning
 *    everyone away (busy), not a verdict on a version. */
static void
judge_refusals (MtcEndpointResult   *result,
                const MtcJudgeInput *in)
{
  MtcTlsVersion newest = newest_completed (in);
  const MtcProbeOutcome *def = in->outcomes[MTC_DEFAULT_PROBE];
  gboolean let_in = def != NULL && def->tls != NULL && def->tls->result == MTC_VERSION_ACCEPTED
                    && def->tls->handshake_done;

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (result->versions[v] == MTC_VERSION_ACCEPTED)
      let_in = TRUE;

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      if (result->versions[v] == MTC_VERSION_ERROR && is_bare_refusal (result->version_reasons[v])
          && newest != MTC_TLS_UNKNOWN && newest > v)
        result->versions[v] = MTC_VERSION_REJECTED;
      else if (result->versions[v] == MTC_VERSION_REJECTED
               && g_strcmp0 (result->version_reasons[v], "refused-inside-tls") == 0 && !let_in)
        result->versions[v] = MTC_VERSION_ERROR;
    }
}

/* Why each cell got its value, for G_MESSAGES_DEBUG=mail-tls-check. */
static void
log_cells (const MtcJudgeInput     *in,
           const MtcEndpointResult *result)
{
  g_autofree char *url = NULL;

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    url = mtc_endpoint_to_ascii_url (in->endpoint);
  if (url == NULL)
    return;
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    g_debug ("prober: %s at %s: TLS %s %s (%s)%s%s", url, in->address ? in->address : "no address",
             mtc_tls_version_to_string (v), mtc_version_result_to_string (result->versions[v]),
             result->version_reasons[v] ? result->version_reasons[v] : "no reason",
             result->version_details[v] ? ": " : "", result->version_details[v] ? result->version_details[v] : "");
  g_debug ("prober: %s: %s%s%s", url, mtc_status_to_string (result->status), result->detail ? ": " : "",
           result->detail ? result->detail : "");
}

/**
 * mtc_judge_endpoint:
 *
 * Puts what the probes of one endpoint found together: a value for each
 * TLS version, each with how it was decided, the endpoint's status, the
 * negotiated version and the certificate, verified.
 *
 * Returns: (transfer full): the endpoint's result
 */
MtcEndpointResult *
mtc_judge_endpoint (const MtcJudgeInput *in)
{
  g_autoptr(MtcEndpointResult) result = mtc_endpoint_result_new (in->endpoint);
  MtcProbeOutcome *worst = NULL;
  MtcProbeOutcome *def = in->outcomes[MTC_DEFAULT_PROBE];
  gboolean any_tested = FALSE;
  gboolean all_rejected = TRUE;
  const char *first_error = NULL;
  gboolean any_probe_ok = FALSE;
  gint64 elapsed = 0;

  result->address = g_strdup (in->address);
  for (int i = 0; i < MTC_N_PROBES; i++)
    {
      MtcProbeOutcome *outcome = in->outcomes[i];

      if (outcome == NULL)
        continue;
      elapsed = MAX (elapsed, outcome->elapsed_ms);
      any_probe_ok |= outcome->status == MTC_STATUS_OK && outcome->tls != NULL
                      && outcome->tls->result == MTC_VERSION_ACCEPTED;
      if (outcome->status != MTC_STATUS_OK
          && (worst == NULL || mtc_status_rank (outcome->status) > mtc_status_rank (worst->status)))
        worst = outcome;
    }

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      MtcProbeOutcome *outcome = in->outcomes[v];

      if (!in->versions_available[v])
        {
          result->versions[v] = MTC_VERSION_NOT_TESTED;
          /* TRANSLATORS: %s is a TLS version number, such as 1.0 */
          result->version_details[v] = g_strdup_printf (_("This computer’s TLS library does not offer TLS %s, so "
                                                          "it cannot test it."), mtc_tls_version_to_string (v));
          result->version_reasons[v] = g_strdup ("not-offered-locally");
          continue;
        }
      if (outcome == NULL && v == MTC_TLS_1_3 && def != NULL)
        decide_from_default (result, def);
      else if (outcome == NULL)
        {
          result->version_reasons[v] = g_strdup ("unreached");
          continue;
        }
      else if (outcome->tls != NULL)
        {
          result->versions[v] = outcome->tls->result;
          result->version_details[v] = g_strdup (outcome->tls->detail);
          result->version_reasons[v] = g_strdup (outcome->tls->reason);
        }
      else
        {
          result->versions[v] = MTC_VERSION_ERROR;
          result->version_details[v] = g_strdup (outcome->detail ? outcome->detail : outcome->negotiated_error);
          result->version_reasons[v] = g_strdup ("unreached");
        }
    }
  judge_refusals (result, in);

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      if (!in->versions_available[v]
          || (in->outcomes[v] == NULL && !(v == MTC_TLS_1_3 && def != NULL)))
        continue;
      if (result->versions[v] != MTC_VERSION_NOT_TESTED)
        any_tested = TRUE;
      if (result->versions[v] != MTC_VERSION_REJECTED)
        all_rejected = FALSE;
      if (result->versions[v] == MTC_VERSION_ERROR && first_error == NULL)
        first_error = result->version_details[v];
    }

  /* A transient failure of one probe (turned away, a timeout) says nothing
   * against a sibling that got through and was served; when every probe
   * that got through met it (a web server answering 503 to each), it is
   * what the endpoint does. */
  if (worst != NULL
      && !(is_transient (worst->status) && any_probe_ok && mtc_endpoint_result_any_accepted (result)))
    {
      result->status = worst->status;
      result->detail = g_strdup (worst->detail);
      result->server_words = g_strdup (worst->server_words);
    }
  else if (!mtc_endpoint_result_any_accepted (result))
    {
      result->status = MTC_STATUS_TLS_ERROR;
      if (!any_tested)
        result->detail = g_strdup (_("This computer could not test any TLS version."));
      else if (all_rejected)
        result->detail = g_strdup (_("The server refused every TLS version this computer offered."));
      else
        result->detail = g_strdup (first_error);
    }

  /* The capabilities before and inside TLS are the same whatever the
   * version; one probe that saw a login offered is enough. */
  for (int i = 0; i < MTC_N_PROBES; i++)
    {
      const MtcProbeOutcome *outcome = in->outcomes[i];

      if (outcome != NULL && outcome->tls != NULL && outcome->tls->login != MTC_LOGIN_UNKNOWN
          && result->login != MTC_LOGIN_OFFERED)
        result->login = outcome->tls->login;
      if (outcome != NULL && outcome->login_without_tls != MTC_LOGIN_UNKNOWN
          && result->login_without_tls != MTC_LOGIN_OFFERED)
        result->login_without_tls = outcome->login_without_tls;
    }

  if (def != NULL && def->reached_tls && def->negotiated_error == NULL && def->status == MTC_STATUS_OK)
    {
      result->negotiated_version = def->negotiated_version;
      result->negotiated_cipher = g_strdup (def->negotiated_cipher);
    }
  else if (def != NULL)
    result->negotiated_error = g_strdup (def->negotiated_error ? def->negotiated_error : def->detail);

  if (def != NULL && def->peer_certificate != NULL)
    verify_certificate (in, result, def->peer_certificate);
  else
    for (int v = MTC_N_TLS_VERSIONS - 1; v >= 0 && result->certificate == NULL; v--)
      {
        MtcProbeOutcome *outcome = in->outcomes[v];

        if (outcome != NULL && outcome->tls != NULL && outcome->tls->chain != NULL && outcome->tls->chain->len > 0)
          {
            g_autoptr(GTlsCertificate) certificate = mtc_tls_certificate_from_chain (outcome->tls->chain, NULL);
            if (certificate != NULL)
              verify_certificate (in, result, certificate);
          }
      }

  result->elapsed_ms = MAX (elapsed, (g_get_monotonic_time () - in->start_us) / 1000);
  log_cells (in, result);
  return g_steal_pointer (&result);
}
