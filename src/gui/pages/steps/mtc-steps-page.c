/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-steps-page.h"

struct _MtcStepsPage
{
  MtcPage parent_instance;

  GtkBox *cards;
  GtkLabel *report_status;
};

/* What a card's button works on, and the card's label that says how it
 * went. */
typedef struct
{
  char *text;          /* the address to open, or the settings to copy */
  GtkLabel *status;
} ButtonData;

G_DEFINE_FINAL_TYPE (MtcStepsPage, mtc_steps_page, MTC_TYPE_PAGE)

static void
button_data_free (gpointer  data,
                  GClosure *closure)
{
  ButtonData *button_data = data;

  g_free (button_data->text);
  g_free (button_data);
}

/* Calls @callback with @text and @status when @button is clicked. */
static void
connect_button (GtkWidget  *button,
                GCallback   callback,
                const char *text,
                GtkLabel   *status)
{
  ButtonData *data = g_new0 (ButtonData, 1);

  data->text = g_strdup (text);
  data->status = status;
  g_signal_connect_data (button, "clicked", callback, data, button_data_free, 0);
}

static void
show_uri (GtkWidget  *widget,
          const char *uri,
          GtkLabel   *status)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *toplevel = gtk_widget_get_toplevel (widget);

  if (!gtk_show_uri_on_window (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, uri,
                               gtk_get_current_event_time (), &error))
    {
      /* TRANSLATORS: %s is a web address, the second %s why it could not be opened */
      g_autofree char *text = g_strdup_printf (_("The address %s could not be opened (%s). Copy it into your "
                                                 "web browser."), uri, error->message);
      gtk_label_set_text (status, text);
    }
}

static void
link_clicked_cb (GtkButton  *button,
                 ButtonData *data)
{
  show_uri (GTK_WIDGET (button), data->text, data->status);
}

static void
copy_text (GtkWidget  *widget,
           const char *text)
{
  GtkClipboard *clipboard = gtk_widget_get_clipboard (widget, GDK_SELECTION_CLIPBOARD);

  gtk_clipboard_set_text (clipboard, text, -1);
  gtk_clipboard_store (clipboard);
}

static void
copy_settings_clicked_cb (GtkButton  *button,
                          ButtonData *data)
{
  copy_text (GTK_WIDGET (button), data->text);
  gtk_label_set_text (data->status, _("The settings are copied. Paste them wherever you need them."));
}

/* One line of settings: selectable with the mouse, but no Tab stop (focus
 * selected the whole line, and it looked chosen); Copy Settings is the
 * keyboard's way to copy. */
static void
attach_setting_line (GtkGrid    *grid,
                     const char *text,
                     int         row)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_can_focus (label, FALSE);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
}

static GtkWidget *
make_settings_grid (const MtcVerdictStep *step)
{
  GtkWidget *grid = gtk_grid_new ();
  int row = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  for (guint i = 0; i < step->settings->len; i++)
    {
      g_autofree char *line = mtc_mail_setting_to_text (g_ptr_array_index (step->settings, i));

      attach_setting_line (GTK_GRID (grid), line, row++);
    }
  if (step->username != NULL)
    {
      /* TRANSLATORS: what to type as user name in a mail program */
      g_autofree char *line = g_strdup_printf (_("User name: %s"), step->username);

      attach_setting_line (GTK_GRID (grid), line, row);
    }
  gtk_style_context_add_class (gtk_widget_get_style_context (grid), "mtc-settings");
  return grid;
}

static GtkWidget *
make_card (const MtcVerdictStep *step,
           gboolean              first)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (step->title);
  GtkWidget *text = gtk_label_new (step->text);
  GtkWidget *buttons = gtk_flow_box_new ();
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *button = NULL;

  gtk_style_context_add_class (gtk_widget_get_style_context (frame), "mtc-card");
  if (first)
    gtk_style_context_add_class (gtk_widget_get_style_context (frame), "mtc-card-first");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_line_wrap (GTK_LABEL (title), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (title), "mtc-card-title");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_line_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_line_wrap (GTK_LABEL (status), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (status), "dim-label");
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_START);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);

  gtk_box_pack_start (GTK_BOX (box), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), text, FALSE, FALSE, 0);

  if (step->settings != NULL && step->settings->len > 0)
    {
      g_autoptr(GString) all = g_string_new (NULL);

      for (guint i = 0; i < step->settings->len; i++)
        {
          g_autofree char *line = mtc_mail_setting_to_text (g_ptr_array_index (step->settings, i));
          g_string_append_printf (all, "%s\n", line);
        }
      if (step->username != NULL)
        g_string_append_printf (all, _("User name: %s"), step->username);
      gtk_box_pack_start (GTK_BOX (box), make_settings_grid (step), FALSE, FALSE, 0);
      button = gtk_button_new_with_mnemonic (_("_Copy Settings"));
      connect_button (button, G_CALLBACK (copy_settings_clicked_cb), all->str, GTK_LABEL (status));
      gtk_container_add (GTK_CONTAINER (buttons), button);
    }

  if (step->url != NULL)
    {
      GtkWidget *address = gtk_label_new (step->url);

      /* The address itself, to read out or copy: the text refers to it. */
      gtk_label_set_xalign (GTK_LABEL (address), 0);
      gtk_label_set_selectable (GTK_LABEL (address), TRUE);
      gtk_label_set_line_wrap (GTK_LABEL (address), TRUE);
      gtk_label_set_line_wrap_mode (GTK_LABEL (address), PANGO_WRAP_CHAR);
      gtk_widget_set_can_focus (address, FALSE);
      gtk_style_context_add_class (gtk_widget_get_style_context (address), "mtc-settings");
      gtk_box_pack_start (GTK_BOX (box), address, FALSE, FALSE, 0);
    }

  if (step->url != NULL)
    {
      const char *label = g_strcmp0 (step->id, "webmail") == 0 ? _("Open _Webmail") : _("_Open Page");

      button = gtk_button_new_with_mnemonic (label);
      gtk_widget_set_tooltip_text (button, step->url);
      connect_button (button, G_CALLBACK (link_clicked_cb), step->url, GTK_LABEL (status));
      if (first)
        gtk_style_context_add_class (gtk_widget_get_style_context (button), "suggested-action");
      gtk_container_add (GTK_CONTAINER (buttons), button);
    }

  if (button != NULL)
    gtk_box_pack_start (GTK_BOX (box), buttons, FALSE, FALSE, 0);
  else
    {
      g_object_ref_sink (buttons);
      g_object_unref (buttons);
    }
  gtk_box_pack_start (GTK_BOX (box), status, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (frame), box);
  atk_object_set_name (gtk_widget_get_accessible (frame), step->title);
  gtk_widget_show_all (frame);
  return frame;
}

static void
copy_report_clicked_cb (MtcStepsPage *self)
{
  g_autofree char *report = mtc_session_build_report (mtc_page_get_session (MTC_PAGE (self)));

  copy_text (GTK_WIDGET (self), report);
  gtk_label_set_text (self->report_status, _("The report is copied. Paste it into your message to support."));
}

static void
report_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MtcStepsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The report could not be saved: %s"), error->message);
      gtk_label_set_text (self->report_status, text);
      return;
    }
  {
    g_autofree char *name = g_file_get_parse_name (G_FILE (source));
    g_autofree char *text = g_strdup_printf (_("The report is saved as %s."), name);
    gtk_label_set_text (self->report_status, text);
  }
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  MtcStepsPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *report = mtc_session_build_report (mtc_page_get_session (MTC_PAGE (self)));
      g_autoptr(GBytes) bytes = g_bytes_new_take (report, strlen (report));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, NULL, report_saved_cb,
                                           g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
save_report_clicked_cb (MtcStepsPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save Report"), GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dialog), TRUE);
  /* TRANSLATORS: the suggested file name of a saved report */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("mail-tls-check-report.txt"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
mtc_steps_page_shown (MtcPage *page)
{
  MtcStepsPage *self = MTC_STEPS_PAGE (page);
  const MtcVerdict *verdict = mtc_session_get_verdict (mtc_page_get_session (page));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->cards));

  for (GList *l = children; l; l = l->next)
    gtk_widget_destroy (l->data);
  gtk_label_set_text (self->report_status, "");
  mtc_page_set_complete (page, TRUE);
  if (verdict == NULL)
    return;
  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      gtk_box_pack_start (self->cards, make_card (step, i == 0), FALSE, FALSE, 0);
    }
}

static void
mtc_steps_page_class_init (MtcStepsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MtcPageClass *page_class = MTC_PAGE_CLASS (klass);

  page_class->shown = mtc_steps_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-steps-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MtcStepsPage, cards);
  gtk_widget_class_bind_template_child (widget_class, MtcStepsPage, report_status);
  gtk_widget_class_bind_template_callback (widget_class, copy_report_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_report_clicked_cb);
}

static void
mtc_steps_page_init (MtcStepsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mtc_page_set_title (MTC_PAGE (self), _("What You Can Do"));
}

MtcPage *
mtc_steps_page_new (MtcSession *session)
{
  return g_object_new (MTC_TYPE_STEPS_PAGE, "session", session, NULL);
}
