/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The knowledge base as an object: what each mail program on each system
 * can speak, with its sources, and the questions the verdict asks of it. */
#include "config.h"

#include <string.h>

#include "mtc-key-file.h"
#include "mtc-knowledge-private.h"
#include "mtc-resources.h"

G_DEFINE_TYPE (MtcKnowledge, mtc_knowledge, G_TYPE_OBJECT)

G_DEFINE_QUARK (mtc-knowledge-error-quark, mtc_knowledge_error)

static void
fact_free (MtcKnowledgeFact *fact)
{
  g_free (fact->id);
  g_free (fact->client);
  g_free (fact->client_version);
  g_free (fact->tls_library);
  g_free (fact->fix);
  g_strfreev (fact->sources);
  g_free (fact);
}

static void
mtc_knowledge_finalize (GObject *object)
{
  MtcKnowledge *self = MTC_KNOWLEDGE (object);

  g_clear_pointer (&self->file, g_key_file_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->systems, g_ptr_array_unref);
  g_clear_pointer (&self->fact_index, g_hash_table_unref);
  g_clear_pointer (&self->facts, g_ptr_array_unref);
  g_clear_pointer (&self->models, g_hash_table_unref);

  G_OBJECT_CLASS (mtc_knowledge_parent_class)->finalize (object);
}

static void
mtc_knowledge_class_init (MtcKnowledgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mtc_knowledge_finalize;
}

static void
mtc_knowledge_init (MtcKnowledge *self)
{
  self->file = g_key_file_new ();
  self->clients = g_ptr_array_new_with_free_func (g_free);
  self->systems = g_ptr_array_new_with_free_func (g_free);
  self->facts = g_ptr_array_new_with_free_func ((GDestroyNotify) fact_free);
  self->fact_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * mtc_knowledge_new_from_data:
 * @data: the text of a knowledge file
 * @length: its length, or -1 when NUL-terminated
 *
 * Parses and checks a knowledge file: every fact must name its sources, and
 * every reference must point at a group that exists.
 *
 * Returns: (transfer full): the knowledge base, or %NULL with @error set
 *   (%MTC_KNOWLEDGE_ERROR_INVALID, the message names the faulty group)
 */
MtcKnowledge *
mtc_knowledge_new_from_data (const char *data,
                             gssize      length,
                             GError    **error)
{
  g_autoptr(MtcKnowledge) self = g_object_new (MTC_TYPE_KNOWLEDGE, NULL);

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mtc_knowledge_read_key_file (self, data, length, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * mtc_knowledge_new_default:
 *
 * Returns: (transfer full): the knowledge base compiled into the program
 */
MtcKnowledge *
mtc_knowledge_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (mtc_get_resource (), MTC_KNOWLEDGE_RESOURCE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return mtc_knowledge_new_from_data (data, size, error);
}

static GStrv
strv_from_array (GPtrArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < array->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (array, i));
  return g_strv_builder_end (builder);
}

/* Returns: (transfer full): the ids of every program, in the file's order */
GStrv
mtc_knowledge_list_clients (MtcKnowledge *self)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  return strv_from_array (self->clients);
}

/* Returns: (transfer full): the ids of every system, in the file's order */
GStrv
mtc_knowledge_list_systems (MtcKnowledge *self)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  return strv_from_array (self->systems);
}

gboolean
mtc_knowledge_has_client (MtcKnowledge *self,
                          const char   *client)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), FALSE);
  return client != NULL && has_group (self, "Client", client);
}

gboolean
mtc_knowledge_has_system (MtcKnowledge *self,
                          const char   *system)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), FALSE);
  return system != NULL && has_group (self, "System", system);
}

static char *
get_localised (MtcKnowledge *self,
               const char   *kind,
               const char   *id,
               const char   *key)
{
  g_autofree char *group = NULL;

  if (id == NULL)
    return NULL;
  group = group_name (kind, id);
  /* The English text through the catalogue (mtc-key-file.c). */
  return mtc_key_file_get_translated (self->file, group, key, NULL);
}

/* Returns: (transfer full) (nullable): the program's name in the current language */
char *
mtc_knowledge_get_client_name (MtcKnowledge *self,
                               const char   *client)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  return get_localised (self, "Client", client, "Name");
}

/* Returns: (transfer full) (nullable): the system's name in the current language */
char *
mtc_knowledge_get_system_name (MtcKnowledge *self,
                               const char   *system)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  return get_localised (self, "System", system, "Name");
}

MtcClientKind
mtc_knowledge_get_client_kind (MtcKnowledge *self,
                               const char   *client)
{
  g_autofree char *group = NULL;
  g_autofree char *kind = NULL;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), MTC_CLIENT_KIND_MAIL);
  group = group_name ("Client", client);
  kind = g_key_file_get_string (self->file, group, "Kind", NULL);
  return g_strcmp0 (kind, "browser") == 0 ? MTC_CLIENT_KIND_BROWSER : MTC_CLIENT_KIND_MAIL;
}

/* Returns: (nullable): "macos", "windows" or "linux"; NULL for an unknown system */
const char *
mtc_knowledge_get_system_family (MtcKnowledge *self,
                                 const char   *system)
{
  g_autofree char *group = NULL;
  g_autofree char *family = NULL;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  if (system == NULL)
    return NULL;
  group = group_name ("System", system);
  family = g_key_file_get_string (self->file, group, "Family", NULL);
  /* Interned: the set of families is fixed by validation. */
  return family != NULL ? g_intern_string (family) : NULL;
}

static int
compare_versions (const char *a,
                  const char *b)
{
  g_auto(GStrv) pa = g_strsplit (a ? a : "", ".", -1);
  g_auto(GStrv) pb = g_strsplit (b ? b : "", ".", -1);

  for (int i = 0; pa[i] || pb[i]; i++)
    {
      guint64 na = pa[i] ? g_ascii_strtoull (pa[i], NULL, 10) : 0;
      guint64 nb = pb[i] ? g_ascii_strtoull (pb[i], NULL, 10) : 0;

      if (na != nb)
        return na < nb ? -1 : 1;
      /* The shorter list ended: stop before reading past its end. */
      if (pa[i] == NULL || pb[i] == NULL)
        break;
    }
  return 0;
}

/* Orders systems by family, then by version: negative when @a is older. */
int
mtc_knowledge_compare_systems (MtcKnowledge *self,
                               const char   *a,
                               const char   *b)
{
  g_autofree char *group_a = group_name ("System", a);
  g_autofree char *group_b = group_name ("System", b);
  g_autofree char *version_a = NULL;
  g_autofree char *version_b = NULL;
  int by_family;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), 0);
  by_family = g_strcmp0 (mtc_knowledge_get_system_family (self, a), mtc_knowledge_get_system_family (self, b));
  if (by_family != 0)
    return by_family;
  version_a = g_key_file_get_string (self->file, group_a, "Version", NULL);
  version_b = g_key_file_get_string (self->file, group_b, "Version", NULL);
  return compare_versions (version_a, version_b);
}

/* Returns: (nullable) (transfer none): what the data says about @client on @system */
const MtcKnowledgeFact *
mtc_knowledge_lookup (MtcKnowledge *self,
                      const char   *client,
                      const char   *system)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  if (client == NULL || system == NULL)
    return NULL;
  key = fact_key (client, system);
  return g_hash_table_lookup (self->fact_index, key);
}

/**
 * mtc_knowledge_get_max_tls:
 * @uncertain: (out) (optional): set when the data marks the fact uncertain
 *
 * Returns: the newest TLS version @client speaks on @system, or
 *   %MTC_TLS_UNKNOWN when the data does not know
 */
MtcTlsVersion
mtc_knowledge_get_max_tls (MtcKnowledge *self,
                           const char   *client,
                           const char   *system,
                           gboolean     *uncertain)
{
  const MtcKnowledgeFact *fact = mtc_knowledge_lookup (self, client, system);

  if (uncertain != NULL)
    *uncertain = fact == NULL || fact->uncertain;
  return fact != NULL ? fact->max_tls : MTC_TLS_UNKNOWN;
}

/* Returns: (transfer container): every fact (MtcKnowledgeFact, owned by @self) */
GPtrArray *
mtc_knowledge_list_facts (MtcKnowledge *self)
{
  GPtrArray *facts;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  facts = g_ptr_array_new ();
  for (guint i = 0; i < self->facts->len; i++)
    g_ptr_array_add (facts, g_ptr_array_index (self->facts, i));
  return facts;
}

/* Returns: (transfer full) (nullable): the fact's technical note in the current language */
char *
mtc_knowledge_get_fact_note (MtcKnowledge           *self,
                             const MtcKnowledgeFact *fact)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  g_return_val_if_fail (fact != NULL, NULL);
  return get_localised (self, "Fact", fact->id, "Note");
}

/**
 * mtc_knowledge_clients_on_system:
 *
 * Returns: (transfer full): the programs of @kind that the data knows to run
 *   on @system with a known TLS version, in the file's order
 */
GStrv
mtc_knowledge_clients_on_system (MtcKnowledge  *self,
                                 const char    *system,
                                 MtcClientKind  kind)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  for (guint i = 0; i < self->clients->len; i++)
    {
      const char *client = g_ptr_array_index (self->clients, i);
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (self, client, system);

      if (fact != NULL && fact->max_tls != MTC_TLS_UNKNOWN && mtc_knowledge_get_client_kind (self, client) == kind)
        g_strv_builder_add (builder, client);
    }
  return g_strv_builder_end (builder);
}

/**
 * mtc_knowledge_first_system_reaching:
 *
 * Returns: (transfer full) (nullable): the oldest system of @family on which
 *   @client speaks @version or newer
 */
char *
mtc_knowledge_first_system_reaching (MtcKnowledge  *self,
                                     const char    *client,
                                     const char    *family,
                                     MtcTlsVersion  version)
{
  const char *best = NULL;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  for (guint i = 0; i < self->systems->len; i++)
    {
      const char *system = g_ptr_array_index (self->systems, i);
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (self, client, system);

      if (g_strcmp0 (mtc_knowledge_get_system_family (self, system), family) != 0)
        continue;
      if (fact == NULL || fact->max_tls == MTC_TLS_UNKNOWN || fact->max_tls < version)
        continue;
      if (best == NULL || mtc_knowledge_compare_systems (self, system, best) < 0)
        best = system;
    }
  return g_strdup (best);
}

/**
 * mtc_knowledge_newest_system_for_model:
 * @model: a Mac model identifier such as "MacBookPro5,5"
 * @condition: (out) (optional) (transfer full): a condition in the current
 *   language (e.g. the graphics card it needs), or %NULL
 *
 * Returns: (transfer full) (nullable): the newest system that Mac can run
 */
char *
mtc_knowledge_newest_system_for_model (MtcKnowledge  *self,
                                       const char    *model,
                                       char         **condition)
{
  g_autofree char *key = NULL;
  const char *group;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  if (condition != NULL)
    *condition = NULL;
  if (model == NULL)
    return NULL;
  key = g_ascii_strdown (model, -1);
  group = g_hash_table_lookup (self->models, g_strstrip (key));
  if (group == NULL)
    return NULL;
  if (condition != NULL)
    *condition = mtc_key_file_get_translated (self->file, group, "Condition", NULL);
  return g_key_file_get_string (self->file, group, "NewestSystem", NULL);
}

static gboolean
app_id_matches (const char *candidate,
                const char *app_id)
{
  const char *base = app_id;

  for (const char *p = app_id; *p; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  return g_ascii_strcasecmp (candidate, app_id) == 0 || g_ascii_strcasecmp (candidate, base) == 0;
}

/**
 * mtc_knowledge_client_for_app_id:
 * @app_id: what the system reports for a program: a desktop-file id
 *   ("org.gnome.Evolution.desktop"), a bundle id ("com.apple.mail") or a
 *   program file ("C:\\…\\OUTLOOK.EXE")
 *
 * Returns: (transfer full) (nullable): the knowledge base's id for it
 */
char *
mtc_knowledge_client_for_app_id (MtcKnowledge *self,
                                 const char   *app_id)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  if (app_id == NULL || *app_id == '\0')
    return NULL;
  for (guint i = 0; i < self->clients->len; i++)
    {
      const char *client = g_ptr_array_index (self->clients, i);
      g_autofree char *group = group_name ("Client", client);
      g_auto(GStrv) ids = g_key_file_get_string_list (self->file, group, "AppIds", NULL, NULL);

      for (int j = 0; ids && ids[j]; j++)
        if (*ids[j] != '\0' && app_id_matches (ids[j], app_id))
          return g_strdup (client);
    }
  return NULL;
}

/* Returns: (transfer full) (nullable): the fix's title, in the current language */
char *
mtc_knowledge_get_fix_title (MtcKnowledge *self,
                             const char   *fix)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  return get_localised (self, "Fix", fix, "Title");
}

/* Returns: (transfer full) (nullable): what to do, in the current language */
char *
mtc_knowledge_get_fix_text (MtcKnowledge *self,
                            const char   *fix)
{
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  return get_localised (self, "Fix", fix, "Text");
}

/* Returns: (transfer full) (nullable): where the fix is explained */
char *
mtc_knowledge_get_fix_url (MtcKnowledge *self,
                           const char   *fix)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  if (fix == NULL)
    return NULL;
  group = group_name ("Fix", fix);
  return g_key_file_get_string (self->file, group, "Url", NULL);
}

gboolean
mtc_knowledge_get_fix_uncertain (MtcKnowledge *self,
                                 const char   *fix)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), TRUE);
  if (fix == NULL)
    return TRUE;
  group = group_name ("Fix", fix);
  return g_key_file_get_boolean (self->file, group, "Uncertain", NULL);
}

/* Returns: (transfer full): "Title (URL)" a line, in the report's language
 * where the source's title is translated, for the report's details */
char *
mtc_knowledge_describe_sources (MtcKnowledge       *self,
                                const char * const *sources)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  for (int i = 0; sources && sources[i]; i++)
    {
      g_autofree char *group = group_name ("Source", sources[i]);
      g_autofree char *title = get_localised (self, "Source", sources[i], "Title");
      g_autofree char *url = g_key_file_get_string (self->file, group, "Url", NULL);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      if (title != NULL && url != NULL)
        g_string_append_printf (out, "%s (%s)", title, url);
      else
        g_string_append (out, title != NULL ? title : url != NULL ? url : sources[i]);
    }
  return g_string_free (out, FALSE);
}
