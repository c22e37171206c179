/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mtc-diagnosis.h"
#include "mtc-verdict.h"
#include "mtc-words.h"

G_BEGIN_DECLS

#define MTC_JSON_SCHEMA 2

char *mtc_report_to_json (const MtcDiagnosis *diagnosis);
char *mtc_report_to_json_with_verdict (const MtcDiagnosis *diagnosis,
                                       const MtcVerdict   *verdict);
char *mtc_report_to_json_full (const MtcDiagnosis *diagnosis,
                               const MtcVerdict   *verdict,
                               JsonNode           *discoveries);
char *mtc_report_to_text (const MtcDiagnosis *diagnosis);
char *mtc_report_to_text_with_verdict (const MtcDiagnosis *diagnosis,
                                       const MtcVerdict   *verdict,
                                       const char         *found);

char *mtc_verdict_to_json      (const MtcVerdict     *verdict);
char *mtc_verdict_to_text      (const MtcVerdict     *verdict);

G_END_DECLS
