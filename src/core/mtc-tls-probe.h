/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

/* The outcome of one GnuTLS handshake limited to one TLS version. */
typedef struct {
  MtcVersionResult result;
  char *detail;               /* why it was rejected or failed, in plain words */
  char *reason;               /* how result was decided, machine-readable (see
                               * MtcEndpointResult.version_reasons) */
  gboolean handshake_done;    /* the handshake finished (whatever came after it) */
  gboolean timed_out;
  gboolean plaintext_reply;   /* the peer answered the hello in plain text */
  char *plaintext_words;      /* what it said, sanitised */
  MtcTlsVersion negotiated_version;
  char *cipher;               /* IANA name of the suite */
  GPtrArray *chain;           /* of GBytes (DER), the peer's certificates, server first */
} MtcTlsProbeResult;

const char        *mtc_tls_probe_priority    (MtcTlsVersion version);
void               mtc_tls_probe_local_versions (gboolean available[MTC_N_TLS_VERSIONS]);
void               mtc_tls_probe_result_free (MtcTlsProbeResult *result);

void               mtc_tls_probe_async       (GSocket             *socket,
                                              const char          *server_name,
                                              MtcTlsVersion        version,
                                              const char          *farewell,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
MtcTlsProbeResult *mtc_tls_probe_finish      (GAsyncResult        *result,
                                              GError             **error);

GTlsCertificate   *mtc_tls_certificate_from_chain (GPtrArray *chain,
                                                   GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcTlsProbeResult, mtc_tls_probe_result_free)

G_END_DECLS
