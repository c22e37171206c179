/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-demo-server-private.h"

/* TLS with GnuTLS directly on the socket's file descriptor, non-blocking,
 * driven by socket sources on the server's main context: each service has
 * a priority string of its own (its TLS versions and ciphers). */

static gboolean socket_ready_cb (GSocket     *socket,
                                 GIOCondition condition,
                                 gpointer     user_data);

static const char *const tls_version_names[] = {
  [MTC_TLS_1_0] = "VERS-TLS1.0",
  [MTC_TLS_1_1] = "VERS-TLS1.1",
  [MTC_TLS_1_2] = "VERS-TLS1.2",
  [MTC_TLS_1_3] = "VERS-TLS1.3",
};

/* What a server for old clients adds to NORMAL: 3DES, RSA key exchange,
 * finite-field DHE, SHA-1 MACs and signatures. */
#define LEGACY_PRIORITY ":+3DES-CBC:+RSA:+DHE-RSA:+SHA1:+SIGN-RSA-SHA1:+SIGN-ECDSA-SHA1"

/* Helpers */

static void
wait_for_socket (Connection *conn)
{
  GIOCondition condition = gnutls_record_get_direction (conn->session) == 0 ? G_IO_IN : G_IO_OUT;

  mtc_demo_clear_source (&conn->io_source);
  conn->io_source = g_socket_create_source (conn->socket, condition, NULL);
  g_source_set_callback (conn->io_source, G_SOURCE_FUNC (socket_ready_cb), conn, NULL);
  g_source_attach (conn->io_source, conn->server->context);
}

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

static void
tls_established (Connection *conn)
{
  char *description = gnutls_session_get_desc (conn->session);

  conn->tls_established = TRUE;
  conn->mode = MODE_LINES;
  g_debug ("port %u: %s negotiated %s", conn->port, conn->peer, description);
  gnutls_free (description);
  record_server_name (conn);

  if (conn->config.security == MTC_SECURITY_IMPLICIT && !conn->greeted && mtc_demo_misbehaviour_old_tls_refused (conn))
    mtc_demo_misbehaviour_refuse_inside_tls (conn);
  else if (conn->config.security == MTC_SECURITY_IMPLICIT && !conn->greeted)
    mtc_demo_dialogue_greet (conn);
  else
    mtc_demo_connection_continue (conn);
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
        mtc_demo_misbehaviour_refuse_hello (conn);
      else
        {
          gnutls_alert_send_appropriate (conn->session, ret);
          mtc_demo_connection_close (conn);
        }
    }
}

/* Callbacks */

/* Holds a reference while it runs, as the connection's other source
 * callbacks do (see mtc-demo-connection.c). */
static gboolean
socket_ready_cb (GSocket     *socket,
                 GIOCondition condition,
                 gpointer     user_data)
{
  g_autoptr (Connection) conn = mtc_demo_connection_ref (user_data);

  g_clear_pointer (&conn->io_source, g_source_unref);
  mtc_demo_connection_touch (conn);
  if (conn->mode == MODE_HANDSHAKE)
    tls_handshake (conn);
  else if (conn->writing)
    mtc_demo_tls_send (conn);
  else
    mtc_demo_tls_receive (conn);
  return G_SOURCE_REMOVE;
}

/* Private API */

char *
mtc_demo_tls_priority_string (const MtcDemoServiceConfig *config)
{
  GString *priority = g_string_new ("NORMAL:-VERS-ALL");

  for (int version = config->min_version; version <= (int) config->max_version; version++)
    g_string_append_printf (priority, ":+%s", tls_version_names[version]);
  if (config->legacy_ciphers)
    g_string_append (priority, LEGACY_PRIORITY);
  return g_string_free (priority, FALSE);
}

void
mtc_demo_tls_start (Connection *conn)
{
  int ret;

  switch (conn->config.behaviour)
    {
    case MTC_DEMO_TLS_GARBAGE:
    case MTC_DEMO_DIE_MID_HANDSHAKE:
    case MTC_DEMO_STALL_HANDSHAKE:
      conn->mode = MODE_HELLO;
      mtc_demo_connection_read (conn);
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
      mtc_demo_connection_close (conn);
      return;
    }
  gnutls_certificate_server_set_request (conn->session, GNUTLS_CERT_IGNORE);
  gnutls_transport_set_int (conn->session, g_socket_get_fd (conn->socket));
  mtc_demo_misbehaviour_watch_client_hello (conn);
  conn->mode = MODE_HANDSHAKE;
  tls_handshake (conn);
}

void
mtc_demo_tls_receive (Connection *conn)
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
          mtc_demo_connection_count_polite (conn);
          mtc_demo_connection_close (conn);
          return;
        }
      if (ret < 0)
        {
          if (!gnutls_error_is_fatal (ret))
            continue;
          g_debug ("port %u: TLS receive from %s failed: %s", conn->port, conn->peer, gnutls_strerror (ret));
          mtc_demo_connection_close (conn);
          return;
        }
      if (!mtc_demo_connection_input (conn, conn->chunk, ret))
        return;
    }
}

void
mtc_demo_tls_send (Connection *conn)
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
          mtc_demo_connection_close (conn);
          return;
        }
      conn->reply_offset += ret;
    }
  mtc_demo_connection_reply_sent (conn);
}
