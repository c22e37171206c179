/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mtc_key_file_get_translated (GKeyFile    *keyfile,
                                   const char  *group,
                                   const char  *key,
                                   GError     **error);

G_END_DECLS
