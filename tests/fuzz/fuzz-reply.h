/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Server replies as the prober reads them: bytes arrive in pieces, go into
 * an MtcLineBuffer, and one MtcReply after another is fed from it (what one
 * reply leaves in the buffer is the start of the next, as when a server sends
 * ahead).  Every reply that ends, ends for a reason, stays within the bounds,
 * and gives sanitised words; the capability look-ups the prober makes are
 * made on each.
 *
 * Input: the first byte chooses how the rest is cut into pieces (1 to 128
 * bytes, or all at once); the rest is what the server sends. */

#include "fuzz-common.h"
#include "mtc-dialogue.h"

/* Larger than one reply may be (64 KiB), so that the bound is reached. */
#define FUZZ_REPLY_MAX_INPUT (96 * 1024)

typedef struct {
  const char *imap_tag;   /* NULL: a greeting */
  gboolean multiline;     /* POP3 CAPA */
} FuzzReplySpec;

static const char * const fuzz_capabilities[] = {
  "STARTTLS", "STLS", "IMAP4rev1", "SIZE", "AUTH", "PIPELINING", "LOGINDISABLED", "", " ", "[", "]",
};

static void
fuzz_check_reply (const MtcReply *reply,
                  MtcReplyState   state)
{
  g_autofree char *words = NULL;

  FUZZ_CHECK (reply->state == state);
  FUZZ_CHECK (reply->lines->len <= MTC_REPLY_MAX_LINES);
  FUZZ_CHECK (reply->texts->len <= reply->lines->len);
  for (guint i = 0; i < reply->lines->len; i++)
    {
      const char *line = g_ptr_array_index (reply->lines, i);

      FUZZ_CHECK (strlen (line) <= MTC_LINE_MAX);
      FUZZ_CHECK (strchr (line, '\n') == NULL);
    }
  if (state == MTC_REPLY_DONE)
    {
      FUZZ_CHECK (reply->lines->len > 0);
      FUZZ_CHECK (reply->kind >= MTC_REPLY_POSITIVE && reply->kind <= MTC_REPLY_PREAUTH);
      if (reply->protocol == MTC_PROTOCOL_SMTP)
        FUZZ_CHECK (reply->code >= 200 && reply->code <= 599);
      if (reply->kind == MTC_REPLY_PREAUTH)
        FUZZ_CHECK (reply->protocol == MTC_PROTOCOL_IMAP && reply->imap_tag == NULL);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (fuzz_capabilities); i++)
    mtc_reply_has_capability (reply, fuzz_capabilities[i]);
  mtc_reply_has_imap_capabilities (reply);

  /* One line of at most 400 bytes, plus the last line's 200 characters. */
  words = mtc_reply_get_words (reply);
  FUZZ_CHECK (fuzz_text_is_clean (words));
  FUZZ_CHECK (strlen (words) <= 400 + 3 + 200 * 4 + 3);
}

static void
fuzz_replies (MtcProtocol          protocol,
              const FuzzReplySpec *specs,
              gsize                n_specs,
              const uint8_t       *data,
              size_t               size)
{
  g_autoptr(MtcLineBuffer) buffer = NULL;
  const guint8 *stream;
  gsize length;
  gsize offset = 0;
  gsize piece;

  fuzz_set_up ();
  if (size < 1 || size > FUZZ_REPLY_MAX_INPUT)
    return;
  piece = data[0] & 0x80 ? G_MAXSIZE : (gsize) data[0] + 1;
  stream = data + 1;
  length = size - 1;

  buffer = mtc_line_buffer_new ();
  for (gsize i = 0; i < n_specs; i++)
    {
      g_autoptr(MtcReply) reply = mtc_reply_new (protocol, specs[i].imap_tag, specs[i].multiline);
      MtcReplyState state = mtc_reply_feed (reply, buffer);

      while (state == MTC_REPLY_INCOMPLETE && offset < length)
        {
          gsize n = MIN (piece, length - offset);

          mtc_line_buffer_append (buffer, stream + offset, n);
          offset += n;
          state = mtc_reply_feed (reply, buffer);
        }
      fuzz_check_reply (reply, state);

      /* What the prober shows when the reply breaks off. */
      {
        gsize pending;
        const guint8 *rest = mtc_line_buffer_peek (buffer, &pending);
        g_autofree char *words = mtc_quote_text ((const char *) rest, pending, 120);

        FUZZ_CHECK (pending == mtc_line_buffer_get_pending (buffer));
        FUZZ_CHECK (fuzz_text_is_clean (words));
        FUZZ_CHECK (g_utf8_strlen (words, -1) <= 121);
      }
      /* The prober stops at anything but a whole reply. */
      if (state != MTC_REPLY_DONE)
        break;
    }

  /* Where a TLS record was expected. */
  mtc_looks_like_plaintext_greeting (stream, length);
}
