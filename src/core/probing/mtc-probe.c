/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One probe: one connection, the plaintext dialogue up to STARTTLS, one
 * handshake (GnuTLS limited to one version, mtc-tls-probe.c, or GIO's
 * default), one exchange inside TLS and the farewell.
 *
 * Longer than 800 lines: these are the stages of one state machine on one
 * ProbeState, each callback starting the next; read from
 * mtc_probe_async() at the bottom upwards. */
#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>

#include "mtc-numbers.h"
#include "mtc-deadline.h"
#include "mtc-dialogue.h"
#include "mtc-probe.h"

#define READ_CHUNK 4096

typedef enum {
  STAGE_CONNECT,
  STAGE_GREETING,
  STAGE_EHLO,
  STAGE_CAPABILITY,
  STAGE_STARTTLS,
  STAGE_TLS,
  STAGE_FAREWELL,
} Stage;

typedef struct {
  MtcEndpoint *endpoint;
  GInetSocketAddress *address;
  MtcProbeKind kind;
  MtcTlsVersion version;
  guint timeout_ms;
  MtcDeadline *deadline;           /* the probe's cancellable: the caller's or the time cancels it */
  GCancellable *cancellable;       /* the deadline's */
  gint64 start_us;
  Stage stage;
  GSocketClient *client;
  GSocketConnection *connection;
  GIOStream *tls_connection;
  MtcLineBuffer *lines;
  MtcReply *reply;
  guint8 buffer[READ_CHUNK];
  char *command;                   /* the command being written */
  MtcInsideTls *inside;            /* MTC_PROBE_DEFAULT: the conversation inside TLS */
  gint64 inside_start_us;
  MtcProbeOutcome *outcome;
} ProbeState;

static void read_more (GTask *task);
static void begin_dialogue (GTask *task);
static char *ehlo_command (ProbeState *state);

void
mtc_probe_outcome_free (MtcProbeOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->detail);
  g_free (outcome->server_words);
  mtc_tls_probe_result_free (outcome->tls);
  g_free (outcome->negotiated_cipher);
  g_free (outcome->negotiated_error);
  g_clear_object (&outcome->peer_certificate);
  g_free (outcome);
}

static const char *
farewell_for (MtcProtocol protocol)
{
  switch (protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return "QUIT\r\n";
    case MTC_PROTOCOL_IMAP:
      return "a9 LOGOUT\r\n";
    case MTC_PROTOCOL_POP3:
      return "QUIT\r\n";
    case MTC_PROTOCOL_HTTPS:
    default:
      return NULL;
    }
}

/* Whether the probe ran out of time. */
static gboolean
timed_out (ProbeState *state)
{
  return mtc_deadline_expired (state->deadline);
}

static void
probe_state_free (ProbeState *state)
{
  mtc_inside_tls_free (state->inside);
  g_clear_pointer (&state->deadline, mtc_deadline_free);
  if (state->connection != NULL)
    g_io_stream_close (G_IO_STREAM (state->connection), NULL, NULL);
  g_clear_object (&state->tls_connection);
  g_clear_object (&state->connection);
  g_clear_object (&state->client);
  g_clear_object (&state->address);
  mtc_endpoint_free (state->endpoint);
  mtc_line_buffer_free (state->lines);
  mtc_reply_free (state->reply);
  g_free (state->command);
  mtc_probe_outcome_free (state->outcome);
  g_free (state);
}

static void
send_plain_farewell (ProbeState *state)
{
  const char *farewell = farewell_for (state->endpoint->protocol);
  GSocket *socket;

  if (state->connection == NULL || farewell == NULL || state->stage < STAGE_EHLO || state->stage > STAGE_STARTTLS)
    return;
  socket = g_socket_connection_get_socket (state->connection);
  /* Non-blocking and small: either the kernel takes it at once or not at all. */
  g_socket_send_with_blocking (socket, farewell, strlen (farewell), FALSE, NULL, NULL);
}

static void
complete (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);

  state->outcome->elapsed_ms = (g_get_monotonic_time () - state->start_us) / 1000;
  mtc_deadline_stop (state->deadline);
  g_task_return_pointer (task, g_steal_pointer (&state->outcome), (GDestroyNotify) mtc_probe_outcome_free);
  g_object_unref (task);
}

static void
fail (GTask      *task,
      MtcStatus   status,
      const char *words,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
fail (GTask      *task,
      MtcStatus   status,
      const char *words,
      const char *format,
      ...)
{
  ProbeState *state = g_task_get_task_data (task);
  va_list args;

  state->outcome->status = status;
  va_start (args, format);
  state->outcome->detail = g_strdup_vprintf (format, args);
  va_end (args);
  state->outcome->server_words = g_strdup (words);
  if (status != MTC_STATUS_BUSY && status != MTC_STATUS_INJECTION)
    send_plain_farewell (state);
  complete (task);
}

/* Where in the conversation something happened, to complete sentences such
 * as "The server hung up %s." */
static const char *
stage_description (Stage stage)
{
  switch (stage)
    {
    case STAGE_CONNECT:
      /* TRANSLATORS: completes "The server hung up %s." and "The server stopped answering %s (…)." */
      return _("while connecting");
    case STAGE_GREETING:
      return _("before it greeted");
    case STAGE_EHLO:
    case STAGE_CAPABILITY:
      return _("when asked what it supports");
    case STAGE_STARTTLS:
      return _("when asked to start encryption");
    case STAGE_TLS:
    case STAGE_FAREWELL:
    default:
      return _("during the encryption handshake");
    }
}

/* Handles an error of the current step; returns TRUE when the task ended. */
static gboolean
handle_error (GTask  *task,
              GError *error)
{
  ProbeState *state = g_task_get_task_data (task);
  double seconds = state->timeout_ms / 1000.0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (timed_out (state))
        {
          g_autofree char *waited = mtc_seconds_describe (seconds);

          if (state->stage == STAGE_CONNECT)
            fail (task, MTC_STATUS_TIMEOUT, NULL,
                  /* TRANSLATORS: %s is a length of time, “10 seconds” */
                  _("No answer within %s when connecting: something between this computer and the server "
                    "drops the connection."), waited);
          else if (state->stage == STAGE_GREETING)
            fail (task, MTC_STATUS_TIMEOUT, NULL,
                  /* TRANSLATORS: %s is a length of time, “10 seconds” */
                  _("The server accepted the connection but sent no greeting within %s: it may not be a "
                    "mail server, or it is overloaded."), waited);
          else
            /* TRANSLATORS: the first %s is what it was doing ("during the STARTTLS dialogue"), the
             * second a length of time, "10 seconds" */
            fail (task, MTC_STATUS_TIMEOUT, NULL, _("The server stopped answering %s (waited %s)."),
                  stage_description (state->stage), waited);
          return TRUE;
        }
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return TRUE;
    }

  /* Accepted and reset before this side saw its connect complete (on a
   * fast path such as loopback, where the server may run first): the same
   * as a reset right after connecting, not as a refusal to connect. */
  if (state->stage == STAGE_CONNECT && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      if (state->endpoint->security == MTC_SECURITY_IMPLICIT)
        {
          /* TRANSLATORS: %s says when: “while connecting”, “before it greeted” … */
          fail (task, MTC_STATUS_TLS_ERROR, NULL, _("The server hung up %s."), stage_description (STAGE_TLS));
          return TRUE;
        }
      state->stage = STAGE_GREETING;
    }
  if (state->stage == STAGE_CONNECT)
    {
      /* A reset while connecting (CONNECTION_CLOSED) is a refusal too: the
       * server or a firewall took the connection and threw it back at once. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        fail (task, MTC_STATUS_REFUSED, NULL, _("The server refused the connection on port %u: nothing listens "
                                                "there, or a firewall rejects it."), state->endpoint->port);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
               || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
        /* TRANSLATORS: %s is the system's message */
        fail (task, MTC_STATUS_UNREACHABLE, NULL, _("The server cannot be reached from this computer: %s."),
              error->message);
      else
        /* TRANSLATORS: %s is the system's message */
        fail (task, MTC_STATUS_UNREACHABLE, NULL, _("Connecting failed: %s."), error->message);
      return TRUE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    {
      state->outcome->hung_up_early = state->stage == STAGE_GREETING;
      if (state->stage == STAGE_GREETING)
        fail (task, MTC_STATUS_REFUSED, NULL,
              _("The server accepted the connection and closed it at once, without a greeting."));
      else
        /* TRANSLATORS: %s says when: “while connecting”, “before it greeted” … */
        fail (task, MTC_STATUS_BUSY, NULL, _("The server hung up %s."), stage_description (state->stage));
      return TRUE;
    }
  /* TRANSLATORS: the first %s says when (“while connecting” …), the second is the system's message */
  fail (task, MTC_STATUS_BUSY, NULL, _("The connection broke %s: %s."), stage_description (state->stage),
        error->message);
  return TRUE;
}

static void
tls_done (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);

  /* The status stays what the conversation inside TLS found (OK unless
   * the server said otherwise). */
  state->outcome->reached_tls = TRUE;
  complete (task);
}

/* Whether a plaintext line where the TLS answer belongs is a server's
 * "too many connections" greeting. */
static gboolean
plaintext_says_too_many (MtcProtocol  protocol,
                         const char  *words)
{
  g_autoptr(MtcReply) reply = NULL;

  if (words == NULL || protocol == MTC_PROTOCOL_HTTPS)
    return FALSE;
  reply = mtc_reply_new (protocol, NULL, FALSE);
  return mtc_reply_feed_line (reply, words) == MTC_REPLY_DONE && mtc_reply_says_too_many_connections (reply);
}

static void
tls_probe_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MtcTlsProbeResult *tls = mtc_tls_probe_finish (result, &error);

  if (tls != NULL && !timed_out (state) && g_cancellable_is_cancelled (state->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");

      mtc_tls_probe_result_free (tls);
      handle_error (task, cancelled);
      return;
    }
  if (tls == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          fail (task, MTC_STATUS_TLS_ERROR, NULL, "%s", error->message);
          return;
        }
      if (!timed_out (state))
        {
          handle_error (task, error);
          return;
        }
      tls = g_new0 (MtcTlsProbeResult, 1);
      tls->result = MTC_VERSION_ERROR;
      tls->timed_out = TRUE;
      tls->reason = g_strdup ("timeout");
      tls->negotiated_version = MTC_TLS_UNKNOWN;
      tls->detail = mtc_tls_probe_describe_timeout (state->timeout_ms);
    }
  state->outcome->tls = tls;
  /* After the STARTTLS OK only TLS may come: a protocol line there, even one
   * that arrived a moment after the OK, is injected. */
  if (tls->plaintext_reply && state->endpoint->security == MTC_SECURITY_STARTTLS)
    {
      state->outcome->status = MTC_STATUS_INJECTION;
      state->outcome->detail = g_strdup (_("Extra data arrived right after the server agreed to encrypt. Something "
                                           "on the way may be tampering with the connection, so the check stopped "
                                           "there."));
      state->outcome->server_words = g_strdup (tls->plaintext_words);
      state->outcome->reached_tls = TRUE;
      complete (task);
      return;
    }
  if (tls->plaintext_reply && state->endpoint->security == MTC_SECURITY_IMPLICIT
      && plaintext_says_too_many (state->endpoint->protocol, tls->plaintext_words))
    {
      /* Exim, for one, says "421 Too many concurrent SMTP connections" in
       * plain text on its implicit-TLS port before any TLS: one too many. */
      state->outcome->status = MTC_STATUS_BUSY;
      state->outcome->turned_away = TRUE;
      /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
      state->outcome->detail = g_strdup_printf (_("The server turned the connection away: “%s”."),
                                                tls->plaintext_words);
      state->outcome->server_words = g_strdup (tls->plaintext_words);
      complete (task);
      return;
    }
  if (tls->plaintext_reply && state->endpoint->security == MTC_SECURITY_IMPLICIT)
    {
      state->outcome->status = MTC_STATUS_NOT_TLS;
      /* TRANSLATORS: %u is a port number; %s is what the server said, quoted as it is (often English) */
      state->outcome->detail = g_strdup_printf (_("Port %u should be encrypted from the start, but the server "
                                                  "talks unencrypted there: “%s”."),
                                                state->endpoint->port, tls->plaintext_words);
      state->outcome->server_words = g_strdup (tls->plaintext_words);
      state->outcome->reached_tls = TRUE;
      complete (task);
      return;
    }
  if (tls->timed_out)
    {
      state->outcome->status = MTC_STATUS_TIMEOUT;
      state->outcome->detail = g_strdup (tls->detail);
      state->outcome->reached_tls = TRUE;
      complete (task);
      return;
    }
  /* What the server said inside TLS counts as it would in plaintext. */
  if (tls->status != MTC_STATUS_OK)
    {
      state->outcome->status = tls->status;
      state->outcome->detail = g_strdup (tls->status_detail);
      state->outcome->server_words = g_strdup (tls->server_words);
    }
  tls_done (task);
}

static gboolean
accept_certificate_cb (GTlsConnection      *connection,
                       GTlsCertificate     *peer_cert,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  /* The diagnosis verifies the certificate itself and reports every flag;
   * nothing but the farewell is ever sent over this connection. */
  return TRUE;
}

static void
farewell_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  tls_done (task);
}

static void
farewell_written_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (state->tls_connection, G_PRIORITY_DEFAULT, NULL, farewell_closed_cb, task);
}

static MtcTlsVersion
from_gio_version (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return MTC_TLS_1_0;
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return MTC_TLS_1_1;
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return MTC_TLS_1_2;
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return MTC_TLS_1_3;
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    default:
      return MTC_TLS_UNKNOWN;
    }
}

/* How long a greeting or reply inside TLS may take: the rest of the
 * timeout, which also ends the wait of the default handshake's reply. A web
 * server on an implicit-TLS mail port waits silently for a request, but so
 * does a mail server that first looks up the client's name or pauses before
 * greeting on purpose; only the whole timeout tells them apart without
 * calling a working mail server "not a mail server". */
static guint
reply_wait_ms (ProbeState *state)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - state->start_us) / 1000;

  return elapsed_ms < state->timeout_ms ? state->timeout_ms - elapsed_ms : 1;
}

static void inside_read_more (GTask *task);

/* The default handshake's conversation inside TLS ended: judge it as the
 * version probes do, then QUIT/LOGOUT and close_notify. */
static void
inside_done (GTask          *task,
             MtcInsideState  end)
{
  ProbeState *state = g_task_get_task_data (task);
  MtcTlsProbeResult *tls = state->outcome->tls;
  const char *farewell = farewell_for (state->endpoint->protocol);

  if (end != MTC_INSIDE_WAITING)
    mtc_inside_tls_end (state->inside, end);
  mtc_tls_probe_judge_inside (tls, state->inside, state->endpoint->port, tls->negotiated_version,
                              (g_get_monotonic_time () - state->inside_start_us) / 1000);
  if (tls->status != MTC_STATUS_OK)
    {
      state->outcome->status = tls->status;
      state->outcome->detail = g_strdup (tls->status_detail);
      state->outcome->server_words = g_strdup (tls->server_words);
    }
  if (tls->result != MTC_VERSION_ACCEPTED && tls->detail != NULL)
    state->outcome->negotiated_error = g_strdup (tls->detail);

  state->stage = STAGE_FAREWELL;
  if (end == MTC_INSIDE_CLOSED)
    tls_done (task);
  else if (farewell != NULL)
    g_output_stream_write_all_async (g_io_stream_get_output_stream (state->tls_connection), farewell,
                                     strlen (farewell), G_PRIORITY_DEFAULT, NULL, farewell_written_cb, task);
  else
    g_io_stream_close_async (state->tls_connection, G_PRIORITY_DEFAULT, NULL, farewell_closed_cb, task);
}

static void
inside_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!timed_out (state))
        handle_error (task, error);
      else
        inside_done (task, MTC_INSIDE_SILENT);
      return;
    }
  if (n <= 0)
    {
      inside_done (task, MTC_INSIDE_CLOSED);
      return;
    }
  if (mtc_inside_tls_feed (state->inside, state->buffer, n) != MTC_INSIDE_WAITING)
    inside_done (task, MTC_INSIDE_WAITING);
  else
    inside_read_more (task);
}

static void
inside_read_more (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);

  g_input_stream_read_async (g_io_stream_get_input_stream (state->tls_connection), state->buffer,
                             sizeof state->buffer, G_PRIORITY_DEFAULT,
                             state->cancellable, inside_read_cb, task);
}

static void
inside_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out (state))
        handle_error (task, error);
      else
        inside_done (task, timed_out (state) ? MTC_INSIDE_SILENT : MTC_INSIDE_CLOSED);
      return;
    }
  inside_read_more (task);
}

static void
start_inside (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);
  g_autofree char *ehlo = NULL;

  if (state->endpoint->protocol == MTC_PROTOCOL_SMTP)
    ehlo = ehlo_command (state);
  state->inside = mtc_inside_tls_new (state->endpoint->protocol, state->endpoint->security, state->endpoint->host,
                                      ehlo);
  state->inside_start_us = g_get_monotonic_time ();

  if (state->inside->request != NULL)
    g_output_stream_write_all_async (g_io_stream_get_output_stream (state->tls_connection), state->inside->request,
                                     strlen (state->inside->request), G_PRIORITY_DEFAULT,
                                     state->cancellable, inside_written_cb, task);
  else
    inside_read_more (task);
}

/* The alert that ended a failed default handshake, or -1: GIO words it as
 * "…: " and GnuTLS's name of the alert (in this process's language). */
static int
gio_error_alert (const GError *error)
{
  for (int alert = 0; alert < 256; alert++)
    {
      const char *name = gnutls_alert_get_name (alert);
      gsize len = name != NULL ? strlen (name) : 0;
      gsize message_len = strlen (error->message);

      if (len > 0 && message_len > len + 2 && g_str_has_suffix (error->message, name)
          && strncmp (error->message + message_len - len - 2, ": ", 2) == 0)
        return alert;
    }
  return -1;
}

/* How a failed default handshake ended, machine-readable, where GIO says
 * (it does not tell a close from bytes that are not TLS). */
static const char *
gio_error_reason (const GError *error)
{
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    return "closed";
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_INAPPROPRIATE_FALLBACK))
    return "inappropriate_fallback";
  return NULL;
}

static void
gio_handshake_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);
  GTlsConnection *tls = G_TLS_CONNECTION (source);
  g_autoptr(GError) error = NULL;
  MtcTlsProbeResult *probe;

  probe = state->outcome->tls = g_new0 (MtcTlsProbeResult, 1);
  probe->negotiated_version = MTC_TLS_UNKNOWN;
  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (!timed_out (state))
            {
              handle_error (task, error);
              return;
            }
          state->outcome->negotiated_error = mtc_tls_probe_describe_timeout (state->timeout_ms);
          probe->timed_out = TRUE;
          probe->reason = g_strdup ("timeout");
        }
      else if (gio_error_alert (error) >= 0)
        {
          /* Words instead of GnuTLS's name of the alert. */
          probe->reason = mtc_tls_alert_reason (gio_error_alert (error));
          state->outcome->negotiated_error = mtc_tls_alert_describe (gio_error_alert (error), MTC_TLS_UNKNOWN);
        }
      else
        {
          state->outcome->negotiated_error = g_strdup (error->message);
          probe->reason = g_strdup (gio_error_reason (error));
          /* Plain text where TLS belongs on an implicit-TLS port: GIO keeps
           * the words; the version probes read them. When other probes to
           * the port are open this may be a connection-limit greeting. */
          if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS)
              && state->endpoint->security == MTC_SECURITY_IMPLICIT)
            state->outcome->hung_up_early = TRUE;
        }
      probe->result = MTC_VERSION_ERROR;
      probe->detail = g_strdup (state->outcome->negotiated_error);
      tls_done (task);
      return;
    }

  state->outcome->negotiated_version = from_gio_version (g_tls_connection_get_protocol_version (tls));
  state->outcome->negotiated_cipher = g_tls_connection_get_ciphersuite_name (tls);
  state->outcome->peer_certificate = g_tls_connection_get_peer_certificate (tls);
  if (state->outcome->peer_certificate != NULL)
    g_object_ref (state->outcome->peer_certificate);
  probe->handshake_done = TRUE;
  probe->result = MTC_VERSION_ACCEPTED;
  probe->reason = g_strdup ("handshake-done");
  probe->negotiated_version = state->outcome->negotiated_version;
  probe->cipher = g_strdup (state->outcome->negotiated_cipher);

  start_inside (task);
}

static void
start_tls (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);

  state->stage = STAGE_TLS;
  if (state->kind == MTC_PROBE_VERSION)
    {
      g_autofree char *ehlo = state->endpoint->protocol == MTC_PROTOCOL_SMTP ? ehlo_command (state) : NULL;

      mtc_tls_probe_async (g_socket_connection_get_socket (state->connection), state->endpoint, state->version,
                           ehlo, farewell_for (state->endpoint->protocol), reply_wait_ms (state),
                           state->cancellable, tls_probe_done_cb, task);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketConnectable) identity = NULL;

      /* RFC 6066 3: no address literal as server name. GIO sends the host
       * name of a GNetworkAddress, even when it is an address; an address
       * as identity still lets it compare the certificate. */
      if (g_hostname_is_ip_address (state->endpoint->host))
        identity = G_SOCKET_CONNECTABLE (g_inet_socket_address_new_from_string (state->endpoint->host,
                                                                                state->endpoint->port));
      else
        identity = g_network_address_new (state->endpoint->host, state->endpoint->port);
      /* The prober verifies the certificate once per endpoint. Built with
       * no database from the start: g_tls_client_connection_new() would
       * have the connection load the whole system trust store first, some
       * 15 ms of this computer's time for every endpoint. */
      state->tls_connection = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                                              NULL, &error,
                                              "base-io-stream", state->connection,
                                              "server-identity", identity,
                                              "database", NULL,
                                              NULL);
      if (state->tls_connection == NULL)
        {
          state->outcome->negotiated_error = g_strdup (error->message);
          tls_done (task);
          return;
        }
      g_signal_connect (state->tls_connection, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (state->tls_connection), G_PRIORITY_DEFAULT,
                                        state->cancellable, gio_handshake_cb, task);
    }
}

static void
command_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      handle_error (task, error);
      return;
    }
  read_more (task);
}

static void
send_command (GTask      *task,
              Stage       next_stage,
              const char *command,
              const char *imap_tag,
              gboolean    multiline)
{
  ProbeState *state = g_task_get_task_data (task);

  state->stage = next_stage;
  mtc_reply_free (state->reply);
  state->reply = mtc_reply_new (state->endpoint->protocol, imap_tag, multiline);
  g_free (state->command);
  state->command = g_strdup (command);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (state->connection)),
                                   state->command, strlen (state->command), G_PRIORITY_DEFAULT,
                                   state->cancellable, command_written_cb, task);
}

static char *
ehlo_command (ProbeState *state)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (state->connection, NULL);
  g_autofree char *address = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("EHLO [127.0.0.1]\r\n");
  address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  /* RFC 5321 4.1.3: an address literal, as this computer has no name the server could check. */
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("EHLO [IPv6:%s]\r\n", address);
  return g_strdup_printf ("EHLO [%s]\r\n", address);
}

static gboolean
bytes_after_starttls (ProbeState *state)
{
  GSocket *socket = g_socket_connection_get_socket (state->connection);
  char byte;

  if (mtc_line_buffer_get_pending (state->lines) > 0)
    return TRUE;
  /* Anything already waiting was sent before our TLS hello: injected. */
  return g_socket_receive_with_blocking (socket, &byte, 1, FALSE, NULL, NULL) > 0;
}

static void
handle_starttls_reply (GTask    *task,
                       MtcReply *reply,
                       const char *words)
{
  ProbeState *state = g_task_get_task_data (task);

  if (reply->kind == MTC_REPLY_BYE)
    /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
    fail (task, MTC_STATUS_BUSY, words, _("The server ended the conversation: “%s”."), words);
  else if (reply->kind != MTC_REPLY_POSITIVE
           || (state->endpoint->protocol == MTC_PROTOCOL_SMTP && reply->code != 220))
    fail (task, MTC_STATUS_NO_STARTTLS, words,
          /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
          _("The server offers encryption but refused to start it: “%s”."), words);
  else if (bytes_after_starttls (state))
    fail (task, MTC_STATUS_INJECTION, words,
          _("Extra data arrived right after the server agreed to encrypt. Something on the way may be tampering "
            "with the connection, so the check stopped there."));
  else
    start_tls (task);
}

static void
handle_reply (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);
  MtcReply *reply = state->reply;
  MtcProtocol protocol = state->endpoint->protocol;
  g_autofree char *words = mtc_reply_get_words (reply);

  switch (state->stage)
    {
    case STAGE_GREETING:
      if (reply->kind == MTC_REPLY_PREAUTH)
        fail (task, MTC_STATUS_PREAUTH, words,
              /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
              _("The server logged this connection in before any encryption (IMAP PREAUTH): “%s”."), words);
      else if (reply->kind == MTC_REPLY_BYE || reply->kind == MTC_REPLY_NEGATIVE)
        {
          state->outcome->turned_away = mtc_reply_says_too_many_connections (reply);
          /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
          fail (task, MTC_STATUS_BUSY, words, _("The server turned the connection away: “%s”."), words);
        }
      else if (protocol == MTC_PROTOCOL_SMTP)
        {
          g_autofree char *ehlo = ehlo_command (state);
          send_command (task, STAGE_EHLO, ehlo, NULL, FALSE);
        }
      else if (protocol == MTC_PROTOCOL_IMAP)
        {
          state->outcome->login_without_tls = mtc_reply_login_offered (reply);
          if (!mtc_reply_has_imap_capabilities (reply))
            send_command (task, STAGE_CAPABILITY, "a1 CAPABILITY\r\n", "a1", FALSE);
          else if (mtc_reply_has_capability (reply, "STARTTLS"))
            send_command (task, STAGE_STARTTLS, "a2 STARTTLS\r\n", "a2", FALSE);
          else
            fail (task, MTC_STATUS_NO_STARTTLS, words,
                  _("The server does not offer encryption (STARTTLS) on this port."));
        }
      else
        send_command (task, STAGE_CAPABILITY, "CAPA\r\n", NULL, TRUE);
      break;

    case STAGE_EHLO:
      if (reply->kind == MTC_REPLY_BYE)
        /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
        fail (task, MTC_STATUS_BUSY, words, _("The server ended the conversation: “%s”."), words);
      else if (reply->kind != MTC_REPLY_POSITIVE)
        /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
        fail (task, MTC_STATUS_NO_STARTTLS, words, _("The server refused the greeting EHLO: “%s”."), words);
      else
        {
          state->outcome->login_without_tls = mtc_reply_login_offered (reply);
          if (mtc_reply_has_capability (reply, "STARTTLS"))
            send_command (task, STAGE_STARTTLS, "STARTTLS\r\n", NULL, FALSE);
          else
            fail (task, MTC_STATUS_NO_STARTTLS, words,
                  _("The server does not offer encryption (STARTTLS) on this port."));
        }
      break;

    case STAGE_CAPABILITY:
      if (reply->kind == MTC_REPLY_POSITIVE)
        state->outcome->login_without_tls = mtc_reply_login_offered (reply);
      if (reply->kind == MTC_REPLY_BYE)
        /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
        fail (task, MTC_STATUS_BUSY, words, _("The server ended the conversation: “%s”."), words);
      else if (protocol == MTC_PROTOCOL_IMAP)
        {
          if (reply->kind == MTC_REPLY_POSITIVE && mtc_reply_has_capability (reply, "STARTTLS"))
            send_command (task, STAGE_STARTTLS, "a2 STARTTLS\r\n", "a2", FALSE);
          else
            fail (task, MTC_STATUS_NO_STARTTLS, words,
                  _("The server does not offer encryption (STARTTLS) on this port."));
        }
      else if (reply->kind != MTC_REPLY_POSITIVE || mtc_reply_has_capability (reply, "STLS"))
        /* A POP3 server without CAPA may still know STLS: ask directly. */
        send_command (task, STAGE_STARTTLS, "STLS\r\n", NULL, FALSE);
      else
        fail (task, MTC_STATUS_NO_STARTTLS, words,
              _("The server does not offer encryption (STLS) on this port."));
      break;

    case STAGE_STARTTLS:
      handle_starttls_reply (task, reply, words);
      break;

    case STAGE_CONNECT:
    case STAGE_TLS:
    case STAGE_FAREWELL:
    default:
      g_assert_not_reached ();
    }
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  g_autofree char *words = NULL;

  if (n < 0)
    {
      handle_error (task, error);
      return;
    }
  if (n == 0)
    {
      g_autoptr(GError) closed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "closed");
      g_autofree char *partial = mtc_reply_get_words (state->reply);

      if (state->reply->lines->len > 0 && state->reply->state == MTC_REPLY_INCOMPLETE)
        {
          /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
          fail (task, MTC_STATUS_BUSY, partial, _("The server hung up in the middle of a reply: “%s”."), partial);
          return;
        }
      handle_error (task, closed);
      return;
    }

  mtc_line_buffer_append (state->lines, state->buffer, n);
  switch (mtc_reply_feed (state->reply, state->lines))
    {
    case MTC_REPLY_INCOMPLETE:
      read_more (task);
      break;
    case MTC_REPLY_DONE:
      handle_reply (task);
      break;
    case MTC_REPLY_TOO_LONG:
      {
        g_autofree char *detail = mtc_tls_probe_describe_too_long ();

        fail (task, MTC_STATUS_NOT_MAIL_SERVER, NULL, "%s", detail);
      }
      break;
    case MTC_REPLY_MALFORMED:
    default:
      {
        gsize len;
        const guint8 *rest = mtc_line_buffer_peek (state->lines, &len);

        words = state->reply->lines->len > 0 ? mtc_reply_get_words (state->reply)
                                             : mtc_quote_text ((const char *) rest, len, 120);
        if (state->stage == STAGE_GREETING)
          fail (task, MTC_STATUS_NOT_MAIL_SERVER, words,
                /* TRANSLATORS: %u is a port number; %s is what the server said, quoted as it is (often
                 * English) */
                _("Something other than a mail server answers on port %u: “%s”."), state->endpoint->port, words);
        else
          fail (task, MTC_STATUS_NOT_MAIL_SERVER, words,
                /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
                _("The server’s reply does not follow the mail protocol: “%s”."), words);
      }
      break;
    }
}

static void
read_more (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);

  /* A complete reply may already be buffered (a server that sends ahead). */
  if (state->reply->state == MTC_REPLY_INCOMPLETE && mtc_line_buffer_get_pending (state->lines) > 0
      && mtc_reply_feed (state->reply, state->lines) != MTC_REPLY_INCOMPLETE)
    {
      if (state->reply->state == MTC_REPLY_DONE)
        handle_reply (task);
      else
        fail (task, MTC_STATUS_NOT_MAIL_SERVER, NULL, _("The server’s reply does not follow the mail protocol."));
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (state->connection)),
                             state->buffer, sizeof state->buffer, G_PRIORITY_DEFAULT, state->cancellable,
                             read_cb, task);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ProbeState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  state->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (state->connection == NULL)
    {
      handle_error (task, error);
      return;
    }
  begin_dialogue (task);
}

/* The connection is open: the conversation starts. */
static void
begin_dialogue (GTask *task)
{
  ProbeState *state = g_task_get_task_data (task);

  g_socket_set_option (g_socket_connection_get_socket (state->connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  if (state->endpoint->security == MTC_SECURITY_IMPLICIT)
    {
      start_tls (task);
      return;
    }
  state->stage = STAGE_GREETING;
  state->reply = mtc_reply_new (state->endpoint->protocol, NULL, FALSE);
  read_more (task);
}

static GTask *
probe_task_new (const MtcEndpoint   *endpoint,
                GInetSocketAddress  *address,
                MtcProbeKind         kind,
                MtcTlsVersion        version,
                guint                timeout_ms,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ProbeState *state = g_new0 (ProbeState, 1);

  g_task_set_source_tag (task, mtc_probe_async);
  g_task_set_task_data (task, state, (GDestroyNotify) probe_state_free);
  state->endpoint = mtc_endpoint_copy (endpoint);
  state->address = g_object_ref (address);
  state->kind = kind;
  state->version = version;
  state->timeout_ms = timeout_ms;
  state->start_us = g_get_monotonic_time ();
  state->lines = mtc_line_buffer_new ();
  state->outcome = g_new0 (MtcProbeOutcome, 1);
  state->outcome->negotiated_version = MTC_TLS_UNKNOWN;
  state->deadline = mtc_deadline_new (timeout_ms, cancellable, "[mtc] probe deadline");
  state->cancellable = mtc_deadline_get_cancellable (state->deadline);
  return task;
}

void
mtc_probe_async (const MtcEndpoint   *endpoint,
                 GInetSocketAddress  *address,
                 MtcProbeKind         kind,
                 MtcTlsVersion        version,
                 guint                timeout_ms,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = probe_task_new (endpoint, address, kind, version, timeout_ms, cancellable, callback, user_data);
  ProbeState *state = g_task_get_task_data (task);

  state->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (state->client, FALSE);
  state->stage = STAGE_CONNECT;
  g_socket_client_connect_async (state->client, G_SOCKET_CONNECTABLE (address), state->cancellable,
                                 connected_cb, task);
}

/* Like mtc_probe_async() on a connection already open (the one that won the
 * race between a server's addresses): no connection is wasted, and the
 * deadline counts from now. */
void
mtc_probe_connected_async (const MtcEndpoint  *endpoint,
                           GSocketConnection  *connection,
                           MtcProbeKind        kind,
                           MtcTlsVersion       version,
                           guint               timeout_ms,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);
  GTask *task;
  ProbeState *state;

  g_return_if_fail (G_IS_INET_SOCKET_ADDRESS (address));
  task = probe_task_new (endpoint, G_INET_SOCKET_ADDRESS (address), kind, version, timeout_ms, cancellable,
                         callback, user_data);
  state = g_task_get_task_data (task);
  state->connection = g_object_ref (connection);
  begin_dialogue (task);
}

MtcProbeOutcome *
mtc_probe_finish (GAsyncResult *result,
                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
