/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the user typed, or a file gave, repeated in an error message.  Text
 * a server sent has its own helper, mtc_sanitize_server_text() in probing. */
#include "config.h"

#include "mtc-quote.h"

/* Control and formatting characters: a line break would break the message,
 * a right-to-left override would reorder the rest of it. */
static gboolean
is_unsafe (gunichar c)
{
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 || g_unichar_type (c) == G_UNICODE_FORMAT;
}

/**
 * mtc_quote_user_text:
 * @text: what the user gave, in any encoding
 * @max_chars: the most characters the message may repeat, "…" included
 *
 * Returns: (transfer full): @text made safe to quote in a message: valid
 *   UTF-8, each control or formatting character shown as "?", and cut
 *   with "…" when longer than @max_chars
 */
char *
mtc_quote_user_text (const char *text,
                     gsize       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize length, keep, n = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (max_chars > 0, NULL);

  valid = g_utf8_make_valid (text, -1);
  length = g_utf8_strlen (valid, -1);
  keep = length <= max_chars ? length : max_chars - 1;
  out = g_string_new (NULL);
  for (const char *p = valid; *p && n < keep; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, is_unsafe (c) ? '?' : c);
    }
  if (keep < length)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}
