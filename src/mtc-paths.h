/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mtc_paths_relocate            (const char *own_dir,
                                     const char *configured);
char *mtc_paths_localedir           (const char *own_dir);

G_END_DECLS
