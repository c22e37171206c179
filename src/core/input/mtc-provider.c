/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider profile as an object: how it is made (from text or a file),
 * what it says, and the endpoints and hints the check takes from it. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-provider-private.h"

G_DEFINE_FINAL_TYPE (MtcProvider, mtc_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
server_free (MtcProviderServer *server)
{
  mtc_endpoint_free (server->endpoint);
  g_free (server->note);
  g_free (server);
}

/* Sets the error for a broken profile: ORIGIN names the file, PROBLEM is a
 * clause naming the group and the key. */
gboolean
mtc_provider_set_broken (GError    **error,
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
  if (!mtc_provider_read_key_file (self, data, length < 0 ? strlen (data) : (gsize) length, error))
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
      mtc_provider_set_broken (error, shown, "%s", _("it is a folder, not a file."));
      return NULL;
    }
  stream = g_file_read (file, NULL, &local_error);
  buffer = g_malloc (MTC_PROVIDER_FILE_MAX_SIZE + 1);
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, MTC_PROVIDER_FILE_MAX_SIZE + 1, &n_read, NULL,
                                   &local_error))
    {
      /* TRANSLATORS: the first %s is a file's name, the second the reason */
      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_PROVIDER, _("The provider profile “%s” could not be read: %s"),
                   shown, local_error->message);
      return NULL;
    }
  return mtc_provider_new_from_data (buffer, n_read, shown, error);
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
  /* The support's own address only: the help article is where a support
   * link comes from, not where the person can ask. */
  hints->support_contact = g_strdup (self->support_url);
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
