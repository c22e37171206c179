/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mtc-diagnosis.h"
#include "mtc-system.h"
#include "mtc-verdict.h"
#include "mtc-words.h"

G_BEGIN_DECLS

#define MTC_JSON_SCHEMA 2

/* The text report's lines are at most this long: webmail breaks longer ones. */
#define MTC_REPORT_WIDTH 76

/* What a report says about the check itself, besides the diagnosis and the
 * verdict; every field may be NULL. */
typedef struct {
  GDateTime *checked_at;        /* when the servers were checked */
  const MtcUserSide *user;      /* the person's side, as chosen (the e-mail address is the only personal datum) */
  MtcKnowledge *knowledge;      /* for the names of the user's program and system */
  const char *help_url;         /* the provider's help article the check came from */
  const char *found;            /* where the servers came from, in sentences */
  JsonNode *discoveries;        /* JSON: the addresses looked up (an array made by the check runner) */
} MtcReportContext;

char *mtc_report_to_json (const MtcDiagnosis *diagnosis);
char *mtc_report_to_json_with_verdict (const MtcDiagnosis *diagnosis,
                                       const MtcVerdict   *verdict);
char *mtc_report_to_text (const MtcDiagnosis *diagnosis);
char *mtc_report_to_text_with_verdict (const MtcDiagnosis *diagnosis,
                                       const MtcVerdict   *verdict,
                                       const char         *found);
char *mtc_report_to_text_full (const MtcDiagnosis     *diagnosis,
                               const MtcVerdict       *verdict,
                               const MtcReportContext *context);
char *mtc_report_to_json_full (const MtcDiagnosis     *diagnosis,
                               const MtcVerdict       *verdict,
                               const MtcReportContext *context);

char *mtc_verdict_to_json      (const MtcVerdict     *verdict);
char *mtc_verdict_to_text      (const MtcVerdict     *verdict);

G_END_DECLS
