/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The profiles built into the program (in the GResource), found by ID or
 * by mail domain. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-provider-private.h"
#include "mtc-quote.h"
#include "mtc-resources.h"

#define PROVIDERS_RESOURCE_DIR "/io/github/mailtlscheck/MailTlsCheck/providers/"
#define PROVIDER_SUFFIX ".provider"

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
      g_autofree char *shown = mtc_quote_text (id, -1, MTC_PROVIDER_ID_MAX_LENGTH);

      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                   /* TRANSLATORS: the provider ID given, then the list of the IDs it knows */
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
      /* TRANSLATORS: after “The provider profile … cannot be used:”, lower case; %s is the value */
      mtc_provider_set_broken (error, origin, _("the key “Id” in [Provider] has the value “%s”, not the file’s name."),
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
