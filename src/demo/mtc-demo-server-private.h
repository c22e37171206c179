/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the demo server share; nothing outside src/demo
 * includes this header.
 *
 * Loopback servers that imitate a mail provider.  Everything runs on one
 * main context (the thread-default context of the thread that created the
 * server), without threads.  The plaintext part of a dialogue uses async GIO
 * on the accepted connection; TLS is done with GnuTLS directly on the
 * socket's file descriptor, driven by socket sources, so that every service
 * can have its own version policy.
 *
 * One job a file:
 *   mtc-demo-server.c        the object: services, accepting and counting
 *                            connections, the public API
 *   mtc-demo-certificates.c  the demo CA, the server certificates, credentials
 *   mtc-demo-connection.c    one connection: its life, plaintext reads and
 *                            writes, the reply queue, the line framing
 *   mtc-demo-tls.c           the GnuTLS pump: handshake, records in and out
 *   mtc-demo-dialogue.c      what SMTP, IMAP, POP3 and HTTPS servers say,
 *                            and the misbehaviours that are words of it
 *   mtc-demo-misbehaviour.c  the misbehaviours around TLS: at the hello,
 *                            inside TLS on old versions, late injection
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mtc-demo-server.h"

G_BEGIN_DECLS

#define SERVER_NAME "demo.mail-tls-check.invalid"
#define READ_CHUNK 4096

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

/* mtc-demo-certificates.c */
gboolean    mtc_demo_certificates_make          (MtcDemoServer  *self,
                                                 GError        **error);
gboolean    mtc_demo_certificates_ensure_rsa    (MtcDemoServer  *self,
                                                 GError        **error);
void        mtc_demo_certificates_clear         (MtcDemoServer  *self);

/* mtc-demo-connection.c */
void        mtc_demo_clear_source               (GSource       **source);
Connection *mtc_demo_connection_new             (Service            *service,
                                                 GSocketConnection  *connection);
Connection *mtc_demo_connection_ref             (Connection     *conn);
void        mtc_demo_connection_unref           (Connection     *conn);
void        mtc_demo_connection_close           (Connection     *conn);
void        mtc_demo_connection_reset           (Connection     *conn);
void        mtc_demo_connection_touch           (Connection     *conn);
void        mtc_demo_connection_arm_idle_timer  (Connection     *conn,
                                                 guint           timeout_ms);
void        mtc_demo_connection_count_polite    (Connection     *conn);
void        mtc_demo_connection_read            (Connection     *conn);
gboolean    mtc_demo_connection_input           (Connection     *conn,
                                                 const guint8   *data,
                                                 gsize           size);
void        mtc_demo_connection_continue        (Connection     *conn);
void        mtc_demo_connection_send            (Connection     *conn,
                                                 GBytes         *reply,
                                                 Next            next);
void        mtc_demo_connection_send_text       (Connection     *conn,
                                                 Next            next,
                                                 const char     *text);
void        mtc_demo_connection_send_printf     (Connection     *conn,
                                                 Next            next,
                                                 const char     *format,
                                                 ...) G_GNUC_PRINTF (3, 4);
void        mtc_demo_connection_reply_sent      (Connection     *conn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connection, mtc_demo_connection_unref)

/* mtc-demo-tls.c */
char       *mtc_demo_tls_priority_string        (const MtcDemoServiceConfig *config);
void        mtc_demo_tls_start                  (Connection     *conn);
void        mtc_demo_tls_receive                (Connection     *conn);
void        mtc_demo_tls_send                   (Connection     *conn);

/* mtc-demo-dialogue.c */
void        mtc_demo_dialogue_start             (Connection     *conn);
void        mtc_demo_dialogue_greet             (Connection     *conn);
void        mtc_demo_dialogue_line              (Connection     *conn,
                                                 const char     *line);
void        mtc_demo_dialogue_send_bad_request  (Connection     *conn);

/* mtc-demo-misbehaviour.c */
gboolean    mtc_demo_misbehaviour_hello_arrived       (Connection *conn);
gboolean    mtc_demo_misbehaviour_old_tls_refused     (Connection *conn);
void        mtc_demo_misbehaviour_refuse_inside_tls   (Connection *conn);
void        mtc_demo_misbehaviour_watch_client_hello  (Connection *conn);
void        mtc_demo_misbehaviour_refuse_hello        (Connection *conn);
void        mtc_demo_misbehaviour_send_late_injection (Connection *conn);

G_END_DECLS
