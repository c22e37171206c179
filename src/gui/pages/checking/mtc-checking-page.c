/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-checking-page.h"

struct _MtcCheckingPage
{
  MtcPage parent_instance;

  GtkProgressBar *progress;
  GtkListBox *list;

  GArray *rows;   /* of Row, one per endpoint */
};

/* One server's row, and the widgets that show how its check ended. */
typedef struct
{
  GtkWidget *row;
  GtkStack *state;    /* a spinner, then the icon */
  GtkImage *icon;
  GtkLabel *status;
} Row;

G_DEFINE_FINAL_TYPE (MtcCheckingPage, mtc_checking_page, MTC_TYPE_PAGE)

static void
update_progress (MtcCheckingPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  guint done = mtc_session_get_n_done (session);
  guint total = mtc_session_get_n_total (session);
  /* TRANSLATORS: progress, e.g. "3 of 7 servers checked" */
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u server checked", "%u of %u servers checked", total),
                                           done, total);

  gtk_progress_bar_set_text (self->progress, text);
  gtk_progress_bar_set_fraction (self->progress, total ? (double) done / total : 0.0);
}

static Row
make_row (const MtcEndpoint *endpoint)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *state = gtk_stack_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *role = gtk_label_new (mtc_endpoint_describe_role (endpoint));
  g_autofree char *url_text = mtc_endpoint_to_url (endpoint);
  GtkWidget *url = gtk_label_new (url_text);
  GtkWidget *status = gtk_label_new (_("checking…"));
  g_autofree char *accessible = g_strdup_printf ("%s, %s", mtc_endpoint_describe_role (endpoint), url_text);

  gtk_container_set_border_width (GTK_CONTAINER (box), 8);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_stack_add_named (GTK_STACK (state), spinner, "spinner");
  gtk_stack_add_named (GTK_STACK (state), icon, "icon");
  gtk_label_set_xalign (GTK_LABEL (role), 0);
  /* What the server is for wraps in a narrow window or a long language. */
  gtk_label_set_line_wrap (GTK_LABEL (role), TRUE);
  gtk_label_set_xalign (GTK_LABEL (url), 0);
  gtk_label_set_ellipsize (GTK_LABEL (url), PANGO_ELLIPSIZE_MIDDLE);
  gtk_style_context_add_class (gtk_widget_get_style_context (url), "dim-label");
  gtk_label_set_xalign (GTK_LABEL (status), 1);
  gtk_label_set_line_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (status), 18);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_pack_start (GTK_BOX (texts), role, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (texts), url, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), state, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), texts, TRUE, TRUE, 0);
  gtk_box_pack_end (GTK_BOX (box), status, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (row), box);
  atk_object_set_name (gtk_widget_get_accessible (row), accessible);
  gtk_widget_show_all (row);
  return (Row) { row, GTK_STACK (state), GTK_IMAGE (icon), GTK_LABEL (status) };
}

/* What the row says when a server's check is over: only what happened (it
 * answered, or how it failed), never whether it works for the person's mail
 * program.  That judgement is the result page's. */
static const char *
describe_finished (const MtcEndpointResult *result)
{
  if (result->status == MTC_STATUS_OK)
    /* TRANSLATORS: on the checking page, a server whose check is over; whether
     * it suits the mail program is said on the result page */
    return C_("progress", "answers");
  return mtc_status_describe (result->status);
}

static void
endpoint_finished_cb (MtcSession        *session,
                      guint              index,
                      MtcEndpointResult *result,
                      MtcCheckingPage   *self)
{
  const Row *row;
  const char *words = describe_finished (result);
  g_autofree char *accessible = NULL;
  g_autofree char *url = NULL;

  update_progress (self);
  if (self->rows == NULL || index >= self->rows->len)
    return;
  row = &g_array_index (self->rows, Row, index);
  gtk_image_set_from_icon_name (row->icon,
                                result->status == MTC_STATUS_OK ? "network-transmit-receive-symbolic"
                                                                : "network-error-symbolic",
                                GTK_ICON_SIZE_BUTTON);
  gtk_stack_set_visible_child_name (row->state, "icon");
  gtk_label_set_text (row->status, words);
  url = mtc_endpoint_to_url (result->endpoint);
  accessible = g_strdup_printf ("%s, %s: %s", mtc_endpoint_describe_role (result->endpoint), url, words);
  atk_object_set_name (gtk_widget_get_accessible (row->row), accessible);
}

/* Ends the check with @error, a cancellation said in the page's words. */
static void
fail (GTask  *task,
      GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The check was cancelled."));
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!mtc_session_check_finish (MTC_SESSION (source), result, &error))
    {
      fail (task, error);
      return;
    }
  mtc_page_set_complete (g_task_get_source_object (task), TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MtcCheckingPage *self = g_task_get_source_object (task);
  MtcSession *session = MTC_SESSION (source);
  GError *error = NULL;
  GCancellable *cancellable;
  GPtrArray *endpoints;

  if (!mtc_session_prepare_finish (session, result, &error)
      || g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      fail (task, error);
      return;
    }

  endpoints = mtc_session_get_endpoints (session);
  self->rows = g_array_sized_new (FALSE, FALSE, sizeof (Row), endpoints->len);
  for (guint i = 0; i < endpoints->len; i++)
    {
      Row row = make_row (g_ptr_array_index (endpoints, i));

      gtk_container_add (GTK_CONTAINER (self->list), row.row);
      g_array_append_val (self->rows, row);
    }
  gtk_widget_show (gtk_widget_get_parent (GTK_WIDGET (self->list)));
  cancellable = g_task_get_cancellable (task);
  mtc_session_check_async (session, cancellable, check_done_cb, g_steal_pointer (&task));
  update_progress (self);
}

/* Finds the servers (an e-mail address may need looking up), then checks
 * them. */
static void
mtc_checking_page_apply_async (MtcPage             *page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MtcCheckingPage *self = MTC_CHECKING_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->list));

  g_task_set_source_tag (task, mtc_checking_page_apply_async);
  g_task_set_check_cancellable (task, FALSE);

  for (GList *l = children; l; l = l->next)
    gtk_widget_destroy (l->data);
  g_clear_pointer (&self->rows, g_array_unref);
  gtk_widget_hide (gtk_widget_get_parent (GTK_WIDGET (self->list)));
  gtk_progress_bar_set_text (self->progress, _("Looking up your provider’s mail servers…"));
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  mtc_page_set_complete (page, FALSE);
  mtc_session_prepare_async (mtc_page_get_session (page), cancellable, prepared_cb, g_steal_pointer (&task));
}

static void
mtc_checking_page_constructed (GObject *object)
{
  MtcCheckingPage *self = MTC_CHECKING_PAGE (object);
  MtcSession *session;

  G_OBJECT_CLASS (mtc_checking_page_parent_class)->constructed (object);
  session = mtc_page_get_session (MTC_PAGE (self));
  /* Done already when the session holds a diagnosis (the window was made
   * anew, in another language, say). */
  mtc_page_set_complete (MTC_PAGE (self), mtc_session_get_diagnosis (session) != NULL);
  g_signal_connect_object (session, "endpoint-finished", G_CALLBACK (endpoint_finished_cb), self, 0);
}

static void
mtc_checking_page_dispose (GObject *object)
{
  MtcCheckingPage *self = MTC_CHECKING_PAGE (object);
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));

  /* A check that is being stopped still reports; the rows are gone. */
  if (session != NULL)
    g_signal_handlers_disconnect_by_data (session, self);
  g_clear_pointer (&self->rows, g_array_unref);
  G_OBJECT_CLASS (mtc_checking_page_parent_class)->dispose (object);
}

static void
mtc_checking_page_class_init (MtcCheckingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MtcPageClass *page_class = MTC_PAGE_CLASS (klass);

  object_class->constructed = mtc_checking_page_constructed;
  object_class->dispose = mtc_checking_page_dispose;
  page_class->apply_async = mtc_checking_page_apply_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-checking-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MtcCheckingPage, progress);
  gtk_widget_class_bind_template_child (widget_class, MtcCheckingPage, list);
}

static void
mtc_checking_page_init (MtcCheckingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mtc_page_set_title (MTC_PAGE (self), _("Checking"));
  /* The check starts when the page is shown; once it is done there is
   * nothing to return to. */
  mtc_page_set_automatic (MTC_PAGE (self), TRUE);
  mtc_page_set_revisitable (MTC_PAGE (self), FALSE);
}

MtcPage *
mtc_checking_page_new (MtcSession *session)
{
  return g_object_new (MTC_TYPE_CHECKING_PAGE, "session", session, NULL);
}
