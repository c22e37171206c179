/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

/* The model's MtcEndpointResult as a boxed type, so that signals carry it
 * typed (MtcCheck::endpoint-done, MtcSession::endpoint-finished). */
#define MTC_TYPE_ENDPOINT_RESULT (mtc_endpoint_result_get_type ())

GType              mtc_endpoint_result_get_type (void) G_GNUC_CONST;
MtcEndpointResult *mtc_endpoint_result_copy     (const MtcEndpointResult *result);

G_END_DECLS
