/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Inside discovery only: the sources, the race over them, and what they
 * share.  The public API is mtc-discovery.h. */

#include "mtc-discovery.h"

G_BEGIN_DECLS

/* ---- shared by the sources (mtc-discovery.c) */

MtcDiscoveryResult *mtc_discovery_result_new      (MtcDiscoverySource     source,
                                                   const MtcEmailAddress *address);
void                mtc_endpoints_add_unique      (GPtrArray             *endpoints,
                                                   MtcEndpoint           *endpoint);
void                mtc_discovery_note            (GPtrArray             *notes,
                                                   MtcDiscoverySource     source,
                                                   const char            *format,
                                                   ...) G_GNUC_PRINTF (3, 4);
char               *mtc_discovery_describe_error  (const GError          *error,
                                                   gboolean               offline);
char               *mtc_discovery_describe_timeout (guint                 timeout_ms);

/* How the questions of one discovery ended, counted over every source: the
 * ones that got an answer (records, "no such record", any HTTP reply, even
 * a refused connection) and the ones that failed as on a computer without
 * internet (a failing or silent name service, no route, no answer in time).
 * Shared by the sources of one race; reference-counted because a source's
 * late answers may come after the race ended. */
typedef struct {
  gboolean network_available; /* the network monitor's hint when the race began */
  guint n_answered;
  guint n_unreachable;
} MtcDiscoveryTally;

MtcDiscoveryTally  *mtc_discovery_tally_new       (gboolean               network_available);
MtcDiscoveryTally  *mtc_discovery_tally_ref       (MtcDiscoveryTally     *tally);
void                mtc_discovery_tally_unref     (MtcDiscoveryTally     *tally);
gboolean            mtc_discovery_tally_add       (MtcDiscoveryTally     *tally,
                                                   const GError          *error);
void                mtc_discovery_tally_add_silent (MtcDiscoveryTally    *tally);

/* The race's result when it found nothing (transfer full), kept on the
 * MtcDiscovery for mtc_discovery_dup_failure(). */
void                mtc_discovery_set_failure     (MtcDiscovery          *self,
                                                   MtcDiscoveryResult    *failure);

/* ---- the sources: each one GTask operation with a deadline of its own
 *
 * Each adds to NOTES (of char *, localised) what each of its questions
 * found, or why not, as the answers come: what it said before the race
 * stopped it counts too, and counts in TALLY how each question ended.  Each
 * finishes with what it found, or %NULL with %MTC_ERROR_NOT_FOUND (the
 * notes say why) or %G_IO_ERROR_CANCELLED. */

/* The provider's autoconfig file: https first, then http
 * (mtc-autoconfig-fetch.c); mtc_autoconfig_fetch_finish() ends the ISPDB's
 * look-up too. */
void                mtc_autoconfig_fetch_async    (SoupSession           *session,
                                                   const MtcEmailAddress *address,
                                                   guint16                https_port,
                                                   guint16                http_port,
                                                   guint                  timeout_ms,
                                                   GPtrArray             *notes,
                                                   MtcDiscoveryTally     *tally,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
MtcDiscoveryResult *mtc_autoconfig_fetch_finish   (GAsyncResult          *result,
                                                   GError               **error);

/* Thunderbird's provider database (mtc-autoconfig-fetch.c): the file for
 * the domain at ISPDB_URL (which ends in "/"), then, when there is none,
 * the file for the registered domain of the domain's mail server (MX), as
 * Thunderbird asks; only the domain goes out, never the address. */
void                mtc_ispdb_fetch_async         (SoupSession           *session,
                                                   GResolver             *resolver,
                                                   const char            *ispdb_url,
                                                   const MtcEmailAddress *address,
                                                   guint                  timeout_ms,
                                                   GPtrArray             *notes,
                                                   MtcDiscoveryTally     *tally,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);

/* A file in the autoconfig format, from the provider (AUTOCONFIG) or from
 * Thunderbird's database (ISPDB) (mtc-autoconfig-parser.c). */
MtcDiscoveryResult *mtc_autoconfig_parse          (MtcDiscoverySource     source,
                                                   const char            *data,
                                                   gsize                  length,
                                                   const MtcEmailAddress *address,
                                                   const char            *url,
                                                   GError               **error);

/* SRV records, the MX record or the common names (mtc-dns-sources.c): a
 * GPtrArray of MtcEndpoint. */
void                mtc_dns_source_async          (MtcDiscoverySource     kind,
                                                   GResolver             *resolver,
                                                   const MtcEmailAddress *address,
                                                   guint                  timeout_ms,
                                                   GPtrArray             *notes,
                                                   MtcDiscoveryTally     *tally,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
GPtrArray          *mtc_dns_source_finish         (GAsyncResult          *result,
                                                   GError               **error);

/* ---- the race over the sources (mtc-discovery-race.c) */

typedef struct {
  GResolver *resolver;
  SoupSession *session;
  guint timeout_ms;
  guint16 https_port;
  guint16 http_port;
  const char *ispdb_url;
  GNetworkMonitor *monitor;
} MtcDiscoverySettings;

void                mtc_discovery_race            (GTask                      *task,
                                                   const MtcDiscoverySettings *settings,
                                                   MtcEmailAddress            *address);

G_END_DECLS
