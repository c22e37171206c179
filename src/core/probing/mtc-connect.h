/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

/* RFC 8305 "Connection Attempt Delay": how long one address may take before
 * the next one is tried beside it. */
#define MTC_CONNECT_ATTEMPT_DELAY_MS 250

gboolean           mtc_error_is_offline       (const GError        *error,
                                               gboolean             network_available);

GList             *mtc_connect_sort_addresses (GList               *addresses);

void               mtc_connect_race_async     (GList               *addresses,
                                               guint16              port,
                                               guint                timeout_ms,
                                               guint                max_attempts,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GSocketConnection *mtc_connect_race_finish    (GAsyncResult        *result,
                                               GPtrArray          **failures,
                                               GError             **error);

G_END_DECLS
