/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-words.h"

/**
 * mtc_tls_versions_describe:
 * @versions: which versions to name
 *
 * Returns: (transfer full): the versions as a list in words, such as
 *   "TLS 1.0" or "TLS 1.0, TLS 1.2 and TLS 1.3"; empty when none is set
 */
char *
mtc_tls_versions_describe (const gboolean versions[MTC_N_TLS_VERSIONS])
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (versions[v])
      g_ptr_array_add (labels, g_strdup_printf ("TLS %s", mtc_tls_version_to_string (v)));
  return mtc_join_list (labels);
}

/**
 * mtc_join_list:
 * @items: (element-type utf8): the items, in order
 *
 * Returns: (transfer full): the items as a person lists them: "A", "A and B",
 *   "A, B and C" (in the current language); empty when there are none
 */
char *
mtc_join_list (GPtrArray *items)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      if (i == 0)
        g_string_append (out, item);
      else if (i + 1 < items->len)
        g_string_append_printf (out, ", %s", item);
      else
        {
          /* TRANSLATORS: the last two items of a list, e.g. "TLS 1.0, TLS 1.2 and TLS 1.3" */
          g_autofree char *joined = g_strdup_printf (_("%s and %s"), out->str, item);

          g_string_assign (out, joined);
        }
    }
  return g_string_free (out, FALSE);
}

/* A word for one cell of the version table. */
const char *
mtc_version_result_describe (MtcVersionResult result)
{
  switch (result)
    {
    case MTC_VERSION_ACCEPTED:
      return C_("tls version", "yes");
    case MTC_VERSION_REJECTED:
      return C_("tls version", "no");
    case MTC_VERSION_ERROR:
      return C_("tls version", "error");
    case MTC_VERSION_NOT_TESTED:
    default:
      return C_("tls version", "not tested");
    }
}

/* The certificate's problems in plain words, separated by semicolons. */
char *
mtc_certificate_flags_describe (GTlsCertificateFlags errors)
{
  static const struct { GTlsCertificateFlags flag; const char *text; } words[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("issued by an authority this computer does not trust") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("made out for a different server name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("not valid yet (or this computer’s clock is wrong)") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("expired (or this computer’s clock is wrong)") },
    { G_TLS_CERTIFICATE_REVOKED, N_("revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("uses an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("could not be checked") },
  };
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (errors & words[i].flag)
      g_string_append_printf (out, "%s%s", out->len ? "; " : "", _(words[i].text));
  return g_string_free (out, FALSE);
}

/* @detail with the name of the version it is about ("TLS 1.0") shortened to
 * "TLS", so that the words of two versions can be compared and said once. */
static char *
strip_version_label (const char    *detail,
                     MtcTlsVersion  version)
{
  g_autofree char *label = g_strdup_printf ("TLS %s", mtc_tls_version_to_string (version));
  const char *at = strstr (detail, label);

  if (at == NULL)
    return g_strdup (detail);
  return g_strdup_printf ("%.*sTLS%s", (int) (at - detail), detail, at + strlen (label));
}

/**
 * mtc_describe_common_failure:
 * @result: an endpoint's result
 *
 * When every TLS version tried failed, and failed the same way (the same
 * reason, or the same words but for the version), that failure said once,
 * as such, rather than in the words of its first version.
 *
 * Returns: (transfer full) (nullable): the sentence, or %NULL
 */
char *
mtc_describe_common_failure (const MtcEndpointResult *result)
{
  gboolean tried[MTC_N_TLS_VERSIONS] = { FALSE };
  g_autofree char *common = NULL;
  g_autofree char *versions = NULL;
  int first = -1;
  int n = 0;

  g_return_val_if_fail (result != NULL, NULL);

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      g_autofree char *words = NULL;

      if (result->versions[v] == MTC_VERSION_NOT_TESTED)
        continue;
      if (result->versions[v] != MTC_VERSION_ERROR || result->version_details[v] == NULL)
        return NULL;
      tried[v] = TRUE;
      n++;
      words = strip_version_label (result->version_details[v], v);
      if (first < 0)
        {
          first = v;
          common = g_steal_pointer (&words);
          continue;
        }
      if (result->version_reasons[first] != NULL && result->version_reasons[v] != NULL)
        {
          if (strcmp (result->version_reasons[first], result->version_reasons[v]) != 0)
            return NULL;
        }
      else if (strcmp (common, words) != 0)
        return NULL;
    }
  if (n < 2)
    return NULL;
  versions = mtc_tls_versions_describe (tried);
  /* TRANSLATORS: the first %s is what happened, a sentence such as "The server closed the connection when
   * offered TLS, without saying why."; the second lists TLS versions */
  return g_strdup_printf (_("%s The same happened with every TLS version tried (%s)."), common, versions);
}

/**
 * mtc_text_append_wrapped:
 * @first: (nullable): what the first line starts with instead of @indent
 *   spaces, e.g. a label
 * @indent: the spaces every other line starts with
 * @width: the longest a line may be, unless one word is longer
 *
 * Appends @text, each of its paragraphs ("\n") on lines of its own, broken
 * at spaces.
 */
void
mtc_text_append_wrapped (GString    *out,
                         const char *first,
                         guint       indent,
                         guint       width,
                         const char *text)
{
  g_auto(GStrv) paragraphs = g_strsplit (text != NULL ? text : "", "\n", -1);
  glong column = 0;
  gboolean line_empty = TRUE;

  if (first != NULL)
    {
      g_string_append (out, first);
      column = g_utf8_strlen (first, -1);
    }
  /* An empty text has no paragraph at all; a line begun with @first still ends. */
  if (paragraphs[0] == NULL && first != NULL)
    g_string_append_c (out, '\n');
  for (int p = 0; paragraphs[p]; p++)
    {
      g_auto(GStrv) words = g_strsplit (paragraphs[p], " ", -1);

      for (int i = 0; words[i]; i++)
        {
          glong len = g_utf8_strlen (words[i], -1);

          if (*words[i] == '\0')
            continue;
          if (!line_empty && column + 1 + len > (glong) width)
            {
              g_string_append_c (out, '\n');
              column = 0;
              line_empty = TRUE;
            }
          if (column == 0)
            {
              g_string_append_printf (out, "%*s", (int) indent, "");
              column = indent;
            }
          if (!line_empty)
            {
              g_string_append_c (out, ' ');
              column++;
            }
          g_string_append (out, words[i]);
          column += len;
          line_empty = FALSE;
        }
      g_string_append_c (out, '\n');
      column = 0;
      line_empty = TRUE;
    }
}
