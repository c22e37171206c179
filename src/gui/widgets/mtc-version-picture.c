/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-version-picture.h"
#include "mtc-words.h"

/* The mismatch at a glance: what the mail program speaks and what the mail
 * servers accept, side by side on TLS 1.0 to 1.3.  Two rows of four boxes,
 * filled where the answer is yes, each with its version and a word, so that
 * nothing rests on colour; the same facts in sentences as the accessible
 * description, for screen readers. */
struct _MtcVersionPicture
{
  GtkGrid parent_instance;
};

G_DEFINE_FINAL_TYPE (MtcVersionPicture, mtc_version_picture, GTK_TYPE_GRID)

typedef enum {
  ANSWER_NO,
  ANSWER_SOME,     /* some of the mail servers, not all */
  ANSWER_YES,
} Answer;

static void
attach_title (MtcVersionPicture *self,
              const char        *text,
              int                row)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "mtc-picture-title");
  gtk_widget_show (label);
  gtk_grid_attach (GTK_GRID (self), label, 0, row, MTC_N_TLS_VERSIONS, 1);
}

static void
attach_box (MtcVersionPicture *self,
            MtcTlsVersion      version,
            Answer             answer,
            int                row)
{
  /* TRANSLATORS: the words in the picture's boxes: the version is spoken or accepted, by some, or not */
  const char *word = answer == ANSWER_YES ? C_("tls version", "yes")
                     : answer == ANSWER_SOME ? C_("tls version", "some") : C_("tls version", "no");
  g_autofree char *text = g_strdup_printf ("TLS %s\n%s", mtc_tls_version_to_string (version), word);
  GtkWidget *label = gtk_label_new (text);
  GtkStyleContext *style = gtk_widget_get_style_context (label);

  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_style_context_add_class (style, "mtc-picture-box");
  gtk_style_context_add_class (style, answer == ANSWER_YES ? "mtc-picture-yes"
                                      : answer == ANSWER_SOME ? "mtc-picture-some" : "mtc-picture-no");
  gtk_widget_show (label);
  gtk_grid_attach (GTK_GRID (self), label, version, row, 1, 1);
}

/* Per version: do all the mail servers that were reached accept it, some,
 * or none?  FALSE when no mail server answered for any version. */
static gboolean
servers_accept (const MtcDiagnosis *diagnosis,
                Answer              answers[MTC_N_TLS_VERSIONS])
{
  guint tested[MTC_N_TLS_VERSIONS] = { 0 }, accepted[MTC_N_TLS_VERSIONS] = { 0 };
  gboolean any = FALSE;

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      if (result->endpoint->protocol == MTC_PROTOCOL_HTTPS || !mtc_endpoint_result_any_accepted (result))
        continue;
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        if (result->versions[v] == MTC_VERSION_ACCEPTED || result->versions[v] == MTC_VERSION_REJECTED)
          {
            tested[v]++;
            accepted[v] += result->versions[v] == MTC_VERSION_ACCEPTED;
            any = TRUE;
          }
    }
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    answers[v] = accepted[v] == 0 ? ANSWER_NO : accepted[v] == tested[v] ? ANSWER_YES : ANSWER_SOME;
  return any;
}

static char *
describe (MtcTlsVersion client_max,
          const Answer  servers[MTC_N_TLS_VERSIONS])
{
  gboolean all[MTC_N_TLS_VERSIONS], some[MTC_N_TLS_VERSIONS];
  g_autofree char *all_text = NULL;
  g_autofree char *some_text = NULL;
  GString *out = g_string_new (NULL);
  int common = -1;

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      all[v] = servers[v] == ANSWER_YES;
      some[v] = servers[v] == ANSWER_SOME;
      if (v <= (int) client_max && servers[v] != ANSWER_NO)
        common = v;
    }
  all_text = mtc_tls_versions_describe (all);
  some_text = mtc_tls_versions_describe (some);
  if (client_max != MTC_TLS_UNKNOWN)
    /* TRANSLATORS: the picture for screen readers; %s is a version, e.g. "1.0" */
    g_string_append_printf (out, _("Your mail program speaks TLS up to version %s."),
                            mtc_tls_version_to_string (client_max));
  if (*all_text != '\0')
    {
      /* TRANSLATORS: %s is a list, e.g. "TLS 1.2 and TLS 1.3" */
      g_string_append_c (out, ' ');
      /* TRANSLATORS: %s is a list of TLS versions, such as “TLS 1.2 and TLS 1.3” */
      g_string_append_printf (out, _("Your provider’s mail servers accept %s."), all_text);
    }
  if (*some_text != '\0')
    {
      /* TRANSLATORS: %s is a list, e.g. "TLS 1.0 and TLS 1.1" */
      g_string_append_c (out, ' ');
      /* TRANSLATORS: %s is a list of TLS versions, such as “TLS 1.0 and TLS 1.1” */
      g_string_append_printf (out, _("Some of them also accept %s."), some_text);
    }
  if (client_max != MTC_TLS_UNKNOWN)
    {
      g_string_append_c (out, ' ');
      if (common < 0)
        g_string_append (out, _("They have no version in common."));
      else
        /* TRANSLATORS: %s is a version, e.g. "1.2" */
        g_string_append_printf (out, _("Both can use TLS %s."), mtc_tls_version_to_string (common));
    }
  g_strchug (out->str);
  return g_string_free (out, FALSE);
}

static void
mtc_version_picture_class_init (MtcVersionPictureClass *klass)
{
}

static void
mtc_version_picture_init (MtcVersionPicture *self)
{
  gtk_grid_set_column_spacing (GTK_GRID (self), 6);
  gtk_grid_set_row_spacing (GTK_GRID (self), 6);
  gtk_grid_set_column_homogeneous (GTK_GRID (self), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "mtc-picture");
}

/**
 * mtc_version_picture_set:
 * @client_max: the newest version the mail program speaks, or MTC_TLS_UNKNOWN
 * @diagnosis: what the mail servers accept
 *
 * Draws the picture anew; it hides itself when no mail server answered.
 */
void
mtc_version_picture_set (MtcVersionPicture  *self,
                         MtcTlsVersion       client_max,
                         const MtcDiagnosis *diagnosis)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self));
  Answer servers[MTC_N_TLS_VERSIONS];
  g_autofree char *description = NULL;
  int row = 0;

  g_return_if_fail (MTC_IS_VERSION_PICTURE (self));
  for (GList *l = children; l; l = l->next)
    gtk_widget_destroy (l->data);
  if (diagnosis == NULL || !servers_accept (diagnosis, servers))
    {
      gtk_widget_hide (GTK_WIDGET (self));
      return;
    }
  if (client_max != MTC_TLS_UNKNOWN)
    {
      attach_title (self, _("Your mail program speaks"), row++);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        attach_box (self, v, v <= (int) client_max ? ANSWER_YES : ANSWER_NO, row);
      row++;
    }
  attach_title (self, _("Your provider’s mail servers accept"), row++);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    attach_box (self, v, servers[v], row);
  description = describe (client_max, servers);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Encryption versions compared"));
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), description);
  gtk_widget_show (GTK_WIDGET (self));
}
