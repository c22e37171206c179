/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A piece of work's own cancellable, cancelled when the caller's is, when
 * its time is up, or by hand; one deadline for each step that waits on the
 * network, so that a silent peer costs at most the timeout.  Lives in the
 * thread-default main context of the thread that made it. */
typedef struct _MtcDeadline MtcDeadline;

/* Called on the main context when the time is up, before the cancellable
 * is cancelled. */
typedef void (*MtcDeadlineFunc) (gpointer user_data);

MtcDeadline  *mtc_deadline_new             (guint            timeout_ms,
                                            GCancellable    *caller,
                                            const char      *name);
void          mtc_deadline_set_expired_func (MtcDeadline    *self,
                                            MtcDeadlineFunc  func,
                                            gpointer         user_data);
GCancellable *mtc_deadline_get_cancellable (MtcDeadline     *self);
gboolean      mtc_deadline_expired         (MtcDeadline     *self);
void          mtc_deadline_stop            (MtcDeadline     *self);
void          mtc_deadline_cancel          (MtcDeadline     *self);
void          mtc_deadline_free            (MtcDeadline     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcDeadline, mtc_deadline_free)

G_END_DECLS
