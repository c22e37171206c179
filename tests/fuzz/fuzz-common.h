/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What every fuzz target shares: the libFuzzer entry point, a check that
 * aborts (so that libFuzzer and the corpus driver both see a crash), and a
 * set-up that makes GLib's criticals and warnings fatal: a g_return_if_fail()
 * reached from outside input is a bug like any other. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define FUZZ_CHECK(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* Prints the message as GLib would, then aborts on a warning or worse:
 * GLib's own fatal path raises SIGTRAP, which libFuzzer does not catch, so
 * the input would be lost. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput output = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return output;
}

static inline void
fuzz_set_up (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  /* Localised lookups (GKeyFile "Name[de]") see one fixed language. */
  g_setenv ("LANGUAGE", "de", TRUE);
}

/* Text from outside as the program shows it: valid UTF-8 without control,
 * format (bidirectional overrides, zero-width characters) or line-separator
 * characters, so that it cannot break a line of the report or reorder it.
 * Clean text (what the server-text sanitiser and the host names promise)
 * has no unassigned code points either. */
static inline gboolean
fuzz_text_check (const char *text,
                 gboolean    allow_unassigned)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
        case G_UNICODE_SURROGATE:
          return FALSE;
        case G_UNICODE_UNASSIGNED:
          if (!allow_unassigned)
            return FALSE;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

static inline gboolean
fuzz_text_is_safe (const char *text)
{
  return fuzz_text_check (text, TRUE);
}

static inline gboolean
fuzz_text_is_clean (const char *text)
{
  return fuzz_text_check (text, FALSE);
}

/* The input as a NUL-terminated string (NULs inside end it early, as they
 * would for any C string the program reads). */
static inline char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  return g_strndup ((const char *) data, size);
}
