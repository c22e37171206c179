/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-numbers.h"
#include "mtc-connect.h"
#include "mtc-deadline.h"

/* Connecting to a server name with several addresses the way RFC 8305
 * ("Happy Eyeballs") describes: IPv6 first, the families interleaved, the
 * next address after MTC_CONNECT_ATTEMPT_DELAY_MS or at once when one fails;
 * the first connection that succeeds wins and the others are cancelled. */

typedef struct _Race Race;

typedef struct {
  Race *race;
  GInetAddress *address;
  GCancellable *cancellable;
  gint64 start_us;
  gboolean done;
} Attempt;

struct _Race {
  GTask *task;
  GList *addresses;         /* of GInetAddress, in the order they are tried */
  GList *next;              /* the next address to try */
  guint16 port;
  guint timeout_ms;
  guint max_attempts;
  guint n_running;
  GPtrArray *attempts;      /* of Attempt */
  GPtrArray *failures;      /* of MtcAddressFailure */
  GSocketClient *client;
  MtcDeadline *deadline;    /* its cancellable: the whole race's */
  GSource *delay;
  GSocketConnection *winner;
};

static void start_attempt (Race *race);

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Whether the race as a whole is over: cancelled, or out of time. */
static gboolean
race_cancelled (Race *race)
{
  return g_cancellable_is_cancelled (mtc_deadline_get_cancellable (race->deadline));
}

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->address);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

static void
race_free (Race *race)
{
  clear_source (&race->delay);
  g_list_free_full (race->addresses, g_object_unref);
  g_ptr_array_unref (race->attempts);
  g_clear_pointer (&race->failures, g_ptr_array_unref);
  g_clear_object (&race->client);
  if (race->deadline != NULL)
    g_signal_handlers_disconnect_by_data (mtc_deadline_get_cancellable (race->deadline), race);
  g_clear_pointer (&race->deadline, mtc_deadline_free);
  g_clear_object (&race->winner);
  g_free (race);
}

/* IPv6 first, then the families in turn, each in the resolver's order. */
GList *
mtc_connect_sort_addresses (GList *addresses)
{
  GQueue v6 = G_QUEUE_INIT;
  GQueue v4 = G_QUEUE_INIT;
  GList *sorted = NULL;

  for (GList *l = addresses; l != NULL; l = l->next)
    g_queue_push_tail (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV6 ? &v6 : &v4,
                       g_object_ref (l->data));
  while (!g_queue_is_empty (&v6) || !g_queue_is_empty (&v4))
    {
      if (!g_queue_is_empty (&v6))
        sorted = g_list_prepend (sorted, g_queue_pop_head (&v6));
      if (!g_queue_is_empty (&v4))
        sorted = g_list_prepend (sorted, g_queue_pop_head (&v4));
    }
  return g_list_reverse (sorted);
}

static void
add_failure (Race       *race,
             Attempt    *attempt,
             MtcStatus   status,
             const char *detail)
{
  g_autofree char *text = g_inet_address_to_string (attempt->address);

  g_ptr_array_add (race->failures, mtc_address_failure_new (text, status, detail));
}

static void
record_error (Race    *race,
              Attempt *attempt,
              GError  *error)
{
  g_autofree char *detail = NULL;
  MtcStatus status = MTC_STATUS_UNREACHABLE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      status = MTC_STATUS_REFUSED;
      detail = g_strdup_printf (_("The server refused the connection on port %u: nothing listens "
                                  "there, or a firewall rejects it."), race->port);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    /* TRANSLATORS: %s is the system's message */
    detail = g_strdup_printf (_("The server cannot be reached from this computer: %s."), error->message);
  else
    /* TRANSLATORS: %s is the system's message */
    detail = g_strdup_printf (_("Connecting failed: %s."), error->message);
  add_failure (race, attempt, status, detail);
}

/* Ends the race once nothing runs any more. */
static void
maybe_finish (Race *race)
{
  GTask *task;

  if (race->n_running > 0 || race->task == NULL)
    return;
  if (race->winner == NULL && race->next != NULL && !race_cancelled (race))
    return;
  task = g_steal_pointer (&race->task);
  clear_source (&race->delay);
  mtc_deadline_stop (race->deadline);
  if (race->winner != NULL)
    g_task_return_pointer (task, g_steal_pointer (&race->winner), g_object_unref);
  else if (race->failures->len > 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                             ((MtcAddressFailure *) g_ptr_array_index (race->failures, 0))->detail);
  else if (mtc_deadline_expired (race->deadline))
    {
      g_autofree char *waited = mtc_seconds_describe (race->timeout_ms / 1000.0);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("No answer within %s when connecting: something between this computer and "
                                 "the server drops the connection."), waited);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The check was cancelled."));
  g_object_unref (task);
}

static void
attempt_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  Race *race = attempt->race;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);

  attempt->done = TRUE;
  race->n_running--;
  if (connection != NULL && race->winner == NULL && !race_cancelled (race))
    {
      race->winner = g_steal_pointer (&connection);
      /* The others lost: whatever they were doing is cut short. */
      for (guint i = 0; i < race->attempts->len; i++)
        {
          Attempt *other = g_ptr_array_index (race->attempts, i);

          if (!other->done)
            {
              g_autofree char *waited = mtc_seconds_describe ((g_get_monotonic_time () - other->start_us) / 1e6);
              /* TRANSLATORS: %s is a length of time, "0.3 seconds" */
              g_autofree char *detail = g_strdup_printf (_("No answer within %s, while another address "
                                                           "of the server answered."), waited);

              add_failure (race, other, MTC_STATUS_TIMEOUT, detail);
              g_cancellable_cancel (other->cancellable);
            }
        }
      race->next = NULL;
    }
  else if (connection == NULL && race->winner == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        record_error (race, attempt, error);
      else if (mtc_deadline_expired (race->deadline))
        {
          g_autofree char *waited = mtc_seconds_describe (race->timeout_ms / 1000.0);
          /* TRANSLATORS: %s is a length of time, "10 seconds" */
          g_autofree char *detail = g_strdup_printf (_("No answer within %s when connecting: something "
                                                       "between this computer and the server drops the "
                                                       "connection."), waited);
          add_failure (race, attempt, MTC_STATUS_TIMEOUT, detail);
        }
      /* A failure starts the next attempt at once. */
      if (race->next != NULL && !race_cancelled (race))
        start_attempt (race);
    }
  maybe_finish (race);
}

static gboolean
delay_cb (gpointer user_data)
{
  Race *race = user_data;

  g_clear_pointer (&race->delay, g_source_unref);
  if (race->next != NULL && race->winner == NULL)
    start_attempt (race);
  return G_SOURCE_REMOVE;
}

static void
start_attempt (Race *race)
{
  Attempt *attempt;
  g_autoptr(GSocketAddress) address = NULL;

  clear_source (&race->delay);
  if (race->next == NULL)
    return;
  /* Every socket the caller allowed is busy: the next one waits for a failure. */
  if (race->n_running >= race->max_attempts)
    return;
  attempt = g_new0 (Attempt, 1);
  attempt->race = race;
  attempt->address = g_object_ref (race->next->data);
  attempt->cancellable = g_cancellable_new ();
  attempt->start_us = g_get_monotonic_time ();
  race->next = race->next->next;
  g_ptr_array_add (race->attempts, attempt);
  race->n_running++;
  address = g_inet_socket_address_new (attempt->address, race->port);
  g_socket_client_connect_async (race->client, G_SOCKET_CONNECTABLE (address), attempt->cancellable,
                                 attempt_done_cb, attempt);
  if (race->next != NULL)
    {
      race->delay = g_timeout_source_new (MTC_CONNECT_ATTEMPT_DELAY_MS);
      g_source_set_callback (race->delay, delay_cb, race, NULL);
      g_source_set_static_name (race->delay, "[mtc] connection attempt delay");
      g_source_attach (race->delay, g_main_context_get_thread_default ());
    }
}

static void
cancel_all (Race *race)
{
  race->next = NULL;
  clear_source (&race->delay);
  for (guint i = 0; i < race->attempts->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (race->attempts, i);

      if (!attempt->done)
        g_cancellable_cancel (attempt->cancellable);
    }
}

static void
own_cancelled_cb (GCancellable *cancellable,
                  Race         *race)
{
  cancel_all (race);
}

/* Connects to PORT on the first of ADDRESSES that answers, with at most
 * MAX_ATTEMPTS sockets open at once, within TIMEOUT_MS in all. */
void
mtc_connect_race_async (GList               *addresses,
                        guint16              port,
                        guint                timeout_ms,
                        guint                max_attempts,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Race *race = g_new0 (Race, 1);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (addresses != NULL);

  g_task_set_source_tag (task, mtc_connect_race_async);
  g_task_set_task_data (task, race, (GDestroyNotify) race_free);
  race->task = task;
  race->addresses = mtc_connect_sort_addresses (addresses);
  race->next = race->addresses;
  race->port = port;
  race->timeout_ms = timeout_ms;
  race->max_attempts = MAX (max_attempts, 1);
  race->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) attempt_free);
  race->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_address_failure_free);
  race->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (race->client, FALSE);
  race->deadline = mtc_deadline_new (timeout_ms, cancellable, "[mtc] connection race deadline");
  g_signal_connect (mtc_deadline_get_cancellable (race->deadline), "cancelled", G_CALLBACK (own_cancelled_cb), race);

  /* The task holds itself until maybe_finish() returns it. */
  g_object_ref (task);
  start_attempt (race);
  g_object_unref (task);
}

/* Returns the winning connection, or NULL with ERROR; *FAILURES (when not
 * NULL) gets the addresses that failed, in the order they were tried. */
GSocketConnection *
mtc_connect_race_finish (GAsyncResult  *result,
                         GPtrArray    **failures,
                         GError       **error)
{
  Race *race;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  race = g_task_get_task_data (G_TASK (result));
  if (failures != NULL)
    *failures = g_steal_pointer (&race->failures);
  return g_task_propagate_pointer (G_TASK (result), error);
}
