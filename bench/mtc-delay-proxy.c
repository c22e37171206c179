/* SPDX-License-Identifier: GPL-3.0-or-later */

/* mtc-delay-proxy — a TCP proxy that adds a fixed one-way delay, for the
 * round-trip benchmark (this kernel has no netem qdisc).
 *
 *   mtc-delay-proxy --delay-ms 50 --listen 127.0.0.1:0 --to 127.0.0.1:2525 \
 *                                 [--listen ADDR --to ADDR]…
 *
 * Every chunk of bytes read from one side is written to the other side
 * delay-ms after it arrived; each direction keeps a FIFO queue of timestamped
 * chunks and one timer, so order is kept and a request/answer exchange through
 * the proxy costs 2 × delay-ms more than without it.
 *
 * What is delayed: the application's data and its end (EOF is passed on as a
 * half-close, after the same delay).  What is not: the TCP handshake.  A
 * client's connect() returns as soon as the kernel accepts, and the upstream
 * connection is opened at once, so the SYN/SYN-ACK round trip a real network
 * would add is not counted; the round trips of the TLS handshake and of the
 * SMTP/IMAP/POP3 dialogue are.  A connection that fails upstream is closed on
 * the client side at once.
 *
 * Bounded memory: a direction that holds more than 1 MiB not yet delivered
 * stops reading from its source until its queue drains below half of that.
 * An error on either side closes both.  Runs until SIGINT or SIGTERM.
 *
 * Once every listener is bound, prints one line per pair on stdout,
 * "LISTEN_ADDR -> TO_ADDR" (with the port the kernel chose for port 0), and
 * flushes, so a script can read the ports.
 */

#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib-unix.h>

#define READ_CHUNK_SIZE  (64 * 1024)
#define QUEUE_LIMIT      (1024 * 1024)

typedef struct _Relay Relay;

/* One --listen/--to pair. */
typedef struct {
  char               *listen_text;
  char               *to_text;
  GSocketAddress     *listen_address;   /* the address actually bound */
  GSocketConnectable *target;
  GSocketService     *service;
  struct _Proxy      *proxy;
} Forward;

typedef struct _Proxy {
  gint64         delay_us;
  gboolean       verbose;
  GPtrArray     *forwards;
  GSocketClient *client;
  GList         *relays;
  GMainLoop     *loop;
  guint          n_relays_total;
} Proxy;

/* One queued piece of data; data == NULL is the end of the stream. */
typedef struct {
  GBytes *data;
  gint64  due;
} Chunk;

/* One direction of one relayed connection. */
typedef struct {
  Relay         *relay;
  const char    *name;
  GInputStream  *in;           /* NULL until that side is connected */
  GOutputStream *out;          /* likewise */
  GSocket       *out_socket;
  GQueue         chunks;
  gsize          queued;       /* bytes read and not yet written */
  GBytes        *in_flight;    /* what write_all_async is writing */
  GSource       *timer;
  gboolean       reading;
  gboolean       eof_read;
  gboolean       writing;
  gboolean       eof_sent;
} Direction;

struct _Relay {
  gint               ref_count;
  guint              id;
  Proxy             *proxy;
  Forward           *forward;
  GCancellable      *cancellable;
  GSocketConnection *client;
  GSocketConnection *upstream;
  Direction          up;       /* client → upstream */
  Direction          down;     /* upstream → client */
  gboolean           closed;
};

static void     relay_close            (Relay        *relay,
                                        const char   *why);
static void     direction_read         (Direction    *dir);
static void     direction_deliver      (Direction    *dir);
static gboolean timer_fired_cb         (gpointer      user_data);

/* Helpers */

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  g_clear_pointer (&chunk->data, g_bytes_unref);
  g_free (chunk);
}

static void
set_nodelay (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  /* Chunks go out the moment they are due; Nagle must not hold them back. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static char *
address_to_string (GSocketAddress *address)
{
  GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  guint16 port = g_inet_socket_address_get_port (inet);

  if (g_inet_address_get_family (g_inet_socket_address_get_address (inet)) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

static GSocketAddress *
parse_listen_address (const char  *text,
                      GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  parsed = g_network_address_parse (text, 0, error);
  if (parsed == NULL)
    return NULL;
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen %s: give a numeric address such as 127.0.0.1:0", text);
      return NULL;
    }
  return g_inet_socket_address_new (address, g_network_address_get_port (G_NETWORK_ADDRESS (parsed)));
}

static void
forward_free (gpointer data)
{
  Forward *forward = data;

  if (forward->service != NULL)
    {
      g_socket_service_stop (forward->service);
      g_socket_listener_close (G_SOCKET_LISTENER (forward->service));
    }
  g_clear_object (&forward->service);
  g_clear_object (&forward->listen_address);
  g_clear_object (&forward->target);
  g_free (forward->listen_text);
  g_free (forward->to_text);
  g_free (forward);
}

static void
direction_init (Direction  *dir,
                Relay      *relay,
                const char *name)
{
  dir->relay = relay;
  dir->name = name;
  g_queue_init (&dir->chunks);
  dir->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (dir->timer, timer_fired_cb, dir, NULL);
  g_source_set_name (dir->timer, "mtc-delay-proxy timer");
  g_source_attach (dir->timer, NULL);
}

static void
direction_clear (Direction *dir)
{
  if (dir->timer != NULL)
    {
      g_source_destroy (dir->timer);
      g_clear_pointer (&dir->timer, g_source_unref);
    }
  g_queue_clear_full (&dir->chunks, chunk_free);
  dir->queued = 0;
}

static Relay *
relay_ref (Relay *relay)
{
  relay->ref_count++;
  return relay;
}

static void
relay_unref (Relay *relay)
{
  if (--relay->ref_count > 0)
    return;

  direction_clear (&relay->up);
  direction_clear (&relay->down);
  g_clear_object (&relay->cancellable);
  /* The last unref of a GSocketConnection closes its socket. */
  g_clear_object (&relay->client);
  g_clear_object (&relay->upstream);
  g_free (relay);
}

static void
shutdown_connection (GSocketConnection *connection)
{
  if (connection != NULL)
    g_socket_shutdown (g_socket_connection_get_socket (connection), TRUE, TRUE, NULL);
}

/* Closes both sides at once, dropping whatever is queued.  The sockets are
 * shut down now, so both peers see the end; they are closed when the last
 * pending operation has seen its cancellation. */
static void
relay_close (Relay      *relay,
             const char *why)
{
  Proxy *proxy = relay->proxy;

  if (relay->closed)
    return;
  relay->closed = TRUE;

  if (proxy->verbose)
    g_printerr ("mtc-delay-proxy: #%u %s: closed (%s)\n", relay->id, relay->forward->listen_text, why);

  g_cancellable_cancel (relay->cancellable);
  direction_clear (&relay->up);
  direction_clear (&relay->down);
  shutdown_connection (relay->client);
  shutdown_connection (relay->upstream);

  proxy->relays = g_list_remove (proxy->relays, relay);
  relay_unref (relay);
}

static void
relay_maybe_finish (Relay *relay)
{
  if (relay->up.eof_sent && relay->down.eof_sent)
    relay_close (relay, "both sides finished");
}

static void
direction_push (Direction *dir,
                GBytes    *data)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->data = data;
  chunk->due = g_get_monotonic_time () + dir->relay->proxy->delay_us;
  if (data != NULL)
    dir->queued += g_bytes_get_size (data);
  g_queue_push_tail (&dir->chunks, chunk);
}

/* Callbacks */

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Direction *dir = user_data;
  Relay *relay = dir->relay;
  g_autoptr(GError) error = NULL;
  Chunk *chunk;

  g_clear_pointer (&dir->in_flight, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!relay->closed)
        {
          g_autofree char *why = g_strdup_printf ("writing %s: %s", dir->name, error->message);

          relay_close (relay, why);
        }
      relay_unref (relay);
      return;
    }

  if (!relay->closed)
    {
      dir->writing = FALSE;
      chunk = g_queue_pop_head (&dir->chunks);
      dir->queued -= g_bytes_get_size (chunk->data);
      chunk_free (chunk);

      if (!dir->reading && !dir->eof_read && dir->queued < QUEUE_LIMIT / 2)
        direction_read (dir);
      direction_deliver (dir);
    }
  relay_unref (relay);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Direction *dir = user_data;
  Relay *relay = dir->relay;
  g_autoptr(GError) error = NULL;
  GBytes *data;

  data = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (relay->closed)
    {
      g_clear_pointer (&data, g_bytes_unref);
      relay_unref (relay);
      return;
    }
  dir->reading = FALSE;

  if (data == NULL)
    {
      g_autofree char *why = g_strdup_printf ("reading %s: %s", dir->name, error->message);

      relay_close (relay, why);
    }
  else if (g_bytes_get_size (data) == 0)
    {
      g_bytes_unref (data);
      dir->eof_read = TRUE;
      direction_push (dir, NULL);
      direction_deliver (dir);
    }
  else
    {
      direction_push (dir, data);
      if (dir->queued < QUEUE_LIMIT)
        direction_read (dir);
      direction_deliver (dir);
    }
  relay_unref (relay);
}

static gboolean
timer_fired_cb (gpointer user_data)
{
  direction_deliver (user_data);
  return G_SOURCE_CONTINUE;
}

static void
direction_read (Direction *dir)
{
  Relay *relay = dir->relay;

  if (dir->in == NULL || dir->reading || dir->eof_read || relay->closed)
    return;
  dir->reading = TRUE;
  g_input_stream_read_bytes_async (dir->in, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   relay->cancellable, read_cb, dir);
  relay_ref (relay);
}

/* Writes the head of the queue if it is due, else sets the timer for it. */
static void
direction_deliver (Direction *dir)
{
  Relay *relay = dir->relay;
  g_autoptr(GError) error = NULL;
  Chunk *chunk;

  if (relay->closed || dir->writing || dir->out == NULL)
    return;
  chunk = g_queue_peek_head (&dir->chunks);
  if (chunk == NULL)
    return;
  if (chunk->due > g_get_monotonic_time ())
    {
      g_source_set_ready_time (dir->timer, chunk->due);
      return;
    }

  if (chunk->data == NULL)
    {
      chunk_free (g_queue_pop_head (&dir->chunks));
      dir->eof_sent = TRUE;
      if (!g_socket_shutdown (dir->out_socket, FALSE, TRUE, &error))
        {
          g_autofree char *why = g_strdup_printf ("half-closing %s: %s", dir->name, error->message);

          relay_close (relay, why);
          return;
        }
      relay_maybe_finish (relay);
      return;
    }

  dir->writing = TRUE;
  dir->in_flight = g_bytes_ref (chunk->data);
  g_output_stream_write_all_async (dir->out,
                                   g_bytes_get_data (dir->in_flight, NULL),
                                   g_bytes_get_size (dir->in_flight),
                                   G_PRIORITY_DEFAULT, relay->cancellable, written_cb, dir);
  relay_ref (relay);
}

static void
upstream_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Relay *relay = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (relay->closed)
    {
      g_clear_object (&connection);
      relay_unref (relay);
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *why = g_strdup_printf ("connecting to %s: %s",
                                              relay->forward->to_text, error->message);

      if (!relay->proxy->verbose)
        g_printerr ("mtc-delay-proxy: %s\n", why);
      relay_close (relay, why);
      relay_unref (relay);
      return;
    }

  set_nodelay (connection);
  relay->upstream = connection;
  relay->up.out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  relay->up.out_socket = g_socket_connection_get_socket (connection);
  relay->down.in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  direction_read (&relay->down);
  direction_deliver (&relay->up);
  relay_unref (relay);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Forward *forward = user_data;
  Proxy *proxy = forward->proxy;
  Relay *relay = g_new0 (Relay, 1);

  relay->ref_count = 1;           /* held while open; dropped by relay_close */
  relay->id = ++proxy->n_relays_total;
  relay->proxy = proxy;
  relay->forward = forward;
  relay->cancellable = g_cancellable_new ();
  relay->client = g_object_ref (connection);
  direction_init (&relay->up, relay, "to upstream");
  direction_init (&relay->down, relay, "to client");
  proxy->relays = g_list_prepend (proxy->relays, relay);

  set_nodelay (connection);
  relay->up.in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  relay->down.out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  relay->down.out_socket = g_socket_connection_get_socket (connection);

  if (proxy->verbose)
    g_printerr ("mtc-delay-proxy: #%u %s: accepted, connecting to %s\n",
                relay->id, forward->listen_text, forward->to_text);

  /* Read the client at once; what it sends waits in the queue until the
   * upstream connection is there and the delay has passed. */
  direction_read (&relay->up);
  g_socket_client_connect_async (proxy->client, forward->target, relay->cancellable,
                                 upstream_connected_cb, relay_ref (relay));
  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  Proxy *proxy = user_data;

  g_main_loop_quit (proxy->loop);
  return G_SOURCE_REMOVE;
}

/* Main */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listen_texts = NULL;
  g_auto(GStrv) to_texts = NULL;
  int delay_ms = 50;
  gboolean verbose = FALSE;
  Proxy proxy = { 0 };
  guint n_listen, n_to, i;
  GOptionEntry entries[] = {
    { "delay-ms", 'd', 0, G_OPTION_ARG_INT, &delay_ms,
      "One-way delay in milliseconds (default 50; a round trip costs twice that)", "MS" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING_ARRAY, &listen_texts,
      "Address to listen on, e.g. 127.0.0.1:0 (port 0: any free port); repeat for more pairs", "ADDR:PORT" },
    { "to", 't', 0, G_OPTION_ARG_STRING_ARRAY, &to_texts,
      "Where the matching --listen forwards to", "ADDR:PORT" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      "Log every connection on standard error", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— delay every byte of TCP connections");
  g_option_context_set_summary (context,
    "Forwards each --listen address to the --to address given with it, delivering\n"
    "every chunk of data in each direction delay-ms after it arrived.  The TCP\n"
    "handshake is not delayed; the data round trips of a TLS or mail dialogue are.\n"
    "Prints \"LISTEN -> TO\" per pair once listening; runs until SIGINT or SIGTERM.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("mtc-delay-proxy: %s\n", error->message);
      return 2;
    }

  n_listen = listen_texts != NULL ? g_strv_length (listen_texts) : 0;
  n_to = to_texts != NULL ? g_strv_length (to_texts) : 0;
  if (argc > 1 || n_listen == 0 || n_listen != n_to || delay_ms < 0)
    {
      g_printerr ("mtc-delay-proxy: give --listen ADDR:PORT --to ADDR:PORT pairs (as many --to as --listen)"
                  " and a --delay-ms of 0 or more; see --help\n");
      return 2;
    }

  proxy.delay_us = (gint64) delay_ms * G_TIME_SPAN_MILLISECOND;
  proxy.verbose = verbose;
  proxy.forwards = g_ptr_array_new_with_free_func (forward_free);
  proxy.client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (proxy.client, FALSE);
  proxy.loop = g_main_loop_new (NULL, FALSE);

  for (i = 0; i < n_listen; i++)
    {
      Forward *forward = g_new0 (Forward, 1);
      g_autoptr(GSocketAddress) wanted = NULL;

      forward->proxy = &proxy;
      forward->listen_text = g_strdup (listen_texts[i]);
      forward->to_text = g_strdup (to_texts[i]);
      g_ptr_array_add (proxy.forwards, forward);

      forward->target = g_network_address_parse (to_texts[i], 0, &error);
      if (forward->target == NULL)
        {
          g_printerr ("mtc-delay-proxy: --to %s: %s\n", to_texts[i], error->message);
          return 2;
        }
      wanted = parse_listen_address (listen_texts[i], &error);
      if (wanted == NULL)
        {
          g_printerr ("mtc-delay-proxy: %s\n", error->message);
          return 2;
        }

      forward->service = g_socket_service_new ();
      if (!g_socket_listener_add_address (G_SOCKET_LISTENER (forward->service), wanted,
                                          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                          NULL, &forward->listen_address, &error))
        {
          g_printerr ("mtc-delay-proxy: cannot listen on %s: %s\n", listen_texts[i], error->message);
          return 1;
        }
      g_signal_connect (forward->service, "incoming", G_CALLBACK (incoming_cb), forward);
    }

  for (i = 0; i < proxy.forwards->len; i++)
    {
      Forward *forward = g_ptr_array_index (proxy.forwards, i);
      g_autofree char *bound = address_to_string (forward->listen_address);

      g_print ("%s -> %s\n", bound, forward->to_text);
    }
  fflush (stdout);

  g_unix_signal_add (SIGINT, quit_cb, &proxy);
  g_unix_signal_add (SIGTERM, quit_cb, &proxy);

  g_main_loop_run (proxy.loop);

  while (proxy.relays != NULL)
    relay_close (proxy.relays->data, "shutting down");
  g_clear_pointer (&proxy.forwards, g_ptr_array_unref);
  g_clear_object (&proxy.client);
  g_clear_pointer (&proxy.loop, g_main_loop_unref);
  return 0;
}
