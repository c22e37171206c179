/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-checking-page.h"
#include "mtc-clamp.h"
#include "mtc-computer-page.h"
#include "mtc-locale.h"
#include "mtc-provider-page.h"
#include "mtc-result-page.h"
#include "mtc-steps-page.h"
#include "mtc-welcome-page.h"
#include "mtc-window.h"
#include "mtc-window-title.h"

struct _MtcWindow
{
  GtkApplicationWindow parent_instance;

  GtkHeaderBar *header_bar;
  MtcWindowTitle *title;        /* whole or not at all: never "Mail-…" */
  GtkButton *back_button;
  GtkButton *next_button;
  GtkButton *cancel_button;
  GtkInfoBar *info_bar;
  GtkLabel *info_label;
  GtkLabel *address_label;       /* an address the info bar offers to copy */
  GtkWidget *copy_address_button;
  GtkStack *stack;
  GMenu *language_menu;          /* of the primary menu */

  MtcSession *session;
  GPtrArray *pages;             /* of MtcPage, in the wizard's order */
  guint index;                  /* of the page shown */
  GCancellable *cancellable;    /* of the page's apply, while one runs */
  GSettings *settings;
};

/* One run of a page's apply, for the window that asked: an answer that
 * comes after the window was closed or started over is dropped. */
typedef struct
{
  MtcWindow *window;
  GCancellable *cancellable;
} Apply;

static void show_page (MtcWindow *self,
                       guint      index);

G_DEFINE_FINAL_TYPE (MtcWindow, mtc_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pages' properties that the header bar shows (revisitable: whether
 * there is a page for Back). */
static const char * const button_properties[] = { "title", "complete", "busy", "next-label", "revisitable" };

/* The wizard's pages, in the order it shows them. */
static MtcPage *(* const page_constructors[]) (MtcSession *session) = {
  mtc_welcome_page_new,
  mtc_provider_page_new,
  mtc_computer_page_new,
  mtc_checking_page_new,
  mtc_result_page_new,
  mtc_steps_page_new,
};

static void
apply_free (Apply *apply)
{
  g_object_unref (apply->window);
  g_object_unref (apply->cancellable);
  g_free (apply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Apply, apply_free)

static MtcPage *
get_page (MtcWindow *self,
          guint      index)
{
  return g_ptr_array_index (self->pages, index);
}

static MtcPage *
current_page (MtcWindow *self)
{
  return get_page (self, self->index);
}

/* The page Back goes to from @index: the nearest before it that can be
 * revisited. */
static gboolean
find_previous (MtcWindow *self,
               guint      index,
               guint     *previous)
{
  while (index-- > 0)
    if (mtc_page_get_revisitable (get_page (self, index)))
      {
        *previous = index;
        return TRUE;
      }
  return FALSE;
}

/* @index itself if it can be revisited, else the page Back goes to from it. */
static guint
find_revisitable (MtcWindow *self,
                  guint      index)
{
  guint previous = 0;

  if (mtc_page_get_revisitable (get_page (self, index)) || !find_previous (self, index, &previous))
    return index;
  return previous;
}

/* Language › one item per language the program speaks, by its own name,
 * sorted; app.language's state marks the one in use. */
static void
fill_language_menu (MtcWindow *self)
{
  g_auto(GStrv) languages = mtc_locale_list_languages ();

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *name = mtc_locale_get_language_name (languages[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "app.language", g_variant_new_string (languages[i]));
      g_menu_append_item (self->language_menu, item);
    }
}

/* Says @message above the page; with @address, the address to copy too. */
static void
show_message (MtcWindow      *self,
              GtkMessageType  type,
              const char     *message,
              const char     *address)
{
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_label_set_text (self->info_label, message);
  gtk_label_set_text (self->address_label, address != NULL ? address : "");
  gtk_widget_set_visible (GTK_WIDGET (self->address_label), address != NULL);
  gtk_widget_set_visible (self->copy_address_button, address != NULL);
  gtk_widget_show (GTK_WIDGET (self->info_bar));
}

static void
show_info (MtcWindow  *self,
           const char *message)
{
  show_message (self, GTK_MESSAGE_WARNING, message, NULL);
}

/* Opens @uri in the web browser.  Whether a browser really comes up cannot
 * always be known (a handler may start and fail), so the address is shown
 * to copy either way, as a warning when nothing could be started. */
static void
open_uri (MtcWindow  *self,
          const char *uri)
{
  if (gtk_show_uri_on_window (GTK_WINDOW (self), uri, gtk_get_current_event_time (), NULL))
    show_message (self, GTK_MESSAGE_INFO,
                  _("The page opens in your web browser. If no browser window appears, copy this address "
                    "into your web browser:"), uri);
  else
    show_message (self, GTK_MESSAGE_WARNING,
                  _("No web browser opened on this computer. Copy this address into a web browser:"), uri);
}

/* The program's own help, for when no provider's article is known: it
 * needs no browser and no internet. */
static void
show_own_help (MtcWindow *self)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_OTHER, GTK_BUTTONS_CLOSE, "%s",
                                              _("What This Program Does"));

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s\n\n%s\n\n%s",
    _("Mail TLS Check finds out why your mail program cannot connect to your mail provider, and tells you "
      "what you can do."),
    _("Go from page to page with Next. Give your e-mail address or choose your provider, and say which "
      "computer and mail program you use. Then the program asks your provider’s servers which kinds of "
      "encryption they accept. It never asks for your password."),
    _("At the end you see what was found and what you can do. The last page also has a report for your "
      "provider’s support, to copy or to save."));
  gtk_window_set_title (GTK_WINDOW (dialog), _("Help"));
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

static void
update_buttons (MtcWindow *self)
{
  MtcPage *page = current_page (self);
  gboolean busy = mtc_page_get_busy (page);
  guint previous;
  gboolean has_previous = find_previous (self, self->index, &previous);
  const char *next_label = mtc_page_get_next_label (page);
  g_autofree char *subtitle = NULL;

  /* While a page works, Cancel takes the place of Back and Next: the header
   * bar stays as narrow as the pages (360 px). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), has_previous && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), has_previous && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), mtc_page_get_complete (page) && !busy);
  /* On the last page the button ends the wizard and closes the window. */
  if (next_label == NULL)
    next_label = self->index + 1 < self->pages->len ? _("_Next") : _("_Finish");
  gtk_button_set_label (self->next_button, next_label);

  if (mtc_session_get_demo (self->session))
    /* TRANSLATORS: the window's subtitle in the demo; %s is the page's title */
    subtitle = g_strdup_printf (_("Demo · %s"), mtc_page_get_title (page));
  else
    subtitle = g_strdup (mtc_page_get_title (page));
  mtc_window_title_set_subtitle (self->title, subtitle);
}

static void
page_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MtcPage *page = MTC_PAGE (source);
  g_autoptr(Apply) apply = user_data;
  MtcWindow *self = apply->window;
  g_autoptr(GError) error = NULL;
  gboolean applied = mtc_page_apply_finish (page, result, &error);
  guint index;

  if (apply->cancellable != self->cancellable || !g_ptr_array_find (self->pages, page, &index))
    return;
  g_clear_object (&self->cancellable);
  if (!applied)
    {
      /* The page where the person can act on the error shows it itself. */
      for (guint i = index; i-- > 0;)
        if (mtc_page_show_error (get_page (self, i), error))
          {
            show_page (self, i);
            return;
          }
      show_page (self, find_revisitable (self, index));
      if (!g_error_matches (error, MTC_PAGE_ERROR, MTC_PAGE_ERROR_SHOWN_ON_PAGE))
        show_info (self, error->message);
    }
  else if (index + 1 < self->pages->len)
    show_page (self, index + 1);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Applies the page shown; the wizard moves on when that is done. */
static void
apply_page (MtcWindow *self)
{
  Apply *apply = g_new0 (Apply, 1);

  self->cancellable = g_cancellable_new ();
  apply->window = g_object_ref (self);
  apply->cancellable = g_object_ref (self->cancellable);
  mtc_page_apply_async (current_page (self), self->cancellable, page_applied_cb, apply);
}

/* Stops a page's apply; whatever it answers is dropped. */
static void
forget_apply (MtcWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
scroll_to_top (GtkScrolledWindow *scrolled)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

static void
show_page (MtcWindow *self,
           guint      index)
{
  MtcPage *page;
  GtkWidget *focus;
  GtkWidget *scrolled;

  g_return_if_fail (index < self->pages->len);
  self->index = index;
  page = current_page (self);
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW);
  mtc_page_shown (page);
  gtk_stack_set_visible_child (self->stack, scrolled);
  if (mtc_page_get_automatic (page))
    apply_page (self);
  update_buttons (self);
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->next_button)) && gtk_widget_get_visible (GTK_WIDGET (self->next_button)))
    gtk_widget_grab_default (GTK_WIDGET (self->next_button));
  /* Focus into the page, unless the page already put it where it belongs. */
  focus = gtk_window_get_focus (GTK_WINDOW (self));
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (page)))
    gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);
  /* Every page, and every new result, starts at its top, wherever it was
   * left and wherever the focus went. */
  scroll_to_top (GTK_SCROLLED_WINDOW (scrolled));
}

static void
next_clicked_cb (MtcWindow *self)
{
  MtcPage *page = current_page (self);

  if (self->cancellable != NULL || !mtc_page_get_complete (page) || mtc_page_get_busy (page))
    return;
  apply_page (self);
}

static void
back_clicked_cb (MtcWindow *self)
{
  guint previous;

  if (mtc_page_get_busy (current_page (self)) || !find_previous (self, self->index, &previous))
    return;
  forget_apply (self);
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  show_page (self, previous);
}

static void
cancel_clicked_cb (MtcWindow *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* "Check Again" on a page: the nearest automatic page, before it or else
 * after it, is shown again and starts its work anew. */
static void
page_check_again_cb (MtcPage   *page,
                     MtcWindow *self)
{
  guint index;

  if (self->cancellable != NULL || mtc_page_get_busy (current_page (self))
      || !g_ptr_array_find (self->pages, page, &index))
    return;
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  for (guint i = index; i-- > 0;)
    if (mtc_page_get_automatic (get_page (self, i)))
      {
        show_page (self, i);
        return;
      }
  for (guint i = index + 1; i < self->pages->len; i++)
    if (mtc_page_get_automatic (get_page (self, i)))
      {
        show_page (self, i);
        return;
      }
}

static void
info_bar_response_cb (MtcWindow *self,
                      int        response)
{
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
}

static void
copy_address_clicked_cb (MtcWindow *self)
{
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD);

  gtk_clipboard_set_text (clipboard, gtk_label_get_text (self->address_label), -1);
  gtk_clipboard_store (clipboard);
  gtk_label_set_text (self->info_label,
                      _("The address is copied. Paste it into the address bar of your web browser:"));
}

static void
page_notify_cb (MtcPage    *page,
                GParamSpec *pspec,
                MtcWindow  *self)
{
  /* Between the pages' going and coming when the wizard starts over. */
  if (self->index >= self->pages->len)
    return;
  /* What was said before is stale once the page shown sets to work. */
  if (page == current_page (self) && g_str_equal (pspec->name, "busy") && mtc_page_get_busy (page))
    gtk_widget_hide (GTK_WIDGET (self->info_bar));
  update_buttons (self);
}

static void
help_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MtcWindow *self = user_data;
  const char *uri = mtc_session_get_help_url (self->session);

  /* The provider's own article, where its profile names one. */
  if (uri != NULL)
    open_uri (self, uri);
  else
    show_own_help (self);
}

/* win.open-uri: a page's link (webmail, an article) opened for it. */
static void
open_uri_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  open_uri (MTC_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
add_page (MtcWindow *self,
          MtcPage   *page)
{
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  /* Lines of about 70 characters at most, however wide the window. */
  GtkWidget *clamp = mtc_clamp_new (70);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_container_add (GTK_CONTAINER (clamp), GTK_WIDGET (page));
  gtk_container_add (GTK_CONTAINER (scrolled), clamp);
  /* Not show_all: a page's template decides what is visible. */
  gtk_widget_show (GTK_WIDGET (page));
  gtk_widget_show (clamp);
  gtk_widget_show (gtk_bin_get_child (GTK_BIN (scrolled)));
  gtk_widget_show (scrolled);
  gtk_container_add (GTK_CONTAINER (self->stack), scrolled);
  g_ptr_array_add (self->pages, page);
  for (guint i = 0; i < G_N_ELEMENTS (button_properties); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", button_properties[i], NULL);
      g_signal_connect_object (page, signal, G_CALLBACK (page_notify_cb), self, 0);
    }
  g_signal_connect_object (page, "check-again", G_CALLBACK (page_check_again_cb), self, 0);
}

/* Lets go of every page; a page still at work no longer speaks to the
 * window. */
static void
remove_pages (MtcWindow *self)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      MtcPage *page = get_page (self, i);

      g_signal_handlers_disconnect_by_data (page, self);
      gtk_widget_destroy (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW));
    }
  g_ptr_array_set_size (self->pages, 0);
}

/* Makes every page anew; each reads the session when it is made. */
static void
add_pages (MtcWindow *self)
{
  remove_pages (self);
  for (guint i = 0; i < G_N_ELEMENTS (page_constructors); i++)
    add_page (self, page_constructors[i] (self->session));
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
    { "open-uri", open_uri_activated_cb, "s", NULL, NULL },
  };

  G_OBJECT_CLASS (mtc_window_parent_class)->constructed (object);

  /* Without an installed schema (a build run in place) nothing is remembered. */
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  restore_size (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);

  add_pages (self);
  show_page (self, 0);
  if (g_getenv ("MTC_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_after (self, "draw", G_CALLBACK (first_frame_drawn_cb), NULL);
}

static gboolean
mtc_window_delete_event (GtkWidget   *widget,
                         GdkEventAny *event)
{
  MtcWindow *self = MTC_WINDOW (widget);

  GtkWidgetClass *parent_class = GTK_WIDGET_CLASS (mtc_window_parent_class);

  save_size (self);
  forget_apply (self);
  /* GtkWindow has no handler of its own to chain up to. */
  return parent_class->delete_event != NULL ? parent_class->delete_event (widget, event) : GDK_EVENT_PROPAGATE;
}

/* Escape stops a running check, as Cancel does; whatever has the focus (a
 * menu, say) has it first. */
static gboolean
mtc_window_key_press_event (GtkWidget   *widget,
                            GdkEventKey *event)
{
  MtcWindow *self = MTC_WINDOW (widget);

  if (GTK_WIDGET_CLASS (mtc_window_parent_class)->key_press_event (widget, event))
    return GDK_EVENT_STOP;
  if (event->keyval == GDK_KEY_Escape && (event->state & gtk_accelerator_get_default_mod_mask ()) == 0
      && gtk_widget_is_visible (GTK_WIDGET (self->cancel_button))
      && gtk_widget_is_sensitive (GTK_WIDGET (self->cancel_button)))
    {
      gtk_widget_activate (GTK_WIDGET (self->cancel_button));
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
mtc_window_dispose (GObject *object)
{
  MtcWindow *self = MTC_WINDOW (object);

  forget_apply (self);
  remove_pages (self);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (mtc_window_parent_class)->dispose (object);
}

static void
mtc_window_finalize (GObject *object)
{
  MtcWindow *self = MTC_WINDOW (object);

  g_ptr_array_unref (self->pages);
  G_OBJECT_CLASS (mtc_window_parent_class)->finalize (object);
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
  object_class->finalize = mtc_window_finalize;
  object_class->get_property = mtc_window_get_property;
  object_class->set_property = mtc_window_set_property;
  widget_class->delete_event = mtc_window_delete_event;
  widget_class->key_press_event = mtc_window_key_press_event;

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
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, address_label);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, copy_address_button);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MtcWindow, language_menu);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, info_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_address_clicked_cb);
}

static void
mtc_window_init (MtcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->title = MTC_WINDOW_TITLE (mtc_window_title_new (_("Mail TLS Check")));
  gtk_widget_show (GTK_WIDGET (self->title));
  gtk_header_bar_set_custom_title (self->header_bar, GTK_WIDGET (self->title));
  self->pages = g_ptr_array_new ();
  fill_language_menu (self);
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

/* Starts over with what the session now holds (a support link was opened):
 * every page is made anew, and the wizard shows the first page that cannot
 * be skipped.  A page's running apply is stopped first. */
void
mtc_window_restart (MtcWindow *self)
{
  guint index = 0;

  g_return_if_fail (MTC_IS_WINDOW (self));

  forget_apply (self);
  add_pages (self);
  while (index + 1 < self->pages->len && mtc_page_get_skippable (get_page (self, index)))
    index++;
  show_page (self, index);
}

/* Returns to a page (after the language changed, say), but no further than
 * the first page that is not complete; a page that cannot be revisited is
 * left for the one before it. */
void
mtc_window_go_to_page (MtcWindow *self,
                       guint      index)
{
  g_return_if_fail (MTC_IS_WINDOW (self));

  index = MIN (index, self->pages->len - 1);
  for (guint i = 0; i < index; i++)
    if (!mtc_page_get_complete (get_page (self, i)))
      {
        index = i;
        break;
      }
  show_page (self, find_revisitable (self, index));
}
