/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

/* Words for the model's values that more than one layer says the same way. */

char *mtc_join_list             (GPtrArray     *items);
char *mtc_tls_versions_describe (const gboolean versions[MTC_N_TLS_VERSIONS]);
const char *mtc_version_result_describe (MtcVersionResult result);
char *mtc_certificate_flags_describe (GTlsCertificateFlags errors);
char *mtc_describe_common_failure (const MtcEndpointResult *result);

void        mtc_text_append_wrapped      (GString    *out,
                                          const char *first,
                                          guint       indent,
                                          guint       width,
                                          const char *text);

G_END_DECLS
