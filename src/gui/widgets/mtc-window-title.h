/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MTC_TYPE_WINDOW_TITLE (mtc_window_title_get_type ())
G_DECLARE_FINAL_TYPE (MtcWindowTitle, mtc_window_title, MTC, WINDOW_TITLE, GtkBox)

GtkWidget *mtc_window_title_new (const char *title);
void       mtc_window_title_set_subtitle (MtcWindowTitle *self,
                                          const char     *subtitle);

G_END_DECLS
