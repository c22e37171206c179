/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-test-util.h"

struct _MtcTestResolver
{
  GResolver parent_instance;

  GHashTable *names;
  GHashTable *silent;
  guint n_lookups;
};

G_DEFINE_FINAL_TYPE (MtcTestResolver, mtc_test_resolver, G_TYPE_RESOLVER)

static GList *
lookup (MtcTestResolver *self,
        const char      *name,
        GError         **error)
{
  const char *address = g_hash_table_lookup (self->names, name);

  self->n_lookups++;
  if (address == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No such name: %s", name);
      return NULL;
    }
  return g_list_prepend (NULL, g_inet_address_new_from_string (address));
}

static GList *
mtc_test_resolver_lookup_by_name (GResolver    *resolver,
                                  const char   *hostname,
                                  GCancellable *cancellable,
                                  GError      **error)
{
  return lookup (MTC_TEST_RESOLVER (resolver), hostname, error);
}

static void
silent_cancelled_cb (GCancellable *cancellable,
                     GTask        *task)
{
  g_task_return_error_if_cancelled (task);
}

static void
mtc_test_resolver_lookup_by_name_async (GResolver           *resolver,
                                        const char          *hostname,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MtcTestResolver *self = MTC_TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses;

  if (g_hash_table_contains (self->silent, hostname))
    {
      /* Answers only by being cancelled, like a name server that never replies. */
      self->n_lookups++;
      g_assert_nonnull (cancellable);
      g_cancellable_connect (cancellable, G_CALLBACK (silent_cancelled_cb), g_object_ref (task), g_object_unref);
      return;
    }
  addresses = lookup (self, hostname, &error);
  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static GList *
mtc_test_resolver_lookup_by_name_finish (GResolver    *resolver,
                                         GAsyncResult *result,
                                         GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mtc_test_resolver_finalize (GObject *object)
{
  MtcTestResolver *self = MTC_TEST_RESOLVER (object);

  g_hash_table_unref (self->names);
  g_hash_table_unref (self->silent);
  G_OBJECT_CLASS (mtc_test_resolver_parent_class)->finalize (object);
}

static void
mtc_test_resolver_class_init (MtcTestResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = mtc_test_resolver_finalize;
  resolver_class->lookup_by_name = mtc_test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = mtc_test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = mtc_test_resolver_lookup_by_name_finish;
}

static void
mtc_test_resolver_init (MtcTestResolver *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->silent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

MtcTestResolver *
mtc_test_resolver_new (void)
{
  return g_object_new (MTC_TYPE_TEST_RESOLVER, NULL);
}

void
mtc_test_resolver_add (MtcTestResolver *self,
                       const char      *name,
                       const char      *address)
{
  g_hash_table_insert (self->names, g_strdup (name), g_strdup (address));
}

void
mtc_test_resolver_add_silent (MtcTestResolver *self,
                              const char      *name)
{
  g_hash_table_add (self->silent, g_strdup (name));
}

guint
mtc_test_resolver_get_n_lookups (MtcTestResolver *self)
{
  return self->n_lookups;
}

typedef struct {
  GMainLoop *loop;
  MtcDiagnosis *diagnosis;
  GError *error;
} RunResult;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunResult *run = user_data;

  run->diagnosis = mtc_prober_run_finish (MTC_PROBER (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

MtcDiagnosis *
mtc_test_run_prober (MtcProber    *prober,
                     GPtrArray    *endpoints,
                     GCancellable *cancellable,
                     GError      **error)
{
  RunResult run = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  mtc_prober_run_async (prober, endpoints, cancellable, run_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.diagnosis;
}

MtcEndpoint *
mtc_test_add_service (MtcDemoServer   *server,
                      MtcProtocol      protocol,
                      MtcSecurity      security,
                      MtcTlsVersion    min_version,
                      MtcTlsVersion    max_version,
                      MtcDemoBehaviour behaviour)
{
  MtcDemoServiceConfig config = {
    .protocol = protocol,
    .security = security,
    .min_version = min_version,
    .max_version = max_version,
    .legacy_ciphers = min_version < MTC_TLS_1_2,
    .behaviour = behaviour,
  };
  g_autoptr(GError) error = NULL;
  guint16 port = mtc_demo_server_add_service (server, &config, "127.0.0.1", 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);
  return mtc_endpoint_new (protocol, security, "127.0.0.1", port);
}

/* A loopback port where nothing listens. */
guint16
mtc_test_closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for MS milliseconds. */
void
mtc_test_iterate (guint ms)
{
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_cb, loop);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
}
