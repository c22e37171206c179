/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-application.h"
#include "mtc-link.h"
#include "mtc-locale.h"
#include "mtc-session.h"
#include "mtc-window.h"

struct _MtcApplication
{
  GtkApplication parent_instance;

  gboolean demo;
  MtcSession *session;
};

G_DEFINE_FINAL_TYPE (MtcApplication, mtc_application, GTK_TYPE_APPLICATION)

static MtcWindow *
get_window (MtcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return MTC_IS_WINDOW (window) ? MTC_WINDOW (window) : NULL;
}

static void
language_changed_cb (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  MtcApplication *self = user_data;
  MtcWindow *old = get_window (self);
  MtcWindow *window;
  guint index = old ? mtc_window_get_page_index (old) : 0;
  int width = 0, height = 0;
  g_autofree char *current = mtc_locale_get_language ();

  if (g_strcmp0 (g_variant_get_string (value, NULL), current) == 0)
    return;
  g_simple_action_set_state (action, value);
  mtc_locale_set_language (g_variant_get_string (value, NULL));
  if (self->session != NULL)
    mtc_session_refresh_verdict (self->session);

  /* Every text comes from a template or the session: build the window anew
   * around the same session, on the same page. */
  if (old != NULL)
    gtk_window_get_size (GTK_WINDOW (old), &width, &height);
  window = mtc_window_new (GTK_APPLICATION (self), self->session);
  if (width > 0)
    gtk_window_resize (GTK_WINDOW (window), width, height);
  mtc_window_go_to_page (window, index);
  gtk_window_present (GTK_WINDOW (window));
  if (old != NULL)
    gtk_widget_destroy (GTK_WIDGET (old));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MtcApplication *self = user_data;
  const char *authors[] = { _("The Mail TLS Check developers"), NULL };

  gtk_show_about_dialog (GTK_WINDOW (get_window (self)),
                         "program-name", _("Mail TLS Check"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Finds out why a mail program cannot connect to its provider, and what to do."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* TRANSLATORS: your name(s), one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MtcWindow *window = get_window (user_data);

  if (window != NULL)
    gtk_window_close (GTK_WINDOW (window));
}

static void
mtc_application_startup (GApplication *application)
{
  MtcApplication *self = MTC_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GSimpleAction) language = NULL;
  g_autofree char *current = mtc_locale_get_language ();
  static const GActionEntry actions[] = {
    { "about", about_activated_cb, NULL, NULL, NULL },
    { "quit", quit_activated_cb, NULL, NULL, NULL },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (mtc_application_parent_class)->startup (application);
  /* A test hook (HACKING.md): the wizard laid out right to left, as GTK
   * does for a language written that way, which it learns only from its own
   * installed catalogue (gtk30's "default:LTR"). */
  if (g_strcmp0 (g_getenv ("MTC_TEXT_DIRECTION"), "rtl") == 0)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  language = g_simple_action_new_stateful ("language", G_VARIANT_TYPE_STRING,
                                           g_variant_new_string (current));
  g_signal_connect (language, "change-state", G_CALLBACK (language_changed_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (language));
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.help", help_accels);

  gtk_css_provider_load_from_resource (css, "/io/github/mailtlscheck/MailTlsCheck/ui/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
mtc_application_activate (GApplication *application)
{
  MtcApplication *self = MTC_APPLICATION (application);
  MtcWindow *window = get_window (self);

  if (window == NULL)
    {
      if (self->session == NULL)
        self->session = mtc_session_new (self->demo);
      window = mtc_window_new (GTK_APPLICATION (self), self->session);
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* A support link (mail-tls-check:?provider=ID&email=ADDRESS): the wizard
 * opens on the provider page with both filled in.  A second launch lands
 * here in the running instance and reuses its window. */
static void
mtc_application_open (GApplication  *application,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  MtcApplication *self = MTC_APPLICATION (application);
  g_autofree char *uri = n_files > 0 ? g_file_get_uri (files[0]) : NULL;
  g_autoptr(MtcLinkRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  MtcWindow *window;

  mtc_application_activate (application);
  window = get_window (self);
  if (uri == NULL)
    return;
  request = mtc_link_parse (uri, &error);
  if (request == NULL)
    {
      mtc_window_show_message (window, error->message);
      return;
    }
  if (request->provider_id != NULL)
    mtc_session_set_provider_id (self->session, request->provider_id);
  if (request->email != NULL)
    mtc_session_set_email (self->session, request->email->address);
  mtc_window_restart (window);
}

static int
mtc_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  MtcApplication *self = MTC_APPLICATION (application);

  if (g_variant_dict_contains (options, "demo"))
    self->demo = TRUE;
  /* --lang took effect before the application started. */
  return -1;
}

static void
mtc_application_dispose (GObject *object)
{
  MtcApplication *self = MTC_APPLICATION (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (mtc_application_parent_class)->dispose (object);
}

static void
mtc_application_class_init (MtcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mtc_application_dispose;
  application_class->startup = mtc_application_startup;
  application_class->activate = mtc_application_activate;
  application_class->open = mtc_application_open;
  application_class->handle_local_options = mtc_application_handle_local_options;
}

static void
mtc_application_init (MtcApplication *self)
{
  /* Its --help is mail-tls-check's (src/main.c), which says what --lang takes. */
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the wizard on the built-in demo provider"), NULL },
    { "lang", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL, NULL, NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

MtcApplication *
mtc_application_new (void)
{
  return g_object_new (MTC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/mailtlscheck/MailTlsCheck",
                       NULL);
}
