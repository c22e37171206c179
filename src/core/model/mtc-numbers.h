/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates and numbers written as the report's language writes them. */

char *mtc_date_describe    (GDateTime *date);
char *mtc_seconds_describe (double     seconds);

G_END_DECLS
