/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-target.h"
#include "mtc-words.h"

struct _MtcTargetResolver
{
  GObject parent_instance;

  guint timeout_ms;
  GResolver *resolver;
  SoupSession *session;
  MtcProvider *provider;      /* from --provider, or NULL */
};

G_DEFINE_FINAL_TYPE (MtcTargetResolver, mtc_target_resolver, G_TYPE_OBJECT)

typedef enum {
  ITEM_ENDPOINTS,             /* an endpoint URL or a bare host */
  ITEM_PROVIDER,              /* a provider ID, or a link naming one */
  ITEM_ACCOUNT,               /* an e-mail address at the --provider provider: nothing to look up */
  ITEM_DISCOVER,              /* an e-mail address to look up */
} ItemKind;

typedef struct {
  ItemKind kind;
  GPtrArray *endpoints;
  MtcProvider *provider;
  MtcEmailAddress *email;
  MtcDiscoveryResult *discovery;
  GStrv ignored_keys;
} Item;

typedef struct {
  GPtrArray *items;
  guint n_pending;
  GError *error;
} Resolve;

typedef struct {
  GTask *task;
  guint index;
} Lookup;

static void
item_free (Item *item)
{
  g_clear_pointer (&item->endpoints, g_ptr_array_unref);
  g_clear_object (&item->provider);
  mtc_email_address_free (item->email);
  mtc_discovery_result_free (item->discovery);
  g_strfreev (item->ignored_keys);
  g_free (item);
}

static void
resolve_free (Resolve *resolve)
{
  g_ptr_array_unref (resolve->items);
  g_clear_error (&resolve->error);
  g_free (resolve);
}

void
mtc_target_set_free (MtcTargetSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->endpoints);
  g_clear_object (&set->provider);
  mtc_email_address_free (set->email);
  g_ptr_array_unref (set->discoveries);
  g_ptr_array_unref (set->ignored_keys);
  g_free (set);
}

/* A provider by ID: the --provider profile, or a built-in one. */
static MtcProvider *
find_provider (MtcTargetResolver *self,
               const char        *id,
               GError           **error)
{
  if (self->provider != NULL && strcmp (mtc_provider_get_id (self->provider), id) == 0)
    return g_object_ref (self->provider);
  return mtc_provider_lookup (id, error);
}

static Item *
classify (MtcTargetResolver *self,
          const char        *text,
          GError           **error)
{
  Item *item = g_new0 (Item, 1);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                           _("Nothing was given to check: enter an e-mail address, a server name or an address."));
      g_clear_pointer (&item, item_free);
    }
  else if (mtc_link_is_link (text))
    {
      g_autoptr(MtcLinkRequest) request = mtc_link_parse (text, error);

      if (request == NULL)
        g_clear_pointer (&item, item_free);
      else
        {
          item->ignored_keys = g_strdupv (request->ignored_keys);
          item->email = g_steal_pointer (&request->email);
          if (request->provider_id != NULL)
            {
              item->kind = ITEM_PROVIDER;
              item->provider = find_provider (self, request->provider_id, error);
              if (item->provider == NULL)
                g_clear_pointer (&item, item_free);
            }
          else
            item->kind = self->provider ? ITEM_ACCOUNT : ITEM_DISCOVER;
        }
    }
  else if (mtc_target_is_endpoint_url (text))
    {
      item->kind = ITEM_ENDPOINTS;
      item->endpoints = mtc_target_parse (text, error);
      if (item->endpoints == NULL)
        g_clear_pointer (&item, item_free);
    }
  else if (strchr (text, '@') != NULL)
    {
      item->email = mtc_email_address_parse (text, error);
      item->kind = self->provider ? ITEM_ACCOUNT : ITEM_DISCOVER;
      if (item->email == NULL)
        g_clear_pointer (&item, item_free);
    }
  else if (mtc_provider_id_is_valid (text) && (item->provider = find_provider (self, text, NULL)) != NULL)
    item->kind = ITEM_PROVIDER;
  else
    {
      item->kind = ITEM_ENDPOINTS;
      item->endpoints = mtc_target_parse (text, error);
      if (item->endpoints == NULL)
        g_clear_pointer (&item, item_free);
    }
  return item;
}

static GPtrArray *
classify_all (MtcTargetResolver  *self,
              const char * const *targets,
              GError            **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  for (int i = 0; targets && targets[i]; i++)
    {
      Item *item = classify (self, targets[i], error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}

static void
add_unique (GPtrArray         *endpoints,
            const MtcEndpoint *endpoint)
{
  g_autofree char *url = mtc_endpoint_to_ascii_url (endpoint);

  for (guint i = 0; i < endpoints->len; i++)
    {
      g_autofree char *other = mtc_endpoint_to_ascii_url (g_ptr_array_index (endpoints, i));

      if (strcmp (url, other) == 0)
        return;
    }
  g_ptr_array_add (endpoints, mtc_endpoint_copy (endpoint));
}

static void
add_all (GPtrArray *endpoints,
         GPtrArray *more)
{
  for (guint i = 0; more && i < more->len; i++)
    add_unique (endpoints, g_ptr_array_index (more, i));
}

static void
add_provider (MtcTargetSet *set,
              MtcProvider  *provider)
{
  if (set->provider == NULL)
    set->provider = g_object_ref (provider);
  if (mtc_provider_is_demo (provider))
    set->demo = TRUE;
  else
    {
      g_autoptr(GPtrArray) endpoints = mtc_provider_dup_endpoints (provider);

      add_all (set->endpoints, endpoints);
    }
}

static MtcTargetSet *
assemble (MtcTargetResolver *self,
          GPtrArray         *items)
{
  MtcTargetSet *set = g_new0 (MtcTargetSet, 1);

  set->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  set->discoveries = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_discovery_result_free);
  set->ignored_keys = g_ptr_array_new_with_free_func (g_free);
  if (self->provider != NULL)
    add_provider (set, self->provider);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      for (int j = 0; item->ignored_keys && item->ignored_keys[j]; j++)
        g_ptr_array_add (set->ignored_keys, g_strdup (item->ignored_keys[j]));
      if (item->email != NULL && set->email == NULL)
        set->email = mtc_email_address_copy (item->email);
      switch (item->kind)
        {
        case ITEM_ENDPOINTS:
          add_all (set->endpoints, item->endpoints);
          break;
        case ITEM_PROVIDER:
          add_provider (set, item->provider);
          break;
        case ITEM_ACCOUNT:
          break;
        case ITEM_DISCOVER:
          set->offline |= item->discovery->offline;
          if (item->discovery->provider != NULL)
            add_provider (set, item->discovery->provider);
          else
            add_all (set->endpoints, item->discovery->endpoints);
          g_ptr_array_add (set->discoveries, g_steal_pointer (&item->discovery));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return set;
}

static void
discovered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GTask) task = lookup->task;
  Resolve *resolve = g_task_get_task_data (task);
  Item *item = g_ptr_array_index (resolve->items, lookup->index);
  GError *error = NULL;

  item->discovery = mtc_discovery_run_finish (MTC_DISCOVERY (object), result, &error);
  /* Offline is a finding about this computer, not about the targets: the
   * set goes on with what could not be looked up, and the check with it. */
  if (g_error_matches (error, MTC_ERROR, MTC_ERROR_OFFLINE))
    {
      item->discovery = mtc_discovery_dup_failure (MTC_DISCOVERY (object));
      g_clear_error (&error);
    }
  if (item->discovery == NULL)
    {
      if (resolve->error == NULL)
        resolve->error = error;
      else
        g_error_free (error);
    }
  g_free (lookup);

  if (--resolve->n_pending > 0)
    return;
  if (resolve->error != NULL)
    g_task_return_error (task, g_steal_pointer (&resolve->error));
  else
    g_task_return_pointer (task, assemble (g_task_get_source_object (task), resolve->items),
                           (GDestroyNotify) mtc_target_set_free);
}

static void
mtc_target_resolver_dispose (GObject *object)
{
  MtcTargetResolver *self = MTC_TARGET_RESOLVER (object);

  g_clear_object (&self->resolver);
  g_clear_object (&self->session);
  g_clear_object (&self->provider);
  G_OBJECT_CLASS (mtc_target_resolver_parent_class)->dispose (object);
}

static void
mtc_target_resolver_class_init (MtcTargetResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mtc_target_resolver_dispose;
}

static void
mtc_target_resolver_init (MtcTargetResolver *self)
{
  self->timeout_ms = MTC_DISCOVERY_DEFAULT_TIMEOUT_MS;
}

MtcTargetResolver *
mtc_target_resolver_new (void)
{
  return g_object_new (MTC_TYPE_TARGET_RESOLVER, NULL);
}

/* The deadline of each discovery source. */
void
mtc_target_resolver_set_timeout (MtcTargetResolver *self,
                                 guint              timeout_ms)
{
  g_return_if_fail (MTC_IS_TARGET_RESOLVER (self));
  g_return_if_fail (timeout_ms > 0);
  self->timeout_ms = timeout_ms;
}

void
mtc_target_resolver_set_resolver (MtcTargetResolver *self,
                                  GResolver         *resolver)
{
  g_return_if_fail (MTC_IS_TARGET_RESOLVER (self));
  g_set_object (&self->resolver, resolver);
}

void
mtc_target_resolver_set_session (MtcTargetResolver *self,
                                 SoupSession       *session)
{
  g_return_if_fail (MTC_IS_TARGET_RESOLVER (self));
  g_set_object (&self->session, session);
}

/**
 * mtc_target_resolver_set_provider:
 * @provider: (nullable): the provider given with `--provider`
 *
 * Its endpoints are checked, its ID is known as a target, and e-mail
 * addresses are taken as accounts at it (no discovery).
 */
void
mtc_target_resolver_set_provider (MtcTargetResolver *self,
                                  MtcProvider       *provider)
{
  g_return_if_fail (MTC_IS_TARGET_RESOLVER (self));
  g_set_object (&self->provider, provider);
}

/**
 * mtc_target_resolver_check:
 * @targets: (array zero-terminated=1): what the user gave
 *
 * Checks every target without any network access.
 *
 * Returns: FALSE with %MTC_ERROR_INVALID_TARGET and a sentence saying what
 *   is wrong with the first bad target
 */
gboolean
mtc_target_resolver_check (MtcTargetResolver  *self,
                           const char * const *targets,
                           GError            **error)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (MTC_IS_TARGET_RESOLVER (self), FALSE);

  items = classify_all (self, targets, error);
  return items != NULL;
}

/**
 * mtc_target_resolver_resolve_async:
 * @targets: (array zero-terminated=1) (nullable): what the user gave
 *
 * Turns the targets into endpoints; e-mail addresses are looked up
 * (mtc_discovery_run_async()) all at once.
 */
void
mtc_target_resolver_resolve_async (MtcTargetResolver   *self,
                                   const char * const  *targets,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Resolve *resolve;
  GPtrArray *items;

  g_return_if_fail (MTC_IS_TARGET_RESOLVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mtc_target_resolver_resolve_async);
  items = classify_all (self, targets, &error);
  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  resolve = g_new0 (Resolve, 1);
  resolve->items = items;
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);
      g_autoptr(MtcDiscovery) discovery = NULL;
      Lookup *lookup;

      if (item->kind != ITEM_DISCOVER)
        continue;
      discovery = mtc_discovery_new ();
      mtc_discovery_set_timeout (discovery, self->timeout_ms);
      if (self->resolver != NULL)
        mtc_discovery_set_resolver (discovery, self->resolver);
      if (self->session != NULL)
        mtc_discovery_set_session (discovery, self->session);
      lookup = g_new0 (Lookup, 1);
      lookup->task = g_object_ref (task);
      lookup->index = i;
      resolve->n_pending++;
      mtc_discovery_run_async (discovery, item->email->address, cancellable, discovered_cb, lookup);
    }
  if (resolve->n_pending == 0)
    g_task_return_pointer (task, assemble (self, items), (GDestroyNotify) mtc_target_set_free);
}

/**
 * mtc_target_resolver_resolve_finish:
 *
 * Returns: (transfer full): the endpoints, or %NULL with
 *   %MTC_ERROR_INVALID_TARGET (a target is not valid, or names an unknown
 *   provider), %MTC_ERROR_NOT_FOUND (no servers found for an address) or
 *   %G_IO_ERROR_CANCELLED.  An address that could not be looked up because
 *   this computer cannot look up names is no error: the set says offline,
 *   and its discovery holds the notes.
 */
MtcTargetSet *
mtc_target_resolver_resolve_finish (MtcTargetResolver  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}


/**
 * mtc_target_set_describe:
 * @width: break lines before this many characters, or 0
 *
 * Where the servers came from, in plain sentences (a paragraph each), for
 * a report: a provider's candidate servers, guesses, ignored link keys.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when there is
 *   nothing to say
 */
char *
mtc_target_set_describe (const MtcTargetSet *set,
                         guint               width)
{
  g_autoptr(GPtrArray) paragraphs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new ();
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (set != NULL, NULL);

  if (set->provider != NULL && !mtc_provider_is_demo (set->provider))
    {
      GPtrArray *servers = mtc_provider_get_servers (set->provider);

      /* TRANSLATORS: %s is a provider's name */
      g_ptr_array_add (paragraphs, g_strdup_printf (_("The servers of %s come from its provider profile."),
                                                    mtc_provider_get_name (set->provider)));
      for (guint i = 0; i < servers->len; i++)
        {
          MtcProviderServer *server = g_ptr_array_index (servers, i);

          if (server->candidate && server->note != NULL
              && !g_ptr_array_find_with_equal_func (notes, server->note, g_str_equal, NULL))
            {
              g_ptr_array_add (notes, server->note);
              g_ptr_array_add (paragraphs, g_strdup (server->note));
            }
        }
    }
  for (guint i = 0; i < set->discoveries->len; i++)
    {
      MtcDiscoveryResult *result = g_ptr_array_index (set->discoveries, i);
      const char *address = result->address->address;

      if (result->offline)
        {
          /* TRANSLATORS: %s is an e-mail address */
          g_ptr_array_add (paragraphs, g_strdup_printf (_("The servers for %s could not be looked up: this "
                                                          "computer got no answer from the internet."), address));
          continue;
        }
      switch (result->source)
        {
        case MTC_DISCOVERY_SOURCE_PROFILE:
          continue;
        case MTC_DISCOVERY_SOURCE_AUTOCONFIG:
          /* TRANSLATORS: %s is an e-mail domain, such as example.net */
          g_ptr_array_add (paragraphs, g_strdup_printf (_("The servers for %s come from the provider’s settings "
                                                          "file (autoconfig)."), address));
          break;
        case MTC_DISCOVERY_SOURCE_SRV:
          /* TRANSLATORS: %s is an e-mail domain, such as example.net */
          g_ptr_array_add (paragraphs, g_strdup_printf (_("The servers for %s come from the domain’s service "
                                                          "records (SRV)."), address));
          break;
        case MTC_DISCOVERY_SOURCE_MX:
          /* TRANSLATORS: %s is an e-mail domain, such as example.net */
          g_ptr_array_add (paragraphs, g_strdup_printf (_("The servers for %s are a guess: the domain’s incoming "
                                                          "mail server (MX record). The provider does not publish "
                                                          "its servers."), address));
          break;
        case MTC_DISCOVERY_SOURCE_COMMON_NAMES:
          /* TRANSLATORS: %s is an e-mail domain, such as example.net */
          g_ptr_array_add (paragraphs, g_strdup_printf (_("The servers for %s are a guess from common server "
                                                          "names. The provider does not publish its servers."),
                                                        address));
          break;
        case MTC_DISCOVERY_N_SOURCES:
        default:
          g_assert_not_reached ();
        }
    }
  for (guint i = 0; i < set->ignored_keys->len; i++)
    {
      const char *key = g_ptr_array_index (set->ignored_keys, i);

      /* TRANSLATORS: %s is a part of a support link, such as “lang” */
      g_ptr_array_add (paragraphs, g_strdup_printf (_("The link’s part “%s” is not known to this version and was "
                                                      "ignored."), key));
    }
  if (paragraphs->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < paragraphs->len; i++)
    mtc_text_append_wrapped (out, NULL, 0, width > 0 ? width : G_MAXUINT, g_ptr_array_index (paragraphs, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mtc_target_set_describe_lookups:
 *
 * For support: what each way of finding the servers asked and got, for
 * every address that could not be looked up (offline), a line each.
 *
 * Returns: (transfer full) (nullable): the lines, or %NULL when every
 *   address was looked up
 */
char *
mtc_target_set_describe_lookups (const MtcTargetSet *set)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (set != NULL, NULL);

  for (guint i = 0; i < set->discoveries->len; i++)
    {
      MtcDiscoveryResult *result = g_ptr_array_index (set->discoveries, i);

      if (!result->offline)
        continue;
      /* TRANSLATORS: followed by what each way of finding the servers got; %s is an e-mail address */
      g_string_append_printf (out, _("Looked up for %s:"), result->address->address);
      g_string_append_c (out, '\n');
      for (int s = MTC_DISCOVERY_SOURCE_AUTOCONFIG; s < MTC_DISCOVERY_N_SOURCES; s++)
        if (result->notes[s] != NULL)
          g_string_append_printf (out, "%s: %s\n", mtc_discovery_source_describe (s), result->notes[s]);
    }
  if (out->len == 0)
    return NULL;
  g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mtc_target_set_dup_hints:
 *
 * What the verdict needs to know about the provider: from its profile, or
 * from an autoconfig file (name and webmail).
 *
 * Returns: (transfer full) (nullable): the hints, or %NULL when nothing is known
 */
MtcProviderHints *
mtc_target_set_dup_hints (const MtcTargetSet *set)
{
  g_return_val_if_fail (set != NULL, NULL);

  if (set->provider != NULL)
    return mtc_provider_dup_hints (set->provider);
  for (guint i = 0; i < set->discoveries->len; i++)
    {
      MtcDiscoveryResult *result = g_ptr_array_index (set->discoveries, i);

      if (result->display_name != NULL || result->webmail_url != NULL || result->starttls_published != NULL)
        {
          MtcProviderHints *hints = mtc_provider_hints_new ();

          hints->provider_name = g_strdup (result->display_name);
          hints->webmail_url = g_strdup (result->webmail_url);
          for (guint j = 0; result->starttls_published != NULL && j < result->starttls_published->len; j++)
            {
              if (hints->starttls_published == NULL)
                hints->starttls_published = g_ptr_array_new_with_free_func (g_free);
              g_ptr_array_add (hints->starttls_published, g_strdup (g_ptr_array_index (result->starttls_published, j)));
            }
          return hints;
        }
    }
  return NULL;
}
