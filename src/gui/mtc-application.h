/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MTC_TYPE_APPLICATION (mtc_application_get_type ())
G_DECLARE_FINAL_TYPE (MtcApplication, mtc_application, MTC, APPLICATION, GtkApplication)

MtcApplication *mtc_application_new (void);

G_END_DECLS
