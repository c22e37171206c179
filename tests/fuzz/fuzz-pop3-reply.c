/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-reply.h"

/* A POP3 server's greeting (one line), the CAPA reply (multi-line, ended by
 * "."), the STLS reply (one line), CAPA again. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const FuzzReplySpec specs[] = {
    { NULL, FALSE }, { NULL, TRUE }, { NULL, FALSE }, { NULL, TRUE },
  };

  fuzz_replies (MTC_PROTOCOL_POP3, specs, G_N_ELEMENTS (specs), data, size);
  return 0;
}
