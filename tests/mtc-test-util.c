/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unshare() */
#define _GNU_SOURCE
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "mtc-test-util.h"

struct _MtcTestResolver
{
  GResolver parent_instance;

  GHashTable *names;
  GHashTable *silent;
  guint n_lookups;
  GHashTable *records;    /* "SRV _imaps._tcp.example.test", "MX example.test" → GPtrArray of GVariant */
  GHashTable *failures;   /* name → GResolverError */
  int fail_all;           /* a GResolverError for every name, or -1 */
};

G_DEFINE_FINAL_TYPE (MtcTestResolver, mtc_test_resolver, G_TYPE_RESOLVER)

struct _MtcTestMonitor
{
  GObject parent_instance;

  gboolean available;
};

static void mtc_test_monitor_initable_init (GInitableIface *iface);
static void mtc_test_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MtcTestMonitor, mtc_test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, mtc_test_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, mtc_test_monitor_iface_init))

enum {
  MONITOR_PROP_0,
  MONITOR_PROP_AVAILABLE,
  MONITOR_PROP_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static gboolean
mtc_test_monitor_initable_init_impl (GInitable     *initable,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  return TRUE;
}

static void
mtc_test_monitor_initable_init (GInitableIface *iface)
{
  iface->init = mtc_test_monitor_initable_init_impl;
}

static void
mtc_test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
mtc_test_monitor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MtcTestMonitor *self = MTC_TEST_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_test_monitor_class_init (MtcTestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mtc_test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
mtc_test_monitor_init (MtcTestMonitor *self)
{
}

GNetworkMonitor *
mtc_test_monitor_new (gboolean available)
{
  MtcTestMonitor *self = g_object_new (MTC_TYPE_TEST_MONITOR, NULL);

  self->available = available;
  return G_NETWORK_MONITOR (self);
}

static GList *
lookup (MtcTestResolver *self,
        const char      *name,
        GError         **error)
{
  const char *address = g_hash_table_lookup (self->names, name);
  gpointer failure;

  self->n_lookups++;
  if (self->fail_all >= 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, self->fail_all, "Failure for %s", name);
      return NULL;
    }
  if (g_hash_table_lookup_extended (self->failures, name, NULL, &failure))
    {
      g_set_error (error, G_RESOLVER_ERROR, GPOINTER_TO_INT (failure), "Failure for %s", name);
      return NULL;
    }
  if (address == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No such name: %s", name);
      return NULL;
    }
  /* "a,b,…": several addresses, in that order. */
  {
    g_auto(GStrv) parts = g_strsplit (address, ",", -1);
    GList *list = NULL;

    for (guint i = 0; parts[i] != NULL; i++)
      list = g_list_append (list, g_inet_address_new_from_string (parts[i]));
    return list;
  }
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

/* Records, SRV targets and family-filtered look-ups, for discovery and for
 * libsoup (whose connections ask for IPv4 and IPv6 separately). */
static gboolean
answer_silently (MtcTestResolver *self,
                 const char      *name,
                 GCancellable    *cancellable,
                 GTask           *task)
{
  if (!g_hash_table_contains (self->silent, name))
    return FALSE;
  self->n_lookups++;
  g_assert_nonnull (cancellable);
  g_cancellable_connect (cancellable, G_CALLBACK (silent_cancelled_cb), g_object_ref (task), g_object_unref);
  return TRUE;
}

static void
mtc_test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                                   const char               *hostname,
                                                   GResolverNameLookupFlags  flags,
                                                   GCancellable             *cancellable,
                                                   GAsyncReadyCallback       callback,
                                                   gpointer                  user_data)
{
  MtcTestResolver *self = MTC_TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses;
  GList *kept = NULL;

  if (answer_silently (self, hostname, cancellable, task))
    return;
  addresses = lookup (self, hostname, &error);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      GSocketFamily family = g_inet_address_get_family (l->data);

      if ((flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY) && family != G_SOCKET_FAMILY_IPV4)
        continue;
      if ((flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY) && family != G_SOCKET_FAMILY_IPV6)
        continue;
      kept = g_list_append (kept, g_object_ref (l->data));
    }
  g_resolver_free_addresses (addresses);
  if (kept != NULL)
    g_task_return_pointer (task, kept, (GDestroyNotify) g_resolver_free_addresses);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No address of that family: %s",
                             hostname);
}

static void
free_records (GList *records)
{
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
}

static GList *
lookup_records (MtcTestResolver     *self,
                const char          *type,
                const char          *rrname,
                GError             **error)
{
  g_autofree char *key = g_strdup_printf ("%s %s", type, rrname);
  GPtrArray *records = g_hash_table_lookup (self->records, key);
  gpointer failure;
  GList *list = NULL;

  self->n_lookups++;
  if (self->fail_all >= 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, self->fail_all, "Failure for %s", rrname);
      return NULL;
    }
  if (g_hash_table_lookup_extended (self->failures, rrname, NULL, &failure))
    {
      g_set_error (error, G_RESOLVER_ERROR, GPOINTER_TO_INT (failure), "Failure for %s", rrname);
      return NULL;
    }
  if (records == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No %s record for %s", type, rrname);
      return NULL;
    }
  for (guint i = records->len; i > 0; i--)
    list = g_list_prepend (list, g_variant_ref (g_ptr_array_index (records, i - 1)));
  return list;
}

static void
mtc_test_resolver_lookup_records_async (GResolver           *resolver,
                                        const char          *rrname,
                                        GResolverRecordType  record_type,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MtcTestResolver *self = MTC_TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *records;

  if (answer_silently (self, rrname, cancellable, task))
    return;
  records = lookup_records (self, record_type == G_RESOLVER_RECORD_MX ? "MX"
                                  : record_type == G_RESOLVER_RECORD_SRV ? "SRV" : "OTHER", rrname, &error);
  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify) free_records);
}

static GList *
mtc_test_resolver_lookup_records_finish (GResolver    *resolver,
                                         GAsyncResult *result,
                                         GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mtc_test_resolver_lookup_service_async (GResolver           *resolver,
                                        const char          *rrname,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MtcTestResolver *self = MTC_TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *records;
  GList *targets = NULL;

  if (answer_silently (self, rrname, cancellable, task))
    return;
  records = lookup_records (self, "SRV", rrname, &error);
  if (records == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, port;
      const char *target;

      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &target);
      targets = g_list_append (targets, g_srv_target_new (target, port, priority, weight));
    }
  free_records (records);
  /* As GResolver does: sorted, and a lone "." means "not offered". */
  targets = g_srv_target_list_sort (targets);
  if (targets == NULL)
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "Not offered: %s", rrname);
  else
    g_task_return_pointer (task, targets, (GDestroyNotify) g_resolver_free_targets);
}

static GList *
mtc_test_resolver_lookup_service_finish (GResolver    *resolver,
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
  g_hash_table_unref (self->records);
  g_hash_table_unref (self->failures);
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
  resolver_class->lookup_by_name_with_flags_async = mtc_test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = mtc_test_resolver_lookup_by_name_finish;
  resolver_class->lookup_records_async = mtc_test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = mtc_test_resolver_lookup_records_finish;
  resolver_class->lookup_service_async = mtc_test_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = mtc_test_resolver_lookup_service_finish;
}

static void
mtc_test_resolver_init (MtcTestResolver *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->silent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fail_all = -1;
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

static void
add_record (MtcTestResolver *self,
            const char      *type,
            const char      *rrname,
            GVariant        *record)
{
  g_autofree char *key = g_strdup_printf ("%s %s", type, rrname);
  GPtrArray *records = g_hash_table_lookup (self->records, key);

  if (records == NULL)
    {
      records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      g_hash_table_insert (self->records, g_steal_pointer (&key), records);
    }
  g_ptr_array_add (records, g_variant_ref_sink (record));
}

/* An SRV record: RRNAME like "_imaps._tcp.example.test"; TARGET "." means
 * the service is not offered. */
void
mtc_test_resolver_add_srv (MtcTestResolver *self,
                           const char      *rrname,
                           const char      *target,
                           guint16          port,
                           guint16          priority,
                           guint16          weight)
{
  add_record (self, "SRV", rrname, g_variant_new ("(qqqs)", priority, weight, port, target));
}

void
mtc_test_resolver_add_mx (MtcTestResolver *self,
                          const char      *domain,
                          guint16          preference,
                          const char      *exchange)
{
  add_record (self, "MX", domain, g_variant_new ("(qs)", preference, exchange));
}

/* Every look-up of NAME (addresses or records) fails with CODE, e.g.
 * G_RESOLVER_ERROR_TEMPORARY_FAILURE for a failing name server.  Names the
 * resolver does not know already fail with NOT_FOUND (NXDOMAIN). */
void
mtc_test_resolver_add_failure (MtcTestResolver *self,
                               const char      *name,
                               GResolverError   code)
{
  g_hash_table_insert (self->failures, g_strdup (name), GINT_TO_POINTER (code));
}

/* Every look-up fails with CODE, names and records alike. */
void
mtc_test_resolver_fail_all (MtcTestResolver *self,
                            GResolverError   code)
{
  self->fail_all = code;
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

/* The JSON document @json, which must be valid. */
JsonNode *
mtc_test_json_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

/* The values at the JSONPath @path in @json, in document order. */
JsonArray *
mtc_test_json_query (const char *json,
                     const char *path)
{
  g_autoptr(JsonNode) root = mtc_test_json_parse (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) matches = json_path_query (path, root, &error);

  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (matches));
}

/* Whether one of the values at @path in @json equals the JSON value @value. */
gboolean
mtc_test_json_has (const char *json,
                   const char *path,
                   const char *value)
{
  g_autoptr(JsonArray) matches = mtc_test_json_query (json, path);
  g_autoptr(JsonNode) wanted = mtc_test_json_parse (value);

  for (guint i = 0; i < json_array_get_length (matches); i++)
    if (json_node_equal (json_array_get_element (matches, i), wanted))
      return TRUE;
  return FALSE;
}

gboolean
mtc_test_use_catalogue (void)
{
  const char *localedir = g_getenv ("MTC_LOCALEDIR");

  if (localedir == NULL)
    {
      g_test_skip ("MTC_LOCALEDIR is not set (run through meson test)");
      return FALSE;
    }
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  return TRUE;
}

void
mtc_test_assert_server (const MtcAccountServer *server,
                        MtcAccountServerKind    kind,
                        const char             *host,
                        guint16                 port,
                        MtcAccountSecurity      security)
{
  g_assert_nonnull (server);
  g_assert_cmpint (server->kind, ==, kind);
  g_assert_cmpstr (server->host, ==, host);
  g_assert_cmpuint (server->port, ==, port);
  g_assert_cmpint (server->security, ==, security);
}

static gboolean
write_file (const char *path,
            const char *text)
{
  int fd = open (path, O_WRONLY);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (gssize) strlen (text);
  close (fd);
  return ok;
}

/* Enters a network namespace of its own (in a user namespace where needed,
 * as root there); only its loopback interface, still down. */
gboolean
mtc_test_enter_network_namespace (void)
{
  uid_t uid = getuid ();
  gid_t gid = getgid ();
  g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (guint) uid);
  g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (guint) gid);

  if (unshare (CLONE_NEWNET) == 0)
    return TRUE;
  if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0)
    return FALSE;
  write_file ("/proc/self/setgroups", "deny");
  return write_file ("/proc/self/uid_map", uid_map) && write_file ("/proc/self/gid_map", gid_map);
}

/* Runs ip(8) with @arguments; FALSE, said on stderr, when it fails. */
gboolean
mtc_test_run_ip (const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("ip %s", arguments);
  int status = -1;

  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("“%s” failed\n", command);
      return FALSE;
    }
  return TRUE;
}
