/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-dialogue.h"
#include "mtc-tls-probe.h"

/* What a server says right after a completed handshake (MtcInsideTls) and
 * how the version cell and the endpoint are judged from it.
 *
 * Input: the first byte chooses the protocol (bits 0-1), implicit TLS or
 * STARTTLS (bit 2), whether the server then closes or stays silent (bit 3),
 * and the size of the pieces (bits 4-7: 1 to 16 bytes times 8, or all at
 * once for 15); the rest is what the server sends inside TLS. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const MtcProtocol protocols[] = {
    MTC_PROTOCOL_SMTP, MTC_PROTOCOL_IMAP, MTC_PROTOCOL_POP3, MTC_PROTOCOL_HTTPS,
  };
  g_autoptr(MtcInsideTls) inside = NULL;
  g_autoptr(MtcTlsProbeResult) result = g_new0 (MtcTlsProbeResult, 1);
  MtcProtocol protocol;
  MtcSecurity security;
  MtcInsideState state = MTC_INSIDE_WAITING;
  gsize piece;
  gsize offset = 1;

  if (size < 1 || size > 96 * 1024)
    return 0;
  protocol = protocols[data[0] & 3];
  security = (data[0] & 4) || protocol == MTC_PROTOCOL_HTTPS ? MTC_SECURITY_IMPLICIT : MTC_SECURITY_STARTTLS;
  piece = (data[0] >> 4) == 15 ? G_MAXSIZE : ((gsize) (data[0] >> 4) + 1) * 8;

  inside = mtc_inside_tls_new (protocol, security, "mail.example.net", "EHLO [192.0.2.1]\r\n");
  FUZZ_CHECK ((inside->request == NULL) == (security == MTC_SECURITY_IMPLICIT && protocol != MTC_PROTOCOL_HTTPS));
  while (state == MTC_INSIDE_WAITING && offset < size)
    {
      gsize n = MIN (piece, size - offset);

      state = mtc_inside_tls_feed (inside, data + offset, n);
      offset += n;
    }
  if (state == MTC_INSIDE_WAITING)
    mtc_inside_tls_end (inside, data[0] & 8 ? MTC_INSIDE_SILENT : MTC_INSIDE_CLOSED);
  FUZZ_CHECK (inside->state != MTC_INSIDE_WAITING);
  FUZZ_CHECK (inside->words == NULL || fuzz_text_is_clean (inside->words));

  mtc_tls_probe_judge_inside (result, inside, 993, MTC_TLS_1_2, 3000);
  FUZZ_CHECK (result->handshake_done);
  FUZZ_CHECK (result->reason != NULL);
  FUZZ_CHECK ((result->result == MTC_VERSION_REJECTED) == (g_strcmp0 (result->reason, "refused-inside-tls") == 0));
  FUZZ_CHECK ((result->status == MTC_STATUS_OK) == (result->status_detail == NULL));
  FUZZ_CHECK (result->detail == NULL || fuzz_text_is_clean (result->detail));
  FUZZ_CHECK (result->status_detail == NULL || fuzz_text_is_clean (result->status_detail));
  return 0;
}
