/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from outside (what the user typed, what a file or a stranger's
 * server sent) made safe to repeat in a message or on the screen. */
#include "config.h"

#include "mtc-quote.h"

/* Characters that must not reach the screen from outside: controls, and
 * those that change how the rest of the line is shown (bidirectional
 * overrides and isolates, zero-width characters, line and paragraph
 * separators), and what is no character at all. */
static gboolean
is_unsafe (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_UNASSIGNED:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * mtc_quote_text:
 * @text: (nullable): the text, in any encoding
 * @len: its length in bytes, or -1 when it ends with a NUL
 * @max_chars: the most characters to keep, "…" included; at least 1
 *
 * Returns: (transfer full): @text made safe to show: valid UTF-8, each
 *   control or formatting character shown as "?", and cut with "…" when
 *   longer than @max_chars; empty for %NULL or no bytes at all
 */
char *
mtc_quote_text (const char *text,
                gssize      len,
                gsize       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out = g_string_new (NULL);
  gsize length, keep, n = 0;

  g_return_val_if_fail (max_chars > 0, g_string_free (out, FALSE));

  /* Nothing received yet (an empty buffer has no data pointer at all). */
  if (text == NULL || len == 0)
    return g_string_free (out, FALSE);
  valid = g_utf8_make_valid (text, len);
  length = g_utf8_strlen (valid, -1);
  keep = length <= max_chars ? length : max_chars - 1;
  for (const char *p = valid; *p && n < keep; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, is_unsafe (c) ? '?' : c);
    }
  if (keep < length)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}
