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
char               *mtc_discovery_describe_error  (const GError          *error);
char               *mtc_discovery_describe_timeout (guint                 timeout_ms);

/* ---- the sources: each one GTask operation with a deadline of its own
 *
 * Each adds to NOTES (of char *, localised) what each of its questions
 * found, or why not, as the answers come: what it said before the race
 * stopped it counts too.  Each finishes with what it found, or %NULL with
 * %MTC_ERROR_NOT_FOUND (the notes say why) or %G_IO_ERROR_CANCELLED. */

/* The provider's autoconfig file: https first, then http (mtc-autoconfig-fetch.c). */
void                mtc_autoconfig_fetch_async    (SoupSession           *session,
                                                   const MtcEmailAddress *address,
                                                   guint16                https_port,
                                                   guint16                http_port,
                                                   guint                  timeout_ms,
                                                   GPtrArray             *notes,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
MtcDiscoveryResult *mtc_autoconfig_fetch_finish   (GAsyncResult          *result,
                                                   GError               **error);

/* SRV records, the MX record or the common names (mtc-dns-sources.c): a
 * GPtrArray of MtcEndpoint. */
void                mtc_dns_source_async          (MtcDiscoverySource     kind,
                                                   GResolver             *resolver,
                                                   const MtcEmailAddress *address,
                                                   guint                  timeout_ms,
                                                   GPtrArray             *notes,
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
} MtcDiscoverySettings;

void                mtc_discovery_race            (GTask                      *task,
                                                   const MtcDiscoverySettings *settings,
                                                   MtcEmailAddress            *address);

G_END_DECLS
