/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-numbers.h"
#include "mtc-report.h"
#include "mtc-result-page.h"
#include "mtc-version-picture.h"

struct _MtcResultPage
{
  MtcPage parent_instance;

  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *explanation_label;
  GtkLabel *note_label;
  GtkLabel *details_label;
  GtkGrid *table;
  GtkLabel *servers_label;
  GtkButton *check_again_button;
  MtcVersionPicture *picture;
};

G_DEFINE_FINAL_TYPE (MtcResultPage, mtc_result_page, MTC_TYPE_PAGE)

static const char *
icon_for (MtcVerdictId id)
{
  switch (id)
    {
    case MTC_VERDICT_ALL_GOOD:
      return "emblem-ok-symbolic";
    case MTC_VERDICT_OFFLINE:
      return "network-offline-symbolic";
    case MTC_VERDICT_TLS_INTERCEPTED:
    case MTC_VERDICT_STARTTLS_STRIPPED:
      return "security-low-symbolic";
    case MTC_VERDICT_CLIENT_TOO_OLD:
    case MTC_VERDICT_PORT_BLOCKED:
    case MTC_VERDICT_CLOCK_WRONG:
    case MTC_VERDICT_SERVER_PROBLEM:
    case MTC_VERDICT_LOCALLY_DISABLED:
    case MTC_N_VERDICTS:
    default:
      return "dialog-warning-symbolic";
    }
}

static void
attach_label (GtkGrid    *grid,
              const char *text,
              int         column,
              int         row,
              const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable with the mouse, but no stop for Tab: a table of cells. */
  gtk_widget_set_can_focus (label, FALSE);
  if (style != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style);
  gtk_widget_show (label);
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static void
fill_table (MtcResultPage *self,
            MtcDiagnosis  *diagnosis)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->table));

  for (GList *l = children; l; l = l->next)
    gtk_widget_destroy (l->data);

  attach_label (self->table, _("Server"), 0, 0, "mtc-table-head");
  attach_label (self->table, _("Status"), 1, 0, "mtc-table-head");
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      g_autofree char *head = g_strdup_printf ("TLS %s", mtc_tls_version_to_string (v));
      attach_label (self->table, head, 2 + v, 0, "mtc-table-head");
    }
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

      attach_label (self->table, url, 0, i + 1, NULL);
      attach_label (self->table, mtc_status_describe (result->status), 1, i + 1, NULL);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        attach_label (self->table, mtc_version_result_describe (result->versions[v]), 2 + v, i + 1,
                      result->versions[v] == MTC_VERSION_ACCEPTED ? "mtc-yes" : NULL);
    }
}

static char *
describe_servers (MtcDiagnosis *diagnosis)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);
      g_autofree char *common = result->status == MTC_STATUS_TLS_ERROR
                                ? mtc_describe_common_failure (result) : NULL;

      g_string_append_printf (out, "%s%s\n", out->len ? "\n" : "", url);
      /* A failure common to every version is said once, as such. */
      if (common != NULL || result->detail != NULL)
        g_string_append_printf (out, "  %s\n", common != NULL ? common : result->detail);
      if (result->server_words != NULL)
        /* TRANSLATORS: the server's own words follow */
        g_string_append_printf (out, _("  The server said: “%s”\n"), result->server_words);
      if (result->negotiated_version != MTC_TLS_UNKNOWN)
        /* TRANSLATORS: e.g. "This computer connects with TLS 1.3 (TLS_AES_256_GCM_SHA384)" */
        g_string_append_printf (out, _("  This computer connects with TLS %s (%s)\n"),
                                mtc_tls_version_to_string (result->negotiated_version),
                                result->negotiated_cipher ? result->negotiated_cipher : "?");
      if (result->certificate != NULL)
        {
          g_autofree char *until = result->certificate->not_after
                                     ? mtc_date_describe (result->certificate->not_after) : NULL;
          g_autofree char *joined = mtc_certificate_flags_describe (result->certificate->errors);

          /* TRANSLATORS: a line of the details: the server's name in the certificate, the issuer's name, a
           * date */
          g_string_append_printf (out, _("  Certificate: %s, issued by %s, valid until %s\n"),
                                  result->certificate->subject ? result->certificate->subject : "?",
                                  result->certificate->issuer ? result->certificate->issuer : "?",
                                  until ? until : "?");
          if (*joined != '\0')
            /* TRANSLATORS: a line of the details: a list of what is wrong with the certificate */
            g_string_append_printf (out, _("  Certificate problems: %s\n"), joined);
        }
    }
  return g_string_free (out, FALSE);
}

static void
check_again_clicked_cb (MtcResultPage *self)
{
  mtc_page_check_again (MTC_PAGE (self));
}

static void
mtc_result_page_shown (MtcPage *page)
{
  MtcResultPage *self = MTC_RESULT_PAGE (page);
  MtcSession *session = mtc_page_get_session (page);
  const MtcVerdict *verdict = mtc_session_get_verdict (session);
  MtcDiagnosis *diagnosis = mtc_session_get_diagnosis (session);
  g_autofree char *servers = NULL;

  mtc_page_set_complete (page, verdict != NULL);
  if (verdict == NULL || diagnosis == NULL)
    return;

  gtk_image_set_from_icon_name (self->icon, icon_for (verdict->id), GTK_ICON_SIZE_DIALOG);
  gtk_label_set_text (self->title_label, verdict->title);
  gtk_label_set_text (self->explanation_label, verdict->explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), verdict->uncertain);
  gtk_label_set_text (self->note_label,
                      _("Part of this rests on facts that are not certain; the details say which."));
  gtk_label_set_text (self->details_label, verdict->details ? verdict->details : "");
  mtc_version_picture_set (self->picture, verdict->client_max, diagnosis);
  fill_table (self, diagnosis);
  servers = describe_servers (diagnosis);
  gtk_label_set_text (self->servers_label, servers);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->icon)), verdict->title);
  /* Nothing was reached: "check again" is something to press. */
  gtk_widget_set_visible (GTK_WIDGET (self->check_again_button), verdict->id == MTC_VERDICT_OFFLINE);
}

static void
mtc_result_page_constructed (GObject *object)
{
  MtcPage *page = MTC_PAGE (object);

  G_OBJECT_CLASS (mtc_result_page_parent_class)->constructed (object);
  /* Complete as soon as there is a verdict, shown or not yet: the wizard
   * may return to the steps after it (the window was made anew). */
  mtc_page_set_complete (page, mtc_session_get_verdict (mtc_page_get_session (page)) != NULL);
}

static void
mtc_result_page_class_init (MtcResultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MtcPageClass *page_class = MTC_PAGE_CLASS (klass);

  object_class->constructed = mtc_result_page_constructed;
  page_class->shown = mtc_result_page_shown;

  g_type_ensure (MTC_TYPE_VERSION_PICTURE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, icon);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, table);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, servers_label);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, check_again_button);
  gtk_widget_class_bind_template_callback (widget_class, check_again_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, MtcResultPage, picture);
}

static void
mtc_result_page_init (MtcResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mtc_page_set_title (MTC_PAGE (self), _("Result"));
  /* Next says where it leads: the steps page's title. */
  mtc_page_set_next_label (MTC_PAGE (self), _("_What You Can Do"));
}

MtcPage *
mtc_result_page_new (MtcSession *session)
{
  return g_object_new (MTC_TYPE_RESULT_PAGE, "session", session, NULL);
}
