/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-diagnosis.h"
#include "mtc-verdict.h"

G_BEGIN_DECLS

#define MTC_JSON_SCHEMA 2

char *mtc_report_to_json (const MtcDiagnosis *diagnosis);
char *mtc_report_to_json_with_verdict (const MtcDiagnosis *diagnosis,
                                       const MtcVerdict   *verdict);
char *mtc_report_to_text (const MtcDiagnosis *diagnosis);
char *mtc_report_to_text_with_verdict (const MtcDiagnosis *diagnosis,
                                       const MtcVerdict   *verdict,
                                       const char         *found);
char *mtc_json_escape    (const char *text);
char *mtc_certificate_flags_describe (GTlsCertificateFlags errors);
char *mtc_report_join_list (GPtrArray *items);
const char *mtc_version_result_describe (MtcVersionResult result);
char *mtc_tls_versions_describe (const gboolean versions[MTC_N_TLS_VERSIONS]);
char *mtc_report_describe_common_failure (const MtcEndpointResult *result);

G_END_DECLS
