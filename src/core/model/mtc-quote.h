/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mtc_quote_text (const char *text,
                      gssize      len,
                      gsize       max_chars);

G_END_DECLS
