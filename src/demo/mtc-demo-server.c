/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POLLRDHUP */
#define _GNU_SOURCE
#include "config.h"

#include <poll.h>

#include "mtc-demo-server-private.h"

/* The demo server: its services (one listener each, with its own TLS
 * priority), the connections it accepts and counts, and the public API.
 * How the work is shared among the files: mtc-demo-server-private.h. */

#define DEFAULT_IDLE_TIMEOUT_MS (30 * 1000)
#define LISTEN_BACKLOG 256

const MtcDemoKind mtc_demo_kinds[MTC_DEMO_N_KINDS] = {
  { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS },
  { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT },
  { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS },
  { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT },
  { MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS },
  { MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT },
  { MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT },
};

G_DEFINE_TYPE (MtcDemoServer, mtc_demo_server, G_TYPE_OBJECT)

/* Helpers */

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

/* Callbacks */

static gboolean
incoming_cb (GSocketService    *listener,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Service *service = user_data;
  MtcDemoServer *self = service->server;
  Connection *conn = mtc_demo_connection_new (service, connection);

  self->n_accepted++;
  g_hash_table_add (self->connections, conn);
  g_debug ("port %u: connection from %s", conn->port, conn->peer);
  count_concurrent (conn);

  mtc_demo_connection_arm_idle_timer (conn, self->idle_timeout_ms);
  /* As in the connection's source callbacks: it may close at once. */
  mtc_demo_connection_ref (conn);
  mtc_demo_dialogue_start (conn);
  mtc_demo_connection_unref (conn);
  return TRUE;
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
  mtc_demo_certificates_clear (self);
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
                                             (GDestroyNotify) mtc_demo_connection_unref, NULL);
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

  if (!mtc_demo_certificates_make (self, error))
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

  if ((config->legacy_ciphers || config->min_version < MTC_TLS_1_2) && !mtc_demo_certificates_ensure_rsa (self, error))
    return 0;

  priority = mtc_demo_tls_priority_string (config);
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
  g_autoptr (GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);

  g_return_val_if_fail (MTC_IS_DEMO_SERVER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (base_port != 0 && base_port > G_MAXUINT16 - (G_N_ELEMENTS (mtc_demo_kinds) - 1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Base port %u is too high", base_port);
      return NULL;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (mtc_demo_kinds); i++)
    {
      MtcDemoServiceConfig config = {
        .protocol = mtc_demo_kinds[i].protocol,
        .security = mtc_demo_kinds[i].security,
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
        mtc_demo_connection_close (l->data);
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
