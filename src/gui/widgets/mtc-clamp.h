/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MTC_TYPE_CLAMP (mtc_clamp_get_type ())
G_DECLARE_FINAL_TYPE (MtcClamp, mtc_clamp, MTC, CLAMP, GtkBin)

GtkWidget *mtc_clamp_new (int max_width_chars);

G_END_DECLS
