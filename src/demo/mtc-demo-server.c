/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POLLRDHUP */
#define _GNU_SOURCE
#include "config.h"

#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "mtc-demo-server.h"

/* Loopback servers that imitate a mail provider.
 *
 * Everything runs on one main context (the thread-default context of the
 * thread that created the server), without threads.  The plaintext part of a
 * dialogue uses async GIO on the accepted connection; TLS is done with GnuTLS
 * directly on the socket's file descriptor, driven by socket sources, so that
 * every service can have its own version policy.
 *
 * Where a misbehaviour happens:
 *  - at once after accept, in plaintext: SILENT, CLOSE, OTHER_SERVICE, HTTP,
 *    PLAINTEXT (which then speaks the STARTTLS variant's dialogue);
 *  - where TLS starts (after the STARTTLS OK, or at once on an implicit-TLS
 *    port): TLS_GARBAGE, DIE_MID_HANDSHAKE, STALL_HANDSHAKE;
 *  - where the greeting is (inside TLS on an implicit-TLS port): BUSY,
 *    LONG_LINE, PREAUTH, NO_GREETING_CAPABILITY, MULTILINE_GREETING;
 *  - in the dialogue: NO_STARTTLS, INJECTION, DIE_MID_DIALOGUE.
 */

#define SERVER_NAME "demo.mail-tls-check.invalid"
#define CA_DN "CN=Mail TLS Check Demo CA,O=Mail TLS Check"
#define SERVER_DN "CN=" SERVER_NAME ",O=Mail TLS Check"
#define DEFAULT_IDLE_TIMEOUT_MS (30 * 1000)
#define MAX_INPUT_BYTES (16 * 1024)
#define READ_CHUNK 4096
#define LONG_LINE_LENGTH 100000
#define GARBAGE_LENGTH 200
#define LISTEN_BACKLOG 256
#define CERT_LIFETIME (30 * 24 * 60 * 60)
#define LATE_INJECTION_MS 20
#define OLD_TLS_REFUSAL "TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2."

typedef struct _Service Service;
typedef struct _Connection Connection;

struct _MtcDemoServer
{
  GObject parent_instance;

  GMainContext *context;

  gnutls_x509_privkey_t ca_key;
  gnutls_x509_crt_t ca_crt;
  char *ca_pem;
  gnutls_x509_privkey_t ecdsa_key;
  gnutls_x509_crt_t ecdsa_crt;
  gnutls_x509_privkey_t rsa_key;            /* made only when a legacy service needs it */
  gnutls_x509_crt_t rsa_crt;
  gnutls_certificate_credentials_t credentials;

  GPtrArray *services;                      /* of Service */
  GHashTable *connections;                  /* set of open Connection, owning one reference */
  guint idle_timeout_ms;
  guint provider_delay_ms;

  guint n_accepted;
  guint n_polite;
  GHashTable *max_concurrent;               /* port → most connections open at once */
  GPtrArray *server_names;                  /* of char*: the SNI of each handshake, "" for none */
};

struct _Service
{
  MtcDemoServer *server;
  MtcDemoServiceConfig config;
  gnutls_priority_t priority;
  GSocketService *listener;
  gulong incoming_id;
  guint16 port;
};

typedef enum {
  MODE_LINES,           /* the line dialogue, in plaintext or inside TLS */
  MODE_DISCARD,         /* read and drop whatever arrives until the peer leaves */
  MODE_CLOSE_ON_DATA,   /* close as soon as anything arrives */
  MODE_HELLO,           /* waiting for the first bytes of a ClientHello (TLS misbehaviours) */
  MODE_HANDSHAKE,       /* GnuTLS handshake in progress */
} Mode;

typedef enum {
  NEXT_CONTINUE,
  NEXT_START_TLS,
  NEXT_CLOSE,
  NEXT_LATE_INJECTION,  /* a reply of its own a moment later, then TLS */
} Next;

struct _Connection
{
  gint ref_count;
  MtcDemoServer *server;                    /* unowned; NULL once closed */
  MtcDemoServiceConfig config;
  gnutls_priority_t priority;               /* the service's; valid while open */
  guint16 port;
  char *peer;

  GSocketConnection *connection;
  GSocket *socket;
  GCancellable *cancellable;

  Mode mode;
  gboolean closed;
  gboolean polite;
  gboolean reading;                         /* a plaintext read is outstanding */
  gboolean greeted;
  gboolean request_line_seen;               /* HTTP */
  gboolean head_request;                    /* HTTP */
  gboolean over_limit;                      /* MTC_DEMO_CONNECTION_LIMIT*: one too many */

  guint8 chunk[READ_CHUNK];
  GByteArray *input;                        /* bytes received but not yet handled */

  gnutls_session_t session;
  gboolean tls_established;
  gboolean hello_refused;                   /* the ClientHello hook turned the hello away */
  guint once_delay_ms;                      /* added to the delay of the next reply only */

  GBytes *reply;                            /* the reply being sent, or NULL */
  gsize reply_offset;
  gboolean writing;
  Next next;

  GSource *io_source;                       /* waiting for the socket (TLS) */
  GSource *reply_source;                    /* delay before a reply */
  GSource *idle_source;
  gint64 last_activity;
};

static void     close_connection      (Connection *conn);
static void     continue_dialogue     (Connection *conn);
static void     start_tls             (Connection *conn);
static void     tls_handshake         (Connection *conn);
static void     tls_receive           (Connection *conn);
static void     tls_send              (Connection *conn);
static gboolean input_arrived         (Connection *conn,
                                       const guint8 *data,
                                       gsize       size);
static void     send_printf           (Connection *conn,
                                       Next        next,
                                       const char *format,
                                       ...) G_GNUC_PRINTF (3, 4);
static gboolean socket_ready_cb       (GSocket     *socket,
                                       GIOCondition condition,
                                       gpointer     user_data);
static gboolean reply_due_cb          (gpointer     user_data);
static gboolean idle_timeout_cb       (gpointer     user_data);
static void     read_done_cb          (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
static void     write_done_cb         (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
static void     send_late_injection   (Connection  *conn);
static void     refuse_inside_tls     (Connection  *conn);
static gboolean old_tls_refused       (Connection  *conn);
static void     refuse_hello          (Connection  *conn);
static void     record_server_name    (Connection  *conn);
static void     watch_client_hello    (Connection  *conn);

G_DEFINE_TYPE (MtcDemoServer, mtc_demo_server, G_TYPE_OBJECT)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

static const char *const tls_version_names[] = {
  [MTC_TLS_1_0] = "VERS-TLS1.0",
  [MTC_TLS_1_1] = "VERS-TLS1.1",
  [MTC_TLS_1_2] = "VERS-TLS1.2",
  [MTC_TLS_1_3] = "VERS-TLS1.3",
};

/* What a server for old clients adds to NORMAL: 3DES, RSA key exchange,
 * finite-field DHE, SHA-1 MACs and signatures. */
#define LEGACY_PRIORITY ":+3DES-CBC:+RSA:+DHE-RSA:+SHA1:+SIGN-RSA-SHA1:+SIGN-ECDSA-SHA1"

#define IMAP_CAPABILITIES "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+"

static const char webmail_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mail TLS Check demo webmail</title></head>\n"
  "<body><h1>Mail TLS Check demo webmail</h1><p>This is the demo provider's webmail.</p></body></html>\n";

/* Helpers */

static gboolean
set_gnutls_error (GError    **error,
                  int         code,
                  const char *what)
{
  g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, "%s: %s", what, gnutls_strerror (code));
  return FALSE;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static gboolean
make_key (gnutls_pk_algorithm_t   algorithm,
          unsigned int            bits,
          gnutls_x509_privkey_t  *out_key,
          GError                **error)
{
  g_auto (gnutls_x509_privkey_t) key = NULL;
  int ret;

  ret = gnutls_x509_privkey_init (&key);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_x509_privkey_generate (key, algorithm, bits, 0);
  if (ret != GNUTLS_E_SUCCESS)
    return set_gnutls_error (error, ret, "Cannot generate a key");
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

/* A certificate for @key: the self-signed CA when @issuer is NULL, otherwise
 * a server certificate for the demo names signed by @issuer. */
static gboolean
make_certificate (gnutls_x509_privkey_t   key,
                  gnutls_x509_crt_t       issuer,
                  gnutls_x509_privkey_t   issuer_key,
                  unsigned int            key_usage,
                  gnutls_x509_crt_t      *out_crt,
                  GError                **error)
{
  static const guint8 ipv4_loopback[4] = { 127, 0, 0, 1 };
  static const guint8 ipv6_loopback[16] = { [15] = 1 };
  static const char *const dns_names[] = { "localhost", SERVER_NAME };
  g_auto (gnutls_x509_crt_t) crt = NULL;
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  unsigned int critical = 0;
  const char *error_pos = NULL;
  time_t now = time (NULL);
  int ret;

  ret = gnutls_x509_crt_init (&crt);
  if (ret != GNUTLS_E_SUCCESS)
    return set_gnutls_error (error, ret, "Cannot make a certificate");

  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] = (serial[0] & 0x3f) | 0x40;   /* positive, no leading zero byte */

  ret = gnutls_x509_crt_set_version (crt, 3);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_activation_time (crt, now - 60 * 60);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_expiration_time (crt, now + CERT_LIFETIME);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_dn (crt, issuer == NULL ? CA_DN : SERVER_DN, &error_pos);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_key (crt, key);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_basic_constraints (crt, issuer == NULL, -1);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_key_usage (crt, key_usage);
  if (ret >= 0)
    ret = gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size);

  if (ret >= 0 && issuer != NULL)
    {
      for (gsize i = 0; ret >= 0 && i < G_N_ELEMENTS (dns_names); i++)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, dns_names[i],
                                                    strlen (dns_names[i]), GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv4_loopback,
                                                    sizeof ipv4_loopback, GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv6_loopback,
                                                    sizeof ipv6_loopback, GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
      if (ret >= 0)
        {
          key_id_size = sizeof key_id;
          ret = gnutls_x509_crt_get_subject_key_id (issuer, key_id, &key_id_size, &critical);
        }
      if (ret >= 0)
        ret = gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size);
    }

  if (ret >= 0)
    ret = gnutls_x509_crt_sign2 (crt, issuer != NULL ? issuer : crt,
                                 issuer_key != NULL ? issuer_key : key, GNUTLS_DIG_SHA256, 0);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot make a certificate");

  *out_crt = g_steal_pointer (&crt);
  return TRUE;
}

static gboolean
make_ca_and_server_certificate (MtcDemoServer  *self,
                                GError        **error)
{
  gnutls_datum_t pem = { NULL, 0 };
  int ret;

  if (!make_key (GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), &self->ca_key, error)
      || !make_certificate (self->ca_key, NULL, NULL, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN,
                            &self->ca_crt, error)
      || !make_key (GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                    &self->ecdsa_key, error)
      || !make_certificate (self->ecdsa_key, self->ca_crt, self->ca_key, GNUTLS_KEY_DIGITAL_SIGNATURE,
                            &self->ecdsa_crt, error))
    return FALSE;

  ret = gnutls_x509_crt_export2 (self->ca_crt, GNUTLS_X509_FMT_PEM, &pem);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot export the demo CA");
  self->ca_pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);

  ret = gnutls_certificate_allocate_credentials (&self->credentials);
  if (ret >= 0)
    ret = gnutls_certificate_set_x509_key (self->credentials, &self->ecdsa_crt, 1, self->ecdsa_key);
  if (ret >= 0)
    ret = gnutls_certificate_set_known_dh_params (self->credentials, GNUTLS_SEC_PARAM_MEDIUM);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot set up the demo server's credentials");
  return TRUE;
}

/* The RSA certificate for the RSA key exchange and old clients; GnuTLS picks
 * the certificate that suits the negotiated suite. */
static gboolean
ensure_rsa_certificate (MtcDemoServer  *self,
                        GError        **error)
{
  int ret;

  if (self->rsa_crt != NULL)
    return TRUE;

  if (!make_key (GNUTLS_PK_RSA, 2048, &self->rsa_key, error))
    return FALSE;
  if (!make_certificate (self->rsa_key, self->ca_crt, self->ca_key,
                         GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT, &self->rsa_crt, error))
    {
      g_clear_pointer (&self->rsa_key, gnutls_x509_privkey_deinit);
      return FALSE;
    }
  ret = gnutls_certificate_set_x509_key (self->credentials, &self->rsa_crt, 1, self->rsa_key);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot set up the demo server's RSA certificate");
  return TRUE;
}

static char *
build_priority_string (const MtcDemoServiceConfig *config)
{
  GString *priority = g_string_new ("NORMAL:-VERS-ALL");

  for (int version = config->min_version; version <= (int) config->max_version; version++)
    g_string_append_printf (priority, ":+%s", tls_version_names[version]);
  if (config->legacy_ciphers)
    g_string_append (priority, LEGACY_PRIORITY);
  return g_string_free (priority, FALSE);
}

static void
service_free (Service *service)
{
  if (service->listener != NULL)
    {
      g_clear_signal_handler (&service->incoming_id, service->listener);
      g_socket_service_stop (service->listener);
      g_socket_listener_close (G_SOCKET_LISTENER (service->listener));
      g_clear_object (&service->listener);
    }
  g_clear_pointer (&service->priority, gnutls_priority_deinit);
  g_free (service);
}

static Connection *
connection_ref (Connection *conn)
{
  conn->ref_count++;
  return conn;
}

static void
connection_unref (Connection *conn)
{
  if (--conn->ref_count > 0)
    return;
  g_assert (conn->closed);
  g_clear_object (&conn->connection);
  g_clear_object (&conn->socket);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->input, g_byte_array_unref);
  g_clear_pointer (&conn->reply, g_bytes_unref);
  g_free (conn->peer);
  g_free (conn);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connection, connection_unref)

static void
touch (Connection *conn)
{
  conn->last_activity = g_get_monotonic_time ();
}

static void
attach (Connection *conn,
        GSource    *source)
{
  g_source_attach (source, conn->server->context);
}

static void
arm_idle_timer (Connection *conn,
                guint       timeout_ms)
{
  clear_source (&conn->idle_source);
  conn->idle_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (conn->idle_source, idle_timeout_cb, conn, NULL);
  attach (conn, conn->idle_source);
}

static void
count_polite (Connection *conn)
{
  if (conn->polite)
    return;
  conn->polite = TRUE;
  conn->server->n_polite++;
}

/* Reads and drops what is still queued so that close() sends a FIN, not a
 * reset that could destroy the last reply before the client read it. */
static void
drain_socket (GSocket *socket)
{
  guint8 buffer[4096];

  for (guint i = 0; i < 16; i++)
    if (g_socket_receive_with_blocking (socket, (char *) buffer, sizeof buffer, FALSE, NULL, NULL) <= 0)
      break;
}

static void
close_connection (Connection *conn)
{
  MtcDemoServer *self = conn->server;

  if (conn->closed)
    return;
  conn->closed = TRUE;
  g_debug ("port %u: closing the connection from %s%s", conn->port, conn->peer,
           conn->polite ? " (politely)" : "");

  g_cancellable_cancel (conn->cancellable);
  clear_source (&conn->io_source);
  clear_source (&conn->reply_source);
  clear_source (&conn->idle_source);

  if (conn->session != NULL)
    {
      if (conn->tls_established)
        gnutls_bye (conn->session, GNUTLS_SHUT_WR);   /* best effort, never waits */
      g_clear_pointer (&conn->session, gnutls_deinit);
    }
  drain_socket (conn->socket);
  g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
  g_socket_close (conn->socket, NULL);

  conn->server = NULL;
  g_hash_table_remove (self->connections, conn);   /* may free conn */
}

/* Closes with a reset instead of a FIN, as a server over its connection
 * limit or a firewall may. */
static void
reset_connection (Connection *conn)
{
  MtcDemoServer *self = conn->server;
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  if (conn->closed)
    return;
  conn->closed = TRUE;
  g_debug ("port %u: resetting the connection from %s", conn->port, conn->peer);
  g_cancellable_cancel (conn->cancellable);
  clear_source (&conn->io_source);
  clear_source (&conn->reply_source);
  clear_source (&conn->idle_source);
  g_clear_pointer (&conn->session, gnutls_deinit);
  setsockopt (g_socket_get_fd (conn->socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (conn->socket, NULL);
  conn->server = NULL;
  g_hash_table_remove (self->connections, conn);   /* may free conn */
}

static void
start_read (Connection *conn)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  if (conn->reading)
    return;
  conn->reading = TRUE;
  g_input_stream_read_async (input, conn->chunk, sizeof conn->chunk, G_PRIORITY_DEFAULT,
                             conn->cancellable, read_done_cb, connection_ref (conn));
}

static void
wait_for_socket (Connection *conn)
{
  GIOCondition condition = gnutls_record_get_direction (conn->session) == 0 ? G_IO_IN : G_IO_OUT;

  clear_source (&conn->io_source);
  conn->io_source = g_socket_create_source (conn->socket, condition, NULL);
  g_source_set_callback (conn->io_source, G_SOURCE_FUNC (socket_ready_cb), conn, NULL);
  attach (conn, conn->io_source);
}

/* Queues one reply; it is written in one piece after the service's delay. */
static void
send_reply (Connection *conn,
            GBytes     *reply,
            Next        next)
{
  g_assert (conn->reply == NULL);

  conn->reply = reply;
  conn->reply_offset = 0;
  conn->next = next;
  conn->reply_source = g_timeout_source_new (conn->config.delay_ms + conn->once_delay_ms);
  conn->once_delay_ms = 0;
  g_source_set_callback (conn->reply_source, reply_due_cb, conn, NULL);
  attach (conn, conn->reply_source);
}

static void
send_text (Connection *conn,
           Next        next,
           const char *text)
{
  send_reply (conn, g_bytes_new (text, strlen (text)), next);
}

/* A STARTTLS OK that fills a 4096-byte read exactly, and behind it, in the
 * same write, a forged TLS alert (handshake_failure): only a look at the
 * socket itself finds these bytes before the client's hello. */
static void
send_hidden_injection (Connection *conn)
{
  static const char alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
  GByteArray *reply = g_byte_array_new ();
  const char *start = "220 2.0.0 Ready to start TLS ";

  g_byte_array_append (reply, (const guint8 *) start, strlen (start));
  while (reply->len < 4096 - 2)
    g_byte_array_append (reply, (const guint8 *) "x", 1);
  g_byte_array_append (reply, (const guint8 *) "\r\n", 2);
  g_byte_array_append (reply, (const guint8 *) alert, sizeof alert);
  send_reply (conn, g_byte_array_free_to_bytes (reply), NEXT_START_TLS);
}

static void
send_printf (Connection *conn,
             Next        next,
             const char *format,
             ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  send_reply (conn, g_bytes_new_take (text, strlen (text)), next);
}

static void
write_reply (Connection *conn)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  gsize size;
  const guint8 *data = g_bytes_get_data (conn->reply, &size);

  conn->writing = TRUE;
  if (conn->session != NULL)
    tls_send (conn);
  else
    g_output_stream_write_all_async (output, data, size, G_PRIORITY_DEFAULT, conn->cancellable,
                                     write_done_cb, connection_ref (conn));
}

static void
reply_written (Connection *conn)
{
  touch (conn);
  conn->writing = FALSE;
  g_clear_pointer (&conn->reply, g_bytes_unref);

  switch (conn->next)
    {
    case NEXT_CONTINUE:
      continue_dialogue (conn);
      break;
    case NEXT_START_TLS:
      /* Whatever the client sent after the STARTTLS command was sent before
       * TLS: a strict server throws it away (RFC 3207, section 4). */
      g_byte_array_set_size (conn->input, 0);
      start_tls (conn);
      break;
    case NEXT_CLOSE:
      close_connection (conn);
      break;
    case NEXT_LATE_INJECTION:
      send_late_injection (conn);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
may_start_tls (Connection *conn)
{
  return conn->session == NULL && conn->mode == MODE_LINES
         && (conn->config.security == MTC_SECURITY_STARTTLS || conn->config.behaviour == MTC_DEMO_PLAINTEXT)
         && conn->config.behaviour != MTC_DEMO_NO_STARTTLS
         && conn->config.behaviour != MTC_DEMO_PREAUTH;
}

/* Whether this dialogue is still in plaintext although TLS is expected first. */
static gboolean
needs_tls_first (Connection *conn)
{
  return conn->session == NULL && conn->config.behaviour != MTC_DEMO_NO_STARTTLS;
}

static char *
imap_capabilities (Connection *conn)
{
  if (may_start_tls (conn))
    return g_strdup (IMAP_CAPABILITIES " STARTTLS LOGINDISABLED");
  return g_strdup (IMAP_CAPABILITIES " AUTH=PLAIN");
}

static void
send_long_line (Connection *conn)
{
  guint8 *line = g_malloc (LONG_LINE_LENGTH);

  memset (line, 'A', LONG_LINE_LENGTH);
  conn->mode = MODE_DISCARD;
  send_reply (conn, g_bytes_new_take (line, LONG_LINE_LENGTH), NEXT_CONTINUE);
}

/* The words of servers that limit connections per client address. */
static void
send_turn_away (Connection *conn)
{
  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      send_text (conn, NEXT_CLOSE, "421 4.7.0 Too many connections from your host\r\n");
      break;
    case MTC_PROTOCOL_IMAP:
      send_text (conn, NEXT_CLOSE, "* BYE Too many connections\r\n");
      break;
    case MTC_PROTOCOL_POP3:
      send_text (conn, NEXT_CLOSE, "-ERR [IN-USE] Too many connections\r\n");
      break;
    case MTC_PROTOCOL_HTTPS:
    default:
      close_connection (conn);
      break;
    }
}

static void
send_greeting (Connection *conn)
{
  g_autofree char *capabilities = NULL;

  conn->greeted = TRUE;

  if (conn->config.behaviour == MTC_DEMO_LONG_LINE)
    {
      send_long_line (conn);
      return;
    }
  if (conn->over_limit)
    {
      send_turn_away (conn);
      return;
    }

  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      if (conn->config.behaviour == MTC_DEMO_BUSY)
        send_printf (conn, NEXT_CLOSE,
                     "421 4.7.0 " SERVER_NAME " Error: too many connections from %s\r\n", conn->peer);
      else if (conn->config.behaviour == MTC_DEMO_MULTILINE_GREETING)
        send_text (conn, NEXT_CONTINUE,
                   "220-" SERVER_NAME " ESMTP\r\n220-Welcome to the demo\r\n220 Ready\r\n");
      else
        send_text (conn, NEXT_CONTINUE, "220 " SERVER_NAME " ESMTP Mail TLS Check demo\r\n");
      break;

    case MTC_PROTOCOL_IMAP:
      if (conn->config.behaviour == MTC_DEMO_BUSY)
        send_text (conn, NEXT_CLOSE, "* BYE Too many connections from your IP address\r\n");
      else if (conn->config.behaviour == MTC_DEMO_PREAUTH || conn->config.behaviour == MTC_DEMO_PREAUTH_OLD_REFUSED)
        send_text (conn, NEXT_CONTINUE, conn->session == NULL
                   ? "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] Logged in as demo\r\n"
                   : "* PREAUTH [CAPABILITY IMAP4rev1] Logged in as demo\r\n");
      else if (conn->config.behaviour == MTC_DEMO_NO_GREETING_CAPABILITY)
        send_text (conn, NEXT_CONTINUE, "* OK Mail TLS Check demo ready.\r\n");
      else
        {
          capabilities = imap_capabilities (conn);
          send_printf (conn, NEXT_CONTINUE, "* OK [CAPABILITY %s] Mail TLS Check demo ready.\r\n",
                       capabilities);
        }
      break;

    case MTC_PROTOCOL_POP3:
      if (conn->config.behaviour == MTC_DEMO_BUSY)
        send_text (conn, NEXT_CLOSE, "-ERR [IN-USE] Too many connections\r\n");
      else
        send_text (conn, NEXT_CONTINUE, "+OK Mail TLS Check demo ready.\r\n");
      break;

    case MTC_PROTOCOL_HTTPS:
      /* The client speaks first. */
      continue_dialogue (conn);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
split_command (const char  *line,
               char       **out_word,
               const char **out_rest)
{
  const char *space = strchr (line, ' ');

  *out_word = space != NULL ? g_strndup (line, space - line) : g_strdup (line);
  *out_rest = space != NULL ? space + 1 : "";
}

static void
smtp_command (Connection *conn,
              const char *line)
{
  g_autofree char *verb = NULL;
  const char *args;
  gboolean tls_offered = may_start_tls (conn);

  split_command (line, &verb, &args);

  if (*line == '\0')
    send_text (conn, NEXT_CONTINUE, "500 5.5.2 Error: bad syntax\r\n");
  else if (g_ascii_strcasecmp (verb, "EHLO") == 0)
    {
      if (*args == '\0')
        send_text (conn, NEXT_CONTINUE, "501 5.5.4 Syntax: EHLO hostname\r\n");
      else
        send_printf (conn, NEXT_CONTINUE,
                     "250-" SERVER_NAME "\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n%s%s250 8BITMIME\r\n",
                     tls_offered ? "250-STARTTLS\r\n" : "",
                     needs_tls_first (conn) ? "" : "250-AUTH PLAIN LOGIN\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "HELO") == 0)
    {
      if (*args == '\0')
        send_text (conn, NEXT_CONTINUE, "501 5.5.4 Syntax: HELO hostname\r\n");
      else
        send_text (conn, NEXT_CONTINUE, "250 " SERVER_NAME "\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "STARTTLS") == 0)
    {
      if (conn->session != NULL)
        send_text (conn, NEXT_CONTINUE, "554 5.5.1 Error: TLS already active\r\n");
      else if (!tls_offered)
        send_text (conn, NEXT_CONTINUE, "454 4.7.0 TLS not available\r\n");
      else if (*args != '\0')
        send_text (conn, NEXT_CONTINUE, "501 5.5.4 Syntax: STARTTLS\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION)
        send_text (conn, NEXT_START_TLS, "220 2.0.0 Ready to start TLS\r\n250 injected\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_LATE)
        send_text (conn, NEXT_LATE_INJECTION, "220 2.0.0 Ready to start TLS\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_HIDDEN)
        send_hidden_injection (conn);
      else if (conn->config.behaviour == MTC_DEMO_STARTTLS_250)
        send_text (conn, NEXT_START_TLS, "250 2.0.0 Ok, go ahead\r\n");
      else
        send_text (conn, NEXT_START_TLS, "220 2.0.0 Ready to start TLS\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "QUIT") == 0)
    {
      count_polite (conn);
      send_text (conn, NEXT_CLOSE, "221 2.0.0 Bye\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "NOOP") == 0 || g_ascii_strcasecmp (verb, "RSET") == 0)
    send_text (conn, NEXT_CONTINUE, "250 2.0.0 Ok\r\n");
  else if (g_ascii_strcasecmp (verb, "AUTH") == 0 || g_ascii_strcasecmp (verb, "MAIL") == 0
           || g_ascii_strcasecmp (verb, "RCPT") == 0 || g_ascii_strcasecmp (verb, "DATA") == 0)
    {
      if (needs_tls_first (conn))
        send_text (conn, NEXT_CONTINUE, "530 5.7.0 Must issue a STARTTLS command first\r\n");
      else if (g_ascii_strcasecmp (verb, "AUTH") == 0)
        send_text (conn, NEXT_CONTINUE, "535 5.7.8 Error: authentication failed\r\n");
      else
        send_text (conn, NEXT_CONTINUE, "530 5.7.0 Authentication required\r\n");
    }
  else
    send_text (conn, NEXT_CONTINUE, "502 5.5.2 Error: command not recognized\r\n");
}

static void
imap_command (Connection *conn,
              const char *line)
{
  g_autofree char *tag = NULL;
  g_autofree char *command = NULL;
  g_autofree char *capabilities = NULL;
  const char *rest;
  const char *args;

  split_command (line, &tag, &rest);
  if (*tag == '\0' || *rest == '\0' || strcmp (tag, "*") == 0 || strcmp (tag, "+") == 0)
    {
      send_text (conn, NEXT_CONTINUE, "* BAD Error in IMAP command received by server.\r\n");
      return;
    }
  split_command (rest, &command, &args);

  if (g_ascii_strcasecmp (command, "CAPABILITY") == 0)
    {
      capabilities = imap_capabilities (conn);
      send_printf (conn, NEXT_CONTINUE, "* CAPABILITY %s\r\n%s OK Capability completed.\r\n",
                   capabilities, tag);
    }
  else if (g_ascii_strcasecmp (command, "STARTTLS") == 0)
    {
      if (conn->session != NULL)
        send_printf (conn, NEXT_CONTINUE, "%s BAD TLS is already active.\r\n", tag);
      else if (conn->config.behaviour == MTC_DEMO_PREAUTH)
        send_printf (conn, NEXT_CONTINUE, "%s BAD STARTTLS not allowed in authenticated state\r\n", tag);
      else if (!may_start_tls (conn))
        send_printf (conn, NEXT_CONTINUE, "%s BAD STARTTLS not supported\r\n", tag);
      else if (conn->config.behaviour == MTC_DEMO_INJECTION)
        send_printf (conn, NEXT_START_TLS, "%s OK Begin TLS negotiation now.\r\n* OK injected\r\n", tag);
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_LATE)
        send_printf (conn, NEXT_LATE_INJECTION, "%s OK Begin TLS negotiation now.\r\n", tag);
      else
        send_printf (conn, NEXT_START_TLS, "%s OK Begin TLS negotiation now.\r\n", tag);
    }
  else if (g_ascii_strcasecmp (command, "LOGOUT") == 0)
    {
      count_polite (conn);
      send_printf (conn, NEXT_CLOSE, "* BYE Logging out\r\n%s OK Logout completed.\r\n", tag);
    }
  else if (g_ascii_strcasecmp (command, "NOOP") == 0)
    send_printf (conn, NEXT_CONTINUE, "%s OK NOOP completed.\r\n", tag);
  else if (g_ascii_strcasecmp (command, "ID") == 0)
    send_printf (conn, NEXT_CONTINUE, "* ID (\"name\" \"Mail TLS Check demo\")\r\n%s OK ID completed.\r\n", tag);
  else if (g_ascii_strcasecmp (command, "LOGIN") == 0 || g_ascii_strcasecmp (command, "AUTHENTICATE") == 0)
    {
      if (needs_tls_first (conn) && conn->config.behaviour != MTC_DEMO_PREAUTH)
        send_printf (conn, NEXT_CONTINUE, "%s NO [PRIVACYREQUIRED] Plaintext authentication disallowed "
                     "on non-secure (SSL/TLS) connections.\r\n", tag);
      else
        send_printf (conn, NEXT_CONTINUE, "%s NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", tag);
    }
  else
    send_printf (conn, NEXT_CONTINUE, "%s BAD Error in IMAP command\r\n", tag);
}

static void
pop3_command (Connection *conn,
              const char *line)
{
  g_autofree char *verb = NULL;
  const char *args;
  gboolean tls_offered = may_start_tls (conn);

  split_command (line, &verb, &args);

  if (g_ascii_strcasecmp (verb, "CAPA") == 0)
    send_printf (conn, NEXT_CONTINUE,
                 "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n%s%sSASL PLAIN\r\n.\r\n",
                 tls_offered ? "STLS\r\n" : "",
                 needs_tls_first (conn) ? "" : "USER\r\n");
  else if (g_ascii_strcasecmp (verb, "STLS") == 0)
    {
      if (conn->session != NULL)
        send_text (conn, NEXT_CONTINUE, "-ERR [IN-USE] TLS is already active.\r\n");
      else if (!tls_offered)
        send_text (conn, NEXT_CONTINUE, "-ERR STLS not supported\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION)
        send_text (conn, NEXT_START_TLS, "+OK Begin TLS negotiation now.\r\n+OK injected\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_LATE)
        send_text (conn, NEXT_LATE_INJECTION, "+OK Begin TLS negotiation now.\r\n");
      else
        send_text (conn, NEXT_START_TLS, "+OK Begin TLS negotiation now.\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "QUIT") == 0)
    {
      count_polite (conn);
      send_text (conn, NEXT_CLOSE, "+OK Logging out.\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "USER") == 0 || g_ascii_strcasecmp (verb, "PASS") == 0
           || g_ascii_strcasecmp (verb, "AUTH") == 0 || g_ascii_strcasecmp (verb, "APOP") == 0)
    {
      if (needs_tls_first (conn))
        send_text (conn, NEXT_CONTINUE, "-ERR [AUTH] Plaintext authentication disallowed on "
                   "non-secure (SSL/TLS) connections.\r\n");
      else if (g_ascii_strcasecmp (verb, "USER") == 0)
        send_text (conn, NEXT_CONTINUE, "+OK\r\n");
      else
        send_text (conn, NEXT_CONTINUE, "-ERR [AUTH] Authentication failed.\r\n");
    }
  else
    send_text (conn, NEXT_CONTINUE, "-ERR Unknown command.\r\n");
}

static gboolean
is_request_line (const char *line,
                 gboolean   *out_head)
{
  g_auto (GStrv) parts = g_strsplit (line, " ", -1);

  if (g_strv_length (parts) != 3 || *parts[0] == '\0' || !g_str_has_prefix (parts[2], "HTTP/1."))
    return FALSE;
  for (const char *c = parts[0]; *c != '\0'; c++)
    if (!g_ascii_isupper (*c))
      return FALSE;
  *out_head = strcmp (parts[0], "HEAD") == 0;
  return TRUE;
}

static void
send_bad_request (Connection *conn)
{
  send_text (conn, NEXT_CLOSE, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

static void
http_line (Connection *conn,
           const char *line)
{
  gboolean head = FALSE;

  if (!conn->request_line_seen)
    {
      if (*line == '\0')
        return;   /* RFC 9112: ignore empty lines before the request line */
      if (!is_request_line (line, &head))
        {
          send_bad_request (conn);
          return;
        }
      conn->request_line_seen = TRUE;
      conn->head_request = head;
      return;
    }
  if (*line != '\0')
    return;

  /* A whole request ends the conversation as politely as QUIT does: the
   * server closes after its answer. */
  count_polite (conn);
  if (conn->config.behaviour == MTC_DEMO_BUSY)
    send_text (conn, NEXT_CLOSE,
               "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 60\r\n"
               "Connection: close\r\n\r\n");
  else
    send_printf (conn, NEXT_CLOSE,
                 "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %"
                 G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n%s",
                 strlen (webmail_page), conn->head_request ? "" : webmail_page);
}

static void
handle_line (Connection *conn,
             const char *line)
{
  if (conn->config.behaviour == MTC_DEMO_DIE_MID_DIALOGUE)
    {
      close_connection (conn);
      return;
    }
  if (old_tls_refused (conn))
    {
      refuse_inside_tls (conn);
      return;
    }

  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      smtp_command (conn, line);
      break;
    case MTC_PROTOCOL_IMAP:
      imap_command (conn, line);
      break;
    case MTC_PROTOCOL_POP3:
      pop3_command (conn, line);
      break;
    case MTC_PROTOCOL_HTTPS:
      http_line (conn, line);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Handles the complete lines in the input, one command at a time.  Returns
 * TRUE when more input is needed. */
static gboolean
handle_buffered_input (Connection *conn)
{
  while (!conn->closed && conn->reply == NULL)
    {
      guint8 *newline;
      gsize length;
      g_autofree char *line = NULL;

      /* A web server need not wait for the line end of a request that cannot
       * be HTTP, such as a ClientHello on a plaintext port. */
      if (conn->config.protocol == MTC_PROTOCOL_HTTPS && !conn->request_line_seen && conn->input->len > 0
          && !g_ascii_isupper (conn->input->data[0]) && conn->input->data[0] != '\r'
          && conn->input->data[0] != '\n')
        {
          send_bad_request (conn);
          return FALSE;
        }

      if (conn->input->len == 0)
        return TRUE;
      newline = memchr (conn->input->data, '\n', conn->input->len);
      if (newline == NULL)
        return TRUE;
      length = newline - conn->input->data;
      line = g_strndup ((const char *) conn->input->data, length);   /* stops at a NUL, too */
      g_byte_array_remove_range (conn->input, 0, length + 1);
      length = strlen (line);
      if (length > 0 && line[length - 1] == '\r')
        line[length - 1] = '\0';
      handle_line (conn, line);
    }
  return FALSE;
}

static gboolean
hello_arrived (Connection *conn)
{
  g_autofree guint8 *garbage = NULL;
  static const char filler[] = " this is not TLS, garbage";

  switch (conn->config.behaviour)
    {
    case MTC_DEMO_TLS_GARBAGE:
      garbage = g_malloc (GARBAGE_LENGTH);
      memcpy (garbage, "\x15\x03\x03garbage", 10);
      for (gsize i = 10; i < GARBAGE_LENGTH; i++)
        garbage[i] = filler[(i - 10) % (sizeof filler - 1)];
      conn->mode = MODE_DISCARD;
      send_reply (conn, g_bytes_new_take (g_steal_pointer (&garbage), GARBAGE_LENGTH), NEXT_CLOSE);
      return FALSE;
    case MTC_DEMO_STALL_HANDSHAKE:
      conn->mode = MODE_DISCARD;
      return TRUE;
    case MTC_DEMO_DIE_MID_HANDSHAKE:
    default:
      close_connection (conn);
      return FALSE;
    }
}

/* New bytes from the client.  Returns TRUE when more should be read now. */
static gboolean
input_arrived (Connection   *conn,
               const guint8 *data,
               gsize         size)
{
  touch (conn);

  switch (conn->mode)
    {
    case MODE_DISCARD:
      return TRUE;
    case MODE_CLOSE_ON_DATA:
      close_connection (conn);
      return FALSE;
    case MODE_HELLO:
      return hello_arrived (conn);
    case MODE_LINES:
      if (conn->input->len + size > MAX_INPUT_BYTES)
        {
          g_debug ("port %u: %s sent more than %u bytes without a line end", conn->port, conn->peer, MAX_INPUT_BYTES);
          close_connection (conn);
          return FALSE;
        }
      g_byte_array_append (conn->input, data, size);
      return handle_buffered_input (conn);
    case MODE_HANDSHAKE:
    default:
      g_assert_not_reached ();
    }
}

static void
continue_dialogue (Connection *conn)
{
  if (conn->closed || conn->reply != NULL)
    return;
  if (conn->mode == MODE_LINES && !handle_buffered_input (conn))
    return;
  if (conn->session != NULL)
    tls_receive (conn);
  else
    start_read (conn);
}

static void
tls_established (Connection *conn)
{
  char *description = gnutls_session_get_desc (conn->session);

  conn->tls_established = TRUE;
  conn->mode = MODE_LINES;
  g_debug ("port %u: %s negotiated %s", conn->port, conn->peer, description);
  gnutls_free (description);
  record_server_name (conn);

  if (conn->config.security == MTC_SECURITY_IMPLICIT && !conn->greeted && old_tls_refused (conn))
    refuse_inside_tls (conn);
  else if (conn->config.security == MTC_SECURITY_IMPLICIT && !conn->greeted)
    send_greeting (conn);
  else
    continue_dialogue (conn);
}

static void
start_tls (Connection *conn)
{
  int ret;

  switch (conn->config.behaviour)
    {
    case MTC_DEMO_TLS_GARBAGE:
    case MTC_DEMO_DIE_MID_HANDSHAKE:
    case MTC_DEMO_STALL_HANDSHAKE:
      conn->mode = MODE_HELLO;
      start_read (conn);
      return;
    default:
      break;
    }

  ret = gnutls_init (&conn->session, GNUTLS_SERVER | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL);
  if (ret >= 0)
    ret = gnutls_priority_set (conn->session, conn->priority);
  if (ret >= 0)
    ret = gnutls_credentials_set (conn->session, GNUTLS_CRD_CERTIFICATE, conn->server->credentials);
  if (ret < 0)
    {
      g_warning ("Cannot start TLS: %s", gnutls_strerror (ret));
      close_connection (conn);
      return;
    }
  gnutls_certificate_server_set_request (conn->session, GNUTLS_CERT_IGNORE);
  gnutls_transport_set_int (conn->session, g_socket_get_fd (conn->socket));
  watch_client_hello (conn);
  conn->mode = MODE_HANDSHAKE;
  tls_handshake (conn);
}

static void
tls_handshake (Connection *conn)
{
  int ret;

  do
    ret = gnutls_handshake (conn->session);
  while (ret < 0 && !gnutls_error_is_fatal (ret) && ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED);

  if (ret == GNUTLS_E_SUCCESS)
    tls_established (conn);
  else if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
    wait_for_socket (conn);
  else
    {
      g_debug ("port %u: TLS handshake with %s failed: %s", conn->port, conn->peer, gnutls_strerror (ret));
      if (conn->hello_refused)
        refuse_hello (conn);
      else
        {
          gnutls_alert_send_appropriate (conn->session, ret);
          close_connection (conn);
        }
    }
}

static void
tls_receive (Connection *conn)
{
  for (;;)
    {
      ssize_t ret = gnutls_record_recv (conn->session, conn->chunk, sizeof conn->chunk);

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          wait_for_socket (conn);
          return;
        }
      if (ret == 0)
        {
          g_debug ("port %u: %s sent close_notify", conn->port, conn->peer);
          count_polite (conn);
          close_connection (conn);
          return;
        }
      if (ret < 0)
        {
          if (!gnutls_error_is_fatal (ret))
            continue;
          g_debug ("port %u: TLS receive from %s failed: %s", conn->port, conn->peer, gnutls_strerror (ret));
          close_connection (conn);
          return;
        }
      if (!input_arrived (conn, conn->chunk, ret))
        return;
    }
}

static void
tls_send (Connection *conn)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (conn->reply, &size);

  while (conn->reply_offset < size)
    {
      ssize_t ret = gnutls_record_send (conn->session, data + conn->reply_offset, size - conn->reply_offset);

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          wait_for_socket (conn);
          return;
        }
      if (ret < 0)
        {
          g_debug ("port %u: TLS send to %s failed: %s", conn->port, conn->peer, gnutls_strerror (ret));
          close_connection (conn);
          return;
        }
      conn->reply_offset += ret;
    }
  reply_written (conn);
}

static void
start_connection (Connection *conn)
{
  switch (conn->config.behaviour)
    {
    case MTC_DEMO_CLOSE:
      close_connection (conn);
      return;
    case MTC_DEMO_SILENT:
      conn->mode = MODE_DISCARD;
      start_read (conn);
      return;
    case MTC_DEMO_OTHER_SERVICE:
      conn->mode = MODE_CLOSE_ON_DATA;
      send_text (conn, NEXT_CONTINUE, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
      return;
    case MTC_DEMO_HTTP:
      send_text (conn, NEXT_CLOSE, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    case MTC_DEMO_CONNECTION_LIMIT_RESET:
      if (conn->over_limit)
        {
          reset_connection (conn);
          return;
        }
      break;
    case MTC_DEMO_CONNECTION_LIMIT_HOST:
      if (conn->over_limit && conn->config.protocol == MTC_PROTOCOL_SMTP)
        {
          /* Exim's own words, before any TLS. */
          send_text (conn, NEXT_CLOSE, "421 Too many concurrent SMTP connections from this IP address; please try "
                     "again later.\r\n");
          return;
        }
      if (conn->over_limit)
        {
          send_turn_away (conn);
          return;
        }
      break;
    default:
      break;
    }

  if (conn->config.security == MTC_SECURITY_IMPLICIT && conn->config.behaviour != MTC_DEMO_PLAINTEXT)
    start_tls (conn);
  else
    send_greeting (conn);
}

/* Whether the client still holds the connection open (it has not closed
 * its side, even if this server has not read that yet). */
static gboolean
peer_still_open (Connection *conn)
{
  struct pollfd pfd = { .fd = g_socket_get_fd (conn->socket), .events = POLLRDHUP };

  if (conn->closed)
    return FALSE;
  if (poll (&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)))
    return FALSE;
  return TRUE;
}

/* Connections to PORT (from PEER, unless NULL) that the client holds open. */
static guint
count_open (MtcDemoServer *self,
            guint16        port,
            const char    *peer)
{
  GHashTableIter iter;
  gpointer key;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Connection *conn = key;

      if (conn->port == port && (peer == NULL || g_strcmp0 (conn->peer, peer) == 0) && peer_still_open (conn))
        count++;
    }
  return count;
}

/* Connections from PEER to any service with a per-host limit that the client
 * holds open. */
static guint
count_open_host (MtcDemoServer *self,
                 const char    *peer)
{
  GHashTableIter iter;
  gpointer key;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Connection *conn = key;

      if (conn->config.behaviour == MTC_DEMO_CONNECTION_LIMIT_HOST && g_strcmp0 (conn->peer, peer) == 0
          && peer_still_open (conn))
        count++;
    }
  return count;
}

static void
count_concurrent (Connection *conn)
{
  MtcDemoServer *self = conn->server;
  guint count = count_open (self, conn->port, NULL);
  gpointer key = GUINT_TO_POINTER (conn->port);

  if (count > GPOINTER_TO_UINT (g_hash_table_lookup (self->max_concurrent, key)))
    g_hash_table_insert (self->max_concurrent, key, GUINT_TO_POINTER (count));
  if (conn->config.behaviour == MTC_DEMO_CONNECTION_LIMIT || conn->config.behaviour == MTC_DEMO_CONNECTION_LIMIT_RESET)
    conn->over_limit = count_open (self, conn->port, conn->peer) > conn->config.max_per_client;
  else if (conn->config.behaviour == MTC_DEMO_CONNECTION_LIMIT_HOST)
    conn->over_limit = count_open_host (self, conn->peer) > conn->config.max_per_client;
}

static char *
describe_peer (GSocketConnection *connection)
{
  g_autoptr (GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup ("unknown");
}

/* Callbacks */

static gboolean
incoming_cb (GSocketService    *listener,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Service *service = user_data;
  MtcDemoServer *self = service->server;
  Connection *conn = g_new0 (Connection, 1);

  conn->ref_count = 1;
  conn->server = self;
  conn->config = service->config;
  conn->priority = service->priority;
  conn->port = service->port;
  conn->connection = g_object_ref (connection);
  conn->socket = g_object_ref (g_socket_connection_get_socket (connection));
  /* As nginx does by default: a reply right after a TLS record would
   * otherwise wait for the client's delayed ACK (Nagle), 40 ms a time. */
  g_socket_set_option (conn->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  conn->cancellable = g_cancellable_new ();
  conn->peer = describe_peer (connection);
  conn->input = g_byte_array_new ();
  conn->mode = MODE_LINES;
  touch (conn);

  self->n_accepted++;
  g_hash_table_add (self->connections, conn);
  g_debug ("port %u: connection from %s", conn->port, conn->peer);
  count_concurrent (conn);

  arm_idle_timer (conn, self->idle_timeout_ms);
  /* As in the source callbacks: the connection may close at once. */
  connection_ref (conn);
  start_connection (conn);
  connection_unref (conn);
  return TRUE;
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  g_autoptr (Connection) conn = connection_ref (user_data);
  gint64 idle_ms = (g_get_monotonic_time () - conn->last_activity) / 1000;
  guint timeout_ms = conn->server->idle_timeout_ms;

  g_clear_pointer (&conn->idle_source, g_source_unref);
  if (idle_ms >= timeout_ms)
    {
      g_debug ("port %u: %s was idle for %u ms", conn->port, conn->peer, timeout_ms);
      close_connection (conn);
    }
  else
    arm_idle_timer (conn, timeout_ms - idle_ms);
  return G_SOURCE_REMOVE;
}

/* The callbacks of the connection's own sources hold a reference while they
 * run: what they call may close the connection, which drops the table's
 * reference, and the callers up the stack still look at conn->closed. */

static gboolean
reply_due_cb (gpointer user_data)
{
  g_autoptr (Connection) conn = connection_ref (user_data);

  g_clear_pointer (&conn->reply_source, g_source_unref);
  write_reply (conn);
  return G_SOURCE_REMOVE;
}

static gboolean
socket_ready_cb (GSocket     *socket,
                 GIOCondition condition,
                 gpointer     user_data)
{
  g_autoptr (Connection) conn = connection_ref (user_data);

  g_clear_pointer (&conn->io_source, g_source_unref);
  touch (conn);
  if (conn->mode == MODE_HANDSHAKE)
    tls_handshake (conn);
  else if (conn->writing)
    tls_send (conn);
  else
    tls_receive (conn);
  return G_SOURCE_REMOVE;
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (Connection) conn = user_data;
  g_autoptr (GError) error = NULL;
  gssize size = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  conn->reading = FALSE;
  if (conn->closed)
    return;

  if (size < 0)
    {
      g_debug ("port %u: reading from %s failed: %s", conn->port, conn->peer, error->message);
      close_connection (conn);
    }
  else if (size == 0)
    {
      g_debug ("port %u: %s closed the connection", conn->port, conn->peer);
      close_connection (conn);
    }
  else if (input_arrived (conn, conn->chunk, size))
    start_read (conn);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (Connection) conn = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!conn->closed)
        {
          g_debug ("port %u: writing to %s failed: %s", conn->port, conn->peer, error->message);
          close_connection (conn);
        }
      return;
    }
  if (!conn->closed)
    reply_written (conn);
}

/* Class */

static void
mtc_demo_server_dispose (GObject *object)
{
  MtcDemoServer *self = MTC_DEMO_SERVER (object);

  mtc_demo_server_stop (self);

  G_OBJECT_CLASS (mtc_demo_server_parent_class)->dispose (object);
}

static void
mtc_demo_server_finalize (GObject *object)
{
  MtcDemoServer *self = MTC_DEMO_SERVER (object);

  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->server_names, g_ptr_array_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->max_concurrent, g_hash_table_unref);
  g_clear_pointer (&self->credentials, gnutls_certificate_free_credentials);
  g_clear_pointer (&self->rsa_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->rsa_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->ecdsa_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->ecdsa_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->ca_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->ca_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->ca_pem, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (mtc_demo_server_parent_class)->finalize (object);
}

static void
mtc_demo_server_class_init (MtcDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mtc_demo_server_dispose;
  object_class->finalize = mtc_demo_server_finalize;
}

static void
mtc_demo_server_init (MtcDemoServer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  self->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                             (GDestroyNotify) connection_unref, NULL);
  self->idle_timeout_ms = DEFAULT_IDLE_TIMEOUT_MS;
  self->max_concurrent = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->server_names = g_ptr_array_new_with_free_func (g_free);
}

/* Public API */

/**
 * mtc_demo_server_new:
 *
 * Makes a demo server with a fresh CA and server certificate, without any
 * service yet.  Its services run on the thread-default main context of the
 * calling thread.
 */
MtcDemoServer *
mtc_demo_server_new (GError **error)
{
  g_autoptr (MtcDemoServer) self = g_object_new (MTC_TYPE_DEMO_SERVER, NULL);

  if (!make_ca_and_server_certificate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * mtc_demo_server_add_service:
 * @address: the IP address to listen on, e.g. "127.0.0.1"
 * @port: the port, or 0 for a free one
 *
 * Returns: the port the service listens on, or 0 with @error set.
 */
guint16
mtc_demo_server_add_service (MtcDemoServer              *self,
                             const MtcDemoServiceConfig *config,
                             const char                 *address,
                             guint16                     port,
                             GError                    **error)
{
  g_autoptr (GInetAddress) inet_address = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autoptr (GSocketAddress) effective_address = NULL;
  g_autofree char *priority = NULL;
  Service *service;
  const char *error_pos = NULL;
  gboolean added;
  int ret;

  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), 0);
  g_return_val_if_fail (config != NULL, 0);
  g_return_val_if_fail (address != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (config->protocol > MTC_PROTOCOL_HTTPS
      || (config->security != MTC_SECURITY_STARTTLS && config->security != MTC_SECURITY_IMPLICIT)
      || (config->protocol == MTC_PROTOCOL_HTTPS && config->security != MTC_SECURITY_IMPLICIT)
      || config->behaviour > MTC_DEMO_PREAUTH_OLD_REFUSED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Unsupported demo service");
      return 0;
    }
  if (config->min_version < MTC_TLS_1_0 || config->max_version >= MTC_N_TLS_VERSIONS
      || config->min_version > config->max_version)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid TLS version range");
      return 0;
    }
  inet_address = g_inet_address_new_from_string (address);
  if (inet_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an IP address: %s", address);
      return 0;
    }

  if ((config->legacy_ciphers || config->min_version < MTC_TLS_1_2) && !ensure_rsa_certificate (self, error))
    return 0;

  priority = build_priority_string (config);
  service = g_new0 (Service, 1);
  service->server = self;
  service->config = *config;
  if (config->behaviour == MTC_DEMO_HTTPS_ON_MAIL_PORT)
    service->config.protocol = MTC_PROTOCOL_HTTPS;
  ret = gnutls_priority_init2 (&service->priority, priority, &error_pos, 0);
  if (ret < 0)
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, "GnuTLS does not accept the priority “%s” at “%s”: %s",
                   priority, error_pos != NULL ? error_pos : "", gnutls_strerror (ret));
      service_free (service);
      return 0;
    }

  service->listener = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service->listener), LISTEN_BACKLOG);
  service->incoming_id = g_signal_connect (service->listener, "incoming", G_CALLBACK (incoming_cb), service);

  socket_address = g_inet_socket_address_new (inet_address, port);
  /* The listener accepts on the thread-default context of this call. */
  g_main_context_push_thread_default (self->context);
  added = g_socket_listener_add_address (G_SOCKET_LISTENER (service->listener), socket_address,
                                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                         &effective_address, error);
  g_main_context_pop_thread_default (self->context);
  if (!added)
    {
      service_free (service);
      return 0;
    }

  service->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective_address));
  g_debug ("listening on %s port %u (%s)", address, service->port, priority);
  g_ptr_array_add (self->services, service);
  return service->port;
}

/**
 * mtc_demo_server_start_provider_full:
 * @address: the IP address to listen on
 * @base_port: 0 for free ports, otherwise the services listen on
 *   @base_port … @base_port + 6
 * @legacy: TLS 1.0 to 1.3 with legacy ciphers instead of TLS 1.2 and 1.3
 *
 * Starts the demo provider: SMTP with STARTTLS, SMTPS, IMAP with STARTTLS,
 * IMAPS, POP3 with STARTTLS, POP3S and HTTPS webmail.
 *
 * Returns: (transfer full): the endpoints (#MtcEndpoint) in that order.
 */
GPtrArray *
mtc_demo_server_start_provider_full (MtcDemoServer  *self,
                                     const char     *address,
                                     guint16         base_port,
                                     gboolean        legacy,
                                     GError        **error)
{
  static const struct {
    MtcProtocol protocol;
    MtcSecurity security;
  } provider_services[] = {
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS },
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT },
    { MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS },
    { MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT },
    { MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT },
  };
  g_autoptr (GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);

  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (base_port != 0 && base_port > G_MAXUINT16 - (G_N_ELEMENTS (provider_services) - 1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Base port %u is too high", base_port);
      return NULL;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (provider_services); i++)
    {
      MtcDemoServiceConfig config = {
        .protocol = provider_services[i].protocol,
        .security = provider_services[i].security,
        .min_version = legacy ? MTC_TLS_1_0 : MTC_TLS_1_2,
        .max_version = MTC_TLS_1_3,
        .legacy_ciphers = legacy,
        .behaviour = MTC_DEMO_NORMAL,
        .delay_ms = self->provider_delay_ms,
      };
      guint16 port = mtc_demo_server_add_service (self, &config, address,
                                                  base_port != 0 ? base_port + i : 0, error);
      MtcEndpoint *endpoint;

      if (port == 0)
        return NULL;
      endpoint = mtc_endpoint_new (config.protocol, config.security, address, port);
      endpoint->source = g_strdup ("demo");
      g_ptr_array_add (endpoints, endpoint);
    }
  return g_steal_pointer (&endpoints);
}

/**
 * mtc_demo_server_start_provider:
 *
 * The built-in demo provider (TLS 1.2 and 1.3 only) on free ports of
 * 127.0.0.1; see mtc_demo_server_start_provider_full().
 *
 * Returns: (transfer full): the endpoints (#MtcEndpoint).
 */
GPtrArray *
mtc_demo_server_start_provider (MtcDemoServer  *self,
                                GError        **error)
{
  return mtc_demo_server_start_provider_full (self, "127.0.0.1", 0, FALSE, error);
}

/**
 * mtc_demo_server_get_ca:
 *
 * Returns: (transfer full): the demo CA, which signed the servers' certificates
 */
GTlsCertificate *
mtc_demo_server_get_ca (MtcDemoServer *self)
{
  g_autoptr (GError) error = NULL;
  GTlsCertificate *ca;

  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), NULL);

  ca = g_tls_certificate_new_from_pem (self->ca_pem, -1, &error);
  if (ca == NULL)
    g_warning ("Cannot load the demo CA: %s", error->message);
  return ca;
}

/**
 * mtc_demo_server_get_ca_pem:
 *
 * Returns: (transfer full): the demo CA in PEM form
 */
char *
mtc_demo_server_get_ca_pem (MtcDemoServer *self)
{
  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), NULL);

  return g_strdup (self->ca_pem);
}

/**
 * mtc_demo_server_set_idle_timeout:
 * @timeout_ms: close a connection after this long without traffic; at most
 *   30 000 ms
 *
 * Applies to connections accepted from now on (and to the idle checks of
 * open ones).
 */
void
mtc_demo_server_set_idle_timeout (MtcDemoServer *self,
                                  guint          timeout_ms)
{
  g_return_if_fail (MTC_IS_DEMO_SERVER (self));
  g_return_if_fail (timeout_ms > 0);

  self->idle_timeout_ms = MIN (timeout_ms, DEFAULT_IDLE_TIMEOUT_MS);
}

guint
mtc_demo_server_get_n_accepted (MtcDemoServer *self)
{
  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), 0);

  return self->n_accepted;
}

guint
mtc_demo_server_get_n_open (MtcDemoServer *self)
{
  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), 0);

  return g_hash_table_size (self->connections);
}

guint
mtc_demo_server_get_n_polite (MtcDemoServer *self)
{
  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), 0);

  return self->n_polite;
}

/* The most connections to PORT that clients held open at once, counted
 * whenever one arrives (connections the client has closed, even if this
 * server has not read that yet, do not count). */
guint
mtc_demo_server_get_max_concurrent (MtcDemoServer *self,
                                    guint16        port)
{
  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->max_concurrent, GUINT_TO_POINTER (port)));
}

/**
 * mtc_demo_server_stop:
 *
 * Closes every listener and every open connection.  The server can be given
 * new services afterwards.
 */
void
mtc_demo_server_stop (MtcDemoServer *self)
{
  GList *connections;

  g_return_if_fail (MTC_IS_DEMO_SERVER (self));

  if (self->services != NULL)
    for (guint i = 0; i < self->services->len; i++)
      {
        Service *service = g_ptr_array_index (self->services, i);

        g_clear_signal_handler (&service->incoming_id, service->listener);
        g_socket_service_stop (service->listener);
        g_socket_listener_close (G_SOCKET_LISTENER (service->listener));
      }

  if (self->connections != NULL)
    {
      connections = g_hash_table_get_keys (self->connections);
      for (GList *l = connections; l != NULL; l = l->next)
        close_connection (l->data);
      g_list_free (connections);
    }

  /* The priorities go with the services, after the last session using them. */
  if (self->services != NULL)
    g_ptr_array_set_size (self->services, 0);
}

/* Makes the demo provider's servers wait DELAY_MS before every reply, as a
 * distant or slow provider would (for trying the wizard's progress and
 * Cancel). Applies to providers started afterwards. */
void
mtc_demo_server_set_provider_delay (MtcDemoServer *self,
                                    guint          delay_ms)
{
  g_return_if_fail (MTC_IS_DEMO_SERVER (self));
  self->provider_delay_ms = delay_ms;
}

/* The server name (SNI) each completed handshake carried, in order, "" for
 * a hello without one.
 *
 * Returns: (transfer full): the names */
GStrv
mtc_demo_server_dup_server_names (MtcDemoServer *self)
{
  GStrvBuilder *builder;
  GStrv names;

  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->server_names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->server_names, i));
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* Misbehaviours around old TLS versions (appended; see MtcDemoBehaviour). */

static void
record_server_name (Connection *conn)
{
  char name[256];
  size_t size = sizeof name;
  unsigned int type = 0;

  if (gnutls_server_name_get (conn->session, name, &size, &type, 0) == GNUTLS_E_SUCCESS
      && type == GNUTLS_NAME_DNS)
    g_ptr_array_add (conn->server->server_names, g_strndup (name, size));
  else
    g_ptr_array_add (conn->server->server_names, g_strdup (""));
}

/* Whether this connection negotiated an old version that the service turns
 * away inside TLS. */
static gboolean
old_tls_refused (Connection *conn)
{
  gnutls_protocol_t version;

  if (conn->session == NULL || !conn->tls_established
      || (conn->config.behaviour != MTC_DEMO_OLD_REFUSED_INSIDE_TLS
          && conn->config.behaviour != MTC_DEMO_OLD_CLOSED_INSIDE_TLS
          && conn->config.behaviour != MTC_DEMO_PREAUTH_OLD_REFUSED))
    return FALSE;
  version = gnutls_protocol_get_version (conn->session);
  return version == GNUTLS_TLS1_0 || version == GNUTLS_TLS1_1;
}

/* As Microsoft 365 answers a client that negotiated TLS 1.0: the greeting
 * on an implicit-TLS port, or the reply to the first command after
 * STARTTLS, turns it away. */
static void
refuse_inside_tls (Connection *conn)
{
  if (conn->config.behaviour == MTC_DEMO_OLD_CLOSED_INSIDE_TLS)
    {
      close_connection (conn);
      return;
    }
  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      send_text (conn, NEXT_CLOSE, "421 4.7.66 " OLD_TLS_REFUSAL "\r\n");
      break;
    case MTC_PROTOCOL_IMAP:
      send_text (conn, NEXT_CLOSE, "* BYE " OLD_TLS_REFUSAL "\r\n");
      break;
    case MTC_PROTOCOL_POP3:
      send_text (conn, NEXT_CLOSE, "-ERR " OLD_TLS_REFUSAL "\r\n");
      break;
    case MTC_PROTOCOL_HTTPS:
    default:
      send_text (conn, NEXT_CLOSE, "HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      break;
    }
}

/* The highest version a ClientHello offers, from its legacy_version (a
 * TLS 1.3 hello says TLS 1.2 there, which is as good for these tests). */
static int
client_hello_hook (gnutls_session_t      session,
                   unsigned int          htype,
                   unsigned int          when,
                   unsigned int          incoming,
                   const gnutls_datum_t *msg)
{
  Connection *conn = gnutls_session_get_ptr (session);
  int offered;

  if (htype != GNUTLS_HANDSHAKE_CLIENT_HELLO || !incoming || msg->size < 2)
    return 0;
  offered = msg->data[0] == 3 && msg->data[1] >= 1 ? MIN (msg->data[1] - 1, MTC_TLS_1_2) : -1;
  if (conn->config.behaviour == MTC_DEMO_HELLO_HANDSHAKE_FAILURE
      || offered < (int) MIN (conn->config.min_version, MTC_TLS_1_2))
    {
      conn->hello_refused = TRUE;
      return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
    }
  return 0;
}

static void
watch_client_hello (Connection *conn)
{
  switch (conn->config.behaviour)
    {
    case MTC_DEMO_OLD_HELLO_CLOSE:
    case MTC_DEMO_OLD_HELLO_RESET:
    case MTC_DEMO_OLD_HELLO_HANDSHAKE_FAILURE:
    case MTC_DEMO_HELLO_HANDSHAKE_FAILURE:
      gnutls_session_set_ptr (conn->session, conn);
      gnutls_handshake_set_hook_function (conn->session, GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_HOOK_PRE,
                                          client_hello_hook);
      break;
    default:
      break;
    }
}

/* Turns a hello away the way the behaviour says, instead of GnuTLS's own
 * protocol_version alert. */
static void
refuse_hello (Connection *conn)
{
  switch (conn->config.behaviour)
    {
    case MTC_DEMO_OLD_HELLO_RESET:
      {
        struct linger linger = { .l_onoff = 1, .l_linger = 0 };

        /* Closing with a zero linger sends a reset instead of a FIN. */
        setsockopt (g_socket_get_fd (conn->socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        g_socket_close (conn->socket, NULL);
      }
      break;
    case MTC_DEMO_OLD_HELLO_HANDSHAKE_FAILURE:
    case MTC_DEMO_HELLO_HANDSHAKE_FAILURE:
      gnutls_alert_send (conn->session, GNUTLS_AL_FATAL, GNUTLS_A_HANDSHAKE_FAILURE);
      break;
    case MTC_DEMO_OLD_HELLO_CLOSE:
    default:
      break;
    }
  close_connection (conn);
}

/* The STARTTLS OK went out alone; a moment later a reply nobody asked for,
 * in a write of its own, then TLS. */
static void
send_late_injection (Connection *conn)
{
  conn->once_delay_ms = LATE_INJECTION_MS;
  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      send_text (conn, NEXT_START_TLS, "250 injected\r\n");
      break;
    case MTC_PROTOCOL_IMAP:
      send_text (conn, NEXT_START_TLS, "* OK injected\r\n");
      break;
    case MTC_PROTOCOL_POP3:
    default:
      send_text (conn, NEXT_START_TLS, "+OK injected\r\n");
      break;
    }
}
