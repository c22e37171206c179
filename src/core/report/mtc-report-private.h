/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mtc-report.h"

G_BEGIN_DECLS

/* What the report's files share. */

void  mtc_json_add_string  (JsonBuilder      *builder,
                            const char       *key,
                            const char       *value);
char *mtc_json_to_text     (JsonNode         *root);
void  mtc_verdict_add_json (JsonBuilder      *builder,
                            const MtcVerdict *verdict);

G_END_DECLS
