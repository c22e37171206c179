/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The knowledge file (data/mail-tls-check.knowledge, a key file): read and
 * checked as a whole when it is loaded, so that every question later finds
 * what it refers to.  Its messages are for whoever edits the file, in
 * English. */
#include "config.h"

#include <string.h>

#include "mtc-knowledge-private.h"

#define FORMAT_VERSION 1

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

/* Fills SELF from the text of a knowledge file, checking every reference. */
gboolean
mtc_knowledge_read_key_file (MtcKnowledge *self,
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
