/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"
#include "mtc-dialogue.h"

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
  /* What the server said inside TLS, judged as for the whole endpoint
   * (MTC_STATUS_OK, BUSY, PREAUTH, NOT_MAIL_SERVER, TIMEOUT). */
  MtcStatus status;
  char *status_detail;        /* plain words when status is not OK */
  char *server_words;         /* the server's words inside TLS, sanitised */
  MtcLogin login;             /* SMTP with STARTTLS: whether the EHLO reply offered AUTH */
} MtcTlsProbeResult;

const char        *mtc_tls_probe_priority    (MtcTlsVersion version);
void               mtc_tls_probe_local_versions (gboolean available[MTC_N_TLS_VERSIONS]);
void               mtc_tls_probe_result_free (MtcTlsProbeResult *result);

void               mtc_tls_probe_async       (GSocket             *socket,
                                              const MtcEndpoint   *endpoint,
                                              MtcTlsVersion        version,
                                              const char          *ehlo,
                                              const char          *farewell,
                                              guint                reply_wait_ms,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
MtcTlsProbeResult *mtc_tls_probe_finish      (GAsyncResult        *result,
                                              GError             **error);

void               mtc_tls_probe_judge_inside (MtcTlsProbeResult  *result,
                                               const MtcInsideTls *inside,
                                               guint16             port,
                                               MtcTlsVersion       version,
                                               guint               waited_ms);
char              *mtc_tls_probe_describe_timeout (guint waited_ms);
char              *mtc_tls_probe_describe_too_long (void);
char              *mtc_tls_alert_reason      (int alert);
char              *mtc_tls_alert_describe    (int                 alert,
                                              MtcTlsVersion       version);

GTlsCertificate   *mtc_tls_certificate_from_chain (GPtrArray *chain,
                                                   GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcTlsProbeResult, mtc_tls_probe_result_free)

G_END_DECLS
