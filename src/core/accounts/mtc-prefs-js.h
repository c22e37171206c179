/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Thunderbird's (and Firefox's) prefs.js: lines of
 *   user_pref("name", value);
 * where value is a string in double or single quotes with backslash escapes,
 * an integer or true/false; comments as in C, C++ and shell scripts.  Mozilla
 * writes it (modules/libpref/Preferences.cpp, PREF_SavePrefs); its own parser
 * is modules/libpref/parser (Rust, since Firefox 68). */

#define MTC_PREFS_JS_MAX_SIZE (16 * 1024 * 1024)

/* The preferences by name: each value a GVariant of type "s", "x" or "b";
 * a later line wins over an earlier one, as in Mozilla's parser.  NULL and a
 * translated ERROR naming the line for anything that is not prefs.js. */
GHashTable *mtc_prefs_js_parse      (const char  *text,
                                     gsize        length,
                                     GError     **error);

/* NULL when the preference is missing or not a string. */
const char *mtc_prefs_js_get_string (GHashTable  *prefs,
                                     const char  *name);
/* FALSE when missing or not an integer. */
gboolean    mtc_prefs_js_get_int    (GHashTable  *prefs,
                                     const char  *name,
                                     gint64      *out);

G_END_DECLS
