/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "mtc-demo-server-private.h"

/* One accepted connection: its life (reference counted, closed once), the
 * plaintext reads and writes through GIO, the queue of one reply at a time
 * (written after the service's delay, in plaintext or through TLS), the
 * idle timer, and the framing of what arrives into lines for the dialogue. */

#define MAX_INPUT_BYTES (16 * 1024)

static gboolean reply_due_cb    (gpointer      user_data);
static gboolean idle_timeout_cb (gpointer      user_data);
static void     read_done_cb    (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data);
static void     write_done_cb   (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data);

/* Helpers */

static void
attach (Connection *conn,
        GSource    *source)
{
  g_source_attach (source, conn->server->context);
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
write_reply (Connection *conn)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  gsize size;
  const guint8 *data = g_bytes_get_data (conn->reply, &size);

  conn->writing = TRUE;
  if (conn->session != NULL)
    mtc_demo_tls_send (conn);
  else
    g_output_stream_write_all_async (output, data, size, G_PRIORITY_DEFAULT, conn->cancellable,
                                     write_done_cb, mtc_demo_connection_ref (conn));
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
          mtc_demo_dialogue_send_bad_request (conn);
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
      mtc_demo_dialogue_line (conn, line);
    }
  return FALSE;
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
idle_timeout_cb (gpointer user_data)
{
  g_autoptr (Connection) conn = mtc_demo_connection_ref (user_data);
  gint64 idle_ms = (g_get_monotonic_time () - conn->last_activity) / 1000;
  guint timeout_ms = conn->server->idle_timeout_ms;

  g_clear_pointer (&conn->idle_source, g_source_unref);
  if (idle_ms >= timeout_ms)
    {
      g_debug ("port %u: %s was idle for %u ms", conn->port, conn->peer, timeout_ms);
      mtc_demo_connection_close (conn);
    }
  else
    mtc_demo_connection_arm_idle_timer (conn, timeout_ms - idle_ms);
  return G_SOURCE_REMOVE;
}

/* The callbacks of the connection's own sources hold a reference while they
 * run: what they call may close the connection, which drops the table's
 * reference, and the callers up the stack still look at conn->closed. */

static gboolean
reply_due_cb (gpointer user_data)
{
  g_autoptr (Connection) conn = mtc_demo_connection_ref (user_data);

  g_clear_pointer (&conn->reply_source, g_source_unref);
  write_reply (conn);
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
      mtc_demo_connection_close (conn);
    }
  else if (size == 0)
    {
      g_debug ("port %u: %s closed the connection", conn->port, conn->peer);
      mtc_demo_connection_close (conn);
    }
  else if (mtc_demo_connection_input (conn, conn->chunk, size))
    mtc_demo_connection_read (conn);
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
          mtc_demo_connection_close (conn);
        }
      return;
    }
  if (!conn->closed)
    mtc_demo_connection_reply_sent (conn);
}

/* Private API */

void
mtc_demo_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* A connection that SERVICE accepted, with its first reference (the
 * server's table of open connections takes it). */
Connection *
mtc_demo_connection_new (Service           *service,
                         GSocketConnection *connection)
{
  Connection *conn = g_new0 (Connection, 1);

  conn->ref_count = 1;
  conn->server = service->server;
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
  mtc_demo_connection_touch (conn);
  return conn;
}

Connection *
mtc_demo_connection_ref (Connection *conn)
{
  conn->ref_count++;
  return conn;
}

void
mtc_demo_connection_unref (Connection *conn)
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

void
mtc_demo_connection_close (Connection *conn)
{
  MtcDemoServer *self = conn->server;

  if (conn->closed)
    return;
  conn->closed = TRUE;
  g_debug ("port %u: closing the connection from %s%s", conn->port, conn->peer,
           conn->polite ? " (politely)" : "");

  g_cancellable_cancel (conn->cancellable);
  mtc_demo_clear_source (&conn->io_source);
  mtc_demo_clear_source (&conn->reply_source);
  mtc_demo_clear_source (&conn->idle_source);

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
void
mtc_demo_connection_reset (Connection *conn)
{
  MtcDemoServer *self = conn->server;
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  if (conn->closed)
    return;
  conn->closed = TRUE;
  g_debug ("port %u: resetting the connection from %s", conn->port, conn->peer);
  g_cancellable_cancel (conn->cancellable);
  mtc_demo_clear_source (&conn->io_source);
  mtc_demo_clear_source (&conn->reply_source);
  mtc_demo_clear_source (&conn->idle_source);
  g_clear_pointer (&conn->session, gnutls_deinit);
  setsockopt (g_socket_get_fd (conn->socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (conn->socket, NULL);
  conn->server = NULL;
  g_hash_table_remove (self->connections, conn);   /* may free conn */
}

void
mtc_demo_connection_touch (Connection *conn)
{
  conn->last_activity = g_get_monotonic_time ();
}

void
mtc_demo_connection_arm_idle_timer (Connection *conn,
                                    guint       timeout_ms)
{
  mtc_demo_clear_source (&conn->idle_source);
  conn->idle_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (conn->idle_source, idle_timeout_cb, conn, NULL);
  attach (conn, conn->idle_source);
}

void
mtc_demo_connection_count_polite (Connection *conn)
{
  if (conn->polite)
    return;
  conn->polite = TRUE;
  conn->server->n_polite++;
}

void
mtc_demo_connection_read (Connection *conn)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  if (conn->reading)
    return;
  conn->reading = TRUE;
  g_input_stream_read_async (input, conn->chunk, sizeof conn->chunk, G_PRIORITY_DEFAULT,
                             conn->cancellable, read_done_cb, mtc_demo_connection_ref (conn));
}

/* New bytes from the client.  Returns TRUE when more should be read now. */
gboolean
mtc_demo_connection_input (Connection   *conn,
                           const guint8 *data,
                           gsize         size)
{
  mtc_demo_connection_touch (conn);

  switch (conn->mode)
    {
    case MODE_DISCARD:
      return TRUE;
    case MODE_CLOSE_ON_DATA:
      mtc_demo_connection_close (conn);
      return FALSE;
    case MODE_HELLO:
      return mtc_demo_misbehaviour_hello_arrived (conn);
    case MODE_LINES:
      if (conn->input->len + size > MAX_INPUT_BYTES)
        {
          g_debug ("port %u: %s sent more than %u bytes without a line end", conn->port, conn->peer, MAX_INPUT_BYTES);
          mtc_demo_connection_close (conn);
          return FALSE;
        }
      g_byte_array_append (conn->input, data, size);
      return handle_buffered_input (conn);
    case MODE_HANDSHAKE:
    default:
      g_assert_not_reached ();
    }
}

void
mtc_demo_connection_continue (Connection *conn)
{
  if (conn->closed || conn->reply != NULL)
    return;
  if (conn->mode == MODE_LINES && !handle_buffered_input (conn))
    return;
  if (conn->session != NULL)
    mtc_demo_tls_receive (conn);
  else
    mtc_demo_connection_read (conn);
}

/* Queues one reply; it is written in one piece after the service's delay. */
void
mtc_demo_connection_send (Connection *conn,
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

void
mtc_demo_connection_send_text (Connection *conn,
                               Next        next,
                               const char *text)
{
  mtc_demo_connection_send (conn, g_bytes_new (text, strlen (text)), next);
}

void
mtc_demo_connection_send_printf (Connection *conn,
                                 Next        next,
                                 const char *format,
                                 ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  mtc_demo_connection_send (conn, g_bytes_new_take (text, strlen (text)), next);
}

void
mtc_demo_connection_reply_sent (Connection *conn)
{
  mtc_demo_connection_touch (conn);
  conn->writing = FALSE;
  g_clear_pointer (&conn->reply, g_bytes_unref);

  switch (conn->next)
    {
    case NEXT_CONTINUE:
      mtc_demo_connection_continue (conn);
      break;
    case NEXT_START_TLS:
      /* Whatever the client sent after the STARTTLS command was sent before
       * TLS: a strict server throws it away (RFC 3207, section 4). */
      g_byte_array_set_size (conn->input, 0);
      mtc_demo_tls_start (conn);
      break;
    case NEXT_CLOSE:
      mtc_demo_connection_close (conn);
      break;
    case NEXT_LATE_INJECTION:
      mtc_demo_misbehaviour_send_late_injection (conn);
      break;
    default:
      g_assert_not_reached ();
    }
}
