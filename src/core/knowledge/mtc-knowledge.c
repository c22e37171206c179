/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-knowledge.h"
#include "mtc-resources.h"

struct _MtcKnowledge
{
  GObject parent_instance;

  GKeyFile *file;
  GPtrArray *clients;       /* of char *, in file order */
  GPtrArray *systems;       /* of char *, in file order */
  GPtrArray *facts;         /* of MtcKnowledgeFact * */
  GHashTable *fact_index;   /* "client\nsystem" → MtcKnowledgeFact * (borrowed) */
  GHashTable *models;       /* lower-case model identifier → [Macs] group name */
};


G_DEFINE_TYPE (MtcKnowledge, mtc_knowledge, G_TYPE_OBJECT)

G_DEFINE_QUARK (mtc-knowledge-error-quark, mtc_knowledge_error)

#define FORMAT_VERSION 1

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

static char *
group_name (const char *kind,
            const char *id)
{
  return g_strdup_printf ("%s %s", kind, id);
}

static char *
fact_key (const char *client,
          const char *system)
{
  return g_strdup_printf ("%s\n%s", client, system);
}

static gboolean
fail (GError    **error,
      const char *group,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError    **error,
      const char *group,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *raw = NULL;
  g_autofree char *message = NULL;

  va_start (args, format);
  raw = g_strdup_vprintf (format, args);
  va_end (args);
  /* GKeyFile quotes escape sequences byte by byte, which can cut a
   * multi-byte character in half: the message stays valid UTF-8. */
  message = g_utf8_make_valid (raw, -1);
  if (group != NULL)
    g_set_error (error, MTC_KNOWLEDGE_ERROR, MTC_KNOWLEDGE_ERROR_INVALID,
                 "Knowledge base: [%s]: %s", group, message);
  else
    g_set_error (error, MTC_KNOWLEDGE_ERROR, MTC_KNOWLEDGE_ERROR_INVALID, "Knowledge base: %s", message);
  return FALSE;
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* A required non-empty string. */
static char *
get_required (GKeyFile   *file,
              const char *group,
              const char *key,
              GError    **error)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    {
      fail (error, group, "the key “%s” is missing or empty", key);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* An optional boolean: FALSE when absent, an error when not a boolean. */
static gboolean
get_optional_boolean (GKeyFile   *file,
                      const char *group,
                      const char *key,
                      gboolean   *value,
                      GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = FALSE;
  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  *value = g_key_file_get_boolean (file, group, key, &local_error);
  if (local_error != NULL)
    return fail (error, group, "“%s” must be true or false", key);
  return TRUE;
}

static gboolean
parse_tls (const char    *text,
           gboolean       allow_unknown,
           MtcTlsVersion *version)
{
  if (allow_unknown && g_strcmp0 (text, "unknown") == 0)
    {
      *version = MTC_TLS_UNKNOWN;
      return TRUE;
    }
  *version = mtc_tls_version_from_string (text);
  return *version != MTC_TLS_UNKNOWN;
}

static gboolean
has_group (MtcKnowledge *self,
           const char   *kind,
           const char   *id)
{
  g_autofree char *group = group_name (kind, id);

  return g_key_file_has_group (self->file, group);
}

/* A non-empty list of ids that all name a [KIND …] group. */
static GStrv
get_references (MtcKnowledge *self,
                const char   *group,
                const char   *key,
                const char   *kind,
                GError      **error)
{
  g_auto(GStrv) ids = g_key_file_get_string_list (self->file, group, key, NULL, NULL);

  if (ids == NULL || ids[0] == NULL)
    {
      fail (error, group, "no %s (key “%s”)", g_strcmp0 (kind, "Source") == 0 ? "source" : "entries", key);
      return NULL;
    }
  for (int i = 0; ids[i]; i++)
    {
      g_strstrip (ids[i]);
      if (!has_group (self, kind, ids[i]))
        {
          fail (error, group, "“%s” in “%s” names no [%s %s] group", ids[i], key, kind, ids[i]);
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

static gboolean
load_source (MtcKnowledge *self,
             const char   *group,
             GError      **error)
{
  g_autofree char *title = g_key_file_get_string (self->file, group, "Title", NULL);
  g_autofree char *url = g_key_file_get_string (self->file, group, "Url", NULL);

  if ((title == NULL || *title == '\0') && (url == NULL || *url == '\0'))
    return fail (error, group, "a source needs a Title or a Url");
  if (url != NULL && *url != '\0' && !g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    return fail (error, group, "the Url “%s” is not a web address", url);
  return TRUE;
}

static gboolean
load_system (MtcKnowledge *self,
             const char   *group,
             const char   *id,
             GError      **error)
{
  g_autofree char *name = get_required (self->file, group, "Name", error);
  g_autofree char *family = NULL;
  g_autofree char *version = NULL;

  if (name == NULL)
    return FALSE;
  family = get_required (self->file, group, "Family", error);
  if (family == NULL)
    return FALSE;
  if (g_strcmp0 (family, "macos") != 0 && g_strcmp0 (family, "windows") != 0 && g_strcmp0 (family, "linux") != 0)
    return fail (error, group, "Family must be macos, windows or linux, not “%s”", family);
  version = get_required (self->file, group, "Version", error);
  if (version == NULL)
    return FALSE;
  for (const char *p = version; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return fail (error, group, "Version “%s” is not numeric", version);
  g_ptr_array_add (self->systems, g_strdup (id));
  return TRUE;
}

static gboolean
load_client (MtcKnowledge *self,
             const char   *group,
             const char   *id,
             GError      **error)
{
  g_autofree char *name = get_required (self->file, group, "Name", error);
  g_autofree char *kind = NULL;

  if (name == NULL)
    return FALSE;
  kind = get_required (self->file, group, "Kind", error);
  if (kind == NULL)
    return FALSE;
  if (g_strcmp0 (kind, "mail") != 0 && g_strcmp0 (kind, "browser") != 0)
    return fail (error, group, "Kind must be mail or browser, not “%s”", kind);
  g_ptr_array_add (self->clients, g_strdup (id));
  return TRUE;
}

static gboolean
load_fix (MtcKnowledge *self,
          const char   *group,
          GError      **error)
{
  g_autofree char *title = get_required (self->file, group, "Title", error);
  g_autofree char *text = NULL;
  g_auto(GStrv) sources = NULL;
  gboolean uncertain;

  if (title == NULL)
    return FALSE;
  text = get_required (self->file, group, "Text", error);
  if (text == NULL)
    return FALSE;
  sources = get_references (self, group, "Sources", "Source", error);
  if (sources == NULL)
    return FALSE;
  return get_optional_boolean (self->file, group, "Uncertain", &uncertain, error);
}

static gboolean
load_fact (MtcKnowledge *self,
           const char   *group,
           const char   *id,
           GError      **error)
{
  MtcKnowledgeFact *fact;
  g_autofree char *client = get_required (self->file, group, "Client", error);
  g_autofree char *max_tls = NULL;
  g_autofree char *with_fix = NULL;
  g_auto(GStrv) systems = NULL;
  g_auto(GStrv) sources = NULL;
  gboolean uncertain, version_uncertain, updates_ended;

  if (client == NULL)
    return FALSE;
  if (!has_group (self, "Client", client))
    return fail (error, group, "the client “%s” names no [Client %s] group", client, client);
  /* Sources first: a fact without a source is the one mistake this file
   * must never let through. */
  sources = get_references (self, group, "Sources", "Source", error);
  if (sources == NULL)
    return FALSE;
  systems = get_references (self, group, "Systems", "System", error);
  if (systems == NULL)
    return FALSE;
  max_tls = get_required (self->file, group, "MaxTls", error);
  if (max_tls == NULL)
    return FALSE;
  if (!get_optional_boolean (self->file, group, "Uncertain", &uncertain, error)
      || !get_optional_boolean (self->file, group, "ClientVersionUncertain", &version_uncertain, error)
      || !get_optional_boolean (self->file, group, "SecurityUpdatesEnded", &updates_ended, error))
    return FALSE;

  fact = g_new0 (MtcKnowledgeFact, 1);
  g_ptr_array_add (self->facts, fact);
  fact->id = g_strdup (id);
  fact->client = g_steal_pointer (&client);
  fact->sources = g_steal_pointer (&sources);
  fact->uncertain = uncertain;
  fact->client_version_uncertain = version_uncertain;
  fact->security_updates_ended = updates_ended;
  fact->client_version = g_key_file_get_string (self->file, group, "ClientVersion", NULL);
  fact->tls_library = g_key_file_get_string (self->file, group, "TlsLibrary", NULL);
  fact->fix = g_key_file_get_string (self->file, group, "Fix", NULL);
  fact->max_tls_with_fix = MTC_TLS_UNKNOWN;
  if (!parse_tls (max_tls, TRUE, &fact->max_tls))
    return fail (error, group, "MaxTls “%s” is not 1.0, 1.1, 1.2, 1.3 or unknown", max_tls);
  if (fact->fix != NULL)
    {
      if (!has_group (self, "Fix", fact->fix))
        return fail (error, group, "the fix “%s” names no [Fix %s] group", fact->fix, fact->fix);
      with_fix = g_key_file_get_string (self->file, group, "MaxTlsWithFix", NULL);
      if (with_fix == NULL || !parse_tls (with_fix, FALSE, &fact->max_tls_with_fix))
        return fail (error, group, "a fact with a Fix needs MaxTlsWithFix (1.0 to 1.3)");
    }
  if (fact->client_version != NULL && *fact->client_version == '\0')
    g_clear_pointer (&fact->client_version, g_free);

  for (int i = 0; systems[i]; i++)
    {
      g_autofree char *key = fact_key (fact->client, systems[i]);
      const MtcKnowledgeFact *other = g_hash_table_lookup (self->fact_index, key);

      if (other != NULL)
        return fail (error, group, "%s on %s is already described by [Fact %s]", fact->client, systems[i],
                     other->id);
      g_hash_table_insert (self->fact_index, g_steal_pointer (&key), fact);
    }
  return TRUE;
}

static gboolean
load_macs (MtcKnowledge *self,
           const char   *group,
           GError      **error)
{
  g_autofree char *newest = get_required (self->file, group, "NewestSystem", error);
  g_auto(GStrv) models = NULL;
  g_auto(GStrv) sources = NULL;

  if (newest == NULL)
    return FALSE;
  if (!has_group (self, "System", newest))
    return fail (error, group, "NewestSystem “%s” names no [System %s] group", newest, newest);
  sources = get_references (self, group, "Sources", "Source", error);
  if (sources == NULL)
    return FALSE;
  models = g_key_file_get_string_list (self->file, group, "Models", NULL, NULL);
  if (models == NULL || models[0] == NULL)
    return fail (error, group, "no Models");
  for (int i = 0; models[i]; i++)
    {
      g_autofree char *key = g_ascii_strdown (g_strstrip (models[i]), -1);
      const char *other = g_hash_table_lookup (self->models, key);

      if (*key == '\0')
        return fail (error, group, "an empty model identifier");
      if (other != NULL)
        return fail (error, group, "the model %s is already listed in [%s]", models[i], other);
      g_hash_table_insert (self->models, g_steal_pointer (&key), g_strdup (group));
    }
  return TRUE;
}

static gboolean
load (MtcKnowledge *self,
      const char   *data,
      gssize        length,
      GError      **error)
{
  static const char * const kinds[] = { "Source", "System", "Client", "Fix", "Fact", "Macs" };
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  gsize size = length < 0 ? strlen (data) : (gsize) length;
  int version;

  /* Group names and lines are quoted in the messages below. */
  if (!g_utf8_validate_len (data, size, NULL))
    return fail (error, NULL, "the file is not valid UTF-8 text");
  if (!g_key_file_load_from_data (self->file, data, size, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    return fail (error, NULL, "%s", local_error->message);

  version = g_key_file_get_integer (self->file, "Knowledge", "Version", &local_error);
  if (local_error != NULL)
    return fail (error, "Knowledge", "no format Version");
  if (version != FORMAT_VERSION)
    return fail (error, "Knowledge", "format version %d is not supported (expected %d)", version, FORMAT_VERSION);

  groups = g_key_file_get_groups (self->file, NULL);
  for (int i = 0; groups[i]; i++)
    {
      const char *space = strchr (groups[i], ' ');
      gboolean known = g_strcmp0 (groups[i], "Knowledge") == 0;

      for (gsize k = 0; !known && space != NULL && k < G_N_ELEMENTS (kinds); k++)
        known = strlen (kinds[k]) == (gsize) (space - groups[i])
                && strncmp (groups[i], kinds[k], space - groups[i]) == 0;
      if (!known)
        return fail (error, groups[i], "unknown kind of group");
      if (space != NULL && !valid_id (space + 1))
        return fail (error, groups[i], "“%s” is not a valid id (letters, digits, - . _)", space + 1);
    }

  /* Groups that others refer to come first, whatever their order in the file. */
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (int i = 0; groups[i]; i++)
      {
        const char *id;
        gboolean ok = TRUE;

        if (!g_str_has_prefix (groups[i], kinds[k]) || groups[i][strlen (kinds[k])] != ' ')
          continue;
        id = groups[i] + strlen (kinds[k]) + 1;
        if (k == 0)
          ok = load_source (self, groups[i], error);
        else if (k == 1)
          ok = load_system (self, groups[i], id, error);
        else if (k == 2)
          ok = load_client (self, groups[i], id, error);
        else if (k == 3)
          ok = load_fix (self, groups[i], error);
        else if (k == 4)
          ok = load_fact (self, groups[i], id, error);
        else
          ok = load_macs (self, groups[i], error);
        if (!ok)
          return FALSE;
      }

  if (self->clients->len == 0 || self->systems->len == 0)
    return fail (error, NULL, "no clients or no systems");
  return TRUE;
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

  if (!load (self, data, length, error))
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
  /* NULL locale: the current language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
  return g_key_file_get_locale_string (self->file, group, key, NULL, NULL);
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
    *condition = g_key_file_get_locale_string (self->file, group, "Condition", NULL, NULL);
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

/* Returns: (transfer full): "Title (URL); Title (URL)" for the report's details */
char *
mtc_knowledge_describe_sources (MtcKnowledge       *self,
                                const char * const *sources)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (self), NULL);
  for (int i = 0; sources && sources[i]; i++)
    {
      g_autofree char *group = group_name ("Source", sources[i]);
      g_autofree char *title = g_key_file_get_string (self->file, group, "Title", NULL);
      g_autofree char *url = g_key_file_get_string (self->file, group, "Url", NULL);

      if (out->len > 0)
        g_string_append (out, "; ");
      if (title != NULL && url != NULL)
        g_string_append_printf (out, "%s (%s)", title, url);
      else
        g_string_append (out, title != NULL ? title : url != NULL ? url : sources[i]);
    }
  return g_string_free (out, FALSE);
}
