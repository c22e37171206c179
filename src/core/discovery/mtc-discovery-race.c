/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The race over the sources: autoconfig, Thunderbird's provider database
 * (ISPDB), SRV records, the MX record and the common names are asked at once, each a GTask operation with its own
 * deadline; the best one that found something wins, in the order of
 * MtcDiscoverySource, as soon as every better one has given up.  The
 * others are stopped, and every source's notes go into the result. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-discovery-private.h"

typedef enum {
  STATE_PENDING,
  STATE_FOUND,
  STATE_FAILED,
} State;

typedef struct {
  State state;
  GCancellable *cancellable;
  GPtrArray *notes;         /* of char *: what each of its questions found, or why not */
  GPtrArray *endpoints;     /* SRV, MX, common names: what it found */
  MtcDiscoveryResult *autoconfig; /* autoconfig, ISPDB: what it found */
} Source;

typedef struct {
  gatomicrefcount ref_count;
  GTask *task;              /* until the result is returned */
  GMainContext *context;
  MtcEmailAddress *address;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
  Source sources[MTC_DISCOVERY_N_SOURCES];
  MtcDiscoveryTally *tally; /* how every source's questions ended */
  gint64 start_us;
} Run;

/* A source's callback data. */
typedef struct {
  Run *run;
  MtcDiscoverySource kind;
} Entrant;

static Run *
run_ref (Run *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

static void
run_unref (Run *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;
  g_assert (run->task == NULL);
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      Source *source = &run->sources[i];

      g_clear_object (&source->cancellable);
      g_clear_pointer (&source->notes, g_ptr_array_unref);
      g_clear_pointer (&source->endpoints, g_ptr_array_unref);
      g_clear_pointer (&source->autoconfig, mtc_discovery_result_free);
    }
  g_clear_object (&run->caller_cancellable);
  g_clear_pointer (&run->tally, mtc_discovery_tally_unref);
  g_main_context_unref (run->context);
  mtc_email_address_free (run->address);
  g_free (run);
}

static Entrant *
entrant_new (Run                *run,
             MtcDiscoverySource  kind)
{
  Entrant *entrant = g_new (Entrant, 1);

  entrant->run = run_ref (run);
  entrant->kind = kind;
  return entrant;
}

static void
entrant_free (Entrant *entrant)
{
  run_unref (entrant->run);
  g_free (entrant);
}

/* Hands the result (or the error) to the caller and stops every source
 * still running; late answers find run->task NULL and only clean up. */
static void
run_return (Run                *run,
            MtcDiscoveryResult *result,
            GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&run->task);

  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    if (run->sources[i].cancellable != NULL)
      g_cancellable_cancel (run->sources[i].cancellable);
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->caller_cancellable, run->cancelled_id);
  run->cancelled_id = 0;

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) mtc_discovery_result_free);
  else
    g_task_return_error (task, error);
}

/* Returns: (transfer full) (nullable): the source's notes in one line */
static char *
join_notes (Source *source)
{
  g_auto(GStrv) parts = NULL;

  if (source->notes == NULL || source->notes->len == 0)
    return NULL;
  g_ptr_array_add (source->notes, NULL);
  parts = (char **) g_ptr_array_steal (source->notes, NULL);
  return g_strjoinv ("; ", parts);
}

static void
fill_notes (Run                *run,
            MtcDiscoveryResult *result)
{
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      Source *source = &run->sources[i];

      if (source->state == STATE_PENDING)
        mtc_discovery_note (source->notes, i, "%s", _("stopped: a better way already found the servers"));
      result->notes[i] = join_notes (source);
    }
}

/* Whether nothing was found because nothing could be asked: every
 * question failed as on a computer without internet (a failing or silent
 * name service, no route; "no such name" only where the network monitor
 * says there is no network), none got an answer. */
static gboolean
looks_offline (Run *run)
{
  return run->tally->n_answered == 0 && run->tally->n_unreachable > 0;
}

/* Every source failed: the error says whether this computer is offline or
 * the domain has no mail servers, and the MtcDiscovery keeps the notes. */
static void
fail (Run *run)
{
  MtcDiscoveryResult *failure = mtc_discovery_result_new (MTC_DISCOVERY_SOURCE_AUTOCONFIG, run->address);
  g_autoptr(GString) message = g_string_new (NULL);
  MtcError code;

  failure->offline = looks_offline (run);
  g_debug ("discovery: no source found servers for %s (%u answers, %u questions unanswered%s)",
           run->address->domain, run->tally->n_answered, run->tally->n_unreachable,
           failure->offline ? ": offline" : "");
  if (failure->offline)
    {
      code = MTC_ERROR_OFFLINE;
      g_string_append_printf (message, _("This computer cannot look up names on the internet right now, so the "
                                         "mail servers for “%s” could not be found. Check that this computer is "
                                         "connected to the internet, then check again."),
                              run->address->domain_display);
    }
  else
    {
      code = MTC_ERROR_NOT_FOUND;
      g_string_append_printf (message, _("No mail servers could be found for “%s”. Check the address for typing "
                                         "mistakes, or enter the names of the servers your provider gave you."),
                              run->address->domain_display);
    }
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      failure->notes[i] = join_notes (&run->sources[i]);
      if (failure->notes[i] != NULL)
        g_string_append_printf (message, "\n  %s: %s", mtc_discovery_source_describe (i), failure->notes[i]);
    }
  mtc_discovery_set_failure (MTC_DISCOVERY (g_task_get_source_object (run->task)), failure);
  run_return (run, NULL, g_error_new_literal (MTC_ERROR, code, message->str));
}

/* Ends the race once the best source that found something is known. */
static void
evaluate (Run *run)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;

  if (run->task == NULL)
    return;
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      Source *source = &run->sources[i];

      if (source->state == STATE_PENDING)
        return;
      if (source->state != STATE_FOUND)
        continue;

      if (i == MTC_DISCOVERY_SOURCE_AUTOCONFIG || i == MTC_DISCOVERY_SOURCE_ISPDB)
        result = g_steal_pointer (&source->autoconfig);
      else
        {
          result = mtc_discovery_result_new (i, run->address);
          g_ptr_array_extend_and_steal (result->endpoints, g_steal_pointer (&source->endpoints));
          result->guess = i >= MTC_DISCOVERY_SOURCE_MX;
        }
      g_debug ("discovery: %s wins with %u endpoints", mtc_discovery_source_to_string (i), result->endpoints->len);
      fill_notes (run, result);
      run_return (run, g_steal_pointer (&result), NULL);
      return;
    }

  fail (run);
}

static void
source_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Entrant *entrant = user_data;
  Run *run = entrant->run;
  Source *source = &run->sources[entrant->kind];
  g_autoptr(GError) error = NULL;

  if (entrant->kind == MTC_DISCOVERY_SOURCE_AUTOCONFIG || entrant->kind == MTC_DISCOVERY_SOURCE_ISPDB)
    source->autoconfig = mtc_autoconfig_fetch_finish (result, &error);
  else
    source->endpoints = mtc_dns_source_finish (result, &error);

  if (run->task != NULL && source->state == STATE_PENDING
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      source->state = error == NULL ? STATE_FOUND : STATE_FAILED;
      g_debug ("discovery: %s: %s after %" G_GINT64_FORMAT " ms", mtc_discovery_source_to_string (entrant->kind),
               error == NULL ? "found servers" : "found nothing", (g_get_monotonic_time () - run->start_us) / 1000);
      evaluate (run);
    }
  entrant_free (entrant);
}

static void
start_sources (Run                        *run,
               const MtcDiscoverySettings *settings)
{
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      Source *source = &run->sources[i];
      Entrant *entrant = entrant_new (run, i);

      source->state = STATE_PENDING;
      source->cancellable = g_cancellable_new ();
      g_debug ("discovery: %s: asking about %s, for at most %u ms", mtc_discovery_source_to_string (i),
               run->address->domain, settings->timeout_ms);
      if (i == MTC_DISCOVERY_SOURCE_AUTOCONFIG)
        mtc_autoconfig_fetch_async (settings->session, run->address, settings->https_port, settings->http_port,
                                    settings->timeout_ms, source->notes, run->tally, source->cancellable,
                                    source_done_cb, entrant);
      else if (i == MTC_DISCOVERY_SOURCE_ISPDB)
        mtc_ispdb_fetch_async (settings->session, settings->resolver, settings->ispdb_url, run->address,
                               settings->timeout_ms, source->notes, run->tally, source->cancellable, source_done_cb,
                               entrant);
      else
        mtc_dns_source_async (i, settings->resolver, run->address, settings->timeout_ms, source->notes, run->tally,
                              source->cancellable, source_done_cb, entrant);
    }
}

static gboolean
caller_cancelled_idle_cb (gpointer user_data)
{
  Run *run = user_data;

  if (run->task == NULL)
    return G_SOURCE_REMOVE;
  g_debug ("discovery: cancelled by the caller");
  run_return (run, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The search was cancelled.")));
  return G_SOURCE_REMOVE;
}

/* May run in any thread: only schedules the work on the run's context (and
 * g_cancellable_disconnect() must not be called from this handler). */
static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Run *run = user_data;
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (idle, caller_cancelled_idle_cb, run_ref (run), (GDestroyNotify) run_unref);
  g_source_set_static_name (idle, "[mtc] discovery cancelled");
  g_source_attach (idle, run->context);
  g_source_unref (idle);
}

/**
 * mtc_discovery_race:
 * @task: (transfer full): the task of mtc_discovery_run_async(), returned
 *   with an #MtcDiscoveryResult or an error
 * @address: (transfer full): the address whose servers are searched
 *
 * Starts the sources that use the network; the profiles were asked before.
 */
void
mtc_discovery_race (GTask                      *task,
                    const MtcDiscoverySettings *settings,
                    MtcEmailAddress            *address)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Run *run = g_new0 (Run, 1);

  g_atomic_ref_count_init (&run->ref_count);
  run->task = task;
  run->context = g_main_context_ref_thread_default ();
  run->address = address;
  run->start_us = g_get_monotonic_time ();
  run->tally = mtc_discovery_tally_new (g_network_monitor_get_network_available (settings->monitor));
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    run->sources[i].notes = g_ptr_array_new_with_free_func (g_free);
  run->sources[MTC_DISCOVERY_SOURCE_PROFILE].state = STATE_FAILED;
  start_sources (run, settings);

  if (cancellable != NULL && run->task != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb), run_ref (run),
                                                 (GDestroyNotify) run_unref);
    }
  run_unref (run);
}
