/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-endpoint.h"
#include "mtc-hosts-resolver.h"

struct _MtcHostsResolver
{
  GResolver parent_instance;

  GResolver *fallback;
  GHashTable *names;    /* ASCII name (lower case) → GPtrArray of GInetAddress */
};

G_DEFINE_FINAL_TYPE (MtcHostsResolver, mtc_hosts_resolver, G_TYPE_RESOLVER)

/* Returns: TRUE when NAME is in the file; then *OUT_ADDRESSES holds its
 * addresses of the families FLAGS asks for, or *ERROR says there are none. */
static gboolean
lookup_local (MtcHostsResolver         *self,
              const char               *hostname,
              GResolverNameLookupFlags  flags,
              GList                   **out_addresses,
              GError                  **error)
{
  g_autofree char *key = g_ascii_strdown (hostname, -1);
  GPtrArray *addresses;
  GList *list = NULL;
  gsize len = strlen (key);

  if (len > 1 && key[len - 1] == '.')
    key[len - 1] = '\0';
  addresses = g_hash_table_lookup (self->names, key);
  if (addresses == NULL)
    return FALSE;
  for (guint i = addresses->len; i > 0; i--)
    {
      GInetAddress *address = g_ptr_array_index (addresses, i - 1);
      GSocketFamily family = g_inet_address_get_family (address);

      if ((flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY) && family != G_SOCKET_FAMILY_IPV4)
        continue;
      if ((flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY) && family != G_SOCKET_FAMILY_IPV6)
        continue;
      list = g_list_prepend (list, g_object_ref (address));
    }
  *out_addresses = list;
  if (list == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "No address of the requested family for “%s” in the hosts file", hostname);
  return TRUE;
}

static GList *
mtc_hosts_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                              const char                *hostname,
                                              GResolverNameLookupFlags   flags,
                                              GCancellable              *cancellable,
                                              GError                   **error)
{
  MtcHostsResolver *self = MTC_HOSTS_RESOLVER (resolver);
  GList *addresses = NULL;

  if (lookup_local (self, hostname, flags, &addresses, error))
    return addresses;
  return g_resolver_lookup_by_name_with_flags (self->fallback, hostname, flags, cancellable, error);
}

static GList *
mtc_hosts_resolver_lookup_by_name (GResolver    *resolver,
                                   const char   *hostname,
                                   GCancellable *cancellable,
                                   GError      **error)
{
  return mtc_hosts_resolver_lookup_by_name_with_flags (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                       cancellable, error);
}

static void
fallback_names_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (source), result, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
mtc_hosts_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                                    const char               *hostname,
                                                    GResolverNameLookupFlags  flags,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data)
{
  MtcHostsResolver *self = MTC_HOSTS_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = NULL;

  g_task_set_source_tag (task, mtc_hosts_resolver_lookup_by_name_with_flags_async);
  if (!lookup_local (self, hostname, flags, &addresses, &error))
    {
      g_resolver_lookup_by_name_with_flags_async (self->fallback, hostname, flags, cancellable,
                                                  fallback_names_done_cb, g_steal_pointer (&task));
      return;
    }
  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
mtc_hosts_resolver_lookup_by_name_async (GResolver           *resolver,
                                         const char          *hostname,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  mtc_hosts_resolver_lookup_by_name_with_flags_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                      cancellable, callback, user_data);
}

static GList *
mtc_hosts_resolver_lookup_by_name_finish (GResolver    *resolver,
                                          GAsyncResult *result,
                                          GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
mtc_hosts_resolver_lookup_by_address (GResolver     *resolver,
                                      GInetAddress  *address,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  return g_resolver_lookup_by_address (MTC_HOSTS_RESOLVER (resolver)->fallback, address, cancellable, error);
}

static void
fallback_address_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *name = g_resolver_lookup_by_address_finish (G_RESOLVER (source), result, &error);

  if (name == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, name, g_free);
}

static void
mtc_hosts_resolver_lookup_by_address_async (GResolver           *resolver,
                                            GInetAddress        *address,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);

  g_resolver_lookup_by_address_async (MTC_HOSTS_RESOLVER (resolver)->fallback, address, cancellable,
                                      fallback_address_done_cb, task);
}

static char *
mtc_hosts_resolver_lookup_by_address_finish (GResolver    *resolver,
                                             GAsyncResult *result,
                                             GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SRV records as GSrvTargets, the way GResolver hands out services. */
static GList *
records_to_targets (GList   *records,
                    GError **error)
{
  GList *targets = NULL;

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, port;
      const char *target;

      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &target);
      targets = g_list_prepend (targets, g_srv_target_new (target, port, priority, weight));
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  targets = g_srv_target_list_sort (targets);
  if (targets == NULL)
    g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "The service is not offered");
  return targets;
}

static GList *
mtc_hosts_resolver_lookup_service (GResolver     *resolver,
                                   const char    *rrname,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  GList *records = g_resolver_lookup_records (MTC_HOSTS_RESOLVER (resolver)->fallback, rrname,
                                              G_RESOLVER_RECORD_SRV, cancellable, error);

  return records ? records_to_targets (records, error) : NULL;
}

static void
fallback_service_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);
  GList *targets = records ? records_to_targets (records, &error) : NULL;

  if (targets == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, targets, (GDestroyNotify) g_resolver_free_targets);
}

static void
mtc_hosts_resolver_lookup_service_async (GResolver           *resolver,
                                         const char          *rrname,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);

  g_resolver_lookup_records_async (MTC_HOSTS_RESOLVER (resolver)->fallback, rrname, G_RESOLVER_RECORD_SRV,
                                   cancellable, fallback_service_done_cb, task);
}

static GList *
mtc_hosts_resolver_lookup_service_finish (GResolver    *resolver,
                                          GAsyncResult *result,
                                          GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
mtc_hosts_resolver_lookup_records (GResolver            *resolver,
                                   const char           *rrname,
                                   GResolverRecordType   record_type,
                                   GCancellable         *cancellable,
                                   GError              **error)
{
  return g_resolver_lookup_records (MTC_HOSTS_RESOLVER (resolver)->fallback, rrname, record_type, cancellable,
                                    error);
}

static void
free_records (GList *records)
{
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
}

static void
fallback_records_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);

  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify) free_records);
}

static void
mtc_hosts_resolver_lookup_records_async (GResolver           *resolver,
                                         const char          *rrname,
                                         GResolverRecordType  record_type,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);

  g_resolver_lookup_records_async (MTC_HOSTS_RESOLVER (resolver)->fallback, rrname, record_type, cancellable,
                                   fallback_records_done_cb, task);
}

static GList *
mtc_hosts_resolver_lookup_records_finish (GResolver    *resolver,
                                          GAsyncResult *result,
                                          GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mtc_hosts_resolver_finalize (GObject *object)
{
  MtcHostsResolver *self = MTC_HOSTS_RESOLVER (object);

  g_clear_object (&self->fallback);
  g_hash_table_unref (self->names);
  G_OBJECT_CLASS (mtc_hosts_resolver_parent_class)->finalize (object);
}

static void
mtc_hosts_resolver_class_init (MtcHostsResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = mtc_hosts_resolver_finalize;
  resolver_class->lookup_by_name = mtc_hosts_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = mtc_hosts_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = mtc_hosts_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = mtc_hosts_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = mtc_hosts_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = mtc_hosts_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_address = mtc_hosts_resolver_lookup_by_address;
  resolver_class->lookup_by_address_async = mtc_hosts_resolver_lookup_by_address_async;
  resolver_class->lookup_by_address_finish = mtc_hosts_resolver_lookup_by_address_finish;
  resolver_class->lookup_service = mtc_hosts_resolver_lookup_service;
  resolver_class->lookup_service_async = mtc_hosts_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = mtc_hosts_resolver_lookup_service_finish;
  resolver_class->lookup_records = mtc_hosts_resolver_lookup_records;
  resolver_class->lookup_records_async = mtc_hosts_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = mtc_hosts_resolver_lookup_records_finish;
}

static void
mtc_hosts_resolver_init (MtcHostsResolver *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * mtc_hosts_resolver_new:
 * @fallback: the resolver for everything the file does not answer
 *
 * Returns: (transfer full): a resolver that knows no names yet
 */
MtcHostsResolver *
mtc_hosts_resolver_new (GResolver *fallback)
{
  MtcHostsResolver *self;

  g_return_val_if_fail (G_IS_RESOLVER (fallback), NULL);

  self = g_object_new (MTC_TYPE_HOSTS_RESOLVER, NULL);
  self->fallback = g_object_ref (fallback);
  return self;
}

/**
 * mtc_hosts_resolver_load_data:
 * @data: hosts-file text: "ADDRESS NAME [NAME…]" per line, "#" starts a comment
 * @origin: the file's name, for messages
 *
 * Returns: FALSE with an error naming @origin and the line when a line is
 *   not valid
 */
gboolean
mtc_hosts_resolver_load_data (MtcHostsResolver *self,
                              const char       *data,
                              gsize             length,
                              const char       *origin,
                              GError          **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (MTC_IS_HOSTS_RESOLVER (self), FALSE);

  if (length > MTC_HOSTS_FILE_MAX_SIZE || memchr (data, '\0', length) != NULL
      || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                   _("The hosts file “%s” cannot be used: it is not a text file of at most 1 MiB."), origin);
      return FALSE;
    }
  text = g_strndup (data, length);
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_auto(GStrv) tokens = NULL;
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();
      g_autoptr(GInetAddress) address = NULL;

      if (hash != NULL)
        *hash = '\0';
      g_strdelimit (lines[i], "\t\r", ' ');
      tokens = g_strsplit (lines[i], " ", -1);
      for (int j = 0; tokens[j] != NULL; j++)
        if (*tokens[j] != '\0')
          g_ptr_array_add (fields, tokens[j]);
      if (fields->len == 0)
        continue;
      address = g_inet_address_new_from_string (g_ptr_array_index (fields, 0));
      if (address == NULL || fields->len < 2)
        {
          g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                       _("The hosts file “%s” cannot be used: line %d is not “ADDRESS NAME”."), origin, i + 1);
          return FALSE;
        }
      for (guint j = 1; j < fields->len; j++)
        {
          const char *name = g_ptr_array_index (fields, j);
          g_autofree char *ascii = g_hostname_to_ascii (name);
          g_autofree char *lower = NULL;
          GPtrArray *addresses;

          if (ascii == NULL)
            {
              g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                           _("The hosts file “%s” cannot be used: “%s” on line %d is not a valid name."), origin,
                           name, i + 1);
              return FALSE;
            }
          lower = g_ascii_strdown (ascii, -1);
          addresses = g_hash_table_lookup (self->names, lower);
          if (addresses == NULL)
            {
              addresses = g_ptr_array_new_with_free_func (g_object_unref);
              g_hash_table_insert (self->names, g_strdup (lower), addresses);
            }
          g_ptr_array_add (addresses, g_object_ref (address));
        }
    }
  return TRUE;
}

gboolean
mtc_hosts_resolver_load_file (MtcHostsResolver *self,
                              const char       *path,
                              GError          **error)
{
  g_autofree char *data = NULL;
  g_autofree char *shown = g_filename_display_name (path);
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (MTC_IS_HOSTS_RESOLVER (self), FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                   _("The hosts file “%s” cannot be used: it is not a regular file."), shown);
      return FALSE;
    }
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET, _("The hosts file “%s” could not be read: %s"), shown,
                   local_error->message);
      return FALSE;
    }
  return mtc_hosts_resolver_load_data (self, data, length, shown, error);
}

/* TRUE when MTC_HOSTS_FILE is set: the program is being tested, and the other
 * testing hooks (MTC_AUTOCONFIG_HTTP_PORT, MTC_AUTOCONFIG_HTTPS_PORT) apply. */
gboolean
mtc_testing_hooks_active (void)
{
  const char *path = g_getenv (MTC_HOSTS_FILE_ENV);

  return path != NULL && *path != '\0';
}

/**
 * mtc_hosts_resolver_install_from_environment:
 *
 * When MTC_HOSTS_FILE names a file, wraps the default resolver in a
 * #MtcHostsResolver that answers the file's names, and makes it the default.
 * Does nothing otherwise.
 *
 * Returns: FALSE with an error when the file cannot be used
 */
gboolean
mtc_hosts_resolver_install_from_environment (GError **error)
{
  g_autoptr(GResolver) fallback = NULL;
  g_autoptr(MtcHostsResolver) hosts = NULL;

  if (!mtc_testing_hooks_active ())
    return TRUE;
  fallback = g_resolver_get_default ();
  if (MTC_IS_HOSTS_RESOLVER (fallback))
    return TRUE;
  hosts = mtc_hosts_resolver_new (fallback);
  if (!mtc_hosts_resolver_load_file (hosts, g_getenv (MTC_HOSTS_FILE_ENV), error))
    return FALSE;
  g_resolver_set_default (G_RESOLVER (hosts));
  return TRUE;
}
