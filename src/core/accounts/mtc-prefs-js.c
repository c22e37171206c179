/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-endpoint.h"
#include "mtc-prefs-js.h"

/* A reader of prefs.js as Mozilla's own parser (modules/libpref/parser/src/
 * lib.rs in mozilla-central) reads it: pref, user_pref and sticky_pref
 * entries, strings in "…" or '…' with the escapes \\ \" \' \n \r \t \xHH
 * \uHHHH, 32-bit integers with an optional sign, true and false, and
 * comments in //, # and C style.  Anything else is refused with the line,
 * so that a half-written file does not pass for a whole one. */

typedef struct {
  const char *p;
  const char *end;
  guint line;
} Scanner;

static void
skip_space (Scanner *s)
{
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '\n')
        {
          s->line++;
          s->p++;
        }
      else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        s->p++;
      else if (c == '#' || (c == '/' && s->p + 1 < s->end && s->p[1] == '/'))
        {
          while (s->p < s->end && *s->p != '\n')
            s->p++;
        }
      else if (c == '/' && s->p + 1 < s->end && s->p[1] == '*')
        {
          s->p += 2;
          while (s->p < s->end && !(*s->p == '*' && s->p + 1 < s->end && s->p[1] == '/'))
            {
              if (*s->p == '\n')
                s->line++;
              s->p++;
            }
          s->p = s->p < s->end ? s->p + 2 : s->end;
        }
      else
        return;
    }
}

static gboolean
fail (Scanner     *s,
      GError     **error,
      const char  *what)
{
  g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED,
               /* TRANSLATORS: %u is a line number, %s says what is wrong */
               _("line %u: %s"), s->line, what);
  return FALSE;
}

static gboolean
expect (Scanner  *s,
        char      c,
        GError  **error)
{
  skip_space (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return fail (s, error, _("the line is not a preference as Thunderbird writes it"));
}

static int
hex_digits (const char *p,
            const char *end,
            int         n)
{
  int value = 0;

  if (end - p < n)
    return -1;
  for (int i = 0; i < n; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* A \uHHHH escape, with a following low surrogate where the first is a
 * high one; the code point, or 0 for a broken one. */
static gunichar
unicode_escape (Scanner *s)
{
  int high = hex_digits (s->p, s->end, 4);
  int low;

  if (high < 0)
    return 0;
  s->p += 4;
  if (high < 0xD800 || high > 0xDFFF)
    return (gunichar) high;
  if (high > 0xDBFF || s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
    return 0;
  low = hex_digits (s->p + 2, s->end, 4);
  if (low < 0xDC00 || low > 0xDFFF)
    return 0;
  s->p += 6;
  return 0x10000 + (((gunichar) high - 0xD800) << 10) + ((gunichar) low - 0xDC00);
}

static char *
parse_string (Scanner  *s,
              GError  **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint first_line;
  char quote;

  skip_space (s);
  if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
    {
      fail (s, error, _("a text in quotation marks was expected"));
      return NULL;
    }
  quote = *s->p++;
  first_line = s->line;
  while (s->p < s->end && *s->p != quote)
    {
      char c = *s->p++;
      gunichar u;

      if (c == '\n')
        s->line++;
      if (c == '\0')
        {
          fail (s, error, _("a text contains a zero byte"));
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }
      if (s->p >= s->end)
        break;
      c = *s->p++;
      switch (c)
        {
        case '\\': case '"': case '\'':
          g_string_append_c (out, c);
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'x':
          u = (gunichar) MAX (hex_digits (s->p, s->end, 2), 0);
          s->p += u ? 2 : 0;
          if (u == 0)
            goto bad_escape;
          g_string_append_unichar (out, u);
          break;
        case 'u':
          u = unicode_escape (s);
          if (u == 0)
            goto bad_escape;
          g_string_append_unichar (out, u);
          break;
        default:
          goto bad_escape;
        }
    }
  if (s->p >= s->end || *s->p != quote)
    {
      s->line = first_line;  /* where the text began, not the end of the file */
      fail (s, error, _("a text has no closing quotation mark"));
      return NULL;
    }
  s->p++;
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      fail (s, error, _("a text is not in UTF-8"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);

bad_escape:
  fail (s, error, _("a text has a broken escape sequence"));
  return NULL;
}

static GVariant *
parse_value (Scanner  *s,
             GError  **error)
{
  const char *start;
  gint64 value;
  gboolean negative = FALSE;

  skip_space (s);
  if (s->p >= s->end)
    goto bad;
  if (*s->p == '"' || *s->p == '\'')
    {
      char *text = parse_string (s, error);

      return text ? g_variant_new_take_string (text) : NULL;
    }
  if (s->end - s->p >= 4 && memcmp (s->p, "true", 4) == 0)
    {
      s->p += 4;
      return g_variant_new_boolean (TRUE);
    }
  if (s->end - s->p >= 5 && memcmp (s->p, "false", 5) == 0)
    {
      s->p += 5;
      return g_variant_new_boolean (FALSE);
    }
  if (*s->p == '-' || *s->p == '+')
    negative = *s->p++ == '-';
  start = s->p;
  value = 0;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    {
      value = value * 10 + (*s->p++ - '0');
      if (value > G_MAXINT32 + (gint64) negative)
        return fail (s, error, _("a number is too large")), NULL;
    }
  if (s->p == start)
    goto bad;
  return g_variant_new_int64 (negative ? -value : value);

bad:
  fail (s, error, _("a value was expected: a text, a number, true or false"));
  return NULL;
}

static gboolean
parse_keyword (Scanner  *s,
               GError  **error)
{
  static const char *const keywords[] = { "user_pref", "sticky_pref", "pref" };

  skip_space (s);
  for (gsize i = 0; i < G_N_ELEMENTS (keywords); i++)
    {
      gsize n = strlen (keywords[i]);

      if ((gsize) (s->end - s->p) >= n && memcmp (s->p, keywords[i], n) == 0)
        {
          s->p += n;
          return TRUE;
        }
    }
  return fail (s, error, _("the line is not a preference as Thunderbird writes it"));
}

GHashTable *
mtc_prefs_js_parse (const char  *text,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(GHashTable) prefs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_variant_unref);
  Scanner s = { text, text + length, 1 };

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length > MTC_PREFS_JS_MAX_SIZE)
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED,
                   _("it is larger than %lu MiB, far more than a mail program’s settings take"),
                   (unsigned long) (MTC_PREFS_JS_MAX_SIZE / (1024 * 1024)));
      return NULL;
    }
  for (skip_space (&s); s.p < s.end; skip_space (&s))
    {
      g_autofree char *name = NULL;
      GVariant *value;

      if (!parse_keyword (&s, error) || !expect (&s, '(', error))
        return NULL;
      name = parse_string (&s, error);
      if (name == NULL || !expect (&s, ',', error))
        return NULL;
      value = parse_value (&s, error);
      if (value == NULL)
        return NULL;
      g_hash_table_replace (prefs, g_steal_pointer (&name), g_variant_ref_sink (value));
      if (!expect (&s, ')', error) || !expect (&s, ';', error))
        return NULL;
    }
  return g_steal_pointer (&prefs);
}

const char *
mtc_prefs_js_get_string (GHashTable *prefs,
                         const char *name)
{
  GVariant *value = g_hash_table_lookup (prefs, name);

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_get_string (value, NULL);
}

gboolean
mtc_prefs_js_get_int (GHashTable *prefs,
                      const char *name,
                      gint64     *out)
{
  GVariant *value = g_hash_table_lookup (prefs, name);

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return FALSE;
  *out = g_variant_get_int64 (value);
  return TRUE;
}
