/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mtc-session.h"

G_BEGIN_DECLS

#define MTC_TYPE_WINDOW (mtc_window_get_type ())
G_DECLARE_FINAL_TYPE (MtcWindow, mtc_window, MTC, WINDOW, GtkApplicationWindow)

MtcWindow  *mtc_window_new            (GtkApplication *application,
                                       MtcSession     *session);
MtcSession *mtc_window_get_session    (MtcWindow      *self);
guint       mtc_window_get_page_index (MtcWindow      *self);
void        mtc_window_go_to_page     (MtcWindow      *self,
                                       guint           index);
void        mtc_window_show_message   (MtcWindow      *self,
                                       const char     *message);
void        mtc_window_restart        (MtcWindow      *self);

G_END_DECLS
