/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-deadline.h"

struct _MtcDeadline
{
  GCancellable *cancellable;        /* ours */
  GCancellable *caller;
  gulong caller_id;
  GSource *timer;
  gboolean expired;
  MtcDeadlineFunc expired_func;
  gpointer expired_data;
};

static void
stop_timer (MtcDeadline *self)
{
  if (self->timer == NULL)
    return;
  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
timer_cb (gpointer user_data)
{
  MtcDeadline *self = user_data;
  g_autoptr(GCancellable) cancellable = g_object_ref (self->cancellable);

  g_clear_pointer (&self->timer, g_source_unref);
  self->expired = TRUE;
  /* It may free the deadline. */
  if (self->expired_func != NULL)
    self->expired_func (self->expired_data);
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* May run in any thread: only passes the cancellation on. */
static void
caller_cancelled_cb (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * mtc_deadline_new:
 * @timeout_ms: the time the work may take, from now
 * @caller: (nullable): the caller's cancellable, passed on to ours
 * @name: a static name for the timer, for profilers
 */
MtcDeadline *
mtc_deadline_new (guint         timeout_ms,
                  GCancellable *caller,
                  const char   *name)
{
  MtcDeadline *self = g_new0 (MtcDeadline, 1);

  g_return_val_if_fail (caller == NULL || G_IS_CANCELLABLE (caller), NULL);

  self->cancellable = g_cancellable_new ();
  if (caller != NULL)
    {
      self->caller = g_object_ref (caller);
      self->caller_id = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled_cb), self->cancellable, NULL);
    }
  self->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_static_name (self->timer, name);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
  return self;
}

/* FUNC is called when the time is up (never after mtc_deadline_stop() or
 * mtc_deadline_free()); it may free the deadline. */
void
mtc_deadline_set_expired_func (MtcDeadline     *self,
                               MtcDeadlineFunc  func,
                               gpointer         user_data)
{
  self->expired_func = func;
  self->expired_data = user_data;
}

/* Returns: (transfer none): the cancellable to give the work */
GCancellable *
mtc_deadline_get_cancellable (MtcDeadline *self)
{
  return self->cancellable;
}

/* Whether the time ran out (rather than the caller cancelling). */
gboolean
mtc_deadline_expired (MtcDeadline *self)
{
  return self->expired;
}

/* The work is done: the time no longer runs. */
void
mtc_deadline_stop (MtcDeadline *self)
{
  stop_timer (self);
}

/* Stops the timer and cancels the work. */
void
mtc_deadline_cancel (MtcDeadline *self)
{
  stop_timer (self);
  g_cancellable_cancel (self->cancellable);
}

void
mtc_deadline_free (MtcDeadline *self)
{
  if (self == NULL)
    return;
  stop_timer (self);
  if (self->caller != NULL)
    g_cancellable_disconnect (self->caller, self->caller_id);
  g_clear_object (&self->caller);
  g_clear_object (&self->cancellable);
  g_free (self);
}
