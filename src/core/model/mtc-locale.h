/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     mtc_locale_setup              (int         argc,
                                        char      **argv,
                                        const char *localedir);
void     mtc_locale_check_catalogue    (const char *localedir);

gboolean mtc_locale_is_available       (const char *language);
GStrv    mtc_locale_list_languages     (void);
char    *mtc_locale_describe_languages (void);
char    *mtc_locale_get_language_name  (const char *language);
char    *mtc_locale_get_language       (void);
void     mtc_locale_set_language       (const char *language);

G_END_DECLS
