/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `.provider` file (its keys: the top of data/providers/macbay-v3.provider),
 * a GKeyFile read strictly.  Every group and key must be known and appear
 * once, every value valid UTF-8 without control characters; a mistake is
 * named with the file, the group and the key. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-address.h"
#include "mtc-key-file.h"
#include "mtc-provider-private.h"

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
                /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; %s is a group's
                 * name */
                return mtc_provider_set_broken (error, origin, _("the group [%s] appears twice."), group);
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
                /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a
                 * group's name */
                return mtc_provider_set_broken (error, origin, _("the key “%s” appears twice in [%s]."), key, group);
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
        /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
         * name */
        return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] is not known."), keys[i], group);
      if (localised && !info->localised)
        return mtc_provider_set_broken (error, origin,
                                        /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                         * lower case; a key's name, a group's name */
                                        _("the key “%s” in [%s] cannot be translated: write it without “[…]”."),
                                        keys[i], group);
      value = g_key_file_get_value (keyfile, group, keys[i], NULL);
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
         * name */
        return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] contains text that is not valid UTF-8."),
                                        keys[i], group);
      for (const char *p = value; *p; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a
           * group's name */
          return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] contains control characters."),
                                          keys[i], group);
      /* GLib 2.74 warns ("GError set over the top of a previous GError")
       * when one value holds two unknown escapes: refuse them first. */
      for (const char *p = strchr (value, '\\'); p != NULL; p = strchr (p + 2, '\\'))
        if (p[1] == '\0' || strchr ("sntr\\;,", p[1]) == NULL)
          return mtc_provider_set_broken (error, origin,
                                          /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                           * lower case; a key's name, a group's name */
                                          _("the key “%s” in [%s] contains a “\\” that starts no known escape "
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
        /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
         * name */
        return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] is missing."), key, group);
      return TRUE;
    }
  value = localised ? mtc_key_file_get_translated (keyfile, group, key, NULL)
                    : g_key_file_get_string (keyfile, group, key, NULL);
  if (value == NULL)
    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
     * name */
    return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] cannot be read."), key, group);
  g_strstrip (value);
  if (*value == '\0')
    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
     * name */
    return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] is empty."), key, group);
  /* check_keys() saw the raw text; escapes such as \n and \t become control
   * characters only now. */
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
       * name */
      return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] contains control characters."), key,
                                      group);
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
  /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's name */
  return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] has the value “%s”; use true or false."), key,
                                  group, value);
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
        return mtc_provider_set_broken (error, origin,
                                        /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                         * lower case; a key's name, a group's name */
                                        _("the key “%s” in [%s] has the value “%s”, which is not a web address "
                                          "starting with https://."), key, group, value);
      return mtc_provider_set_broken (error, origin,
                                      /* TRANSLATORS: after “The provider profile … cannot be used:”, lower
                                       * case; a key's name, a group's name */
                                      _("the key “%s” in [%s] has the value “%s”, which is not a web address."), key,
                                      group, value);
    }
  *out_value = g_steal_pointer (&value);
  return TRUE;
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
    return mtc_provider_set_broken (error, origin,
                                    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower
                                     * case; %s is the value, %d the longest an ID may be */
                                    _("the key “Id” in [Provider] has the value “%s”; an ID is made of lower-case "
                                      "letters, digits and “-”, at most %d characters."), self->id,
                                    MTC_PROVIDER_ID_MAX_LENGTH);
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
            return mtc_provider_set_broken (error, origin,
                                            /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                             * lower case; a domain, the reason */
                                            _("the domain “%s” in the key “Domains” of [Provider] is not valid: %s"),
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
        /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; %s is the reason */
        return mtc_provider_set_broken (error, origin, _("the key “WebmailUrl” in [Provider] is not valid: %s"),
                                        url_error->message);
    }

  if (!get_string (keyfile, group, "MinimumTls", FALSE, FALSE, &min_tls, origin, error))
    return FALSE;
  self->min_version = min_tls != NULL ? mtc_tls_version_from_string (min_tls) : MTC_TLS_UNKNOWN;
  if (min_tls != NULL && self->min_version == MTC_TLS_UNKNOWN)
    return mtc_provider_set_broken (error, origin,
                                    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower
                                     * case; %s is the value */
                                    _("the key “MinimumTls” in [Provider] has the value “%s”; use 1.0, 1.1, 1.2 or "
                                      "1.3."), min_tls);

  if (!get_string (keyfile, group, "MinimumTlsSince", FALSE, FALSE, &since, origin, error))
    return FALSE;
  if (since != NULL)
    {
      g_autofree char *iso = g_strconcat (since, "T00:00:00Z", NULL);

      if (strlen (since) != 10 || (self->min_version_since = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
        return mtc_provider_set_broken (error, origin,
                                        /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                         * lower case; a key's name, a group's name */
                                        _("the key “%s” in [%s] has the value “%s”, which is not a date like "
                                          "2018-02-09."), "MinimumTlsSince", group, since);
      if (min_tls == NULL)
        /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
         * name */
        return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] is missing."), "MinimumTls", group);
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
    return mtc_provider_set_broken (error, origin,
                                    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower
                                     * case; %s is a group's name */
                                    _("the group [%s] says Candidate=true but has no Note saying why the server is "
                                      "listed."), group);
  if (!g_key_file_has_key (keyfile, group, "Urls", NULL))
    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
     * name */
    return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] is missing."), "Urls", group);
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
        /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a server's address, a
         * group's name, the reason */
        return mtc_provider_set_broken (error, origin, _("the server “%s” in the key “Urls” of [%s] is not valid: %s"),
                                        urls[i], group, url_error->message);
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
    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; a key's name, a group's
     * name */
    return mtc_provider_set_broken (error, origin, _("the key “%s” in [%s] is empty."), "Urls", group);
  return TRUE;
}

/* Fills SELF (whose origin is set) from the text of a `.provider` file. */
gboolean
mtc_provider_read_key_file (MtcProvider *self,
                            const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  if (length > MTC_PROVIDER_FILE_MAX_SIZE)
    return mtc_provider_set_broken (error, self->origin, _("it is larger than %d KiB."),
                                    MTC_PROVIDER_FILE_MAX_SIZE / 1024);
  if (length == 0)
    return mtc_provider_set_broken (error, self->origin, "%s", _("it is empty."));
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    return mtc_provider_set_broken (error, self->origin, "%s", _("it is not a text file in UTF-8."));
  if (!check_duplicates (data, length, self->origin, error))
    return FALSE;
  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; %s is the key-file reader's
     * message */
    return mtc_provider_set_broken (error, self->origin, _("it is not in the key file format (%s)."),
                                    local_error->message);

  if (!g_key_file_has_group (keyfile, PROVIDER_GROUP))
    return mtc_provider_set_broken (error, self->origin, "%s", _("the group [Provider] is missing."));
  if (!load_provider_group (self, keyfile, error))
    return FALSE;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (int i = 0; groups[i] != NULL; i++)
    {
      if (strcmp (groups[i], PROVIDER_GROUP) == 0)
        continue;
      if (!g_str_has_prefix (groups[i], SERVER_GROUP_PREFIX) || groups[i][strlen (SERVER_GROUP_PREFIX)] == '\0')
        return mtc_provider_set_broken (error, self->origin,
                                        /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                         * lower case; %s is a group's name */
                                        _("the group [%s] is not known; use [Provider] and [Server NAME]."), groups[i]);
      if (self->demo)
        return mtc_provider_set_broken (error, self->origin,
                                        /* TRANSLATORS: after “The provider profile … cannot be used:”,
                                         * lower case; %s is a group's name */
                                        _("the group [%s] cannot be used in a demo profile, whose servers are built "
                                          "in."), groups[i]);
      if (!load_server_group (self, keyfile, groups[i], error))
        return FALSE;
    }
  if (!self->demo && self->servers->len == 0)
    return mtc_provider_set_broken (error, self->origin, "%s",
                                    _("it lists no mail servers; add a group [Server NAME] with a key Urls."));
  return TRUE;
}
