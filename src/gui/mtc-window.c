/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-checking-page.h"
#include "mtc-computer-page.h"
#include "mtc-provider-page.h"
#include "mtc-result-page.h"
#include "mtc-steps-page.h"
#include "mtc-welcome-page.h"
#include "mtc-window.h"

enum {
  PAGE_WELCOME,
  PAGE_PROVIDER,
  PAGE_COMPUTER,
  PAGE_CHECKING,
  PAGE_RESULT,
  PAGE_STEPS,
  N_PAGES
};

struct _MtcWindow
{
  GtkApplicationWindow parent_instance;

  GtkHeaderBar *header_bar;
  GtkButton *back_button;
  GtkButton *next_button;
  GtkButton *cancel_button;
  GtkInfoBar *info_bar;
  GtkLabel *info_label;
  GtkStack *stack;

  MtcSession *session;
  MtcPage *pages[N_PAGES];
  guint index;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (MtcWindow, mtc_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_info (MtcWindow  *self,
           const char *message)
{
  gtk_label_set_text (self->info_label, message);
  gtk_widget_show (GTK_WIDGET (self->info_bar));
}

static void
update_buttons (MtcWindow *self)
{
  MtcPage *page = self->pages[self->index];
  gboolean busy = mtc_page_get_busy (page);
  const char *next_label = _("_Next");
  g_autofree char *subtitle = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), self->index > PAGE_WELCOME && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->index > PAGE_WELCOME);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->index < PAGE_STEPS);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), mtc_page_get_complete (page) && !busy);
  if (self->index == PAGE_COMPUTER)
    next_label = _("_Check");
  gtk_button_set_label (self->next_button, next_label);

  if (mtc_session_get_demo (self->session))
    /* TRANSLATORS: the window's subtitle in the demo; %s is the page's title */
    subtitle = g_strdup_printf (_("Demo · %s"), mtc_page_get_title (page));
  else
    subtitle = g_strdup (mtc_page_get_title (page));
  gtk_header_bar_set_subtitle (self->header_bar, subtitle);
}

static void
show_page (MtcWindow *self,
           guint      index)
{
  GtkWidget *child;
  GtkWidget *focus;

  g_return_if_fail (index < N_PAGES);
  self->index = index;
  mtc_page_shown (self->pages[index]);
  child = gtk_widget_get_ancestor (GTK_WIDGET (self->pages[index]), GTK_TYPE_SCROLLED_WINDOW);
  gtk_stack_set_visible_child (self->stack, child);
  update_buttons (self);
  /* Help is the provider's own article, where its profile names one. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "help")),
                               mtc_session_get_help_url (self->session) != NULL);
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->next_button)) && gtk_widget_get_visible (GTK_WIDGET (self->next_button)))
    gtk_widget_grab_default (GTK_WIDGET (self->next_button));
  /* Focus into the page, unless the page already put it where it belongs. */
  focus = gtk_window_get_focus (GTK_WINDOW (self));
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->pages[index])))
    gtk_widget_child_focus (GTK_WIDGET (self->pages[index]), GTK_DIR_TAB_FORWARD);
}

static void
start_check (MtcWindow *self)
{
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  show_page (self, PAGE_CHECKING);
  mtc_checking_page_start (MTC_CHECKING_PAGE (self->pages[PAGE_CHECKING]));
}

static void
next_clicked_cb (MtcWindow *self)
{
  if (!mtc_page_get_complete (self->pages[self->index]) || mtc_page_get_busy (self->pages[self->index]))
    return;
  if (self->index == PAGE_COMPUTER)
    start_check (self);
  else if (self->index + 1 < N_PAGES)
    show_page (self, self->index + 1);
}

static void
back_clicked_cb (MtcWindow *self)
{
  if (self->index == PAGE_WELCOME || mtc_page_get_busy (self->pages[self->index]))
    return;
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  /* The checking page is a moment, not a place to return to. */
  show_page (self, self->index == PAGE_RESULT ? PAGE_COMPUTER : self->index - 1);
}

static void
cancel_clicked_cb (MtcWindow *self)
{
  if (self->index == PAGE_CHECKING)
    mtc_checking_page_cancel (MTC_CHECKING_PAGE (self->pages[PAGE_CHECKING]));
}

static void
info_bar_response_cb (MtcWindow *self,
                      int        response)
{
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
}

static void
page_changed_cb (MtcPage    *page,
                 GParamSpec *pspec,
                 MtcWindow  *self)
{
  if (page == self->pages[self->index])
    update_buttons (self);
}

static void
check_finished_cb (MtcCheckingPage *page,
                   const GError    *error,
                   MtcWindow       *self)
{
  if (error != NULL)
    {
      show_page (self, PAGE_COMPUTER);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_info (self, _("The check was cancelled."));
      else
        show_info (self, error->message);
      return;
    }
  show_page (self, PAGE_RESULT);
}

static void
help_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MtcWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *uri = mtc_session_get_help_url (self->session);

  if (uri != NULL && !gtk_show_uri_on_window (GTK_WINDOW (self), uri, gtk_get_current_event_time (), &error))
    show_info (self, error->message);
}

static void
add_page (MtcWindow *self,
          guint      index,
          MtcPage   *page)
{
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_container_add (GTK_CONTAINER (scrolled), GTK_WIDGET (page));
  /* Not show_all: a page's template decides what is visible. */
  gtk_widget_show (GTK_WIDGET (page));
  gtk_widget_show (gtk_bin_get_child (GTK_BIN (scrolled)));
  gtk_widget_show (scrolled);
  gtk_container_add (GTK_CONTAINER (self->stack), scrolled);
  self->pages[index] = page;
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::busy", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (page_changed_cb), self, 0);
}

static void
save_size (MtcWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  gtk_window_get_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    g_settings_set (self->settings, "window-size", "(ii)", width, height);
}

static void
restore_size (MtcWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* For bench/gui-bench.sh: when the first frame has been drawn, print the
 * wall-clock time and quit. */
static gboolean
first_frame_drawn_cb (GtkWidget *widget,
                      cairo_t   *cr,
                      gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (widget, first_frame_drawn_cb, user_data);
  g_print ("first-frame-realtime-us %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (widget))));
  return FALSE;
}

static void
mtc_window_constructed (GObject *object)
{
  MtcWindow *self = MTC_WINDOW (object);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  static const GActionEntry actions[] = {
    { "help", help_activated_cb, NULL, NULL, NULL },
  };

  G_OBJECT_CLASS (mtc_window_parent_class)->constructed (object);

  /* Without an installed schema (a build run in place) nothing is remembered. */
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  restore_size (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);

  add_page (self, PAGE_WELCOME, mtc_welcome_page_new (self->session));
  add_page (self, PAGE_PROVIDER, mtc_provider_page_new (self->session));
  add_page (self, PAGE_COMPUTER, mtc_computer_page_new (self->session));
  add_page (self, PAGE_CHECKING, mtc_checking_page_new (self->session));
  add_page (self, PAGE_RESULT, mtc_result_page_new (self->session));
  add_page (self, PAGE_STEPS, mtc_steps_page_new (self->session));
  g_signal_connect_object (self->pages[PAGE_CHECKING], "finished", G_CALLBACK (check_finished_cb), self, 0);

  show_page (self, PAGE_WELCOME);
  if (g_getenv ("MTC_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_after (self, "draw", G_CALLBACK (first_frame_drawn_cb), NULL);
}

static gboolean
mtc_window_delete_event (GtkWidget   *widget,
                         GdkEventAny *event)
{
  MtcWindow *self = MTC_WINDOW (widget);

  save_size (self);
  if (self->index == PAGE_CHECKING)
    mtc_checking_page_cancel (MTC_CHECKING_PAGE (self->pages[PAGE_CHECKING]));
  return GTK_WIDGET_CLASS (mtc_window_parent_class)->delete_event (widget, event);
}

static void
mtc_window_dispose (GObject *object)
{
  MtcWindow *self = MTC_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (mtc_window_parent_class)->dispose (object);
}

static void
mtc_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MtcWindow *self = MTC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MtcWindow *self = MTC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_window_class_init (MtcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mtc_window_constructed;
  object_class->dispose = mtc_window_dispose;
  object_class->get_property = mtc_window_get_property;
  object_class->set_property = mtc_window_set_property;
  widget_class->delete_event = mtc_window_delete_event;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MTC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, info_bar_response_cb);
}

static void
mtc_window_init (MtcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MtcWindow *
mtc_window_new (GtkApplication *application,
                MtcSession     *session)
{
  return g_object_new (MTC_TYPE_WINDOW, "application", application, "session", session, NULL);
}

MtcSession *
mtc_window_get_session (MtcWindow *self)
{
  g_return_val_if_fail (MTC_IS_WINDOW (self), NULL);
  return self->session;
}

guint
mtc_window_get_page_index (MtcWindow *self)
{
  g_return_val_if_fail (MTC_IS_WINDOW (self), 0);
  return self->index;
}

void
mtc_window_show_message (MtcWindow  *self,
                         const char *message)
{
  g_return_if_fail (MTC_IS_WINDOW (self));
  show_info (self, message);
}

/* Starts over from the provider page, with what the session now holds (a
 * support link was opened).  A running check is stopped first. */
void
mtc_window_restart (MtcWindow *self)
{
  GtkWidget *scrolled;

  g_return_if_fail (MTC_IS_WINDOW (self));

  if (self->index == PAGE_CHECKING)
    mtc_checking_page_cancel (MTC_CHECKING_PAGE (self->pages[PAGE_CHECKING]));
  /* The provider page reads the session when it is made. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->pages[PAGE_PROVIDER]), GTK_TYPE_SCROLLED_WINDOW);
  gtk_container_remove (GTK_CONTAINER (self->stack), scrolled);
  add_page (self, PAGE_PROVIDER, mtc_provider_page_new (self->session));
  gtk_container_child_set (GTK_CONTAINER (self->stack),
                           gtk_widget_get_ancestor (GTK_WIDGET (self->pages[PAGE_PROVIDER]),
                                                    GTK_TYPE_SCROLLED_WINDOW),
                           "position", PAGE_PROVIDER, NULL);
  show_page (self, PAGE_PROVIDER);
}

/* Returns to a page (after the language changed, say).  The checking page
 * cannot be returned to, so the computer page stands in for it. */
void
mtc_window_go_to_page (MtcWindow *self,
                       guint      index)
{
  g_return_if_fail (MTC_IS_WINDOW (self));

  if (index == PAGE_CHECKING)
    index = PAGE_COMPUTER;
  if ((index == PAGE_RESULT || index == PAGE_STEPS) && mtc_session_get_diagnosis (self->session) == NULL)
    index = PAGE_COMPUTER;
  show_page (self, MIN (index, N_PAGES - 1));
}
