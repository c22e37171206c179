/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-reply.h"

/* An SMTP server's greeting, its EHLO reply, the STARTTLS reply and the EHLO
 * reply again (inside TLS). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const FuzzReplySpec specs[] = {
    { NULL, FALSE }, { NULL, FALSE }, { NULL, FALSE }, { NULL, FALSE },
  };

  fuzz_replies (MTC_PROTOCOL_SMTP, specs, G_N_ELEMENTS (specs), data, size);
  return 0;
}
