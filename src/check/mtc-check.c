/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MtcCheck: one check from what the user gives to the verdict and both
 * reports, for the command line and the wizard alike.
 *
 * A little under 900 lines: the stages (demo servers, trust anchors,
 * targets, a mail program's account, probing, deciding) and the reports
 * all read the one MtcCheck and the GTask of its run; apart, they would
 * share a header of its fields. */
#include "config.h"

#include "mtc-check.h"
#include "mtc-check-enums.h"
#include "mtc-demo-server.h"
#include "mtc-endpoint.h"
#include "mtc-prober.h"
#include "mtc-report.h"

struct _MtcCheck
{
  GObject parent_instance;

  /* What to check, and how. */
  MtcKnowledge *knowledge;
  GStrv targets;
  MtcProvider *provider;
  gboolean demo;
  guint demo_delay_ms;
  MtcUserSide *user;
  MtcAccount *account;          /* a mail program's account whose servers are probed as set, or NULL */
  guint timeout_ms;             /* 0: the prober's and the discovery's defaults */
  guint max_connections;
  GPtrArray *anchors;           /* of GTlsCertificate */

  /* The demo servers start once and serve every run of this check. */
  MtcDemoServer *demo_server;
  GPtrArray *demo_endpoints;

  /* The work under way, and its results. */
  GCancellable *cancellable;
  MtcCheckPhase phase;
  MtcTargetSet *target_set;
  GPtrArray *endpoints;         /* of MtcEndpoint: the target set's, then the demo servers' */
  guint n_done;
  guint n_total;
  MtcDiagnosis *diagnosis;
  MtcVerdict *verdict;
  GDateTime *checked_at;        /* when the probes of the last run started */
};

/* A prepare or a run: the caller's cancellable cancels the check's own. */
typedef struct {
  gboolean probe;               /* go on to the probes after discovery */
  GCancellable *caller_cancellable;
  gulong cancelled_id;
} Operation;

static void start_probing                (GTask             *task);
static void prober_endpoint_finished_cb  (MtcProber         *prober,
                                          guint              index,
                                          MtcEndpointResult *result,
                                          MtcCheck          *self);
static void caller_cancelled_cb          (GCancellable      *caller_cancellable,
                                          GCancellable      *cancellable);

G_DEFINE_FINAL_TYPE (MtcCheck, mtc_check, G_TYPE_OBJECT)
G_DEFINE_QUARK (mtc-check-error-quark, mtc_check_error)

enum {
  PROP_0,
  PROP_PHASE,
  PROP_N_DONE,
  PROP_N_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PHASE_CHANGED,
  ENDPOINT_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
operation_free (Operation *operation)
{
  if (operation->caller_cancellable != NULL)
    g_cancellable_disconnect (operation->caller_cancellable, operation->cancelled_id);
  g_clear_object (&operation->caller_cancellable);
  g_free (operation);
}

/* The person's side for the verdict and the report: as set, or this
 * computer's as detected; with the e-mail address the targets gave when
 * none was set (the command line's address, a support link's). */
static MtcUserSide *
dup_user_side (MtcCheck *self)
{
  MtcUserSide *user = self->user != NULL ? mtc_user_side_copy (self->user) : mtc_user_side_detect (self->knowledge);

  if (self->account != NULL)
    {
      /* The account's program is the one in question, whatever opens mailto: links. */
      g_clear_pointer (&user->account, mtc_account_free);
      user->account = mtc_account_copy (self->account);
      if (self->account->program != NULL)
        {
          g_free (user->client_id);
          user->client_id = g_strdup (self->account->program);
        }
      if (user->email_address == NULL)
        user->email_address = g_strdup (self->account->address);
    }
  if (user->email_address == NULL && self->target_set != NULL && self->target_set->email != NULL)
    user->email_address = g_strdup (self->target_set->email->address);
  return user;
}

static void
set_phase (MtcCheck      *self,
           MtcCheckPhase  phase)
{
  if (self->phase == phase)
    return;
  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  g_signal_emit (self, signals[PHASE_CHANGED], 0, phase);
}

static void
set_progress (MtcCheck *self,
              guint     n_done,
              guint     n_total)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_total != n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  if (self->n_done != n_done)
    {
      self->n_done = n_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_results (MtcCheck *self)
{
  g_clear_pointer (&self->diagnosis, mtc_diagnosis_unref);
  g_clear_pointer (&self->verdict, mtc_verdict_free);
  g_clear_pointer (&self->checked_at, g_date_time_unref);
}

static void
clear_preparation (MtcCheck *self)
{
  clear_results (self);
  g_clear_pointer (&self->target_set, mtc_target_set_free);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
}

static MtcTargetResolver *
new_target_resolver (MtcCheck *self)
{
  MtcTargetResolver *resolver = mtc_target_resolver_new ();

  if (self->timeout_ms > 0)
    mtc_target_resolver_set_timeout (resolver, self->timeout_ms);
  mtc_target_resolver_set_provider (resolver, self->provider);
  return resolver;
}

static MtcProber *
new_prober (MtcCheck *self)
{
  MtcProber *prober = mtc_prober_new ();

  if (self->timeout_ms > 0)
    mtc_prober_set_timeout (prober, self->timeout_ms);
  mtc_prober_set_max_connections (prober, self->max_connections);
  for (guint i = 0; i < self->anchors->len; i++)
    mtc_prober_add_trust_anchor (prober, g_ptr_array_index (self->anchors, i));
  if (self->demo_server != NULL)
    {
      g_autoptr(GTlsCertificate) ca = mtc_demo_server_get_ca (self->demo_server);

      mtc_prober_add_trust_anchor (prober, ca);
    }
  return prober;
}

static gboolean
start_demo_servers (MtcCheck *self,
                    GError  **error)
{
  g_autoptr(MtcDemoServer) server = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->demo_server != NULL)
    return TRUE;
  server = mtc_demo_server_new (&local_error);
  if (server != NULL)
    {
      if (self->demo_delay_ms > 0)
        mtc_demo_server_set_provider_delay (server, self->demo_delay_ms);
      self->demo_endpoints = mtc_demo_server_start_provider (server, &local_error);
    }
  if (self->demo_endpoints == NULL)
    {
      g_set_error_literal (error, MTC_CHECK_ERROR, MTC_CHECK_ERROR_DEMO, local_error->message);
      return FALSE;
    }
  self->demo_server = g_steal_pointer (&server);
  return TRUE;
}

/* The endpoints to probe: the targets', then the demo servers' when the
 * demo provider was asked for or named. */
static gboolean
take_target_set (MtcCheck     *self,
                 MtcTargetSet *set,
                 GError      **error)
{
  self->target_set = set;
  self->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  for (guint i = 0; i < set->endpoints->len; i++)
    g_ptr_array_add (self->endpoints, mtc_endpoint_copy (g_ptr_array_index (set->endpoints, i)));
  if (self->demo || set->demo)
    {
      if (!start_demo_servers (self, error))
        return FALSE;
      for (guint i = 0; i < self->demo_endpoints->len; i++)
        g_ptr_array_add (self->endpoints, mtc_endpoint_copy (g_ptr_array_index (self->demo_endpoints, i)));
    }
  /* The account's servers exactly as its program is set to use them, beside
   * the published or discovered ones. */
  if (self->account != NULL)
    mtc_account_merge_endpoints (self->account, self->endpoints);
  return TRUE;
}

static void
return_error (GTask  *task,
              GError *error)
{
  MtcCheck *self = g_task_get_source_object (task);

  set_phase (self, MTC_CHECK_PHASE_IDLE);
  g_task_return_error (task, error);
}

static void
targets_resolved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MtcCheck *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MtcTargetSet *set = mtc_target_resolver_resolve_finish (MTC_TARGET_RESOLVER (source), result, &error);

  if (set == NULL || !take_target_set (self, set, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }
  if (operation->probe)
    {
      start_probing (g_steal_pointer (&task));
      return;
    }
  set_phase (self, MTC_CHECK_PHASE_IDLE);
  g_task_return_boolean (task, TRUE);
}

static void
start_discovering (GTask *task)
{
  MtcCheck *self = g_task_get_source_object (task);
  g_autoptr(MtcTargetResolver) resolver = new_target_resolver (self);
  const char * const no_targets[] = { NULL };

  clear_preparation (self);
  set_progress (self, 0, 0);
  set_phase (self, MTC_CHECK_PHASE_DISCOVERING);
  mtc_target_resolver_resolve_async (resolver,
                                     self->targets ? (const char * const *) self->targets : no_targets,
                                     self->cancellable, targets_resolved_cb, task);
}

/* What discovery asked, for support, after the verdict's details, where an
 * address could not be looked up. */
static void
add_lookups_to_details (MtcCheck *self)
{
  g_autofree char *lookups = self->target_set ? mtc_target_set_describe_lookups (self->target_set) : NULL;
  char *details;

  if (lookups == NULL || self->verdict == NULL)
    return;
  details = self->verdict->details != NULL && *self->verdict->details != '\0'
            ? g_strconcat (self->verdict->details, "\n", lookups, NULL) : g_strdup (lookups);
  g_free (self->verdict->details);
  self->verdict->details = details;
}

/* The member "discoveries" of the JSON report: every address looked up,
 * what each source found or why not; NULL when none was. */
static JsonNode *
discoveries_to_json (MtcCheck *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (self->target_set == NULL || self->target_set->discoveries->len == 0)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->target_set->discoveries->len; i++)
    {
      MtcDiscoveryResult *result = g_ptr_array_index (self->target_set->discoveries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, result->address->address);
      json_builder_set_member_name (builder, "source");
      if (result->offline)
        json_builder_add_null_value (builder);
      else
        json_builder_add_string_value (builder, mtc_discovery_source_to_string (result->source));
      json_builder_set_member_name (builder, "offline");
      json_builder_add_boolean_value (builder, result->offline);
      json_builder_set_member_name (builder, "notes");
      json_builder_begin_object (builder);
      for (int s = MTC_DISCOVERY_SOURCE_PROFILE; s < MTC_DISCOVERY_N_SOURCES; s++)
        if (result->notes[s] != NULL)
          {
            json_builder_set_member_name (builder, mtc_discovery_source_to_string (s));
            json_builder_add_string_value (builder, result->notes[s]);
          }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MtcCheck *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  MtcDiagnosis *diagnosis = mtc_prober_run_finish (MTC_PROBER (source), result, &error);

  g_signal_handlers_disconnect_by_data (source, self);
  if (diagnosis == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }
  self->diagnosis = diagnosis;
  set_phase (self, MTC_CHECK_PHASE_DECIDING);
  mtc_check_decide (self);
  set_phase (self, MTC_CHECK_PHASE_DONE);
  g_task_return_boolean (task, TRUE);
}

static void
start_probing (GTask *task)
{
  MtcCheck *self = g_task_get_source_object (task);
  g_autoptr(MtcProber) prober = new_prober (self);

  clear_results (self);
  self->checked_at = g_date_time_new_now_local ();
  set_progress (self, 0, self->endpoints->len);
  set_phase (self, MTC_CHECK_PHASE_PROBING);
  g_signal_connect (prober, "endpoint-finished", G_CALLBACK (prober_endpoint_finished_cb), self);
  mtc_prober_run_async (prober, self->endpoints, self->cancellable, probed_cb, task);
}

/* One operation at a time, with a cancellable of its own that the
 * caller's cancels. */
static GTask *
begin_operation (MtcCheck            *self,
                 gboolean             probe,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *operation = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, operation, (GDestroyNotify) operation_free);
  operation->probe = probe;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      operation->caller_cancellable = g_object_ref (cancellable);
      operation->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                       g_object_ref (self->cancellable), g_object_unref);
    }
  return task;
}

static void
prober_endpoint_finished_cb (MtcProber         *prober,
                             guint              index,
                             MtcEndpointResult *result,
                             MtcCheck          *self)
{
  set_progress (self, self->n_done + 1, self->n_total);
  g_signal_emit (self, signals[ENDPOINT_DONE], 0, index, result, self->n_done, self->n_total);
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
mtc_check_dispose (GObject *object)
{
  MtcCheck *self = MTC_CHECK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->demo_server != NULL)
    mtc_demo_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->provider);
  g_clear_object (&self->knowledge);
  G_OBJECT_CLASS (mtc_check_parent_class)->dispose (object);
}

static void
mtc_check_finalize (GObject *object)
{
  MtcCheck *self = MTC_CHECK (object);

  clear_preparation (self);
  g_clear_pointer (&self->demo_endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->anchors, g_ptr_array_unref);
  g_clear_pointer (&self->user, mtc_user_side_free);
  g_clear_pointer (&self->account, mtc_account_free);
  g_strfreev (self->targets);
  G_OBJECT_CLASS (mtc_check_parent_class)->finalize (object);
}

static void
mtc_check_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MtcCheck *self = MTC_CHECK (object);

  switch (prop_id)
    {
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_check_class_init (MtcCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mtc_check_dispose;
  object_class->finalize = mtc_check_finalize;
  object_class->get_property = mtc_check_get_property;

  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, MTC_TYPE_CHECK_PHASE, MTC_CHECK_PHASE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MtcCheck::phase-changed:
   * @phase: the #MtcCheckPhase the check has entered
   */
  signals[PHASE_CHANGED] =
    g_signal_new ("phase-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MTC_TYPE_CHECK_PHASE);

  /**
   * MtcCheck::endpoint-done:
   * @index: the endpoint's position in mtc_check_get_endpoints()
   * @result: its #MtcEndpointResult, owned by the diagnosis being built
   * @n_done: how many endpoints are checked, this one included
   * @n_total: how many there are
   */
  signals[ENDPOINT_DONE] =
    g_signal_new ("endpoint-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, MTC_TYPE_ENDPOINT_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT, G_TYPE_UINT);
}

static void
mtc_check_init (MtcCheck *self)
{
  self->max_connections = MTC_PROBER_MAX_PER_SERVICE;
  self->anchors = g_ptr_array_new_with_free_func (g_object_unref);
}

/* With the knowledge base given, or the built-in one (NULL). */
MtcCheck *
mtc_check_new (MtcKnowledge *knowledge)
{
  MtcCheck *self = g_object_new (MTC_TYPE_CHECK, NULL);

  g_return_val_if_fail (knowledge == NULL || MTC_IS_KNOWLEDGE (knowledge), self);

  if (knowledge != NULL)
    self->knowledge = g_object_ref (knowledge);
  else
    {
      g_autoptr(GError) error = NULL;

      self->knowledge = mtc_knowledge_new_default (&error);
      if (self->knowledge == NULL)
        g_error ("The built-in knowledge base is broken: %s", error->message);
    }
  return self;
}

MtcKnowledge *
mtc_check_get_knowledge (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  return self->knowledge;
}

/* What to check, in the forms mtc-target.h lists; NULL for none (then
 * only the demo provider, with mtc_check_set_demo()). */
void
mtc_check_set_targets (MtcCheck           *self,
                       const char * const *targets)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_strfreev (self->targets);
  self->targets = g_strdupv ((char **) targets);
}

/* A provider whose accounts e-mail addresses are taken to be: nothing is
 * looked up for them. */
void
mtc_check_set_provider (MtcCheck    *self,
                        MtcProvider *provider)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_set_object (&self->provider, provider);
}

/* Also check the demo provider, whatever the targets say. */
void
mtc_check_set_demo (MtcCheck *self,
                    gboolean  demo)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  self->demo = !!demo;
}

/* A slow demo provider (each of its replies waits this long): to see the
 * progress and try cancelling.  Takes effect when the demo servers start. */
void
mtc_check_set_demo_delay (MtcCheck *self,
                          guint     delay_ms)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  self->demo_delay_ms = delay_ms;
}

/* The person's side, for the verdict; without it, this computer's as
 * detected. */
void
mtc_check_set_user_side (MtcCheck          *self,
                         const MtcUserSide *user)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_clear_pointer (&self->user, mtc_user_side_free);
  if (user != NULL)
    self->user = mtc_user_side_copy (user);
}

/* A mail program's account (mtc_accounts_find()): its incoming and
 * outgoing servers are probed exactly as set, beside the targets'
 * endpoints, and the verdict says which setting to change.  Its program
 * becomes the user's side's; its address the one the report names when
 * none was given. */
void
mtc_check_set_account (MtcCheck         *self,
                       const MtcAccount *account)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_clear_pointer (&self->account, mtc_account_free);
  if (account != NULL)
    self->account = mtc_account_copy (account);
}

/* The longest wait for one server, and for discovery's sources. */
void
mtc_check_set_timeout (MtcCheck *self,
                       guint     timeout_ms)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  self->timeout_ms = timeout_ms;
}

void
mtc_check_set_max_connections (MtcCheck *self,
                               guint     max_connections)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_return_if_fail (max_connections >= 1 && max_connections <= MTC_PROBER_MAX_PER_SERVICE);
  self->max_connections = max_connections;
}

/* Trust certificates from this authority too (a provider's private one). */
void
mtc_check_add_trust_anchor (MtcCheck        *self,
                            GTlsCertificate *anchor)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (anchor));
  g_ptr_array_add (self->anchors, g_object_ref (anchor));
}

/* Whether the targets have a form that can be checked, before anything is
 * looked up. */
gboolean
mtc_check_validate (MtcCheck *self,
                    GError  **error)
{
  g_autoptr(MtcTargetResolver) resolver = NULL;
  const char * const no_targets[] = { NULL };

  g_return_val_if_fail (MTC_IS_CHECK (self), FALSE);
  resolver = new_target_resolver (self);
  return mtc_target_resolver_check (resolver, self->targets ? (const char * const *) self->targets : no_targets,
                                    error);
}

/* Finds the endpoints (DISCOVERING); mtc_check_get_endpoints() lists them
 * afterwards.  The demo servers start here when they are needed. */
void
mtc_check_prepare_async (MtcCheck            *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_discovering (begin_operation (self, FALSE, cancellable, callback, user_data, mtc_check_prepare_async));
}

gboolean
mtc_check_prepare_finish (MtcCheck     *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Checks every endpoint (PROBING, with "endpoint-done" for each) and
 * decides the verdict (DECIDING); prepares first when that was not done.
 * The progress counts are set before this returns. */
void
mtc_check_run_async (MtcCheck            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MTC_IS_CHECK (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_operation (self, TRUE, cancellable, callback, user_data, mtc_check_run_async);
  if (self->endpoints == NULL)
    start_discovering (task);
  else
    start_probing (task);
}

gboolean
mtc_check_run_finish (MtcCheck     *self,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Decides the verdict (again) from the diagnosis: after a run, or when the
 * user's side or the language changed. */
void
mtc_check_decide (MtcCheck *self)
{
  g_autoptr(MtcUserSide) user = NULL;
  g_autoptr(MtcProviderHints) hints = NULL;

  g_return_if_fail (MTC_IS_CHECK (self));
  if (self->diagnosis == NULL)
    return;
  user = dup_user_side (self);
  hints = self->target_set ? mtc_target_set_dup_hints (self->target_set) : NULL;
  g_clear_pointer (&self->verdict, mtc_verdict_free);
  self->verdict = mtc_verdict_decide (self->diagnosis, user, hints, self->knowledge);
  add_lookups_to_details (self);
}

/* Whether an address could not be looked up because this computer cannot
 * look up names (the verdict is then "offline"). */
gboolean
mtc_check_get_offline (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), FALSE);
  return self->target_set != NULL && self->target_set->offline;
}

/* Forgets the endpoints and the results of the last check; the demo
 * servers stay. */
void
mtc_check_clear (MtcCheck *self)
{
  g_return_if_fail (MTC_IS_CHECK (self));
  clear_preparation (self);
}

MtcCheckPhase
mtc_check_get_phase (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), MTC_CHECK_PHASE_IDLE);
  return self->phase;
}

guint
mtc_check_get_n_done (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), 0);
  return self->n_done;
}

guint
mtc_check_get_n_total (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), 0);
  return self->n_total;
}

/* What discovery made of the targets, or NULL before it. */
const MtcTargetSet *
mtc_check_get_target_set (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  return self->target_set;
}

/* Of MtcDiscoveryResult: one per e-mail address looked up, or NULL. */
GPtrArray *
mtc_check_get_discoveries (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  return self->target_set ? self->target_set->discoveries : NULL;
}

/* Of MtcEndpoint, in the order they are probed, or NULL before discovery. */
GPtrArray *
mtc_check_get_endpoints (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  return self->endpoints;
}

/* The help article of the provider the targets named, or NULL. */
const char *
mtc_check_get_help_url (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  if (self->target_set == NULL || self->target_set->provider == NULL)
    return NULL;
  return mtc_provider_get_help_url (self->target_set->provider);
}

MtcDiagnosis *
mtc_check_get_diagnosis (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  return self->diagnosis;
}

const MtcVerdict *
mtc_check_get_verdict (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  return self->verdict;
}

/* Something is wrong: a server's problem, or a verdict other than "all good". */
gboolean
mtc_check_found_problem (MtcCheck *self)
{
  g_return_val_if_fail (MTC_IS_CHECK (self), FALSE);
  g_return_val_if_fail (self->diagnosis != NULL && self->verdict != NULL, FALSE);
  return mtc_diagnosis_has_problem (self->diagnosis) || self->verdict->id != MTC_VERDICT_ALL_GOOD;
}

/* What the reports say about the check itself; @user is filled in and
 * must outlive the context. */
static void
fill_context (MtcCheck          *self,
              MtcReportContext  *context,
              MtcUserSide      **user)
{
  *user = dup_user_side (self);
  context->checked_at = self->checked_at;
  context->user = *user;
  context->knowledge = self->knowledge;
  context->help_url = mtc_check_get_help_url (self);
}

/* The report for people: the check itself (date, version, the person's
 * side), the verdict, where the servers came from, the diagnosis. */
char *
mtc_check_dup_text_report (MtcCheck *self)
{
  g_autofree char *found = NULL;
  g_autoptr(MtcUserSide) user = NULL;
  MtcReportContext context = { 0 };

  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  g_return_val_if_fail (self->diagnosis != NULL, NULL);
  found = self->target_set ? mtc_target_set_describe (self->target_set, MTC_REPORT_WIDTH) : NULL;
  fill_context (self, &context, &user);
  context.found = found;
  return mtc_report_to_text_full (self->diagnosis, self->verdict, &context);
}

/* The report for programs (README, "JSON"). */
char *
mtc_check_dup_json_report (MtcCheck *self)
{
  g_autoptr(MtcUserSide) user = NULL;
  g_autoptr(JsonNode) discoveries = NULL;
  MtcReportContext context = { 0 };

  g_return_val_if_fail (MTC_IS_CHECK (self), NULL);
  g_return_val_if_fail (self->diagnosis != NULL, NULL);
  fill_context (self, &context, &user);
  discoveries = discoveries_to_json (self);
  context.discoveries = discoveries;
  return mtc_report_to_json_full (self->diagnosis, self->verdict, &context);
}
