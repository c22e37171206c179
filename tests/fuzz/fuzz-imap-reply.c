/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-reply.h"

/* An IMAP server's greeting (untagged), then tagged replies: CAPABILITY,
 * STARTTLS, CAPABILITY again. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const FuzzReplySpec specs[] = {
    { NULL, FALSE }, { "a1", FALSE }, { "a2", FALSE }, { "a3", FALSE },
  };

  fuzz_replies (MTC_PROTOCOL_IMAP, specs, G_N_ELEMENTS (specs), data, size);
  return 0;
}
