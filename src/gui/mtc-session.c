/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mtc-accounts.h"
#include "mtc-address.h"
#include "mtc-check.h"
#include "mtc-endpoint.h"
#include "mtc-provider.h"
#include "mtc-session.h"
#include "mtc-target.h"

struct _MtcSession
{
  GObject parent_instance;

  gboolean demo;
  MtcKnowledge *knowledge;
  MtcSystemInfo *this_system;
  char *detected_client;

  char *email;
  char *provider_id;
  char *servers;
  char *client_id;
  char *system_id;
  gboolean other_computer;

  GPtrArray *accounts;         /* the mail programs' accounts (MtcAccount), NULL until read */
  GPtrArray *account_problems; /* one sentence per settings file that could not be read */
  GCancellable *cancellable;   /* reading the accounts */
  MtcAccount *account;         /* the account the person chose, or NULL */

  MtcCheck *check;      /* runs every check of the session, on what the person chose */
  char *help_url;       /* the chosen provider's help article, when the check named none */
};

G_DEFINE_FINAL_TYPE (MtcSession, mtc_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEMO,
  PROP_EMAIL,
  PROP_PROVIDER_ID,
  PROP_SERVERS,
  PROP_CLIENT_ID,
  PROP_SYSTEM_ID,
  PROP_OTHER_COMPUTER,
  PROP_ACCOUNTS_READ,
  PROP_N_DONE,
  PROP_N_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENDPOINT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The demo walks through the help article's case: Apple Mail on El Capitan. */
#define DEMO_CLIENT "apple-mail"
#define DEMO_SYSTEM "macos-10.11"

static void
set_string (MtcSession *self,
            char      **field,
            const char *value,
            int         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* The person's side as chosen, for the verdict. */
static MtcUserSide *
user_side_new (MtcSession *self)
{
  MtcUserSide *user = mtc_user_side_new ();

  user->system_id = g_strdup (self->system_id);
  user->client_id = g_strdup (self->client_id);
  user->email_address = g_strdup (self->email);
  user->this_computer = !self->other_computer;
  if (!self->other_computer)
    user->mac_model = g_strdup (self->this_system->mac_model);
  return user;
}

/* The chosen account goes to the check while it is still what the person
 * chose: its address is the one entered and its program the one selected
 * (a program changed by hand means the account's settings are not the
 * ones in question). */
static const MtcAccount *
account_in_use (MtcSession *self)
{
  if (self->account == NULL || self->email == NULL || self->account->address == NULL)
    return NULL;
  if (g_ascii_strcasecmp (self->email, self->account->address) != 0
      || g_strcmp0 (self->client_id, self->account->program) != 0)
    return NULL;
  return self->account;
}

/* In a thread: reading the settings files is file I/O. */
static void
find_accounts_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GPtrArray *problems = NULL;
  GPtrArray *accounts = mtc_accounts_find (NULL, &problems);

  g_task_set_task_data (task, problems, (GDestroyNotify) g_ptr_array_unref);
  g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

static void
accounts_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = G_TASK (result);
  g_autoptr(GPtrArray) accounts = g_task_propagate_pointer (task, NULL);
  MtcSession *self;

  if (accounts == NULL || g_task_had_error (task) || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return;
  self = MTC_SESSION (source);
  self->accounts = g_steal_pointer (&accounts);
  self->account_problems = g_ptr_array_ref (g_task_get_task_data (task));
  g_debug ("accounts: %u found, %u settings files refused", self->accounts->len, self->account_problems->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNTS_READ]);
}

static void
check_endpoint_done_cb (MtcCheck          *check,
                        guint              index,
                        MtcEndpointResult *result,
                        guint              n_done,
                        guint              n_total,
                        MtcSession        *self)
{
  g_signal_emit (self, signals[ENDPOINT_FINISHED], 0, index, result);
}

static void
check_progress_notify_cb (MtcCheck   *check,
                          GParamSpec *pspec,
                          MtcSession *self)
{
  if (g_strcmp0 (pspec->name, "n-done") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mtc_check_prepare_finish (MTC_CHECK (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Nothing could be looked up: said where the address is (the provider
   * page), in plain words; the look-ups are in the check's report. */
  if (mtc_check_get_endpoints (MTC_CHECK (source))->len == 0 && mtc_check_get_offline (MTC_CHECK (source)))
    {
      const MtcTargetSet *set = mtc_check_get_target_set (MTC_CHECK (source));
      g_autofree char *lookups = mtc_target_set_describe_lookups (set);

      /* The words, then (after a line break) the look-ups for support. */
      g_task_return_new_error (task, MTC_ERROR, MTC_ERROR_OFFLINE, "%s\n%s",
                               _("This computer cannot look up names on the internet right now, so the mail "
                                 "servers for your address could not be found. Check that other web pages open, "
                                 "then check again."), lookups != NULL ? lookups : "");
      return;
    }
  if (mtc_check_get_endpoints (MTC_CHECK (source))->len == 0)
    {
      g_task_return_new_error (task, MTC_ERROR, MTC_ERROR_NOT_FOUND, "%s",
                               _("No mail servers were found to check."));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mtc_check_run_finish (MTC_CHECK (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
mtc_session_dispose (GObject *object)
{
  MtcSession *self = MTC_SESSION (object);

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->knowledge);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (mtc_session_parent_class)->dispose (object);
}

static void
mtc_session_finalize (GObject *object)
{
  MtcSession *self = MTC_SESSION (object);

  g_clear_pointer (&self->this_system, mtc_system_info_free);
  g_free (self->detected_client);
  g_free (self->email);
  g_free (self->provider_id);
  g_free (self->servers);
  g_free (self->help_url);
  g_free (self->client_id);
  g_free (self->system_id);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->account_problems, g_ptr_array_unref);
  g_clear_pointer (&self->account, mtc_account_free);
  G_OBJECT_CLASS (mtc_session_parent_class)->finalize (object);
}

static void
mtc_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MtcSession *self = MTC_SESSION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_SERVERS:
      g_value_set_string (value, self->servers);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_SYSTEM_ID:
      g_value_set_string (value, self->system_id);
      break;
    case PROP_OTHER_COMPUTER:
      g_value_set_boolean (value, self->other_computer);
      break;
    case PROP_ACCOUNTS_READ:
      g_value_set_boolean (value, self->accounts != NULL);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, mtc_check_get_n_done (self->check));
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, mtc_check_get_n_total (self->check));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MtcSession *self = MTC_SESSION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    case PROP_EMAIL:
      mtc_session_set_email (self, g_value_get_string (value));
      break;
    case PROP_PROVIDER_ID:
      mtc_session_set_provider_id (self, g_value_get_string (value));
      break;
    case PROP_SERVERS:
      mtc_session_set_servers (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_ID:
      mtc_session_set_client_id (self, g_value_get_string (value));
      break;
    case PROP_SYSTEM_ID:
      mtc_session_set_system_id (self, g_value_get_string (value));
      break;
    case PROP_OTHER_COMPUTER:
      mtc_session_set_other_computer (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_session_constructed (GObject *object)
{
  MtcSession *self = MTC_SESSION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcUserSide) user = NULL;
  const char *delay = g_getenv ("MTC_DEMO_DELAY_MS");

  G_OBJECT_CLASS (mtc_session_parent_class)->constructed (object);

  self->knowledge = mtc_knowledge_new_default (&error);
  if (self->knowledge == NULL)
    g_error ("The built-in knowledge base is broken: %s", error->message);
  self->check = mtc_check_new (self->knowledge);
  /* A slow demo provider, to see the progress and try Cancel. */
  if (delay != NULL)
    mtc_check_set_demo_delay (self->check, (guint) g_ascii_strtoull (delay, NULL, 10));
  g_signal_connect (self->check, "endpoint-done", G_CALLBACK (check_endpoint_done_cb), self);
  g_signal_connect (self->check, "notify::n-done", G_CALLBACK (check_progress_notify_cb), self);
  g_signal_connect (self->check, "notify::n-total", G_CALLBACK (check_progress_notify_cb), self);
  self->this_system = mtc_system_detect ();
  user = mtc_user_side_detect (self->knowledge);
  self->detected_client = g_strdup (user->client_id);

  if (self->demo)
    {
      self->provider_id = g_strdup ("demo");
      self->client_id = g_strdup (DEMO_CLIENT);
      self->system_id = g_strdup (DEMO_SYSTEM);
      self->other_computer = TRUE;
    }
  else
    {
      self->client_id = g_strdup (user->client_id);
      self->system_id = g_strdup (user->system_id);
    }

  /* The mail programs' accounts, read once, while the person reads the
   * welcome page. */
  {
    g_autoptr(GTask) task = NULL;

    self->cancellable = g_cancellable_new ();
    task = g_task_new (self, self->cancellable, accounts_found_cb, NULL);
    g_task_set_source_tag (task, mtc_session_constructed);
    g_task_run_in_thread (task, find_accounts_thread);
  }
}

static void
mtc_session_class_init (MtcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mtc_session_constructed;
  object_class->dispose = mtc_session_dispose;
  object_class->finalize = mtc_session_finalize;
  object_class->get_property = mtc_session_get_property;
  object_class->set_property = mtc_session_set_property;

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SERVERS] =
    g_param_spec_string ("servers", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SYSTEM_ID] =
    g_param_spec_string ("system-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OTHER_COMPUTER] =
    g_param_spec_boolean ("other-computer", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACCOUNTS_READ] =
    g_param_spec_boolean ("accounts-read", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MtcSession::endpoint-finished:
   * @index: the endpoint's position in mtc_session_get_endpoints()
   * @result: its #MtcEndpointResult, owned by the diagnosis being built
   */
  signals[ENDPOINT_FINISHED] =
    g_signal_new ("endpoint-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, MTC_TYPE_ENDPOINT_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mtc_session_init (MtcSession *self)
{
}

MtcSession *
mtc_session_new (gboolean demo)
{
  return g_object_new (MTC_TYPE_SESSION, "demo", demo, NULL);
}

gboolean
mtc_session_get_demo (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), FALSE);
  return self->demo;
}

MtcKnowledge *
mtc_session_get_knowledge (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->knowledge;
}

const MtcSystemInfo *
mtc_session_get_this_system (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->this_system;
}

const char *
mtc_session_get_detected_client (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->detected_client;
}

const char *
mtc_session_get_email (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->email;
}

void
mtc_session_set_email (MtcSession *self,
                       const char *email)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  set_string (self, &self->email, email, PROP_EMAIL);
}

const char *
mtc_session_get_provider_id (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->provider_id;
}

/* A provider from the bundled list, or NULL to find it from the address. */
void
mtc_session_set_provider_id (MtcSession *self,
                             const char *provider_id)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  set_string (self, &self->provider_id, provider_id && *provider_id ? provider_id : NULL, PROP_PROVIDER_ID);
}

const char *
mtc_session_get_servers (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->servers;
}

void
mtc_session_set_servers (MtcSession *self,
                         const char *servers)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  set_string (self, &self->servers, servers, PROP_SERVERS);
}

const char *
mtc_session_get_client_id (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->client_id;
}

void
mtc_session_set_client_id (MtcSession *self,
                           const char *client_id)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  set_string (self, &self->client_id, client_id, PROP_CLIENT_ID);
}

const char *
mtc_session_get_system_id (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->system_id;
}

void
mtc_session_set_system_id (MtcSession *self,
                           const char *system_id)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  set_string (self, &self->system_id, system_id, PROP_SYSTEM_ID);
}

gboolean
mtc_session_get_other_computer (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), FALSE);
  return self->other_computer;
}

void
mtc_session_set_other_computer (MtcSession *self,
                                gboolean    other)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  other = !!other;
  if (self->other_computer == other)
    return;
  self->other_computer = other;
  if (!other)
    mtc_session_set_system_id (self, self->this_system->system_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTHER_COMPUTER]);
}

/* The accounts of the mail programs on this computer (element type
 * MtcAccount), or NULL while they are still being read ("accounts-read"). */
GPtrArray *
mtc_session_get_accounts (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->accounts;
}

/* One sentence for each settings file that could not be read, or NULL
 * while the accounts are being read. */
GPtrArray *
mtc_session_get_account_problems (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->account_problems;
}

const MtcAccount *
mtc_session_get_account (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return self->account;
}

/* The account the person chose (NULL: none, the address typed by hand):
 * its address and its program become the session's, and the computer in
 * question is this one, where its program is set up; the check probes its
 * servers as set. */
void
mtc_session_set_account (MtcSession       *self,
                         const MtcAccount *account)
{
  g_return_if_fail (MTC_IS_SESSION (self));
  g_clear_pointer (&self->account, mtc_account_free);
  if (account == NULL)
    return;
  self->account = mtc_account_copy (account);
  if (account->address != NULL)
    mtc_session_set_email (self, account->address);
  mtc_session_set_client_id (self, account->program);
  mtc_session_set_other_computer (self, FALSE);
}

/* Server addresses typed by hand: separated by spaces, commas or lines. */
GPtrArray *
mtc_session_parse_servers (const char *text,
                           GError    **error)
{
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  g_auto(GStrv) words = g_strsplit_set (text ? text : "", " ,;\t\r\n", -1);

  for (int i = 0; words[i]; i++)
    {
      GPtrArray *parsed;

      if (*words[i] == '\0')
        continue;
      parsed = mtc_target_parse (words[i], error);
      if (parsed == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (endpoints, parsed);
    }
  if (endpoints->len == 0)
    {
      g_set_error_literal (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                           _("Enter at least one server, for example imap.example.net."));
      return NULL;
    }
  return g_steal_pointer (&endpoints);
}

/* The form of an e-mail address, judged when the person leaves the field
 * or presses Next. */
gboolean
mtc_session_validate_email (const char *text,
                            GError    **error)
{
  g_autoptr(MtcEmailAddress) address = mtc_email_address_parse (text, error);

  return address != NULL;
}

/* The account whose servers are probed exactly as set: the one chosen
 * while its address and program are still the ones chosen; with none
 * chosen, the one of a mail program on this computer with the address
 * typed. */
static void
set_account (MtcSession *self)
{
  const MtcAccount *account = account_in_use (self);

  if (self->account == NULL && self->email != NULL && self->accounts != NULL)
    account = mtc_account_find_address (self->accounts, self->email);
  mtc_check_set_account (self->check, account);
}

/* Finds the servers to check from what the person entered: the servers
 * typed by hand, else the provider chosen, else the e-mail address. */
void
mtc_session_prepare_async (MtcSession          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  g_autoptr(MtcProvider) provider = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MTC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mtc_session_prepare_async);
  mtc_check_clear (self->check);
  g_clear_pointer (&self->help_url, g_free);

  if (self->servers != NULL && *self->servers != '\0')
    {
      g_auto(GStrv) words = g_strsplit_set (self->servers, " ,;\t\r\n", -1);

      for (int i = 0; words[i]; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (targets, g_strdup (words[i]));
    }
  else if (self->provider_id != NULL)
    {
      provider = mtc_provider_lookup (self->provider_id, &error);
      if (provider == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      /* An address at a known provider is an account there: nothing is looked up. */
      g_ptr_array_add (targets, g_strdup (self->email ? self->email : self->provider_id));
    }
  else if (self->email != NULL)
    g_ptr_array_add (targets, g_strdup (self->email));
  g_ptr_array_add (targets, NULL);

  if (targets->len == 1)
    {
      g_task_return_new_error (task, MTC_ERROR, MTC_ERROR_INVALID_TARGET, "%s",
                               _("Enter your e-mail address or your provider’s mail servers."));
      g_object_unref (task);
      return;
    }
  mtc_check_set_targets (self->check, (const char * const *) targets->pdata);
  mtc_check_set_provider (self->check, provider);
  set_account (self);
  mtc_check_prepare_async (self->check, cancellable, prepared_cb, task);
}

gboolean
mtc_session_prepare_finish (MtcSession   *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
mtc_session_get_endpoints (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return mtc_check_get_endpoints (self->check);
}

/* Runs the check on the prepared endpoints; "endpoint-finished" and
 * "n-done" tell the progress. */
void
mtc_session_check_async (MtcSession          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  g_autoptr(MtcUserSide) user = NULL;

  g_return_if_fail (MTC_IS_SESSION (self));
  g_return_if_fail (mtc_check_get_endpoints (self->check) != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mtc_session_check_async);
  user = user_side_new (self);
  mtc_check_set_user_side (self->check, user);
  mtc_check_run_async (self->check, cancellable, checked_cb, task);
}

gboolean
mtc_session_check_finish (MtcSession   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Words again in the current language (it was switched): the verdict is
 * decided anew from the same diagnosis. */
void
mtc_session_refresh_verdict (MtcSession *self)
{
  g_autoptr(MtcUserSide) user = NULL;

  g_return_if_fail (MTC_IS_SESSION (self));
  if (mtc_check_get_diagnosis (self->check) == NULL)
    return;
  user = user_side_new (self);
  mtc_check_set_user_side (self->check, user);
  mtc_check_decide (self->check);
}

guint
mtc_session_get_n_done (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), 0);
  return mtc_check_get_n_done (self->check);
}

guint
mtc_session_get_n_total (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), 0);
  return mtc_check_get_n_total (self->check);
}

MtcDiagnosis *
mtc_session_get_diagnosis (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return mtc_check_get_diagnosis (self->check);
}

const MtcVerdict *
mtc_session_get_verdict (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  return mtc_check_get_verdict (self->check);
}

/* The provider's help article, where its profile names one. */
const char *
mtc_session_get_help_url (MtcSession *self)
{
  g_autoptr(MtcProvider) provider = NULL;

  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  if (mtc_check_get_help_url (self->check) != NULL)
    return mtc_check_get_help_url (self->check);
  if (self->help_url == NULL && self->provider_id != NULL)
    {
      provider = mtc_provider_lookup (self->provider_id, NULL);
      if (provider != NULL && mtc_provider_get_help_url (provider) != NULL)
        self->help_url = g_strdup (mtc_provider_get_help_url (provider));
    }
  return self->help_url;
}

/* The report for support: the verdict and the diagnosis, nothing personal
 * but the e-mail address the person typed. */
char *
mtc_session_build_report (MtcSession *self)
{
  g_return_val_if_fail (MTC_IS_SESSION (self), NULL);
  if (mtc_check_get_diagnosis (self->check) == NULL)
    return g_strdup ("");
  return mtc_check_dup_text_report (self->check);
}

/* "a Mac with OS X 10.11 El Capitan" and the like, for the computer page. */
char *
mtc_session_describe_system (MtcSession *self,
                             const char *system_id)
{
  g_autofree char *name = NULL;

  if (system_id == NULL || !mtc_knowledge_has_system (self->knowledge, system_id))
    return NULL;
  name = mtc_knowledge_get_system_name (self->knowledge, system_id);
  if (g_str_has_prefix (system_id, "macos-"))
    /* TRANSLATORS: %s is a macOS version, e.g. "OS X 10.11 El Capitan" */
    return g_strdup_printf (_("a Mac with %s"), name);
  if (g_str_has_prefix (system_id, "windows-"))
    /* TRANSLATORS: %s is a Windows version, e.g. "Windows 7" */
    return g_strdup_printf (_("a PC with %s"), name);
  /* TRANSLATORS: %s is a system such as "Linux" */
  return g_strdup_printf (_("a computer with %s"), name);
}

