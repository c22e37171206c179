/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The prober: every endpoint's probes in one run, under the bounds on
 * sockets and on connections to one address and port, with the name
 * look-ups, the race between a name's addresses and the retries of probes
 * turned away.  How each endpoint's cells are decided is mtc-judge.c.
 *
 * Longer than 800 lines: the look-ups, the queue of jobs, the retries and
 * the socket bound all read and change the one RunData of a run; split
 * apart, they would only move that struct into a header. */
#include "config.h"

#include <sys/resource.h>
#include <glib/gi18n-lib.h>

#include "mtc-numbers.h"
#include "mtc-connect.h"
#include "mtc-deadline.h"
#include "mtc-judge.h"
#include "mtc-local.h"
#include "mtc-probe.h"
#include "mtc-prober.h"
#include "mtc-tls-probe.h"

#define N_PROBES MTC_N_PROBES
#define DEFAULT_PROBE MTC_DEFAULT_PROBE

/* A probe turned away as one connection too many is tried again this many
 * times, alone, after RETRY_BACKOFF_MS and then twice that. */
#define MAX_RETRIES 2
#define RETRY_BACKOFF_MS 200

/* The bound on sockets open at once: descriptors kept back for GIO, the
 * TLS backend, the resolver and the main loop; at most half the limit for
 * probes; and never more than this. */
#define RESERVED_DESCRIPTORS 32
#define MAX_SOCKETS 256

struct _MtcProber
{
  GObject parent_instance;

  guint timeout_ms;
  guint max_connections;
  GPtrArray *anchors;   /* of GTlsCertificate */
  GResolver *resolver;
};

typedef struct _RunData RunData;

typedef struct {
  RunData *run;
  guint index;
  MtcEndpoint *endpoint;
  GInetSocketAddress *address;
  char *address_text;
  char *service_key;
  GList *candidates;          /* of GInetAddress: the name's addresses, when it has several */
  GPtrArray *address_failures;  /* of MtcAddressFailure, or NULL */
  gint64 start_us;
  guint n_pending;            /* jobs not finished, retries included */
  guint n_first;              /* first tries queued or running */
  GQueue retries;             /* of Job turned away as one too many, waiting */
  gboolean retry_busy;        /* a retry waits for its backoff or runs */
  GSource *retry_timer;
  MtcProbeOutcome *outcomes[N_PROBES];
  gboolean finished;
} EndpointState;

typedef struct {
  EndpointState *endpoint;
  guint slot;                 /* 0..3 a TLS version, DEFAULT_PROBE the default handshake */
  guint attempt;              /* 0 the first try, then the retries */
  gboolean race;              /* connects to the first of the name's addresses that answers */
  guint cost;                 /* sockets it may hold at once */
  gboolean others_open;       /* other probes to that port were open when it started */
} Job;

typedef struct {
  RunData *run;
  char *host;
  GPtrArray *waiting;         /* of EndpointState */
  MtcDeadline *deadline;
} Lookup;

struct _RunData {
  MtcProber *prober;
  GTask *task;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
  MtcDiagnosis *diagnosis;
  GPtrArray *endpoints;       /* of EndpointState */
  GHashTable *lookups;        /* host -> Lookup */
  GHashTable *active;         /* address or address|port -> count */
  GQueue queue;               /* of Job waiting for a free connection slot */
  GPtrArray *retrying;        /* of EndpointState with retries waiting */
  guint n_sockets;            /* sockets the running jobs may hold */
  guint max_sockets;
  guint n_finished;
  guint n_running;
  gint64 start_us;
};

G_DEFINE_FINAL_TYPE (MtcProber, mtc_prober, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_MAX_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENDPOINT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (RunData *run);

static void
endpoint_state_free (EndpointState *state)
{
  mtc_endpoint_free (state->endpoint);
  g_clear_object (&state->address);
  g_free (state->address_text);
  g_free (state->service_key);
  g_list_free_full (state->candidates, g_object_unref);
  g_clear_pointer (&state->address_failures, g_ptr_array_unref);
  g_queue_clear_full (&state->retries, g_free);
  if (state->retry_timer != NULL)
    {
      g_source_destroy (state->retry_timer);
      g_source_unref (state->retry_timer);
    }
  for (int i = 0; i < N_PROBES; i++)
    mtc_probe_outcome_free (state->outcomes[i]);
  g_free (state);
}

static void
lookup_free (Lookup *lookup)
{
  mtc_deadline_free (lookup->deadline);
  g_ptr_array_unref (lookup->waiting);
  g_free (lookup->host);
  g_free (lookup);
}

static void
run_data_free (RunData *run)
{
  if (run->caller_cancellable != NULL)
    g_cancellable_disconnect (run->caller_cancellable, run->cancelled_id);
  g_clear_object (&run->caller_cancellable);
  g_signal_handlers_disconnect_by_data (run->cancellable, run);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->diagnosis, mtc_diagnosis_unref);
  g_ptr_array_unref (run->endpoints);
  g_hash_table_unref (run->lookups);
  g_hash_table_unref (run->active);
  g_queue_clear_full (&run->queue, g_free);
  g_ptr_array_unref (run->retrying);
  g_clear_object (&run->prober);
  g_free (run);
}

static guint
active_count (RunData    *run,
              const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (run->active, key));
}

static void
active_add (RunData    *run,
            const char *key,
            int         delta)
{
  guint count = active_count (run, key) + delta;

  if (count == 0)
    g_hash_table_remove (run->active, key);
  else
    g_hash_table_insert (run->active, g_strdup (key), GUINT_TO_POINTER (count));
}

/* What a job probes, for the debug log. */
static const char *
slot_label (guint slot)
{
  static const char *const labels[] = { "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3", "the default handshake" };

  return labels[slot];
}

/* What a probe found, for G_MESSAGES_DEBUG=mail-tls-check. */
static void
log_outcome (EndpointState         *state,
             Job                   *job,
             const MtcProbeOutcome *outcome,
             const GError          *error)
{
  const MtcTlsProbeResult *tls = outcome != NULL ? outcome->tls : NULL;

  if (outcome == NULL)
    g_debug ("prober: %s port %u: %s: %s", state->address_text, state->endpoint->port, slot_label (job->slot),
             error->message);
  else if (tls == NULL)
    g_debug ("prober: %s port %u: %s: %s, no handshake%s%s", state->address_text, state->endpoint->port,
             slot_label (job->slot), mtc_status_to_string (outcome->status), outcome->detail ? ": " : "",
             outcome->detail ? outcome->detail : "");
  else
    g_debug ("prober: %s port %u: %s: %s, handshake %s (%s) after %" G_GINT64_FORMAT " ms", state->address_text,
             state->endpoint->port, slot_label (job->slot), mtc_status_to_string (outcome->status),
             mtc_version_result_to_string (tls->result), tls->reason ? tls->reason : "no reason", outcome->elapsed_ms);
}

static MtcEndpointResult *
judge (RunData       *run,
       EndpointState *state)
{
  MtcJudgeInput in = {
    .endpoint = state->endpoint,
    .address = state->address_text,
    .outcomes = state->outcomes,
    .versions_available = run->diagnosis->local->versions_available,
    .anchors = run->prober->anchors,
    .start_us = state->start_us,
  };

  return mtc_judge_endpoint (&in);
}

/* The system's trust store takes this computer some 20 ms to load; loaded
 * in a thread of its own while the probes wait for the network, it is ready
 * when the first certificate needs it. */
static void
load_trust_store_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  g_autoptr(GTlsDatabase) database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  g_task_return_boolean (task, database != NULL);
}

static void maybe_complete (RunData *run);

static void
trust_store_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RunData *run = user_data;

  run->n_running--;
  maybe_complete (run);
}

static void
start_loading_trust_store (RunData *run)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, trust_store_loaded_cb, run);

  g_task_set_source_tag (task, start_loading_trust_store);
  /* The backend itself is made here, on the main thread, once. */
  g_tls_backend_get_default ();
  run->n_running++;
  g_task_run_in_thread (task, load_trust_store_thread);
}

static void
maybe_complete (RunData *run)
{
  g_autoptr(GTask) task = NULL;

  if (run->n_finished < run->endpoints->len || run->n_running > 0)
    return;
  task = g_steal_pointer (&run->task);
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The check was cancelled."));
      return;
    }
  run->diagnosis->elapsed_ms = (g_get_monotonic_time () - run->start_us) / 1000;
  g_task_return_pointer (task, g_steal_pointer (&run->diagnosis), (GDestroyNotify) mtc_diagnosis_unref);
}

static void
finish_endpoint (RunData           *run,
                 EndpointState     *state,
                 MtcEndpointResult *result)
{
  state->finished = TRUE;
  if (result->address_failures == NULL)
    result->address_failures = g_steal_pointer (&state->address_failures);
  g_ptr_array_index (run->diagnosis->results, state->index) = result;
  run->n_finished++;
  if (!g_cancellable_is_cancelled (run->cancellable))
    g_signal_emit (run->prober, signals[ENDPOINT_FINISHED], 0, state->index, result);
}

/* An endpoint that could not be tried at all (its name was not found, or
 * none of its addresses answered). */
static void
finish_endpoint_unreached (RunData       *run,
                           EndpointState *state,
                           MtcStatus      status,
                           const char    *detail)
{
  MtcEndpointResult *result = mtc_endpoint_result_new (state->endpoint);

  result->status = status;
  result->detail = g_strdup (detail);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      gboolean available = run->diagnosis->local->versions_available[v];

      /* Without an address no version was tried at all. */
      result->versions[v] = available && status != MTC_STATUS_DNS_ERROR ? MTC_VERSION_ERROR : MTC_VERSION_NOT_TESTED;
      result->version_details[v] = g_strdup (detail);
      result->version_reasons[v] = g_strdup (available ? "unreached" : "not-offered-locally");
    }
  result->negotiated_error = g_strdup (detail);
  result->elapsed_ms = (g_get_monotonic_time () - run->start_us) / 1000;
  finish_endpoint (run, state, result);
}

static void
finish_unstarted (RunData       *run,
                  EndpointState *state)
{
  state->finished = TRUE;
  run->n_finished++;
}

static Job *
job_new (EndpointState *state,
         guint          slot)
{
  Job *job = g_new0 (Job, 1);

  job->endpoint = state;
  job->slot = slot;
  job->cost = 1;
  state->n_pending++;
  state->n_first++;
  return job;
}

/* Whether the default handshake leaves the TLS 1.3 cell open: it did not
 * finish (a TLS 1.3 probe may still succeed where the default settings
 * fail).  One that ran into its deadline is not repeated: a TLS 1.3 probe
 * would wait as long. */
static gboolean
needs_tls13_probe (RunData         *run,
                   MtcProbeOutcome *def)
{
  if (!run->diagnosis->local->versions_available[MTC_TLS_1_3])
    return FALSE;
  if (def == NULL)
    return TRUE;
  if (def->status == MTC_STATUS_TIMEOUT || def->elapsed_ms >= run->prober->timeout_ms)
    return FALSE;
  if (def->tls != NULL)
    return !def->tls->handshake_done;
  return def->reached_tls;
}

/* Whether the server turned this probe away as one connection too many: it
 * said so, or it hung up before greeting while other probes to that port
 * were open. */
static gboolean
was_turned_away (RunData         *run,
                 EndpointState   *state,
                 Job             *job,
                 MtcProbeOutcome *outcome)
{
  if (outcome == NULL)
    return FALSE;
  if (outcome->turned_away)
    return TRUE;
  return outcome->hung_up_early && (job->others_open || active_count (run, state->service_key) > 0);
}

static void
set_outcome (EndpointState   *state,
             guint            slot,
             MtcProbeOutcome *outcome)
{
  mtc_probe_outcome_free (state->outcomes[slot]);
  state->outcomes[slot] = outcome;
}

/* The retries still waiting end with what their last try found. */
static void
conclude_retries (EndpointState *state,
                  gboolean       hang_ups_only)
{
  GList *link = state->retries.head;

  while (link != NULL)
    {
      GList *next = link->next;
      Job *job = link->data;
      MtcProbeOutcome *outcome = state->outcomes[job->slot];

      if (!hang_ups_only || (outcome != NULL && !outcome->turned_away && outcome->hung_up_early))
        {
          g_queue_delete_link (&state->retries, link);
          state->n_pending--;
          g_free (job);
        }
      link = next;
    }
}

/* One retry at a time to one server address, across its endpoints: a
 * per-client limit of one must not see two of them at once. */
static char *
retry_key (EndpointState *state)
{
  return g_strconcat ("retry|", state->address_text, NULL);
}

static void
retry_finished (RunData       *run,
                EndpointState *state)
{
  g_autofree char *key = NULL;

  if (!state->retry_busy)
    return;
  state->retry_busy = FALSE;
  key = retry_key (state);
  active_add (run, key, -1);
}

static gboolean
retry_due_cb (gpointer user_data)
{
  EndpointState *state = user_data;
  RunData *run = state->run;
  Job *job = g_queue_pop_head (&state->retries);

  g_clear_pointer (&state->retry_timer, g_source_unref);
  if (job != NULL)
    g_queue_push_head (&run->queue, job);
  else
    retry_finished (run, state);
  pump (run);
  return G_SOURCE_REMOVE;
}

/* Retries wait until every other probe to that server address has finished
 * (a per-client limit such as Exim's smtp_accept_max_per_host counts the
 * connections to all its ports together), then run one at a time, each
 * after a short pause. */
static void
maybe_start_retry (RunData       *run,
                   EndpointState *state)
{
  Job *job = g_queue_peek_head (&state->retries);
  g_autofree char *key = retry_key (state);

  if (job == NULL || state->retry_busy || state->n_first > 0 || active_count (run, state->address_text) > 0
      || active_count (run, key) > 0)
    return;
  state->retry_busy = TRUE;
  active_add (run, key, 1);
  g_debug ("prober: %s port %u: %s turned away; retry %u in %u ms, alone", state->address_text,
           state->endpoint->port, slot_label (job->slot), job->attempt, RETRY_BACKOFF_MS << (job->attempt - 1));
  state->retry_timer = g_timeout_source_new (RETRY_BACKOFF_MS << (job->attempt - 1));
  g_source_set_callback (state->retry_timer, retry_due_cb, state, NULL);
  g_source_set_static_name (state->retry_timer, "[mtc] retry backoff");
  g_source_attach (state->retry_timer, g_main_context_get_thread_default ());
}

static void
start_retries (RunData *run)
{
  for (guint i = 0; i < run->retrying->len; )
    {
      EndpointState *state = g_ptr_array_index (run->retrying, i);

      if (g_queue_is_empty (&state->retries) && !state->retry_busy)
        g_ptr_array_remove_index_fast (run->retrying, i);
      else
        {
          maybe_start_retry (run, state);
          i++;
        }
    }
}

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  EndpointState *state = job->endpoint;
  RunData *run = state->run;
  g_autoptr(GError) error = NULL;
  MtcProbeOutcome *outcome = mtc_probe_finish (result, &error);
  gboolean turned_away;

  active_add (run, state->address_text, -1);
  active_add (run, state->service_key, -1);
  run->n_sockets--;
  run->n_running--;
  if (job->attempt == 0)
    state->n_first--;
  else
    retry_finished (run, state);
  turned_away = was_turned_away (run, state, job, outcome);
  log_outcome (state, job, outcome, error);
  if (turned_away)
    g_debug ("prober: %s port %u: %s was turned away as one connection too many", state->address_text,
             state->endpoint->port, slot_label (job->slot));
  set_outcome (state, job->slot, outcome);

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      conclude_retries (state, FALSE);
      state->n_pending--;
      g_free (job);
    }
  else if (turned_away && job->attempt < MAX_RETRIES)
    {
      job->attempt++;
      /* A retry turned away again keeps its place at the head. */
      if (job->attempt > 1)
        g_queue_push_head (&state->retries, job);
      else
        g_queue_push_tail (&state->retries, job);
      if (!g_ptr_array_find (run->retrying, state, NULL))
        g_ptr_array_add (run->retrying, state);
    }
  else
    {
      /* A server that turns away even a lone connection, or hangs up on it,
       * would do the same to the other retries. */
      if (job->attempt > 0 && turned_away)
        conclude_retries (state, FALSE);
      else if (job->attempt > 0 && outcome != NULL && outcome->hung_up_early)
        conclude_retries (state, TRUE);
      if (job->slot == DEFAULT_PROBE && needs_tls13_probe (run, outcome))
        g_queue_push_head (&run->queue, job_new (state, MTC_TLS_1_3));
      state->n_pending--;
      g_free (job);
    }

  if (state->n_pending == 0 && !g_cancellable_is_cancelled (run->cancellable))
    finish_endpoint (run, state, judge (run, state));
  else if (state->n_pending == 0)
    finish_unstarted (run, state);
  start_retries (run);
  pump (run);
  maybe_complete (run);
}

static void
start_probe (RunData           *run,
             Job               *job,
             GSocketConnection *connection)
{
  MtcProber *self = run->prober;
  EndpointState *state = job->endpoint;
  MtcProbeKind kind = job->slot == DEFAULT_PROBE ? MTC_PROBE_DEFAULT : MTC_PROBE_VERSION;
  MtcTlsVersion version = job->slot == DEFAULT_PROBE ? MTC_TLS_UNKNOWN : (MtcTlsVersion) job->slot;

  job->others_open = active_count (run, state->service_key) > 0;
  active_add (run, state->address_text, 1);
  active_add (run, state->service_key, 1);
  run->n_sockets++;
  run->n_running++;
  if (state->start_us == 0)
    state->start_us = g_get_monotonic_time ();
  g_debug ("prober: %s port %u: %s, %s%s", state->address_text, state->endpoint->port, slot_label (job->slot),
           connection != NULL ? "on the connection that won the race" : "connecting",
           job->attempt > 0 ? " (a retry)" : "");
  if (connection != NULL)
    mtc_probe_connected_async (state->endpoint, connection, kind, version, self->timeout_ms, run->cancellable,
                               probe_done_cb, job);
  else
    mtc_probe_async (state->endpoint, state->address, kind, version, self->timeout_ms, run->cancellable,
                     probe_done_cb, job);
}

static void
set_address (EndpointState *state,
             GInetAddress  *address)
{
  state->address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, state->endpoint->port));
  state->address_text = g_inet_address_to_string (address);
  state->service_key = g_strdup_printf ("%s|%u", state->address_text, state->endpoint->port);
}

/* The endpoint's probes: the default handshake first (it decides whether a
 * TLS 1.3 probe is needed), then the versions this computer offers. */
static void
queue_probes (RunData       *run,
              EndpointState *state,
              gboolean       with_default)
{
  if (with_default)
    g_queue_push_tail (&run->queue, job_new (state, DEFAULT_PROBE));
  for (guint slot = 0; slot < MTC_TLS_1_3; slot++)
    if (run->diagnosis->local->versions_available[slot])
      g_queue_push_tail (&run->queue, job_new (state, slot));
}

static void
race_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  EndpointState *state = job->endpoint;
  RunData *run = state->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = mtc_connect_race_finish (result, &state->address_failures, &error);

  run->n_sockets -= job->cost;
  run->n_running--;
  job->race = FALSE;
  job->cost = 1;
  if (state->address_failures != NULL && state->address_failures->len == 0)
    g_clear_pointer (&state->address_failures, g_ptr_array_unref);

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      state->n_pending--;
      state->n_first--;
      g_free (job);
      finish_unstarted (run, state);
    }
  else if (connection == NULL)
    {
      MtcAddressFailure *first = state->address_failures != NULL && state->address_failures->len > 0
                                 ? g_ptr_array_index (state->address_failures, 0) : NULL;

      g_debug ("prober: %s: no address answered on port %u", state->endpoint->host, state->endpoint->port);
      state->n_pending--;
      state->n_first--;
      g_free (job);
      finish_endpoint_unreached (run, state, first != NULL ? first->status : MTC_STATUS_UNREACHABLE,
                                 first != NULL ? first->detail : error->message);
    }
  else
    {
      g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

      set_address (state, g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
      g_debug ("prober: %s: %s answered first on port %u", state->endpoint->host, state->address_text,
               state->endpoint->port);
      /* The winning connection is the first probe's: no round trip wasted. */
      start_probe (run, job, connection);
      queue_probes (run, state, FALSE);
    }
  pump (run);
  maybe_complete (run);
}

static void
start_race (RunData *run,
            Job     *job)
{
  EndpointState *state = job->endpoint;

  run->n_sockets += job->cost;
  run->n_running++;
  state->start_us = g_get_monotonic_time ();
  g_debug ("prober: %s: racing %u addresses on port %u, %u at a time", state->endpoint->host,
           g_list_length (state->candidates), state->endpoint->port, job->cost);
  mtc_connect_race_async (state->candidates, state->endpoint->port, run->prober->timeout_ms, job->cost,
                          run->cancellable, race_done_cb, job);
}

static void
pump (RunData *run)
{
  MtcProber *self = run->prober;
  GList *link = run->queue.head;

  while (link != NULL && (run->n_sockets < run->max_sockets || g_cancellable_is_cancelled (run->cancellable)))
    {
      GList *next = link->next;
      Job *job = link->data;
      EndpointState *state = job->endpoint;

      if (g_cancellable_is_cancelled (run->cancellable))
        {
          g_queue_delete_link (&run->queue, link);
          if (job->attempt == 0)
            state->n_first--;
          else
            retry_finished (run, state);
          g_free (job);
          if (--state->n_pending == 0)
            {
              conclude_retries (state, FALSE);
              finish_unstarted (run, state);
            }
        }
      else if (job->race)
        {
          if (run->n_sockets + job->cost <= run->max_sockets)
            {
              g_queue_delete_link (&run->queue, link);
              start_race (run, job);
            }
        }
      else if (active_count (run, state->address_text) < MTC_PROBER_MAX_PER_ADDRESS
               && active_count (run, state->service_key) < self->max_connections)
        {
          g_queue_delete_link (&run->queue, link);
          start_probe (run, job, NULL);
        }
      link = next;
    }
}

static void
schedule_endpoint (RunData       *run,
                   EndpointState *state,
                   GInetAddress  *address)
{
  set_address (state, address);
  queue_probes (run, state, TRUE);
}

/* A name with several addresses: the default probe connects through the
 * race between them, and the other probes follow it to the winner. */
static void
schedule_race (RunData       *run,
               EndpointState *state,
               GList         *addresses)
{
  Job *job = job_new (state, DEFAULT_PROBE);

  for (GList *l = addresses; l != NULL; l = l->next)
    state->candidates = g_list_prepend (state->candidates, g_object_ref (l->data));
  state->candidates = g_list_reverse (state->candidates);
  job->race = TRUE;
  job->cost = MIN (g_list_length (addresses), 2);
  g_queue_push_tail (&run->queue, job);
}

static void
lookup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Lookup *lookup = user_data;
  RunData *run = lookup->run;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  g_autofree char *detail = NULL;

  run->n_running--;
  if (addresses != NULL)
    g_debug ("prober: %s has %u addresses", lookup->host, g_list_length (addresses));
  else
    g_debug ("prober: %s: no address (%s)", lookup->host,
             mtc_deadline_expired (lookup->deadline) ? "no answer in time" : error ? error->message : "none");
  if (addresses == NULL)
    {
      g_autofree char *waited = mtc_seconds_describe (run->prober->timeout_ms / 1000.0);

      if (mtc_deadline_expired (lookup->deadline))
        /* TRANSLATORS: the first %s is a server's name, the second a length of time, "10 seconds" */
        detail = g_strdup_printf (_("The name service gave no answer for “%s” within %s. Is this "
                                    "computer connected to the internet?"), lookup->host, waited);
      else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
        detail = g_strdup_printf (_("The server name “%s” could not be looked up: the name service did not "
                                    "answer. Is this computer connected to the internet?"), lookup->host);
      /* "No such name" from a computer without a network says nothing
       * about the name (the system's resolver answers so without asking). */
      else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
               && !g_network_monitor_get_network_available (g_network_monitor_get_default ()))
        detail = g_strdup_printf (_("The server name “%s” could not be looked up: this computer has no network "
                                    "connection."), lookup->host);
      /* No address and no error either (GLib's resolver never answers so,
       * another GResolver might): as good as a name without addresses. */
      else if (error == NULL || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        detail = g_strdup_printf (_("The server name “%s” does not exist. Check the spelling."), lookup->host);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* TRANSLATORS: the first %s is a server name, the second the system's message */
        detail = g_strdup_printf (_("The server name “%s” could not be looked up: %s. Is this computer "
                                    "connected to the internet?"), lookup->host, error->message);
    }

  for (guint i = 0; i < lookup->waiting->len; i++)
    {
      EndpointState *state = g_ptr_array_index (lookup->waiting, i);

      if (g_cancellable_is_cancelled (run->cancellable))
        {
          state->finished = TRUE;
          run->n_finished++;
        }
      else if (addresses == NULL)
        finish_endpoint_unreached (run, state, MTC_STATUS_DNS_ERROR, detail);
      else if (addresses->next != NULL)
        schedule_race (run, state, addresses);
      else
        schedule_endpoint (run, state, addresses->data);
    }
  g_resolver_free_addresses (addresses);
  g_hash_table_remove (run->lookups, lookup->host);
  pump (run);
  maybe_complete (run);
}

static void
start_lookup (RunData       *run,
              EndpointState *state)
{
  MtcProber *self = run->prober;
  Lookup *lookup = g_hash_table_lookup (run->lookups, state->endpoint->host);
  g_autoptr(GResolver) resolver = NULL;

  if (lookup != NULL)
    {
      g_ptr_array_add (lookup->waiting, state);
      return;
    }
  lookup = g_new0 (Lookup, 1);
  lookup->run = run;
  lookup->host = g_strdup (state->endpoint->host);
  lookup->waiting = g_ptr_array_new ();
  g_ptr_array_add (lookup->waiting, state);
  g_hash_table_insert (run->lookups, lookup->host, lookup);

  lookup->deadline = mtc_deadline_new (self->timeout_ms, NULL, "[mtc] lookup deadline");
  g_debug ("prober: looking up %s", lookup->host);

  run->n_running++;
  resolver = self->resolver ? g_object_ref (self->resolver) : g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, lookup->host, mtc_deadline_get_cancellable (lookup->deadline),
                                   lookup_done_cb, lookup);
}

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
lookups_cancel (gpointer key,
                gpointer value,
                gpointer user_data)
{
  Lookup *lookup = value;
  mtc_deadline_cancel (lookup->deadline);
}

static void
own_cancelled_cb (GCancellable *cancellable,
                  RunData      *run)
{
  g_hash_table_foreach (run->lookups, lookups_cancel, NULL);
}

static void
mtc_prober_finalize (GObject *object)
{
  MtcProber *self = MTC_PROBER (object);

  g_ptr_array_unref (self->anchors);
  g_clear_object (&self->resolver);
  G_OBJECT_CLASS (mtc_prober_parent_class)->finalize (object);
}

static void
mtc_prober_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MtcProber *self = MTC_PROBER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_prober_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MtcProber *self = MTC_PROBER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      mtc_prober_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_CONNECTIONS:
      mtc_prober_set_max_connections (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_prober_class_init (MtcProberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mtc_prober_finalize;
  object_class->get_property = mtc_prober_get_property;
  object_class->set_property = mtc_prober_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 100, 600000, MTC_PROBER_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* At most this many connections open at once to one port of one address. */
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, MTC_PROBER_MAX_PER_SERVICE, MTC_PROBER_MAX_PER_SERVICE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MtcProber::endpoint-finished:
   * @index: the endpoint's position in the list given to mtc_prober_run_async()
   * @result: (type gpointer): its #MtcEndpointResult, owned by the diagnosis
   */
  signals[ENDPOINT_FINISHED] =
    g_signal_new ("endpoint-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_POINTER);
}

static void
mtc_prober_init (MtcProber *self)
{
  self->timeout_ms = MTC_PROBER_DEFAULT_TIMEOUT_MS;
  self->max_connections = MTC_PROBER_MAX_PER_SERVICE;
  self->anchors = g_ptr_array_new_with_free_func (g_object_unref);
}

MtcProber *
mtc_prober_new (void)
{
  return g_object_new (MTC_TYPE_PROBER, NULL);
}

void
mtc_prober_set_timeout (MtcProber *self,
                        guint      timeout_ms)
{
  g_return_if_fail (MTC_IS_PROBER (self));

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
mtc_prober_get_timeout (MtcProber *self)
{
  g_return_val_if_fail (MTC_IS_PROBER (self), 0);
  return self->timeout_ms;
}

/* Lowers the number of connections open at once to one port of one address
 * (1 to MTC_PROBER_MAX_PER_SERVICE), for servers that allow fewer. */
void
mtc_prober_set_max_connections (MtcProber *self,
                                guint      max_connections)
{
  g_return_if_fail (MTC_IS_PROBER (self));
  g_return_if_fail (max_connections >= 1 && max_connections <= MTC_PROBER_MAX_PER_SERVICE);

  if (self->max_connections == max_connections)
    return;
  self->max_connections = max_connections;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONNECTIONS]);
}

guint
mtc_prober_get_max_connections (MtcProber *self)
{
  g_return_val_if_fail (MTC_IS_PROBER (self), 0);
  return self->max_connections;
}

/* How many sockets the probes may hold at once: from the soft limit on open
 * descriptors, keeping RESERVED_DESCRIPTORS back for GIO, the TLS backend,
 * the resolver and the main loop, and at most half the limit. */
guint
mtc_prober_get_max_sockets (void)
{
  struct rlimit limit;
  rlim_t budget;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return MAX_SOCKETS;
  if (limit.rlim_cur <= RESERVED_DESCRIPTORS + 2)
    return 1;
  budget = MIN (limit.rlim_cur - RESERVED_DESCRIPTORS, limit.rlim_cur / 2);
  return (guint) CLAMP (budget, 2, MAX_SOCKETS);
}

/* Certificates from ANCHOR's authority are checked against ANCHOR instead of
 * the system's trust store (the demo provider's authority, or a provider's
 * private one); NULL forgets every anchor. */
void
mtc_prober_set_trust_anchor (MtcProber       *self,
                             GTlsCertificate *anchor)
{
  g_return_if_fail (MTC_IS_PROBER (self));
  g_ptr_array_set_size (self->anchors, 0);
  if (anchor != NULL)
    mtc_prober_add_trust_anchor (self, anchor);
}

void
mtc_prober_add_trust_anchor (MtcProber       *self,
                             GTlsCertificate *anchor)
{
  g_return_if_fail (MTC_IS_PROBER (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (anchor));
  g_ptr_array_add (self->anchors, g_object_ref (anchor));
}

void
mtc_prober_set_resolver (MtcProber *self,
                         GResolver *resolver)
{
  g_return_if_fail (MTC_IS_PROBER (self));
  g_set_object (&self->resolver, resolver);
}

void
mtc_prober_run_async (MtcProber           *self,
                      GPtrArray           *endpoints,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  RunData *run;

  g_return_if_fail (MTC_IS_PROBER (self));
  g_return_if_fail (endpoints != NULL);

  run = g_new0 (RunData, 1);
  run->prober = g_object_ref (self);
  run->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (run->task, mtc_prober_run_async);
  g_task_set_task_data (run->task, run, (GDestroyNotify) run_data_free);
  run->start_us = g_get_monotonic_time ();
  run->cancellable = g_cancellable_new ();
  g_signal_connect (run->cancellable, "cancelled", G_CALLBACK (own_cancelled_cb), run);
  run->diagnosis = mtc_diagnosis_new ();
  run->diagnosis->local = mtc_local_info_detect ();
  run->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) endpoint_state_free);
  run->lookups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lookup_free);
  run->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&run->queue);
  run->retrying = g_ptr_array_new ();
  run->max_sockets = mtc_prober_get_max_sockets ();
  g_ptr_array_set_size (run->diagnosis->results, endpoints->len);

  for (guint i = 0; i < endpoints->len; i++)
    {
      EndpointState *state = g_new0 (EndpointState, 1);

      state->run = run;
      state->index = i;
      state->endpoint = mtc_endpoint_copy (g_ptr_array_index (endpoints, i));
      g_ptr_array_add (run->endpoints, state);
    }

  if (cancellable != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb),
                                                 run->cancellable, NULL);
    }

  for (guint i = 0; i < run->endpoints->len; i++)
    {
      EndpointState *state = g_ptr_array_index (run->endpoints, i);

      if (g_cancellable_is_cancelled (run->cancellable))
        finish_unstarted (run, state);
      else if (mtc_endpoint_is_ip_literal (state->endpoint))
        {
          g_autoptr(GInetAddress) address = g_inet_address_new_from_string (state->endpoint->host);
          schedule_endpoint (run, state, address);
        }
      else
        start_lookup (run, state);
    }
  if (run->endpoints->len > 0 && !g_cancellable_is_cancelled (run->cancellable))
    start_loading_trust_store (run);
  pump (run);
  maybe_complete (run);
}

MtcDiagnosis *
mtc_prober_run_finish (MtcProber    *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (MTC_IS_PROBER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
