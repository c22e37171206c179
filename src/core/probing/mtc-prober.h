/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

/* At most this many connections at once to one server port (the default of
 * mtc_prober_set_max_connections()), and to one server address in all. */
#define MTC_PROBER_MAX_PER_SERVICE 4
#define MTC_PROBER_MAX_PER_ADDRESS 36

#define MTC_PROBER_DEFAULT_TIMEOUT_MS 10000

#define MTC_TYPE_PROBER (mtc_prober_get_type ())
G_DECLARE_FINAL_TYPE (MtcProber, mtc_prober, MTC, PROBER, GObject)

MtcProber    *mtc_prober_new               (void);
void          mtc_prober_set_timeout       (MtcProber       *self,
                                            guint            timeout_ms);
guint         mtc_prober_get_timeout       (MtcProber       *self);
void          mtc_prober_set_max_connections (MtcProber     *self,
                                            guint            max_connections);
guint         mtc_prober_get_max_connections (MtcProber     *self);
guint         mtc_prober_get_max_sockets   (void);
void          mtc_prober_set_trust_anchor  (MtcProber       *self,
                                            GTlsCertificate *anchor);
void          mtc_prober_add_trust_anchor  (MtcProber       *self,
                                            GTlsCertificate *anchor);
void          mtc_prober_set_resolver      (MtcProber       *self,
                                            GResolver       *resolver);
void          mtc_prober_set_network_monitor (MtcProber     *self,
                                            GNetworkMonitor *monitor);
void          mtc_prober_run_async         (MtcProber           *self,
                                            GPtrArray           *endpoints,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MtcDiagnosis *mtc_prober_run_finish        (MtcProber           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
