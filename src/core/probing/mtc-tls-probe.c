/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One TLS handshake limited to one version, through GnuTLS on the socket's
 * descriptor, non-blocking and driven by the main loop; what its alerts
 * mean in words; and the judgement of what the server said inside TLS.
 *
 * A little over 800 lines: the alert words and the judgement inside TLS
 * are read together with the handshake whose results they explain. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mtc-numbers.h"
#include "mtc-dialogue.h"
#include "mtc-tls-probe.h"

/* How many bytes of a non-TLS answer are kept to tell what it was. */
#define FIRST_BYTES_MAX 256

typedef enum {
  PHASE_HANDSHAKE,
  PHASE_SEND,       /* the request inside TLS (after STARTTLS, or HTTPS) */
  PHASE_RECEIVE,    /* the greeting or reply inside TLS */
} Phase;

typedef struct {
  GSocket *socket;
  gnutls_session_t session;
  gnutls_certificate_credentials_t credentials;
  MtcTlsVersion version;
  char *farewell;
  GSource *source;
  GSource *wait_source;       /* how long the greeting or reply may take */
  GByteArray *first_bytes;
  gboolean got_tls_record;
  int last_errno;             /* of the last failed send or receive */
  Phase phase;
  MtcInsideTls *inside;
  guint16 port;
  gsize sent;
  guint reply_wait_ms;
  gint64 inside_start_us;
  gboolean false_start;       /* the handshake returned before the server's Finished */
  int last_in_at_false_start; /* the last handshake message received by then */
  gboolean got_data;          /* application data arrived inside TLS */
  int last_error;             /* of the last failed receive inside TLS */
  MtcTlsProbeResult *result;
} ProbeData;

/* Up to TLS 1.2 each version is offered alone, with the legacy suites (3DES,
 * RC4, plain RSA key exchange, SHA-1 signatures) as well, so that a server
 * that knows only those is not mistaken for one that refuses the version.
 * A hello offering TLS 1.3 alone carries only TLS 1.3 suites, which a server
 * without TLS 1.3 answers with a bare handshake_failure; so the TLS 1.3
 * probe offers the older versions too, and a server that picks one of them
 * has said, in its ServerHello, that it does not speak TLS 1.3. */
#define LEGACY_SUITES ":+3DES-CBC:+ARCFOUR-128:+DHE-DSS:+SHA1:+RSA:+SIGN-ALL:%COMPAT"

static const char * const priorities[MTC_N_TLS_VERSIONS] = {
  ("NORMAL:-VERS-ALL:+VERS-TLS1.0" LEGACY_SUITES),
  ("NORMAL:-VERS-ALL:+VERS-TLS1.1" LEGACY_SUITES),
  ("NORMAL:-VERS-ALL:+VERS-TLS1.2" LEGACY_SUITES),
  ("NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0" LEGACY_SUITES),
};

static const gnutls_protocol_t gnutls_versions[MTC_N_TLS_VERSIONS] = {
  GNUTLS_TLS1_0, GNUTLS_TLS1_1, GNUTLS_TLS1_2, GNUTLS_TLS1_3,
};

static gnutls_priority_t priority_cache[MTC_N_TLS_VERSIONS];
static gboolean priority_ok[MTC_N_TLS_VERSIONS];

static void
init_priorities (void)
{
  static gsize initialized = 0;

  if (!g_once_init_enter (&initialized))
    return;
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    {
      const gnutls_protocol_t *list = NULL;
      int n;

      if (gnutls_priority_init2 (&priority_cache[i], priorities[i], NULL, 0) < 0)
        {
          priority_cache[i] = NULL;
          continue;
        }
      /* A system-wide policy (/etc/gnutls/config) may remove the version. */
      n = gnutls_priority_protocol_list (priority_cache[i], (const unsigned int **) &list);
      for (int j = 0; j < n; j++)
        if (list[j] == gnutls_versions[i])
          priority_ok[i] = TRUE;
    }
  g_once_init_leave (&initialized, 1);
}

const char *
mtc_tls_probe_priority (MtcTlsVersion version)
{
  g_return_val_if_fail (version >= 0 && version < MTC_N_TLS_VERSIONS, NULL);
  return priorities[version];
}

/* Which versions this computer's own TLS library is willing to offer. */
void
mtc_tls_probe_local_versions (gboolean available[MTC_N_TLS_VERSIONS])
{
  init_priorities ();
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    available[i] = priority_ok[i];
}

void
mtc_tls_probe_result_free (MtcTlsProbeResult *result)
{
  if (result == NULL)
    return;
  g_free (result->detail);
  g_free (result->reason);
  g_free (result->plaintext_words);
  g_free (result->cipher);
  g_free (result->status_detail);
  g_free (result->server_words);
  g_clear_pointer (&result->chain, g_ptr_array_unref);
  g_free (result);
}

static void
probe_data_free (ProbeData *data)
{
  if (data->source != NULL)
    {
      g_source_destroy (data->source);
      g_source_unref (data->source);
    }
  if (data->wait_source != NULL)
    {
      g_source_destroy (data->wait_source);
      g_source_unref (data->wait_source);
    }
  mtc_inside_tls_free (data->inside);
  if (data->session != NULL)
    gnutls_deinit (data->session);
  if (data->credentials != NULL)
    gnutls_certificate_free_credentials (data->credentials);
  g_clear_object (&data->socket);
  g_free (data->farewell);
  g_byte_array_unref (data->first_bytes);
  mtc_tls_probe_result_free (data->result);
  g_free (data);
}

static ssize_t
push_cb (gnutls_transport_ptr_t ptr,
         const void            *buf,
         size_t                 len)
{
  ProbeData *data = ptr;
  ssize_t n = send (g_socket_get_fd (data->socket), buf, len, MSG_NOSIGNAL);

  if (n < 0)
    {
      data->last_errno = errno;
      gnutls_transport_set_errno (data->session, errno);
    }
  return n;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t ptr,
         void                  *buf,
         size_t                 len)
{
  ProbeData *data = ptr;
  ssize_t n = recv (g_socket_get_fd (data->socket), buf, len, 0);

  if (n < 0)
    {
      data->last_errno = errno;
      gnutls_transport_set_errno (data->session, errno);
      return n;
    }
  if (data->first_bytes->len < FIRST_BYTES_MAX && n > 0)
    g_byte_array_append (data->first_bytes, buf, MIN ((gsize) n, FIRST_BYTES_MAX - data->first_bytes->len));
  return n;
}

static const char *
version_label (MtcTlsVersion version)
{
  static const char * const labels[] = { "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3" };
  return labels[version];
}

static MtcTlsVersion
from_gnutls_version (gnutls_protocol_t version)
{
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    if (gnutls_versions[i] == version)
      return i;
  return MTC_TLS_UNKNOWN;
}

static void
collect_success (ProbeData *data)
{
  MtcTlsProbeResult *result = data->result;
  const gnutls_datum_t *certs;
  unsigned int n_certs = 0;
  const char *cipher;

  result->negotiated_version = from_gnutls_version (gnutls_protocol_get_version (data->session));
  cipher = gnutls_ciphersuite_get (data->session);
  result->cipher = g_strdup (cipher);
  if (result->negotiated_version != data->version)
    {
      result->result = MTC_VERSION_REJECTED;
      result->reason = g_strdup ("other-version");
      /* TRANSLATORS: the TLS version asked for, then the one the server chose (“TLS 1.2”) */
      result->detail = g_strdup_printf (_("The server does not speak %s: offered a choice, it picked %s."),
                                        version_label (data->version),
                                        result->negotiated_version == MTC_TLS_UNKNOWN
                                          ? "?" : version_label (result->negotiated_version));
      return;
    }
  result->result = MTC_VERSION_ACCEPTED;
  result->reason = g_strdup ("handshake-done");
  result->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  certs = gnutls_certificate_get_peers (data->session, &n_certs);
  for (unsigned int i = 0; i < n_certs && i < 16; i++)
    g_ptr_array_add (result->chain, g_bytes_new (certs[i].data, certs[i].size));
}

static void
collect_failure (ProbeData *data,
                 int        ret)
{
  MtcTlsProbeResult *result = data->result;
  const char *label = version_label (data->version);

  if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED || ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
    {
      gnutls_alert_description_t alert = gnutls_alert_get (data->session);

      /* Only protocol_version says "not this version" outright; the prober
       * decides what the others mean once every version was tried. */
      result->result = alert == GNUTLS_A_PROTOCOL_VERSION ? MTC_VERSION_REJECTED : MTC_VERSION_ERROR;
      result->reason = mtc_tls_alert_reason (alert);
      result->detail = mtc_tls_alert_describe (alert, data->version);
      return;
    }
  if (ret == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
    {
      result->result = MTC_VERSION_REJECTED;
      result->reason = g_strdup ("other-version");
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      result->detail = g_strdup_printf (_("The server refuses %s (it answered with another TLS version)."), label);
      return;
    }

  result->result = MTC_VERSION_ERROR;
  if (mtc_looks_like_plaintext_greeting (data->first_bytes->data, data->first_bytes->len))
    {
      guint8 more[FIRST_BYTES_MAX];
      ssize_t n;

      /* GnuTLS stopped after a record header's worth: fetch the rest of the
       * line the server already sent, to show its words. */
      n = recv (g_socket_get_fd (data->socket), more, FIRST_BYTES_MAX - data->first_bytes->len, MSG_DONTWAIT);
      if (n > 0)
        g_byte_array_append (data->first_bytes, more, n);
      for (guint i = 0; i < data->first_bytes->len; i++)
        if (data->first_bytes->data[i] == '\r' || data->first_bytes->data[i] == '\n')
          {
            g_byte_array_set_size (data->first_bytes, i);
            break;
          }
      result->plaintext_reply = TRUE;
      result->reason = g_strdup ("plaintext");
      result->plaintext_words = mtc_quote_text ((const char *) data->first_bytes->data,
                                                          data->first_bytes->len, 120);
      /* TRANSLATORS: the first %s is a TLS version (“TLS 1.2”), the second what the server said, quoted */
      result->detail = g_strdup_printf (_("The server answered the %s hello in plain text: “%s”."),
                                        label, result->plaintext_words);
      return;
    }
  if (ret == GNUTLS_E_PREMATURE_TERMINATION || ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR)
    {
      if (data->first_bytes->len == 0 && data->last_errno == ECONNRESET)
        {
          result->reason = g_strdup ("reset");
          /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
          result->detail = g_strdup_printf (_("The server cut the connection off (reset) when offered %s, without "
                                              "saying why."), label);
        }
      else if (data->first_bytes->len == 0)
        {
          result->reason = g_strdup ("closed");
          /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
          result->detail = g_strdup_printf (_("The server closed the connection when offered %s, without saying "
                                              "why."), label);
        }
      else
        /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
        result->detail = g_strdup_printf (_("The server closed the connection during the %s handshake."), label);
      return;
    }
  {
    g_autofree char *reason = g_strdup (gnutls_strerror (ret));
    gsize len = strlen (reason);

    if (len > 0 && reason[len - 1] == '.')
      reason[len - 1] = '\0';
    /* TRANSLATORS: the first %s is a TLS version (“TLS 1.2”), the second the TLS library's message */
    result->detail = g_strdup_printf (_("The %s handshake failed: %s."), label, reason);
  }
}

/* The machine-readable name of an alert, in GnuTLS's lower-case style
 * without prefix ("handshake_failure"). */
char *
mtc_tls_alert_reason (int alert)
{
  const char *name = gnutls_alert_get_strname (alert);

  if (name == NULL)
    return g_strdup_printf ("alert-%d", alert);
  if (g_str_has_prefix (name, "GNUTLS_A_"))
    name += strlen ("GNUTLS_A_");
  return g_ascii_strdown (name, -1);
}

/* A sentence for an alert that ended a handshake; the alert's constant name
 * is for machines (mtc_tls_alert_reason), not for people. */
char *
mtc_tls_alert_describe (int           alert,
                        MtcTlsVersion version)
{
  const char *label = version >= 0 && version < MTC_N_TLS_VERSIONS ? version_label (version) : "TLS";

  switch (alert)
    {
    case GNUTLS_A_PROTOCOL_VERSION:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server refuses %s: it answered that it does not speak this version."), label);
    case GNUTLS_A_HANDSHAKE_FAILURE:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it found nothing it could agree on with "
                                "this computer (no common encryption method, or it does not want this version)."),
                              label);
    case GNUTLS_A_INSUFFICIENT_SECURITY:
    case GNUTLS_A_EXPORT_RESTRICTION:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: the encryption methods this computer "
                                "offered are too weak for it."), label);
    case GNUTLS_A_INTERNAL_ERROR:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake because of an internal error on its side."),
                              label);
    case GNUTLS_A_ILLEGAL_PARAMETER:
    case GNUTLS_A_DECODE_ERROR:
    case GNUTLS_A_DECOMPRESSION_FAILURE:
    case GNUTLS_A_RECORD_OVERFLOW:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it could not read or does not accept "
                                "something in this computer’s messages."), label);
    case GNUTLS_A_UNEXPECTED_MESSAGE:
    case GNUTLS_A_UNKNOWN_PSK_IDENTITY:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: a message arrived that it did not "
                                "expect."), label);
    case GNUTLS_A_BAD_RECORD_MAC:
    case GNUTLS_A_DECRYPTION_FAILED:
    case GNUTLS_A_DECRYPT_ERROR:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it could not decrypt or verify what "
                                "this computer sent."), label);
    case GNUTLS_A_CERTIFICATE_REQUIRED:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it wants a certificate from this "
                                "computer (a client certificate)."), label);
    case GNUTLS_A_SSL3_NO_CERTIFICATE:
    case GNUTLS_A_BAD_CERTIFICATE:
    case GNUTLS_A_UNSUPPORTED_CERTIFICATE:
    case GNUTLS_A_CERTIFICATE_REVOKED:
    case GNUTLS_A_CERTIFICATE_EXPIRED:
    case GNUTLS_A_CERTIFICATE_UNKNOWN:
    case GNUTLS_A_UNKNOWN_CA:
    case GNUTLS_A_CERTIFICATE_UNOBTAINABLE:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake over a certificate problem."), label);
    case GNUTLS_A_ACCESS_DENIED:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it denies this computer access."), label);
    case GNUTLS_A_INAPPROPRIATE_FALLBACK:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it speaks a newer version and took this "
                                "hello for an attempt to force an older one."), label);
    case GNUTLS_A_MISSING_EXTENSION:
    case GNUTLS_A_UNSUPPORTED_EXTENSION:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: this computer’s hello lacks, or has, an "
                                "extension the server insists on or refuses."), label);
    case GNUTLS_A_UNRECOGNIZED_NAME:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it does not know the server name this "
                                "computer asked for."), label);
    case GNUTLS_A_NO_APPLICATION_PROTOCOL:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake: it speaks none of the application "
                                "protocols this computer offered."), label);
    case GNUTLS_A_CLOSE_NOTIFY:
    case GNUTLS_A_USER_CANCELED:
    case GNUTLS_A_NO_RENEGOTIATION:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server called off the %s handshake."), label);
    default:
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      return g_strdup_printf (_("The server broke off the %s handshake with an alert this program does not know "
                                "(number %d)."), label, alert);
    }
}

/* Decides, from what the server said right after a completed handshake, the
 * version cell (RESULT's result, reason, detail) and what it means for the
 * endpoint (status, status_detail, server_words). */
/* The first digit of the status code in an HTTP status line, or 0. */
static int
http_status_class (const char *line)
{
  const char *space = strchr (line, ' ');

  if (!g_str_has_prefix (line, "HTTP/") || space == NULL || !g_ascii_isdigit (space[1])
      || !g_ascii_isdigit (space[2]) || !g_ascii_isdigit (space[3]))
    return 0;
  return space[1] - '0';
}

/* Returns: (transfer full): why a handshake came to nothing, after waiting
 * @waited_ms, for the details */
char *
mtc_tls_probe_describe_timeout (guint waited_ms)
{
  g_autofree char *waited = mtc_seconds_describe (waited_ms / 1000.0);

  /* TRANSLATORS: %s is a length of time, "10 seconds" */
  return g_strdup_printf (_("The server did not finish the handshake within %s."), waited);
}

/* Returns: (transfer full): why a server that sent an endless line is no
 * mail server, for the details */
char *
mtc_tls_probe_describe_too_long (void)
{
  return g_strdup_printf (/* TRANSLATORS: %d is the longest line a mail server sends (4096) */
                          g_dngettext (GETTEXT_PACKAGE, "The server sent a line or reply far longer than mail "
                                       "servers do (over %d byte).",
                                       "The server sent a line or reply far longer than mail servers do (over %d "
                                       "bytes).", MTC_LINE_MAX), MTC_LINE_MAX);
}

void
mtc_tls_probe_judge_inside (MtcTlsProbeResult  *result,
                            const MtcInsideTls *inside,
                            guint16             port,
                            MtcTlsVersion       version,
                            guint               waited_ms)
{
  const char *label = version >= 0 && version < MTC_N_TLS_VERSIONS ? version_label (version) : "TLS";
  gboolean greeting = inside->security == MTC_SECURITY_IMPLICIT && inside->protocol != MTC_PROTOCOL_HTTPS;
  const char *words = inside->words != NULL && *inside->words != '\0' ? inside->words : NULL;
  const char *shown = words != NULL ? words : "";
  g_autofree char *waited = mtc_seconds_describe (waited_ms / 1000.0);

  g_clear_pointer (&result->reason, g_free);
  g_clear_pointer (&result->detail, g_free);
  g_clear_pointer (&result->status_detail, g_free);
  g_clear_pointer (&result->server_words, g_free);
  result->handshake_done = TRUE;
  result->status = MTC_STATUS_OK;
  result->result = MTC_VERSION_ACCEPTED;
  result->server_words = g_strdup (words);

  switch (inside->state)
    {
    case MTC_INSIDE_NORMAL:
      result->reason = g_strdup ("handshake-done");
      if (inside->protocol == MTC_PROTOCOL_SMTP && inside->security == MTC_SECURITY_STARTTLS)
        result->login = inside->login;
      /* "HTTP/1.1 503 …": the web server answers over this TLS version but
       * cannot serve now, which matters to anyone told to use webmail. */
      if (inside->protocol == MTC_PROTOCOL_HTTPS && words != NULL && http_status_class (words) == 5)
        {
          result->status = MTC_STATUS_BUSY;
          /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
          result->status_detail = g_strdup_printf (_("The web server answers, but says it cannot serve pages right "
                                                     "now: “%s”."), words);
        }
      break;

    case MTC_INSIDE_PREAUTH:
      result->reason = g_strdup ("handshake-done");
      result->status = MTC_STATUS_PREAUTH;
      /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
      result->status_detail = g_strdup_printf (_("The server logged this connection in without any password (IMAP "
                                                 "PREAUTH): “%s”."), shown);
      break;

    case MTC_INSIDE_REFUSED:
    case MTC_INSIDE_CLOSED:
      result->result = MTC_VERSION_REJECTED;
      result->reason = g_strdup ("refused-inside-tls");
      result->status = MTC_STATUS_BUSY;
      if (words != NULL)
        {
          /* TRANSLATORS: the first %s is a TLS version (“TLS 1.2”), the second what the server said,
           * quoted (often English) */
          result->detail = g_strdup_printf (_("The %s handshake worked, but then the server turned the connection "
                                              "away: “%s”."), label, words);
          result->status_detail = greeting
            /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
            ? g_strdup_printf (_("The server turned the connection away: “%s”."), words)
            /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
            : g_strdup_printf (_("The server ended the conversation: “%s”."), words);
        }
      else
        {
          /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
          result->detail = g_strdup_printf (_("The %s handshake worked, but then the server closed the connection "
                                              "without a word."), label);
          result->status_detail = g_strdup (_("The server closed the connection right after the encryption "
                                              "handshake, without a word."));
        }
      break;

    case MTC_INSIDE_NOT_PROTOCOL:
    case MTC_INSIDE_TOO_LONG:
      result->reason = g_strdup ("handshake-done");
      /* Whatever a web server answers, it answered over this TLS version. */
      if (inside->protocol == MTC_PROTOCOL_HTTPS)
        break;
      result->status = MTC_STATUS_NOT_MAIL_SERVER;
      if (inside->state == MTC_INSIDE_TOO_LONG)
        result->status_detail = mtc_tls_probe_describe_too_long ();
      else if (greeting)
        /* TRANSLATORS: %u is a port number; %s is what the server said, quoted as it is (often English) */
        result->status_detail = g_strdup_printf (_("Something other than a mail server answers on port %u: “%s”."),
                                                 port, shown);
      else
        /* TRANSLATORS: %s is what the server said, quoted as it is (often English) */
        result->status_detail = g_strdup_printf (_("The server’s reply does not follow the mail protocol: “%s”."),
                                                 shown);
      break;

    case MTC_INSIDE_SILENT:
      if (greeting)
        {
          /* The handshake worked; mail servers greet at once, web servers
           * wait for a request. */
          result->reason = g_strdup ("handshake-done");
          result->status = MTC_STATUS_NOT_MAIL_SERVER;
          /* TRANSLATORS: %u is a port number, %s a length of time, "10 seconds" */
          result->status_detail = g_strdup_printf (_("The encryption on port %u works, but then no greeting came "
                                                     "within %s. Mail servers greet at once, web servers "
                                                     "wait silently like this: this is probably not a mail "
                                                     "server."), port, waited);
          break;
        }
      result->result = MTC_VERSION_ERROR;
      result->reason = g_strdup ("timeout");
      result->status = MTC_STATUS_TIMEOUT;
      /* TRANSLATORS: the first %s is a TLS version ("TLS 1.2"), the second a length of time, "10 seconds" */
      result->detail = g_strdup_printf (_("The %s handshake worked, but then the server did not answer within "
                                          "%s."), label, waited);
      result->status_detail = g_strdup (result->detail);
      break;

    case MTC_INSIDE_WAITING:
    default:
      g_assert_not_reached ();
    }
}

static gboolean step (GTask *task);

static void
clear_wait (ProbeData *data)
{
  if (data->wait_source == NULL)
    return;
  g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
}

static void
clear_source (ProbeData *data)
{
  if (data->source == NULL)
    return;
  g_source_destroy (data->source);
  g_clear_pointer (&data->source, g_source_unref);
}

static void
say_goodbye (ProbeData *data)
{
  /* Best effort and without waiting: the command that ends the session,
   * then close_notify. */
  if (data->farewell != NULL)
    gnutls_record_send (data->session, data->farewell, strlen (data->farewell));
  gnutls_bye (data->session, GNUTLS_SHUT_WR);
}

/* Whether the server's Finished arrived and checked out: with False Start
 * the handshake returns before it, and the first read inside TLS takes it. */
static gboolean
handshake_confirmed (ProbeData *data)
{
  /* GnuTLS forgets the last handshake message once the handshake is over. */
  return !data->false_start || data->got_data
         || (int) gnutls_handshake_get_last_in (data->session) != data->last_in_at_false_start;
}

/* Completes the task with what the conversation inside TLS found. */
static void
finish_inside (GTask          *task,
               MtcInsideState  end)
{
  ProbeData *data = g_task_get_task_data (task);
  guint waited_ms = (g_get_monotonic_time () - data->inside_start_us) / 1000;

  clear_wait (data);
  clear_source (data);
  if (!handshake_confirmed (data))
    {
      /* False Start: the server never sent a Finished that checked out, so
       * the handshake did not complete; judged as a failed one. */
      g_clear_pointer (&data->result->reason, g_free);
      g_clear_pointer (&data->result->detail, g_free);
      g_clear_pointer (&data->result->chain, g_ptr_array_unref);
      data->result->handshake_done = FALSE;
      if (end == MTC_INSIDE_SILENT)
        {
          data->result->result = MTC_VERSION_ERROR;
          data->result->reason = g_strdup ("timeout");
          data->result->detail = mtc_tls_probe_describe_timeout (waited_ms);
        }
      else
        collect_failure (data, data->last_error != 0 ? data->last_error : GNUTLS_E_PREMATURE_TERMINATION);
      g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
      return;
    }
  if (end != MTC_INSIDE_WAITING)
    mtc_inside_tls_end (data->inside, end);
  mtc_tls_probe_judge_inside (data->result, data->inside, data->port, data->version, waited_ms);
  if (end != MTC_INSIDE_CLOSED)
    say_goodbye (data);
  g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
}

static gboolean
socket_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProbeData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->source, g_source_unref);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* After the handshake the result stands; the caller knows whether it
       * ran out of time or was cancelled. */
      if (data->phase != PHASE_HANDSHAKE)
        finish_inside (task, MTC_INSIDE_SILENT);
      else
        g_task_return_error_if_cancelled (task);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (step (task))
    g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
reply_wait_cb (gpointer user_data)
{
  GTask *task = user_data;
  ProbeData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->wait_source, g_source_unref);
  finish_inside (task, MTC_INSIDE_SILENT);
  /* The reference of the operation in flight. */
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
wait_for_socket (GTask *task)
{
  ProbeData *data = g_task_get_task_data (task);
  GIOCondition condition = gnutls_record_get_direction (data->session) ? G_IO_OUT : G_IO_IN;

  data->source = g_socket_create_source (data->socket, condition, g_task_get_cancellable (task));
  g_source_set_callback (data->source, (GSourceFunc) (GCallback) socket_ready_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (data->source, "[mtc] tls probe");
  g_source_attach (data->source, g_task_get_context (task));
}

/* The handshake is done: the greeting, or the request and its reply. */
static void
start_inside (GTask *task)
{
  ProbeData *data = g_task_get_task_data (task);

  data->phase = data->inside->request != NULL ? PHASE_SEND : PHASE_RECEIVE;
  data->inside_start_us = g_get_monotonic_time ();
  data->wait_source = g_timeout_source_new (data->reply_wait_ms);
  g_source_set_callback (data->wait_source, reply_wait_cb, task, NULL);
  g_source_set_static_name (data->wait_source, "[mtc] reply inside tls");
  g_source_attach (data->wait_source, g_task_get_context (task));
}

/* Returns TRUE when the task has completed. */
static gboolean
step (GTask *task)
{
  ProbeData *data = g_task_get_task_data (task);

  if (data->phase == PHASE_HANDSHAKE)
    {
      int ret = gnutls_handshake (data->session);

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          wait_for_socket (task);
          return FALSE;
        }
      if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED && gnutls_alert_get (data->session) != GNUTLS_A_PROTOCOL_VERSION)
        /* A warning alert during the handshake is informational: go on. */
        return step (task);
      if (ret != 0)
        {
          collect_failure (data, ret);
          g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
          return TRUE;
        }
      data->false_start = (gnutls_session_get_flags (data->session) & GNUTLS_SFLAGS_FALSE_START) != 0;
      if (data->false_start)
        {
          data->last_in_at_false_start = (int) gnutls_handshake_get_last_in (data->session);
          g_debug ("tls-probe: %s handshake with False Start", version_label (data->version));
        }
      data->result->handshake_done = TRUE;
      collect_success (data);
      if (data->result->result != MTC_VERSION_ACCEPTED || data->inside == NULL)
        {
          /* Another version than the one offered: nothing to ask. */
          say_goodbye (data);
          g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
          return TRUE;
        }
      start_inside (task);
    }

  if (data->phase == PHASE_SEND)
    {
      const char *request = data->inside->request;
      gsize len = strlen (request);

      while (data->sent < len)
        {
          ssize_t ret = gnutls_record_send (data->session, request + data->sent, len - data->sent);

          if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
            {
              wait_for_socket (task);
              return FALSE;
            }
          if (ret < 0)
            {
              finish_inside (task, MTC_INSIDE_CLOSED);
              return TRUE;
            }
          data->sent += ret;
        }
      data->phase = PHASE_RECEIVE;
    }

  for (;;)
    {
      guint8 buffer[4096];
      ssize_t ret = gnutls_record_recv (data->session, buffer, sizeof buffer);

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          wait_for_socket (task);
          return FALSE;
        }
      if (ret < 0 && !gnutls_error_is_fatal (ret))
        continue;
      if (ret <= 0)
        {
          /* close_notify, a plain close, a reset or a fatal alert. */
          data->last_error = ret;
          finish_inside (task, MTC_INSIDE_CLOSED);
          return TRUE;
        }
      data->got_data = TRUE;
      if (mtc_inside_tls_feed (data->inside, buffer, ret) != MTC_INSIDE_WAITING)
        {
          finish_inside (task, MTC_INSIDE_WAITING);
          return TRUE;
        }
    }
}

/* Runs one handshake limited to VERSION on SOCKET (connected, in plaintext
 * or right after the STARTTLS OK), then, once it completed, speaks the
 * protocol inside TLS: reads the greeting on an implicit-TLS port, asks for
 * the capabilities again after STARTTLS (EHLO is the command used before),
 * or sends a HEAD request over HTTPS; waits at most REPLY_WAIT_MS for that.
 * Then FAREWELL and close_notify, without waiting for an answer. */
void
mtc_tls_probe_async (GSocket             *socket,
                     const MtcEndpoint   *endpoint,
                     MtcTlsVersion        version,
                     const char          *ehlo,
                     const char          *farewell,
                     guint                reply_wait_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ProbeData *data = g_new0 (ProbeData, 1);
  const char *server_name = endpoint->host;
  int ret;

  g_task_set_source_tag (task, mtc_tls_probe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  /* A result found after the handshake stands even when the caller's
   * deadline cancels the wait for a reply. */
  g_task_set_check_cancellable (task, FALSE);
  data->socket = g_object_ref (socket);
  data->version = version;
  data->farewell = g_strdup (farewell);
  data->first_bytes = g_byte_array_new ();
  data->port = endpoint->port;
  data->reply_wait_ms = MAX (reply_wait_ms, 1);
  data->inside = mtc_inside_tls_new (endpoint->protocol, endpoint->security, endpoint->host, ehlo);
  data->result = g_new0 (MtcTlsProbeResult, 1);
  data->result->negotiated_version = MTC_TLS_UNKNOWN;

  init_priorities ();
  if (priority_cache[version] == NULL || !priority_ok[version])
    {
      data->result->result = MTC_VERSION_NOT_TESTED;
      data->result->reason = g_strdup ("not-offered-locally");
      /* TRANSLATORS: %s is a TLS version, such as “TLS 1.2” */
      data->result->detail = g_strdup_printf (_("This computer’s TLS library does not offer %s."),
                                              version_label (version));
      g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
      return;
    }

  /* False Start (RFC 7918) sends the request inside TLS with our Finished,
   * a round trip earlier on TLS 1.2; the cell waits for the server's
   * Finished all the same (handshake_confirmed). */
  if ((ret = gnutls_init (&data->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS
                                          | GNUTLS_ENABLE_FALSE_START)) < 0
      || (ret = gnutls_certificate_allocate_credentials (&data->credentials)) < 0
      || (ret = gnutls_credentials_set (data->session, GNUTLS_CRD_CERTIFICATE, data->credentials)) < 0
      || (ret = gnutls_priority_set (data->session, priority_cache[version])) < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "GnuTLS: %s", gnutls_strerror (ret));
      return;
    }
  if (server_name != NULL && !g_hostname_is_ip_address (server_name))
    gnutls_server_name_set (data->session, GNUTLS_NAME_DNS, server_name, strlen (server_name));
  gnutls_transport_set_ptr (data->session, data);
  gnutls_transport_set_push_function (data->session, push_cb);
  gnutls_transport_set_pull_function (data->session, pull_cb);

  if (!step (task))
    g_steal_pointer (&task);
  else
    g_clear_object (&task);
}

MtcTlsProbeResult *
mtc_tls_probe_finish (GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A GTlsCertificate (with its issuer chain) from DER certificates. */
GTlsCertificate *
mtc_tls_certificate_from_chain (GPtrArray *chain,
                                GError   **error)
{
  g_autoptr(GTlsCertificate) issuer = NULL;
  GType type = g_tls_backend_get_certificate_type (g_tls_backend_get_default ());

  g_return_val_if_fail (chain != NULL && chain->len > 0, NULL);

  for (guint i = chain->len; i > 0; i--)
    {
      GBytes *der = g_ptr_array_index (chain, i - 1);
      g_autoptr(GByteArray) array = g_bytes_unref_to_array (g_bytes_ref (der));
      GTlsCertificate *cert = g_initable_new (type, NULL, error,
                                              "certificate", array,
                                              "issuer", issuer,
                                              NULL);
      if (cert == NULL)
        return NULL;
      g_clear_object (&issuer);
      issuer = cert;
    }
  return g_steal_pointer (&issuer);
}
