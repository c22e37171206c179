/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mtc-account.h"
#include "mtc-demo-server.h"
#include "mtc-diagnosis.h"
#include "mtc-prober.h"

G_BEGIN_DECLS

/* A resolver that knows only the names (and SRV and MX records) it is told
 * (an address "a,b" gives a name several addresses, in that order),
 * counts its look-ups, fails for names in its failure list (or for every
 * name, as a failing name service does), and never answers for names in
 * its "silent" list. */
#define MTC_TYPE_TEST_RESOLVER (mtc_test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (MtcTestResolver, mtc_test_resolver, MTC, TEST_RESOLVER, GResolver)

MtcTestResolver *mtc_test_resolver_new        (void);
void             mtc_test_resolver_add        (MtcTestResolver *self,
                                               const char      *name,
                                               const char      *address);
void             mtc_test_resolver_add_silent (MtcTestResolver *self,
                                               const char      *name);
guint            mtc_test_resolver_get_n_lookups (MtcTestResolver *self);
void             mtc_test_resolver_add_srv    (MtcTestResolver *self,
                                               const char      *rrname,
                                               const char      *target,
                                               guint16          port,
                                               guint16          priority,
                                               guint16          weight);
void             mtc_test_resolver_add_mx     (MtcTestResolver *self,
                                               const char      *domain,
                                               guint16          preference,
                                               const char      *exchange);
void             mtc_test_resolver_add_failure (MtcTestResolver *self,
                                                const char      *name,
                                                GResolverError   code);
void             mtc_test_resolver_fail_all    (MtcTestResolver *self,
                                                GResolverError   code);

/* A network monitor that says the network is there, or not. */
#define MTC_TYPE_TEST_MONITOR (mtc_test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (MtcTestMonitor, mtc_test_monitor, MTC, TEST_MONITOR, GObject)

GNetworkMonitor *mtc_test_monitor_new (gboolean available);

MtcDiagnosis *mtc_test_run_prober (MtcProber    *prober,
                                   GPtrArray    *endpoints,
                                   GCancellable *cancellable,
                                   GError      **error);
MtcEndpoint  *mtc_test_add_service (MtcDemoServer   *server,
                                    MtcProtocol      protocol,
                                    MtcSecurity      security,
                                    MtcTlsVersion    min_version,
                                    MtcTlsVersion    max_version,
                                    MtcDemoBehaviour behaviour);
guint16       mtc_test_closed_port (void);
gboolean      mtc_test_enter_network_namespace (void);
gboolean      mtc_test_run_ip      (const char *arguments);
void          mtc_test_iterate     (guint ms);

JsonNode     *mtc_test_json_parse  (const char *json);
JsonArray    *mtc_test_json_query  (const char *json,
                                    const char *path);
gboolean      mtc_test_json_has    (const char *json,
                                    const char *path,
                                    const char *value);

/* The build's catalogues (MTC_LOCALEDIR, which meson test sets) for the
 * program's text domain, in the locale of the environment; FALSE, after
 * skipping the test, when it is not set. */
gboolean mtc_test_use_catalogue (void);

/* Asserts that SERVER is there and is KIND at HOST:PORT with SECURITY. */
void mtc_test_assert_server (const MtcAccountServer *server,
                             MtcAccountServerKind    kind,
                             const char             *host,
                             guint16                 port,
                             MtcAccountSecurity      security);

G_END_DECLS
