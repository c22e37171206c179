/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mtc-accounts-report.h"
#include "mtc-provider.h"
#include "mtc-provider-page.h"

#define FIND_FROM_ADDRESS "-"
#define BY_HAND "+"

struct _MtcProviderPage
{
  MtcPage parent_instance;

  GtkLabel *demo_label;
  GtkBox *accounts_box;
  GtkLabel *accounts_label;
  GtkListBox *accounts_list;
  GtkLabel *accounts_problems;
  GtkListBoxRow *another_row;  /* "Another address": typed by hand */
  GtkEntry *email_entry;
  GtkLabel *email_hint;
  GtkCheckButton *remember_check;
  GtkComboBoxText *provider_combo;
  GtkExpander *servers_expander;
  GtkWidget *servers_box;
  GtkEntry *servers_entry;
  GtkLabel *servers_hint;
  GtkBox *problem_box;
  GtkLabel *problem_label;
  GtkExpander *problem_expander;
  GtkLabel *problem_details;
  GtkButton *check_again_button;

  GSettings *settings;
  gboolean problem_new;  /* the problem was just shown: not stale yet */
  gboolean restoring;   /* filling the fields from the session: nothing to store back yet */
  gboolean syncing;     /* the page itself moves the provider choice and the expander */
  gboolean choosing;    /* an account's address is being put into the field */
  char *chosen;         /* the provider choice to go back to when no servers are typed */
};

G_DEFINE_FINAL_TYPE (MtcProviderPage, mtc_provider_page, MTC_TYPE_PAGE)

static void
set_hint (GtkLabel   *label,
          const char *text,
          gboolean    is_error)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (label));

  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (is_error)
    {
      gtk_style_context_add_class (context, "error");
      gtk_style_context_remove_class (context, "dim-label");
    }
  else
    {
      gtk_style_context_remove_class (context, "error");
      gtk_style_context_add_class (context, "dim-label");
    }
}

/* The address's message keeps its place when empty, so that nothing below
 * it moves when a message comes or goes. */
static void
set_email_message (MtcProviderPage *self,
                   const char      *text)
{
  gtk_label_set_text (self->email_hint, text ? text : "");
}

/* The address is judged when the person is done with it: on leaving the
 * field and on Next, never while she types. */
static gboolean
judge_email (MtcProviderPage *self)
{
  const char *email = gtk_entry_get_text (self->email_entry);
  g_autoptr(GError) error = NULL;

  if (*email == '\0' || mtc_session_validate_email (email, &error))
    {
      set_email_message (self, NULL);
      return TRUE;
    }
  set_email_message (self, error->message);
  return FALSE;
}

static void
update (MtcProviderPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  const char *email = gtk_entry_get_text (self->email_entry);
  const char *servers = gtk_entry_get_text (self->servers_entry);
  const char *provider = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->provider_combo));
  gboolean by_hand = g_strcmp0 (provider, BY_HAND) == 0;
  gboolean provider_ok = provider != NULL && !by_hand && g_strcmp0 (provider, FIND_FROM_ADDRESS) != 0;
  g_autoptr(GError) servers_error = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  gboolean email_ok = *email != '\0' && mtc_session_validate_email (email, NULL);
  gboolean servers_ok = FALSE;

  if (by_hand && *servers != '\0')
    {
      endpoints = mtc_session_parse_servers (servers, &servers_error);
      servers_ok = endpoints != NULL;
      if (servers_ok)
        {
          /* TRANSLATORS: under the field for server addresses: how many the person typed */
          g_autofree char *count = g_strdup_printf (ngettext ("%u server address will be checked.",
                                                              "%u server addresses will be checked.",
                                                              endpoints->len), endpoints->len);
          set_hint (self->servers_hint, count, FALSE);
        }
      else
        set_hint (self->servers_hint, servers_error->message, TRUE);
    }
  else
    set_hint (self->servers_hint, NULL, FALSE);

  mtc_session_set_email (session, email_ok ? email : NULL);
  mtc_session_set_servers (session, by_hand && servers_ok ? servers : NULL);
  mtc_session_set_provider_id (session, provider_ok ? provider : NULL);
  if (self->settings != NULL && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->remember_check)))
    g_settings_set_string (self->settings, "last-email", email_ok ? email : "");

  /* Servers typed by hand must be valid; else an address or a provider will
   * do.  A typed address is judged on Next (apply). */
  if (by_hand)
    mtc_page_set_complete (MTC_PAGE (self), servers_ok);
  else
    mtc_page_set_complete (MTC_PAGE (self), *email != '\0' || provider_ok);
}

/* Moves the provider choice without taking it for the person's own. */
static void
choose (MtcProviderPage *self,
        const char      *id)
{
  self->syncing = TRUE;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->provider_combo), id);
  self->syncing = FALSE;
}

/* Servers typed by hand replace the provider, and the provider list says so;
 * without them the choice made before comes back. */
static void
follow_servers (MtcProviderPage *self)
{
  gboolean typed = gtk_expander_get_expanded (self->servers_expander)
                   && *gtk_entry_get_text (self->servers_entry) != '\0';
  gboolean by_hand = g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->provider_combo)), BY_HAND) == 0;

  if (typed && !by_hand)
    choose (self, BY_HAND);
  else if (!typed && by_hand)
    choose (self, self->chosen ? self->chosen : FIND_FROM_ADDRESS);
}

/* The servers for the address could not be found: why, in the check's
 * words (its first line), what was looked up (the rest, for support), and
 * Check Again where this computer could not look anything up. */
static gboolean
mtc_provider_page_show_error (MtcPage      *page,
                              const GError *error)
{
  MtcProviderPage *self = MTC_PROVIDER_PAGE (page);
  gboolean offline = g_error_matches (error, MTC_ERROR, MTC_ERROR_OFFLINE);
  g_autofree char *first_line = NULL;
  g_autofree char *rest = NULL;
  size_t length;

  if (!offline && !g_error_matches (error, MTC_ERROR, MTC_ERROR_NOT_FOUND))
    return FALSE;
  length = strcspn (error->message, "\n");
  first_line = g_strndup (error->message, length);
  rest = g_strstrip (g_strdup (error->message + length));
  gtk_label_set_text (self->problem_label, first_line);
  gtk_label_set_text (self->problem_details, rest);
  gtk_expander_set_expanded (self->problem_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_expander), *rest != '\0');
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->check_again_button)), first_line);
  gtk_widget_set_visible (GTK_WIDGET (self->check_again_button), offline);
  gtk_widget_show (GTK_WIDGET (self->problem_box));
  self->problem_new = TRUE;
  return TRUE;
}

/* One selectable row: the sentence, which is also what a screen reader
 * says of the row. */
static GtkListBoxRow *
add_account_row (MtcProviderPage *self,
                 const char      *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  g_object_set (label, "margin", 8, NULL);
  gtk_container_add (GTK_CONTAINER (row), label);
  atk_object_set_name (gtk_widget_get_accessible (row), text);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (self->accounts_list), row);
  return GTK_LIST_BOX_ROW (row);
}

/* The accounts found, once they are read: one row each (an account without
 * an address has nothing to fill in), then "Another address".  None: the
 * page as it always was. */
static void
fill_accounts (MtcProviderPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  GPtrArray *accounts = mtc_session_get_accounts (session);
  GPtrArray *problems = mtc_session_get_account_problems (session);
  const MtcAccount *chosen = mtc_session_get_account (session);
  GtkListBoxRow *chosen_row = NULL;
  guint n = 0;

  if (accounts == NULL || self->another_row != NULL)
    return;
  for (guint i = 0; i < accounts->len; i++)
    {
      const MtcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *text = NULL;
      GtkListBoxRow *row;

      if (account->address == NULL || *account->address == '\0')
        continue;
      text = mtc_account_describe (account);
      row = add_account_row (self, text);
      g_object_set_data_full (G_OBJECT (row), "mtc-account", mtc_account_copy (account),
                              (GDestroyNotify) mtc_account_free);
      if (chosen != NULL && chosen_row == NULL && g_strcmp0 (chosen->file, account->file) == 0
          && g_strcmp0 (chosen->address, account->address) == 0)
        chosen_row = row;
      n++;
    }
  /* TRANSLATORS: the last choice below the accounts found; the address is typed in the field below */
  self->another_row = add_account_row (self, _("Another address, typed below"));
  if (problems != NULL && problems->len > 0)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (line, "%s%s", i > 0 ? " " : "", (const char *) g_ptr_array_index (problems, i));
      gtk_label_set_text (self->accounts_problems, line->str);
      gtk_widget_show (GTK_WIDGET (self->accounts_problems));
    }
  /* A settings file that could not be read is said even when nothing was found. */
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_label), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_box), n > 0 || (problems != NULL && problems->len > 0));
  /* Nothing chosen yet: no row stands out. */
  self->restoring = TRUE;
  if (chosen_row != NULL)
    gtk_list_box_select_row (self->accounts_list, chosen_row);
  else
    gtk_list_box_unselect_all (self->accounts_list);
  self->restoring = FALSE;
}

static void
account_selected_cb (MtcProviderPage *self,
                     GtkListBoxRow   *row)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  const MtcAccount *account = row != NULL ? g_object_get_data (G_OBJECT (row), "mtc-account") : NULL;
  const MtcAccount *before = mtc_session_get_account (session);

  if (self->restoring || self->choosing || row == NULL)
    return;
  if (account == NULL)
    {
      /* Another address: the account's address is not it. */
      if (before != NULL && g_strcmp0 (gtk_entry_get_text (self->email_entry), before->address) == 0)
        {
          self->choosing = TRUE;
          gtk_entry_set_text (self->email_entry, "");
          self->choosing = FALSE;
        }
      mtc_session_set_account (session, NULL);
      update (self);
      return;
    }
  mtc_session_set_account (session, account);
  self->choosing = TRUE;
  gtk_entry_set_text (self->email_entry, account->address);
  self->choosing = FALSE;
  update (self);
}

/* Enter or a click on "Another address" goes to the field to type it. */
static void
account_activated_cb (MtcProviderPage *self,
                      GtkListBoxRow   *row)
{
  if (row == self->another_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->email_entry));
}

static void
check_again_clicked_cb (MtcProviderPage *self)
{
  gtk_widget_hide (GTK_WIDGET (self->problem_box));
  mtc_page_check_again (MTC_PAGE (self));
}

static void
email_changed_cb (MtcProviderPage *self)
{
  /* What was said about the address before is stale now. */
  gtk_widget_hide (GTK_WIDGET (self->problem_box));
  if (self->restoring)
    return;
  set_email_message (self, NULL);
  /* An address typed over the account's is another address. */
  if (!self->choosing && self->another_row != NULL
      && mtc_session_get_account (mtc_page_get_session (MTC_PAGE (self))) != NULL)
    {
      self->choosing = TRUE;
      gtk_list_box_select_row (self->accounts_list, self->another_row);
      self->choosing = FALSE;
      mtc_session_set_account (mtc_page_get_session (MTC_PAGE (self)), NULL);
    }
  update (self);
}

static gboolean
email_focus_out_cb (MtcProviderPage *self)
{
  judge_email (self);
  return GDK_EVENT_PROPAGATE;
}

static void
servers_changed_cb (MtcProviderPage *self)
{
  if (self->restoring)
    return;
  follow_servers (self);
  update (self);
}

static void
expanded_cb (MtcProviderPage *self)
{
  if (self->restoring || self->syncing)
    return;
  /* A field typed in and then closed is set aside, not checked. */
  if (gtk_expander_get_expanded (self->servers_expander)
      || g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->provider_combo)), BY_HAND) == 0)
    follow_servers (self);
  update (self);
}

static void
provider_changed_cb (MtcProviderPage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->provider_combo));
  gboolean by_hand = g_strcmp0 (id, BY_HAND) == 0;

  if (self->restoring)
    return;
  if (!by_hand && id != NULL)
    {
      g_free (self->chosen);
      self->chosen = g_strdup (id);
    }
  if (!self->syncing)
    {
      /* The person chose: servers by hand open their field, a provider
       * closes it. */
      self->syncing = TRUE;
      gtk_expander_set_expanded (self->servers_expander, by_hand);
      self->syncing = FALSE;
    }
  update (self);
}

static void
fill_providers (MtcProviderPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  g_autoptr(GPtrArray) providers = mtc_provider_list_builtin (NULL);

  const char *chosen = mtc_session_get_provider_id (session);

  gtk_combo_box_text_append (self->provider_combo, FIND_FROM_ADDRESS, _("Find it from my e-mail address"));
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      MtcProvider *provider = g_ptr_array_index (providers, i);

      /* The demo provider is for the demonstration only. */
      if (mtc_provider_is_demo (provider) && !mtc_session_get_demo (session))
        continue;
      gtk_combo_box_text_append (self->provider_combo, mtc_provider_get_id (provider),
                                 mtc_provider_get_name (provider));
    }
  /* TRANSLATORS: in the provider list; the servers are typed in a field further down the page */
  gtk_combo_box_text_append (self->provider_combo, BY_HAND, _("The servers entered by hand below"));
  /* Always a choice shown: set_active_id (NULL) would show none. */
  if (mtc_session_get_servers (session) != NULL)
    chosen = BY_HAND;
  if (chosen == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->provider_combo), chosen))
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->provider_combo), FIND_FROM_ADDRESS);
  self->chosen = g_strdup (mtc_session_get_provider_id (session) ? mtc_session_get_provider_id (session)
                                                                 : FIND_FROM_ADDRESS);
}

static void
remember_toggled_cb (MtcProviderPage *self)
{
  gboolean remember = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->remember_check));

  if (self->settings == NULL)
    return;
  g_settings_set_boolean (self->settings, "remember-email", remember);
  /* Forgetting means forgetting at once. */
  g_settings_set_string (self->settings, "last-email",
                         remember && mtc_session_get_email (mtc_page_get_session (MTC_PAGE (self)))
                           ? mtc_session_get_email (mtc_page_get_session (MTC_PAGE (self))) : "");
}

/* Next judges the address; a wrong one keeps the person here, with the
 * reason under the field. */
static void
mtc_provider_page_apply_async (MtcPage             *page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MtcProviderPage *self = MTC_PROVIDER_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, mtc_provider_page_apply_async);
  if (judge_email (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->email_entry));
  g_task_return_new_error (task, MTC_PAGE_ERROR, MTC_PAGE_ERROR_SHOWN_ON_PAGE, "%s",
                           gtk_label_get_text (self->email_hint));
}

static void
mtc_provider_page_shown (MtcPage *page)
{
  MtcProviderPage *self = MTC_PROVIDER_PAGE (page);

  /* A problem from an earlier check is stale when the page is shown again. */
  if (!self->problem_new)
    gtk_widget_hide (GTK_WIDGET (self->problem_box));
  self->problem_new = FALSE;
  if (gtk_widget_get_visible (GTK_WIDGET (self->problem_box))
      && gtk_widget_get_visible (GTK_WIDGET (self->check_again_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->check_again_button));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->accounts_list)))
    {
      /* The accounts first: a click (or Space) on one is all it takes. */
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->accounts_list);

      if (row == NULL || row == self->another_row)
        row = gtk_list_box_get_row_at_index (self->accounts_list, 0);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->email_entry));
}

static void
mtc_provider_page_constructed (GObject *object)
{
  MtcProviderPage *self = MTC_PROVIDER_PAGE (object);
  MtcSession *session;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  G_OBJECT_CLASS (mtc_provider_page_parent_class)->constructed (object);
  session = mtc_page_get_session (MTC_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), mtc_session_get_demo (session));
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  gtk_widget_set_visible (GTK_WIDGET (self->remember_check), self->settings != NULL);

  self->restoring = TRUE;
  fill_providers (self);
  /* What the session already knows (the language was switched, say). */
  if (mtc_session_get_email (session) != NULL)
    gtk_entry_set_text (self->email_entry, mtc_session_get_email (session));
  else if (self->settings != NULL && g_settings_get_boolean (self->settings, "remember-email"))
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-email");
      gtk_entry_set_text (self->email_entry, last);
    }
  if (self->settings != NULL)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->remember_check),
                                  g_settings_get_boolean (self->settings, "remember-email"));
  if (mtc_session_get_servers (session) != NULL)
    {
      gtk_entry_set_text (self->servers_entry, mtc_session_get_servers (session));
      gtk_expander_set_expanded (self->servers_expander, TRUE);
    }
  self->restoring = FALSE;
  fill_accounts (self);
  g_signal_connect_object (session, "notify::accounts-read", G_CALLBACK (fill_accounts), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
mtc_provider_page_dispose (GObject *object)
{
  MtcProviderPage *self = MTC_PROVIDER_PAGE (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->chosen, g_free);
  G_OBJECT_CLASS (mtc_provider_page_parent_class)->dispose (object);
}

static void
mtc_provider_page_class_init (MtcProviderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MtcPageClass *page_class = MTC_PAGE_CLASS (klass);

  object_class->constructed = mtc_provider_page_constructed;
  object_class->dispose = mtc_provider_page_dispose;
  page_class->shown = mtc_provider_page_shown;
  page_class->apply_async = mtc_provider_page_apply_async;
  page_class->show_error = mtc_provider_page_show_error;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-provider-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, accounts_box);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, accounts_label);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, accounts_problems);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, email_entry);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, email_hint);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, remember_check);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, provider_combo);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, servers_expander);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, servers_box);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, servers_entry);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, servers_hint);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, problem_box);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, problem_expander);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, problem_details);
  gtk_widget_class_bind_template_child (widget_class, MtcProviderPage, check_again_button);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, email_focus_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, expanded_cb);
  gtk_widget_class_bind_template_callback (widget_class, servers_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, provider_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, remember_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_again_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_activated_cb);
}

static void
mtc_provider_page_init (MtcProviderPage *self)
{
  GtkWidget *label;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* What a collapsed expander holds is hidden, out of the focus chain and
   * out of what a screen reader is told. */
  g_object_bind_property (self->servers_expander, "expanded", self->servers_box, "visible", G_BINDING_SYNC_CREATE);
  mtc_page_fit_combo_box (GTK_COMBO_BOX (self->provider_combo));
  /* A long German label must wrap, not widen the window past 360 pixels. */
  label = gtk_bin_get_child (GTK_BIN (self->remember_check));
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  mtc_page_set_title (MTC_PAGE (self), _("Your Provider"));
}

MtcPage *
mtc_provider_page_new (MtcSession *session)
{
  return g_object_new (MTC_TYPE_PROVIDER_PAGE, "session", session, NULL);
}
