/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void mtc_locale_setup           (int         argc,
                                 char      **argv,
                                 const char *localedir);
void mtc_locale_check_catalogue (const char *localedir);

G_END_DECLS
