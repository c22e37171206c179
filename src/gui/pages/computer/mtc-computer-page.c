/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-accounts-report.h"
#include "mtc-computer-page.h"

#define OTHER_CLIENT "-"
#define UNKNOWN_SYSTEM "-"

/* The name first: screen readers say a list's first text column. */
enum {
  SYSTEM_COLUMN_LABEL,
  SYSTEM_COLUMN_ID,
};

struct _MtcComputerPage
{
  MtcPage parent_instance;

  GtkLabel *system_label;
  GtkComboBoxText *client_combo;
  GtkLabel *client_hint;
  GtkCheckButton *other_check;
  GtkRevealer *other_revealer;
  GtkComboBox *system_combo;
  GtkTreeStore *system_store;

  gboolean filling;
};

G_DEFINE_FINAL_TYPE (MtcComputerPage, mtc_computer_page, MTC_TYPE_PAGE)

/* The demo's introduction names the program and the system chosen; on a
 * real check, what this computer is, said once. */
static void
describe_this_computer (MtcComputerPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  MtcKnowledge *knowledge = mtc_session_get_knowledge (session);
  const MtcSystemInfo *info = mtc_session_get_this_system (session);
  const char *client_id = mtc_session_get_client_id (session);
  const char *system_id = mtc_session_get_other_computer (session) ? mtc_session_get_system_id (session)
                                                                     : info->system_id;
  g_autofree char *client = client_id != NULL ? mtc_knowledge_get_client_name (knowledge, client_id) : NULL;
  g_autofree char *system = system_id != NULL && mtc_knowledge_has_system (knowledge, system_id)
                            ? mtc_knowledge_get_system_name (knowledge, system_id) : NULL;
  g_autofree char *text = NULL;

  if (mtc_session_get_demo (session) && client != NULL && system != NULL)
    /* TRANSLATORS: the demo's introduction; e.g. "… with Apple Mail on OS X 10.11 El Capitan." */
    text = g_strdup_printf (_("In this demonstration the problem is with %s on %s. "
                              "You can choose another program or system."), client, system);
  else if (mtc_session_get_demo (session) && system != NULL)
    /* TRANSLATORS: the demo's introduction; %s is a system, e.g. "OS X 10.11 El Capitan" */
    text = g_strdup_printf (_("In this demonstration the problem is on %s. "
                              "You can choose another program or system."), system);
  else if (mtc_session_get_demo (session))
    text = g_strdup (_("In this demonstration you can choose any program and system."));
  else if (info->system_id != NULL && !g_str_equal (info->system_id, "linux")
           && mtc_knowledge_has_system (knowledge, info->system_id))
    {
      g_autofree char *described = mtc_session_describe_system (session, info->system_id);
      /* TRANSLATORS: %s is e.g. "a Mac with OS X 10.11 El Capitan" or "a PC with Windows 7" */
      text = g_strdup_printf (_("This computer is %s."), described);
    }
  else
    /* TRANSLATORS: %s is the name of a system, such as “macOS 10.14 Mojave” */
    text = g_strdup_printf (_("This computer runs %s."), info->name ? info->name : _("an unknown system"));
  gtk_label_set_text (self->system_label, text);
}

/* Does the knowledge base know @client on @system?  An unknown program or
 * system fits anything. */
static gboolean
fits (MtcKnowledge *knowledge,
      const char   *client,
      const char   *system)
{
  return client == NULL || system == NULL || mtc_knowledge_lookup (knowledge, client, system) != NULL;
}

/* The mail programs to offer: on this computer those the knowledge base
 * knows on its system (and the one that opens mail links), on another
 * computer all of them. */
static void
fill_clients (MtcComputerPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  MtcKnowledge *knowledge = mtc_session_get_knowledge (session);
  const char *system = mtc_session_get_this_system (session)->system_id;
  const char *detected = mtc_session_get_detected_client (session);
  const MtcAccount *account = mtc_session_get_account (session);
  const char *found = account != NULL ? account->program : NULL;
  gboolean found_offered = FALSE;
  gboolean all = mtc_session_get_other_computer (session) || !mtc_knowledge_has_system (knowledge, system);
  g_auto(GStrv) clients = mtc_knowledge_list_clients (knowledge);

  gtk_combo_box_text_remove_all (self->client_combo);
  for (int i = 0; clients[i]; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      gboolean is_detected = g_strcmp0 (clients[i], detected) == 0;
      gboolean is_found = g_strcmp0 (clients[i], found) == 0;

      if (mtc_knowledge_get_client_kind (knowledge, clients[i]) != MTC_CLIENT_KIND_MAIL)
        continue;
      /* The program of the account chosen on the provider page is on this
       * computer, whatever the knowledge base says of its system. */
      if (!all && !is_detected && !is_found && mtc_knowledge_lookup (knowledge, clients[i], system) == NULL)
        continue;
      found_offered = found_offered || is_found;
      name = mtc_knowledge_get_client_name (knowledge, clients[i]);
      if (is_detected && !mtc_session_get_demo (session))
        /* TRANSLATORS: a mail program in the list; this one opens mail links on this computer */
        label = g_strdup_printf (_("%s (this computer’s default)"), name);
      gtk_combo_box_text_append (self->client_combo, clients[i], label ? label : name);
    }
  /* A program the knowledge base does not know (Claws Mail), by its own name. */
  if (found != NULL && !found_offered)
    gtk_combo_box_text_append (self->client_combo, found, mtc_account_program_name (found));
  gtk_combo_box_text_append (self->client_combo, OTHER_CLIENT, _("Another program, or I don’t know"));
}

static const char *
describe_family (const char *family)
{
  if (g_strcmp0 (family, "macos") == 0)
    /* TRANSLATORS: a group of systems in the list of systems */
    return _("Mac");
  if (g_strcmp0 (family, "windows") == 0)
    /* TRANSLATORS: a group of systems in the list of systems */
    return _("Windows");
  if (g_strcmp0 (family, "linux") == 0)
    /* TRANSLATORS: a group of systems in the list of systems */
    return _("Linux");
  return family;
}

/* The systems in groups, Mac, Windows and Linux, each a submenu of the list
 * (a group of one is its system alone), and "I don't know" last. */
static void
fill_systems (MtcComputerPage *self)
{
  MtcKnowledge *knowledge = mtc_session_get_knowledge (mtc_page_get_session (MTC_PAGE (self)));
  g_auto(GStrv) systems = mtc_knowledge_list_systems (knowledge);
  g_autoptr(GPtrArray) families = g_ptr_array_new ();
  GtkTreeIter iter;

  for (int i = 0; systems[i]; i++)
    {
      const char *family = mtc_knowledge_get_system_family (knowledge, systems[i]);

      if (!g_ptr_array_find_with_equal_func (families, family, g_str_equal, NULL))
        g_ptr_array_add (families, (gpointer) family);
    }
  for (guint f = 0; f < families->len; f++)
    {
      const char *family = g_ptr_array_index (families, f);
      g_autoptr(GPtrArray) members = g_ptr_array_new ();
      GtkTreeIter group;

      for (int i = 0; systems[i]; i++)
        if (g_strcmp0 (mtc_knowledge_get_system_family (knowledge, systems[i]), family) == 0)
          g_ptr_array_add (members, systems[i]);
      if (members->len > 1)
        gtk_tree_store_insert_with_values (self->system_store, &group, NULL, -1,
                                           SYSTEM_COLUMN_ID, NULL, SYSTEM_COLUMN_LABEL, describe_family (family), -1);
      for (guint i = 0; i < members->len; i++)
        {
          g_autofree char *name = mtc_knowledge_get_system_name (knowledge, g_ptr_array_index (members, i));

          gtk_tree_store_insert_with_values (self->system_store, &iter, members->len > 1 ? &group : NULL, -1,
                                             SYSTEM_COLUMN_ID, g_ptr_array_index (members, i),
                                             SYSTEM_COLUMN_LABEL, name, -1);
        }
    }
  gtk_tree_store_insert_with_values (self->system_store, &iter, NULL, -1,
                                     SYSTEM_COLUMN_ID, UNKNOWN_SYSTEM,
                                     SYSTEM_COLUMN_LABEL, _("I don’t know"), -1);
}

/* Selects the row of system @id, in a group or not:
 * gtk_combo_box_set_active_id() looks at the top level only. */
static gboolean
select_system (MtcComputerPage *self,
               const char      *id)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->system_store);
  GtkTreeIter group;
  GtkTreeIter iter;

  if (id == NULL || !gtk_tree_model_get_iter_first (model, &group))
    return FALSE;
  do
    {
      gboolean more = TRUE;

      if (gtk_tree_model_iter_children (model, &iter, &group))
        ;
      else
        {
          iter = group;
          more = FALSE;
        }
      do
        {
          g_autofree char *row_id = NULL;

          gtk_tree_model_get (model, &iter, SYSTEM_COLUMN_ID, &row_id, -1);
          if (g_strcmp0 (row_id, id) == 0)
            {
              gtk_combo_box_set_active_iter (self->system_combo, &iter);
              return TRUE;
            }
        }
      while (more && gtk_tree_model_iter_next (model, &iter));
    }
  while (gtk_tree_model_iter_next (model, &group));
  return FALSE;
}

static void
show_system (MtcComputerPage *self)
{
  const char *system = mtc_session_get_system_id (mtc_page_get_session (MTC_PAGE (self)));
  gboolean filling = self->filling;

  self->filling = TRUE;
  if (!select_system (self, system))
    select_system (self, UNKNOWN_SYSTEM);
  self->filling = filling;
}

/* The widgets say what the session holds. */
static void
show_session (MtcComputerPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  const char *client = mtc_session_get_client_id (session);

  self->filling = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->other_check), mtc_session_get_other_computer (session));
  fill_clients (self);
  /* A program the list no longer offers (not on this computer's system) is
   * no longer the person's choice.  set_active_id (NULL) would show none. */
  if (client == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->client_combo), client))
    {
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->client_combo), OTHER_CLIENT);
      mtc_session_set_client_id (session, NULL);
    }
  show_system (self);
  self->filling = FALSE;
}

static void
update (MtcComputerPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));
  gboolean other = mtc_session_get_other_computer (session);
  const MtcAccount *account = mtc_session_get_account (session);
  const char *client = mtc_session_get_client_id (session);

  describe_this_computer (self);
  gtk_revealer_set_reveal_child (self->other_revealer, other);
  if (client == NULL)
    gtk_label_set_text (self->client_hint,
                        _("Without the program, the assistant can still check your provider, but it cannot tell "
                          "whether your program is too old."));
  else if (account != NULL && account->program_version != NULL && g_strcmp0 (client, account->program) == 0)
    {
      /* The version of the chosen account's program, as its own files say
       * (Thunderbird's compatibility.ini): read, not asked. */
      g_autofree char *version = mtc_account_describe_version (account);

      gtk_label_set_text (self->client_hint, version);
    }
  else
    gtk_label_set_text (self->client_hint, "");
  gtk_widget_set_visible (GTK_WIDGET (self->client_hint), *gtk_label_get_text (self->client_hint) != '\0');
  /* "I don't know" is an answer too. */
  mtc_page_set_complete (MTC_PAGE (self), TRUE);
}

/* On another computer, a system the program does not run on is no guess
 * worth keeping: the system becomes "I don't know". */
static void
keep_fitting_system (MtcComputerPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));

  if (mtc_session_get_other_computer (session)
      && !fits (mtc_session_get_knowledge (session), mtc_session_get_client_id (session),
                mtc_session_get_system_id (session)))
    mtc_session_set_system_id (session, NULL);
}

static void
client_changed_cb (MtcComputerPage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->client_combo));

  if (self->filling || id == NULL)
    return;
  mtc_session_set_client_id (mtc_page_get_session (MTC_PAGE (self)),
                             g_strcmp0 (id, OTHER_CLIENT) == 0 ? NULL : id);
  keep_fitting_system (self);
  show_system (self);
  update (self);
}

static void
system_changed_cb (MtcComputerPage *self)
{
  const char *id = gtk_combo_box_get_active_id (self->system_combo);

  if (self->filling || id == NULL)
    return;
  mtc_session_set_system_id (mtc_page_get_session (MTC_PAGE (self)),
                             g_strcmp0 (id, UNKNOWN_SYSTEM) == 0 ? NULL : id);
  update (self);
}

static void
other_toggled_cb (MtcComputerPage *self)
{
  MtcSession *session = mtc_page_get_session (MTC_PAGE (self));

  if (self->filling)
    return;
  mtc_session_set_other_computer (session, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->other_check)));
  keep_fitting_system (self);
  show_session (self);
  update (self);
}

static void
mtc_computer_page_shown (MtcPage *page)
{
  MtcComputerPage *self = MTC_COMPUTER_PAGE (page);

  show_session (self);
  describe_this_computer (self);
  update (self);
}

static void
mtc_computer_page_constructed (GObject *object)
{
  MtcComputerPage *self = MTC_COMPUTER_PAGE (object);

  G_OBJECT_CLASS (mtc_computer_page_parent_class)->constructed (object);
  self->filling = TRUE;
  fill_systems (self);
  self->filling = FALSE;
  mtc_computer_page_shown (MTC_PAGE (self));
}

static void
mtc_computer_page_class_init (MtcComputerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MtcPageClass *page_class = MTC_PAGE_CLASS (klass);

  object_class->constructed = mtc_computer_page_constructed;
  page_class->shown = mtc_computer_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-computer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, system_label);
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, client_combo);
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, client_hint);
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, other_check);
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, other_revealer);
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, system_combo);
  gtk_widget_class_bind_template_child (widget_class, MtcComputerPage, system_store);
  gtk_widget_class_bind_template_callback (widget_class, client_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, system_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, other_toggled_cb);
}

static void
mtc_computer_page_init (MtcComputerPage *self)
{
  GtkWidget *label;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* A long German label must wrap, not widen the window past 360 pixels. */
  label = gtk_bin_get_child (GTK_BIN (self->other_check));
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  mtc_page_fit_combo_box (GTK_COMBO_BOX (self->client_combo));
  mtc_page_fit_combo_box (self->system_combo);
  mtc_page_set_title (MTC_PAGE (self), _("Your Computer"));
  /* Going on from here starts the check. */
  mtc_page_set_next_label (MTC_PAGE (self), _("_Check"));
}

MtcPage *
mtc_computer_page_new (MtcSession *session)
{
  return g_object_new (MTC_TYPE_COMPUTER_PAGE, "session", session, NULL);
}
