/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"
#include "mtc-tls-probe.h"

G_BEGIN_DECLS

typedef enum {
  MTC_PROBE_VERSION,   /* one GnuTLS handshake limited to one TLS version */
  MTC_PROBE_DEFAULT,   /* a handshake through GIO with this computer's default settings */
} MtcProbeKind;

/* What one connection to one endpoint found. */
typedef struct {
  MtcStatus status;            /* OK when the TLS handshake was reached */
  char *detail;                /* plain words when status is not OK */
  char *server_words;          /* the server's own words where they help */
  gboolean reached_tls;
  MtcLogin login_without_tls;  /* STARTTLS: whether the capabilities before it offered a login */
  gboolean turned_away;        /* the server turned this connection away as one too many
                                * (connection limit): the prober retries it later */
  gboolean hung_up_early;      /* closed or reset after connecting, before any greeting: a
                                * connection limit when other probes to that port were open */
  MtcTlsProbeResult *tls;      /* once the handshake ran; for MTC_PROBE_DEFAULT it
                                * describes the default handshake and what followed it */
  MtcTlsVersion negotiated_version;  /* MTC_PROBE_DEFAULT */
  char *negotiated_cipher;
  char *negotiated_error;
  GTlsCertificate *peer_certificate;
  gint64 elapsed_ms;
} MtcProbeOutcome;

void             mtc_probe_outcome_free (MtcProbeOutcome *outcome);

void             mtc_probe_async        (const MtcEndpoint   *endpoint,
                                         GInetSocketAddress  *address,
                                         MtcProbeKind         kind,
                                         MtcTlsVersion        version,
                                         guint                timeout_ms,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void             mtc_probe_connected_async (const MtcEndpoint  *endpoint,
                                            GSocketConnection  *connection,
                                            MtcProbeKind        kind,
                                            MtcTlsVersion       version,
                                            guint               timeout_ms,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
MtcProbeOutcome *mtc_probe_finish       (GAsyncResult        *result,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcProbeOutcome, mtc_probe_outcome_free)

G_END_DECLS
