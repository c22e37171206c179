/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-steps-page.h"

/* The printed report's font: monospaced, so that its table lines up. */
#define PRINT_FONT "Monospace 10"

struct _MtcStepsPage
{
  MtcPage parent_instance;

  GtkBox *cards;
  GtkLabel *report_note;
  GtkLabel *report_status;
};

/* The report as printed: its lines broken to the page's width, and the
 * first line of each page. */
typedef struct
{
  char *text;
  PangoLayout *layout;
  GArray *page_starts;  /* of int: the layout line each page begins with */
} PrintJob;

/* What a card's button works on, and the card's label that says how it
 * went. */
typedef struct
{
  char *text;          /* the settings to copy */
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
  if (step->change != NULL)
    {
      /* A setting to change: exactly the change, in the program's words. */
      g_auto(GStrv) lines = g_strsplit (step->change, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        attach_setting_line (GTK_GRID (grid), lines[i], row++);
      return grid;
    }
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

  if (step->change != NULL || (step->settings != NULL && step->settings->len > 0))
    {
      g_autoptr(GString) all = g_string_new (step->change);

      for (guint i = 0; step->change == NULL && i < step->settings->len; i++)
        {
          g_autofree char *line = mtc_mail_setting_to_text (g_ptr_array_index (step->settings, i));
          g_string_append_printf (all, "%s\n", line);
        }
      if (step->change == NULL && step->username != NULL)
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
      /* The window opens it, and shows the address to copy when no browser
       * comes up. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-uri");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (step->url));
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
      /* TRANSLATORS: %s is the system's message */
      g_autofree char *text = g_strdup_printf (_("The report could not be saved: %s"), error->message);
      gtk_label_set_text (self->report_status, text);
      return;
    }
  {
    g_autofree char *name = g_file_get_parse_name (G_FILE (source));
    /* TRANSLATORS: %s is the file's name */
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
print_job_free (PrintJob *job)
{
  g_free (job->text);
  g_clear_object (&job->layout);
  g_clear_pointer (&job->page_starts, g_array_unref);
  g_free (job);
}

/* Lays the report out on the page's width and finds the page breaks. */
static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (PRINT_FONT);
  double page_height = gtk_print_context_get_height (context);
  double used = 0;
  int n_lines;

  /* Anew for each run of the operation (a preview, then the print). */
  g_clear_object (&job->layout);
  g_clear_pointer (&job->page_starts, g_array_unref);
  job->layout = gtk_print_context_create_pango_layout (context);
  pango_layout_set_font_description (job->layout, font);
  pango_layout_set_width (job->layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (job->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (job->layout, job->text, -1);
  n_lines = pango_layout_get_line_count (job->layout);
  job->page_starts = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (job->page_starts, (int) { 0 });
  for (int i = 0; i < n_lines; i++)
    {
      PangoRectangle logical;
      double height;

      pango_layout_line_get_extents (pango_layout_get_line_readonly (job->layout, i), NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      if (used + height > page_height && used > 0)
        {
          g_array_append_val (job->page_starts, i);
          used = 0;
        }
      used += height;
    }
  gtk_print_operation_set_n_pages (operation, job->page_starts->len);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  int first = g_array_index (job->page_starts, int, page_nr);
  int end = (guint) page_nr + 1 < job->page_starts->len ? g_array_index (job->page_starts, int, page_nr + 1)
                                                       : pango_layout_get_line_count (job->layout);
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int i = first; i < end; i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (job->layout, i);
      PangoRectangle logical;
      int baseline;

      pango_layout_line_get_extents (line, NULL, &logical);
      baseline = -logical.y;
      cairo_move_to (cr, 0, y + (double) baseline / PANGO_SCALE);
      pango_cairo_show_layout_line (cr, line);
      y += (double) logical.height / PANGO_SCALE;
    }
}

/* How printing went, said under the report's buttons; the operation ends
 * here, whichever way it went (GTK emits "done" for every run). */
static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               MtcStepsPage            *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      /* TRANSLATORS: %s is the printing system's message */
      text = g_strdup_printf (_("The report could not be printed: %s"), error != NULL ? error->message : "?");
      gtk_label_set_text (self->report_status, text);
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    gtk_label_set_text (self->report_status, _("The report is sent to the printer."));
  g_object_unref (operation);
  g_object_unref (self);
}

static void
print_report_clicked_cb (MtcStepsPage *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  PrintJob *job = g_new0 (PrintJob, 1);

  job->text = mtc_session_build_report (mtc_page_get_session (MTC_PAGE (self)));
  /* TRANSLATORS: the name of the print job, and of the file when printing to a file */
  gtk_print_operation_set_job_name (operation, _("Mail TLS Check report"));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  /* The wizard stays responsive while the print dialog is open. */
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_object_set_data_full (G_OBJECT (operation), "mtc-print-job", job, (GDestroyNotify) print_job_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);
  g_signal_connect (operation, "done", G_CALLBACK (print_done_cb), g_object_ref (self));
  /* Errors come with "done". */
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                           GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, NULL);
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
  {
    const char *email = mtc_session_get_email (mtc_page_get_session (page));
    g_autofree char *note = g_strdup_printf ("%s %s", _("If you contact support, give them this report: it holds "
                                                        "what the check found."),
                                             mtc_report_privacy_note (email));

    gtk_label_set_text (self->report_note, note);
  }
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
  gtk_widget_class_bind_template_child (widget_class, MtcStepsPage, report_note);
  gtk_widget_class_bind_template_child (widget_class, MtcStepsPage, report_status);
  gtk_widget_class_bind_template_callback (widget_class, copy_report_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_report_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_report_clicked_cb);
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
