/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-address.h"
#include "mtc-provider.h"
#include "mtc-resources.h"

struct _MtcProvider
{
  GObject parent_instance;

  char *id;
  char *name;
  char *origin;             /* the file, for messages */
  GStrv domains;            /* ASCII, lower case */
  GPtrArray *servers;       /* of MtcProviderServer */
  char *webmail_url;
  MtcTlsVersion min_version;
  GDateTime *min_version_since;
  char *expected_issuer;
  char *support;
  char *support_url;
  char *help_title;
  char *help_url;
  gboolean demo;
};

G_DEFINE_FINAL_TYPE (MtcProvider, mtc_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


#define PROVIDERS_RESOURCE_DIR "/io/github/mailtlscheck/MailTlsCheck/providers/"
#define PROVIDER_SUFFIX ".provider"
#define PROVIDER_GROUP "Provider"
#define SERVER_GROUP_PREFIX "Server "

typedef struct {
  const char *key;
  gboolean localised;
} KeyInfo;

static const KeyInfo provider_keys[] = {
  { "Id", FALSE }, { "Name", TRUE }, { "Domains", FALSE }, { "WebmailUrl", FALSE }, { "MinimumTls", FALSE },
  { "MinimumTlsSince", FALSE }, { "ExpectedIssuer", FALSE }, { "Support", TRUE }, { "SupportUrl", FALSE },
  { "HelpTitle", TRUE }, { "HelpUrl", FALSE }, { "Demo", FALSE },
};

static const KeyInfo server_keys[] = {
  { "Urls", FALSE }, { "Candidate", FALSE }, { "Note", TRUE },
};

static void
server_free (MtcProviderServer *server)
{
  mtc_endpoint_free (server->endpoint);
  g_free (server->note);
  g_free (server);
}

/* Sets the error for a broken profile: ORIGIN names the file, PROBLEM is a
 * clause naming the group and the key. */
static gboolean
set_broken (GError    **error,
            const char *origin,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_broken (GError    **error,
            const char *origin,
            const char *format,
            ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: the first %s is a file name, the second says what is wrong, e.g. "the key “Name” in
   * [Provider] is missing." */
  g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER, _("The provider profile “%s” cannot be used: %s"),
               origin, problem);
  return FALSE;
}

gboolean
mtc_provider_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len == 0 || len > MTC_PROVIDER_ID_MAX_LENGTH || id[0] == '-' || id[len - 1] == '-')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

static const KeyInfo *
find_key (const KeyInfo *keys,
          gsize          n_keys,
          const char    *key,
          gboolean      *out_localised)
{
  const char *bracket = strchr (key, '[');
  gsize base_len = bracket ? (gsize) (bracket - key) : strlen (key);

  *out_localised = bracket != NULL;
  for (gsize i = 0; i < n_keys; i++)
    if (strlen (keys[i].key) == base_len && strncmp (keys[i].key, key, base_len) == 0)
      return &keys[i];
  return NULL;
}

/* GKeyFile quietly merges a repeated group and keeps the last of a repeated
 * key; in a profile either is a mistake worth naming. */
static gboolean
check_duplicates (const char *data,
                  gsize       length,
                  const char *origin,
                  GError    **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;
  const char *end = data + length;

  for (const char *line = data; line < end;)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *stop = eol ? eol : end;
      const char *p = line;

      while (p < stop && (*p == ' ' || *p == '\t'))
        p++;
      if (p < stop && *p == '[')
        {
          const char *close = memchr (p, ']', stop - p);

          if (close != NULL)
            {
              g_free (group);
              group = g_strndup (p + 1, close - p - 1);
              if (!g_hash_table_add (groups, g_strdup (group)))
                return set_broken (error, origin, _("the group [%s] appears twice."), group);
              g_hash_table_remove_all (keys);
            }
        }
      else if (p < stop && *p != '#' && group != NULL)
        {
          const char *equals = memchr (p, '=', stop - p);

          if (equals != NULL)
            {
              const char *key_end = equals;
              g_autofree char *key = NULL;

              while (key_end > p && (key_end[-1] == ' ' || key_end[-1] == '\t'))
                key_end--;
              key = g_strndup (p, key_end - p);
              if (g_hash_table_contains (keys, key))
                return set_broken (error, origin, _("the key “%s” appears twice in [%s]."), key, group);
              g_hash_table_add (keys, g_steal_pointer (&key));
            }
        }
      line = eol ? eol + 1 : end;
    }
  return TRUE;
}

/* Every key known, every value valid UTF-8 without control characters. */
static gboolean
check_keys (GKeyFile      *keyfile,
            const char    *group,
            const KeyInfo *known,
            gsize          n_known,
            const char    *origin,
            GError       **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

  for (int i = 0; keys && keys[i]; i++)
    {
      gboolean localised;
      const KeyInfo *info = find_key (known, n_known, keys[i], &localised);
      g_autofree char *value = NULL;

      if (info == NULL)
        return set_broken (error, origin, _("the key “%s” in [%s] is not known."), keys[i], group);
      if (localised && !info->localised)
        return set_broken (error, origin, _("the key “%s” in [%s] cannot be translated: write it without “[…]”."),
                           keys[i], group);
      value = g_key_file_get_value (keyfile, group, keys[i], NULL);
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        return set_broken (error, origin, _("the key “%s” in [%s] contains text that is not valid UTF-8."), keys[i],
                           group);
      for (const char *p = value; *p; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          return set_broken (error, origin, _("the key “%s” in [%s] contains control characters."), keys[i], group);
      /* GLib 2.74 warns ("GError set over the top of a previous GError")
       * when one value holds two unknown escapes: refuse them first. */
      for (const char *p = strchr (value, '\\'); p != NULL; p = strchr (p + 2, '\\'))
        if (p[1] == '\0' || strchr ("sntr\\;,", p[1]) == NULL)
          return set_broken (error, origin, _("the key “%s” in [%s] contains a “\\” that starts no known escape "
                                              "sequence (\\s, \\n, \\t, \\r, \\\\)."), keys[i], group);
    }
  return TRUE;
}

/* An optional string: NULL when absent; an error when present but empty. */
static gboolean
get_string (GKeyFile    *keyfile,
            const char  *group,
            const char  *key,
            gboolean     localised,
            gboolean     required,
            char       **out_value,
            const char  *origin,
            GError     **error)
{
  g_autofree char *value = NULL;

  *out_value = NULL;
  if (!g_key_file_has_key (keyfile, group, key, NULL))
    {
      if (required)
        return set_broken (error, origin, _("the key “%s” in [%s] is missing."), key, group);
      return TRUE;
    }
  value = localised ? g_key_file_get_locale_string (keyfile, group, key, NULL, NULL)
                    : g_key_file_get_string (keyfile, group, key, NULL);
  if (value == NULL)
    return set_broken (error, origin, _("the key “%s” in [%s] cannot be read."), key, group);
  g_strstrip (value);
  if (*value == '\0')
    return set_broken (error, origin, _("the key “%s” in [%s] is empty."), key, group);
  /* check_keys() saw the raw text; escapes such as \n and \t become control
   * characters only now. */
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return set_broken (error, origin, _("the key “%s” in [%s] contains control characters."), key, group);
  *out_value = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
get_boolean (GKeyFile   *keyfile,
             const char *group,
             const char *key,
             gboolean   *out_value,
             const char *origin,
             GError    **error)
{
  g_autofree char *value = NULL;

  *out_value = FALSE;
  if (!get_string (keyfile, group, key, FALSE, FALSE, &value, origin, error))
    return FALSE;
  if (value == NULL || strcmp (value, "false") == 0)
    return TRUE;
  if (strcmp (value, "true") == 0)
    {
      *out_value = TRUE;
      return TRUE;
    }
  return set_broken (error, origin, _("the key “%s” in [%s] has the value “%s”; use true or false."), key, group,
                     value);
}

/* A web address: https only for webmail, http or https for articles, and
 * mailto: as well for support. */
static gboolean
get_url (GKeyFile   *keyfile,
         const char *group,
         const char *key,
         gboolean    https_only,
         gboolean    allow_mailto,
         char      **out_value,
         const char *origin,
         GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *value = NULL;
  const char *scheme;

  if (!get_string (keyfile, group, key, FALSE, FALSE, &value, origin, error))
    return FALSE;
  if (value == NULL)
    {
      *out_value = NULL;
      return TRUE;
    }
  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL
      || !((g_ascii_strcasecmp (scheme, "https") == 0 && g_uri_get_host (uri) && *g_uri_get_host (uri))
           || (!https_only && g_ascii_strcasecmp (scheme, "http") == 0 && g_uri_get_host (uri)
               && *g_uri_get_host (uri))
           || (allow_mailto && g_ascii_strcasecmp (scheme, "mailto") == 0 && *g_uri_get_path (uri))))
    {
      if (https_only)
        return set_broken (error, origin, _("the key “%s” in [%s] has the value “%s”, which is not a web address "
                                            "starting with https://."), key, group, value);
      return set_broken (error, origin, _("the key “%s” in [%s] has the value “%s”, which is not a web address."), key,
                         group, value);
    }
  *out_value = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
parse_tls_version (const char    *text,
                   MtcTlsVersion *out_version)
{
  static const char *const names[] = { "1.0", "1.1", "1.2", "1.3" };

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (strcmp (text, names[v]) == 0)
      {
        *out_version = v;
        return TRUE;
      }
  return FALSE;
}

static gboolean
load_provider_group (MtcProvider *self,
                     GKeyFile    *keyfile,
                     GError     **error)
{
  const char *origin = self->origin;
  const char *group = PROVIDER_GROUP;
  g_autofree char *min_tls = NULL;
  g_autofree char *since = NULL;
  g_auto(GStrv) domains = NULL;

  if (!check_keys (keyfile, group, provider_keys, G_N_ELEMENTS (provider_keys), origin, error))
    return FALSE;
  if (!get_string (keyfile, group, "Id", FALSE, TRUE, &self->id, origin, error))
    return FALSE;
  if (!mtc_provider_id_is_valid (self->id))
    return set_broken (error, origin, _("the key “Id” in [Provider] has the value “%s”; an ID is made of lower-case "
                                        "letters, digits and “-”, at most %d characters."),
                       self->id, MTC_PROVIDER_ID_MAX_LENGTH);
  if (!get_string (keyfile, group, "Name", TRUE, TRUE, &self->name, origin, error))
    return FALSE;
  if (!get_boolean (keyfile, group, "Demo", &self->demo, origin, error))
    return FALSE;

  domains = g_key_file_get_string_list (keyfile, group, "Domains", NULL, NULL);
  if (domains != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (int i = 0; domains[i] != NULL; i++)
        {
          g_autofree char *ascii = NULL;
          g_autoptr(GError) domain_error = NULL;

          g_strstrip (domains[i]);
          if (*domains[i] == '\0')
            continue;
          ascii = mtc_domain_to_ascii (domains[i], &domain_error);
          if (ascii == NULL)
            return set_broken (error, origin, _("the domain “%s” in the key “Domains” of [Provider] is not valid: %s"),
                               domains[i], domain_error->message);
          g_strv_builder_add (builder, ascii);
        }
      self->domains = g_strv_builder_end (builder);
    }
  else
    self->domains = g_new0 (char *, 1);

  if (!get_url (keyfile, group, "WebmailUrl", TRUE, FALSE, &self->webmail_url, origin, error))
    return FALSE;
  if (self->webmail_url != NULL)
    {
      g_autoptr(GError) url_error = NULL;
      g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_parse (self->webmail_url, &url_error);

      if (endpoint == NULL)
        return set_broken (error, origin, _("the key “WebmailUrl” in [Provider] is not valid: %s"),
                           url_error->message);
    }

  if (!get_string (keyfile, group, "MinimumTls", FALSE, FALSE, &min_tls, origin, error))
    return FALSE;
  self->min_version = MTC_TLS_UNKNOWN;
  if (min_tls != NULL && !parse_tls_version (min_tls, &self->min_version))
    return set_broken (error, origin, _("the key “MinimumTls” in [Provider] has the value “%s”; use 1.0, 1.1, 1.2 or "
                                        "1.3."), min_tls);

  if (!get_string (keyfile, group, "MinimumTlsSince", FALSE, FALSE, &since, origin, error))
    return FALSE;
  if (since != NULL)
    {
      g_autofree char *iso = g_strconcat (since, "T00:00:00Z", NULL);

      if (strlen (since) != 10 || (self->min_version_since = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
        return set_broken (error, origin, _("the key “%s” in [%s] has the value “%s”, which is not a date like "
                                            "2018-02-09."), "MinimumTlsSince", group, since);
      if (min_tls == NULL)
        return set_broken (error, origin, _("the key “%s” in [%s] is missing."), "MinimumTls", group);
    }

  if (!get_string (keyfile, group, "ExpectedIssuer", FALSE, FALSE, &self->expected_issuer, origin, error)
      || !get_string (keyfile, group, "Support", TRUE, FALSE, &self->support, origin, error)
      || !get_url (keyfile, group, "SupportUrl", FALSE, TRUE, &self->support_url, origin, error)
      || !get_string (keyfile, group, "HelpTitle", TRUE, FALSE, &self->help_title, origin, error)
      || !get_url (keyfile, group, "HelpUrl", FALSE, FALSE, &self->help_url, origin, error))
    return FALSE;
  return TRUE;
}

static gboolean
load_server_group (MtcProvider *self,
                   GKeyFile    *keyfile,
                   const char  *group,
                   GError     **error)
{
  const char *origin = self->origin;
  g_auto(GStrv) urls = NULL;
  g_autofree char *note = NULL;
  g_autofree char *source = NULL;
  gboolean candidate;
  guint n_added = 0;

  if (!check_keys (keyfile, group, server_keys, G_N_ELEMENTS (server_keys), origin, error))
    return FALSE;
  if (!get_boolean (keyfile, group, "Candidate", &candidate, origin, error)
      || !get_string (keyfile, group, "Note", TRUE, FALSE, &note, origin, error))
    return FALSE;
  if (candidate && note == NULL)
    return set_broken (error, origin, _("the group [%s] says Candidate=true but has no Note saying why the server is "
                                        "listed."), group);
  if (!g_key_file_has_key (keyfile, group, "Urls", NULL))
    return set_broken (error, origin, _("the key “%s” in [%s] is missing."), "Urls", group);
  urls = g_key_file_get_string_list (keyfile, group, "Urls", NULL, NULL);

  if (candidate)
    /* TRANSLATORS: where an endpoint came from, in the report; %s is a provider ID */
    source = g_strdup_printf (_("provider profile %s (a candidate: not published by the provider)"), self->id);
  else
    /* TRANSLATORS: where an endpoint came from, in the report; %s is a provider ID */
    source = g_strdup_printf (_("provider profile %s"), self->id);

  for (int i = 0; urls && urls[i]; i++)
    {
      g_autoptr(GPtrArray) endpoints = NULL;
      g_autoptr(GError) url_error = NULL;

      g_strstrip (urls[i]);
      if (*urls[i] == '\0')
        continue;
      endpoints = mtc_target_parse (urls[i], &url_error);
      if (endpoints == NULL)
        return set_broken (error, origin, _("the server “%s” in the key “Urls” of [%s] is not valid: %s"), urls[i],
                           group, url_error->message);
      for (guint j = 0; j < endpoints->len; j++)
        {
          MtcProviderServer *server = g_new0 (MtcProviderServer, 1);

          server->endpoint = mtc_endpoint_copy (g_ptr_array_index (endpoints, j));
          g_free (server->endpoint->source);
          server->endpoint->source = g_strdup (source);
          server->candidate = candidate;
          server->note = g_strdup (note);
          g_ptr_array_add (self->servers, server);
          n_added++;
        }
    }
  if (n_added == 0)
    return set_broken (error, origin, _("the key “%s” in [%s] is empty."), "Urls", group);
  return TRUE;
}

static gboolean
load (MtcProvider *self,
      const char  *data,
      gsize        length,
      GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  if (length > MTC_PROVIDER_FILE_MAX_SIZE)
    return set_broken (error, self->origin, _("it is larger than %d KiB."), MTC_PROVIDER_FILE_MAX_SIZE / 1024);
  if (length == 0)
    return set_broken (error, self->origin, "%s", _("it is empty."));
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    return set_broken (error, self->origin, "%s", _("it is not a text file in UTF-8."));
  if (!check_duplicates (data, length, self->origin, error))
    return FALSE;
  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    return set_broken (error, self->origin, _("it is not in the key file format (%s)."), local_error->message);

  if (!g_key_file_has_group (keyfile, PROVIDER_GROUP))
    return set_broken (error, self->origin, "%s", _("the group [Provider] is missing."));
  if (!load_provider_group (self, keyfile, error))
    return FALSE;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (int i = 0; groups[i] != NULL; i++)
    {
      if (strcmp (groups[i], PROVIDER_GROUP) == 0)
        continue;
      if (!g_str_has_prefix (groups[i], SERVER_GROUP_PREFIX) || groups[i][strlen (SERVER_GROUP_PREFIX)] == '\0')
        return set_broken (error, self->origin, _("the group [%s] is not known; use [Provider] and [Server NAME]."),
                           groups[i]);
      if (self->demo)
        return set_broken (error, self->origin, _("the group [%s] cannot be used in a demo profile, whose servers "
                                                  "are built in."), groups[i]);
      if (!load_server_group (self, keyfile, groups[i], error))
        return FALSE;
    }
  if (!self->demo && self->servers->len == 0)
    return set_broken (error, self->origin, "%s", _("it lists no mail servers; add a group [Server NAME] with a key "
                                                    "Urls."));
  return TRUE;
}

static void
mtc_provider_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MtcProvider *self = MTC_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_provider_finalize (GObject *object)
{
  MtcProvider *self = MTC_PROVIDER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->origin);
  g_strfreev (self->domains);
  g_ptr_array_unref (self->servers);
  g_free (self->webmail_url);
  g_clear_pointer (&self->min_version_since, g_date_time_unref);
  g_free (self->expected_issuer);
  g_free (self->support);
  g_free (self->support_url);
  g_free (self->help_title);
  g_free (self->help_url);
  G_OBJECT_CLASS (mtc_provider_parent_class)->finalize (object);
}

static void
mtc_provider_class_init (MtcProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mtc_provider_get_property;
  object_class->finalize = mtc_provider_finalize;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mtc_provider_init (MtcProvider *self)
{
  self->servers = g_ptr_array_new_with_free_func ((GDestroyNotify) server_free);
  self->min_version = MTC_TLS_UNKNOWN;
}

/**
 * mtc_provider_new_from_data:
 * @data: the profile's text
 * @length: its length, or -1 when nul-terminated
 * @origin: the file name or another name for messages
 *
 * Names are resolved for the current language (`LANGUAGE`, `LANG`) when the
 * profile is loaded.
 *
 * Returns: (transfer full): the profile, or %NULL with
 *   %MTC_ERROR_INVALID_PROVIDER and a sentence naming @origin and the key
 */
MtcProvider *
mtc_provider_new_from_data (const char *data,
                            gssize      length,
                            const char *origin,
                            GError    **error)
{
  g_autoptr(MtcProvider) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MTC_TYPE_PROVIDER, NULL);
  self->origin = g_strdup (origin);
  if (!load (self, data, length < 0 ? strlen (data) : (gsize) length, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * mtc_provider_new_from_file:
 * @path: a `.provider` file
 *
 * Reads at most %MTC_PROVIDER_FILE_MAX_SIZE bytes (so a device or a huge file
 * cannot hang the program).
 *
 * Returns: (transfer full): the profile, or %NULL with an error naming @path
 */
MtcProvider *
mtc_provider_new_from_file (const char *path,
                            GError    **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *buffer = NULL;
  gsize n_read = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shown = g_filename_display_name (path);
  file = g_file_new_for_commandline_arg (path);
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      set_broken (error, shown, "%s", _("it is a folder, not a file."));
      return NULL;
    }
  stream = g_file_read (file, NULL, &local_error);
  buffer = g_malloc (MTC_PROVIDER_FILE_MAX_SIZE + 1);
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, MTC_PROVIDER_FILE_MAX_SIZE + 1, &n_read, NULL,
                                   &local_error))
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER, _("The provider profile “%s” could not be read: %s"),
                   shown, local_error->message);
      return NULL;
    }
  return mtc_provider_new_from_data (buffer, n_read, shown, error);
}

/* An unknown ID as a message may repeat it: valid UTF-8, no control
 * characters, at most 64 characters. */
static char *
shown_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  int n = 0;

  for (const char *p = valid; *p && n < MTC_PROVIDER_ID_MAX_LENGTH; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_iscntrl (c) ? '?' : c);
    }
  if (g_utf8_strlen (valid, -1) > MTC_PROVIDER_ID_MAX_LENGTH)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
list_builtin_ids (void)
{
  g_auto(GStrv) children = g_resource_enumerate_children (mtc_get_resource (), PROVIDERS_RESOURCE_DIR,
                                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; children && children[i]; i++)
    if (g_str_has_suffix (children[i], PROVIDER_SUFFIX))
      g_ptr_array_add (ids, g_strndup (children[i], strlen (children[i]) - strlen (PROVIDER_SUFFIX)));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (", ", (char **) ids->pdata);
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  MtcProvider *pa = *(MtcProvider **) a;
  MtcProvider *pb = *(MtcProvider **) b;

  return strcmp (pa->id, pb->id);
}

/**
 * mtc_provider_lookup:
 * @id: a provider ID, e.g. "macbay-v3"
 *
 * Returns: (transfer full): the built-in profile, or %NULL with
 *   %MTC_ERROR_INVALID_TARGET when there is none by that ID
 */
MtcProvider *
mtc_provider_lookup (const char *id,
                     GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MtcProvider) provider = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (mtc_provider_id_is_valid (id))
    {
      path = g_strconcat (PROVIDERS_RESOURCE_DIR, id, PROVIDER_SUFFIX, NULL);
      bytes = g_resource_lookup_data (mtc_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }
  if (bytes == NULL)
    {
      g_autofree char *known = list_builtin_ids ();
      g_autofree char *shown = shown_text (id);

      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                   _("Mail TLS Check does not know the provider “%s”. It knows: %s."), shown, known);
      return NULL;
    }
  /* TRANSLATORS: how a profile built into the program is named in messages; %s is its ID */
  origin = g_strdup_printf (_("%s (built in)"), id);
  data = g_bytes_get_data (bytes, &size);
  provider = mtc_provider_new_from_data (data, size, origin, error);
  if (provider == NULL)
    return NULL;
  if (strcmp (provider->id, id) != 0)
    {
      set_broken (error, origin, _("the key “Id” in [Provider] has the value “%s”, not the file’s name."),
                  provider->id);
      return NULL;
    }
  return g_steal_pointer (&provider);
}

/**
 * mtc_provider_load:
 * @id_or_path: a provider ID, or the path of a `.provider` file (anything
 *   with a "/" or ending in ".provider")
 *
 * What `--provider` takes.
 *
 * Returns: (transfer full): the profile, or %NULL with an error
 */
MtcProvider *
mtc_provider_load (const char *id_or_path,
                   GError    **error)
{
  g_return_val_if_fail (id_or_path != NULL, NULL);

  if (strchr (id_or_path, G_DIR_SEPARATOR) != NULL || strchr (id_or_path, '/') != NULL
      || g_str_has_suffix (id_or_path, PROVIDER_SUFFIX))
    return mtc_provider_new_from_file (id_or_path, error);
  return mtc_provider_lookup (id_or_path, error);
}

/**
 * mtc_provider_list_builtin:
 *
 * Returns: (transfer full) (element-type MtcProvider): every profile built
 *   into the program, sorted by ID
 */
GPtrArray *
mtc_provider_list_builtin (GError **error)
{
  g_autoptr(GPtrArray) providers = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) children = NULL;

  children = g_resource_enumerate_children (mtc_get_resource (), PROVIDERS_RESOURCE_DIR,
                                            G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (children == NULL)
    return NULL;
  for (int i = 0; children[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      MtcProvider *provider;

      if (!g_str_has_suffix (children[i], PROVIDER_SUFFIX))
        continue;
      id = g_strndup (children[i], strlen (children[i]) - strlen (PROVIDER_SUFFIX));
      provider = mtc_provider_lookup (id, error);
      if (provider == NULL)
        return NULL;
      g_ptr_array_add (providers, provider);
    }
  g_ptr_array_sort (providers, compare_ids);
  return g_steal_pointer (&providers);
}

/**
 * mtc_provider_find_for_domain:
 * @providers: (element-type MtcProvider): profiles to look in
 * @domain: a mail domain in ASCII form
 *
 * Returns: (transfer none) (nullable): the first profile that lists @domain
 */
MtcProvider *
mtc_provider_find_for_domain (GPtrArray  *providers,
                              const char *domain)
{
  g_return_val_if_fail (domain != NULL, NULL);

  for (guint i = 0; providers && i < providers->len; i++)
    if (mtc_provider_matches_domain (g_ptr_array_index (providers, i), domain))
      return g_ptr_array_index (providers, i);
  return NULL;
}

const char *
mtc_provider_get_id (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->id;
}

/* The name in the language chosen when the profile was loaded. */
const char *
mtc_provider_get_name (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->name;
}

/* The file the profile came from, as shown in messages. */
const char *
mtc_provider_get_origin (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->origin;
}

/* Returns: (transfer none): the e-mail domains (ASCII), possibly none */
const char * const *
mtc_provider_get_domains (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return (const char * const *) self->domains;
}

gboolean
mtc_provider_matches_domain (MtcProvider *self,
                             const char  *domain)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  for (int i = 0; self->domains[i] != NULL; i++)
    if (g_ascii_strcasecmp (self->domains[i], domain) == 0)
      return TRUE;
  return FALSE;
}

/* Returns: (transfer none) (element-type MtcProviderServer): the mail servers in
 *   the file's order; empty for the demo profile */
GPtrArray *
mtc_provider_get_servers (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->servers;
}

const char *
mtc_provider_get_webmail_url (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->webmail_url;
}

/* The oldest TLS version the provider says it accepts, or MTC_TLS_UNKNOWN. */
MtcTlsVersion
mtc_provider_get_min_version (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), MTC_TLS_UNKNOWN);
  return self->min_version;
}

/* Returns: (transfer none) (nullable): since when the provider says so */
GDateTime *
mtc_provider_get_min_version_since (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->min_version_since;
}

const char *
mtc_provider_get_expected_issuer (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->expected_issuer;
}

/* How to reach the provider's support, in words (localised), or NULL. */
const char *
mtc_provider_get_support (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->support;
}

const char *
mtc_provider_get_support_url (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->support_url;
}

const char *
mtc_provider_get_help_title (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->help_title;
}

const char *
mtc_provider_get_help_url (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);
  return self->help_url;
}

/* The demo provider: its servers are the built-in demo servers, which the
 * caller starts (mtc_demo_server_start_provider()). */
gboolean
mtc_provider_is_demo (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), FALSE);
  return self->demo;
}

gboolean
mtc_provider_has_candidates (MtcProvider *self)
{
  g_return_val_if_fail (MTC_IS_PROVIDER (self), FALSE);

  for (guint i = 0; i < self->servers->len; i++)
    if (((MtcProviderServer *) g_ptr_array_index (self->servers, i))->candidate)
      return TRUE;
  return FALSE;
}

/**
 * mtc_provider_dup_endpoints:
 *
 * The endpoints to check: the mail servers in the file's order, then the
 * webmail.  Each endpoint's source names the profile (and says when it is
 * a candidate).  Empty for the demo profile.
 *
 * Returns: (transfer full) (element-type MtcEndpoint): the endpoints
 */
GPtrArray *
mtc_provider_dup_endpoints (MtcProvider *self)
{
  GPtrArray *endpoints;

  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);

  endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  for (guint i = 0; i < self->servers->len; i++)
    {
      MtcProviderServer *server = g_ptr_array_index (self->servers, i);

      g_ptr_array_add (endpoints, mtc_endpoint_copy (server->endpoint));
    }
  if (self->webmail_url != NULL)
    {
      MtcEndpoint *webmail = mtc_endpoint_parse (self->webmail_url, NULL);
      g_autofree char *url = NULL;
      gboolean listed = FALSE;

      g_return_val_if_fail (webmail != NULL, endpoints);
      url = mtc_endpoint_to_ascii_url (webmail);
      for (guint i = 0; i < endpoints->len && !listed; i++)
        {
          g_autofree char *other = mtc_endpoint_to_ascii_url (g_ptr_array_index (endpoints, i));

          listed = strcmp (url, other) == 0;
        }
      if (listed)
        mtc_endpoint_free (webmail);
      else
        {
          /* TRANSLATORS: where an endpoint came from, in the report; %s is a provider ID */
          webmail->source = g_strdup_printf (_("provider profile %s (webmail)"), self->id);
          g_ptr_array_add (endpoints, webmail);
        }
    }
  return endpoints;
}

MtcProviderHints *
mtc_provider_hints_new (void)
{
  MtcProviderHints *hints = g_new0 (MtcProviderHints, 1);

  hints->min_version = MTC_TLS_UNKNOWN;
  return hints;
}

void
mtc_provider_hints_free (MtcProviderHints *hints)
{
  if (hints == NULL)
    return;
  g_free (hints->provider_name);
  g_free (hints->webmail_url);
  g_free (hints->expected_issuer);
  g_free (hints->support_contact);
  g_clear_pointer (&hints->starttls_published, g_ptr_array_unref);
  g_free (hints);
}

/**
 * mtc_provider_dup_hints:
 *
 * What the verdict needs to know about the provider.
 *
 * Returns: (transfer full): the hints
 */
MtcProviderHints *
mtc_provider_dup_hints (MtcProvider *self)
{
  MtcProviderHints *hints;

  g_return_val_if_fail (MTC_IS_PROVIDER (self), NULL);

  hints = mtc_provider_hints_new ();
  hints->provider_name = g_strdup (self->name);
  hints->webmail_url = g_strdup (self->webmail_url);
  hints->min_version = self->min_version;
  hints->expected_issuer = g_strdup (self->expected_issuer);
  hints->support_contact = g_strdup (self->support_url ? self->support_url : self->help_url);
  /* What the provider published, not what the profile guesses: only then is
   * a missing STARTTLS a sign that something on the way removed it. */
  for (guint i = 0; i < self->servers->len; i++)
    {
      const MtcProviderServer *server = g_ptr_array_index (self->servers, i);

      if (server->candidate || server->endpoint->security != MTC_SECURITY_STARTTLS
          || server->endpoint->protocol == MTC_PROTOCOL_HTTPS)
        continue;
      if (hints->starttls_published == NULL)
        hints->starttls_published = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (hints->starttls_published, mtc_endpoint_to_ascii_url (server->endpoint));
    }
  return hints;
}
