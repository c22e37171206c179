/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates and numbers written as the report's language writes them, from the
 * catalogue: the program sets only the language of its messages (--lang,
 * LANGUAGE), while LC_TIME and LC_NUMERIC may well stay C — g_date_time_format's
 * %B would then name the month in English and printf's %g write "0.4". */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-numbers.h"

/* The month's full name (1 to 12) in the report's language. */
static const char *
month_name (int month)
{
  switch (month)
    {
    case 1: return C_("month", "January");
    case 2: return C_("month", "February");
    case 3: return C_("month", "March");
    case 4: return C_("month", "April");
    case 5: return C_("month", "May");
    case 6: return C_("month", "June");
    case 7: return C_("month", "July");
    case 8: return C_("month", "August");
    case 9: return C_("month", "September");
    case 10: return C_("month", "October");
    case 11: return C_("month", "November");
    default: return C_("month", "December");
    }
}

/**
 * mtc_date_describe:
 * @date: a date (a certificate's, today's)
 *
 * Returns: (transfer full): the day of @date in words, "December 28, 2026"
 *   in English, "28. Dezember 2026" in German
 */
char *
mtc_date_describe (GDateTime *date)
{
  /* TRANSLATORS: how your language writes a date (a certificate's "valid
   * until …", "today is …"), as a g_date_time_format() (strftime) format:
   * %B the month's full name (the month names below, context "month"),
   * %-d the day without a leading zero, %d with one, %m the month's number,
   * %Y the year. German: "%-d. %B %Y" (28. Dezember 2026). */
  const char *format = _("%B %-d, %Y");
  g_autoptr(GString) with_month = g_string_new (NULL);

  g_return_val_if_fail (date != NULL, NULL);
  for (const char *p = format; *p != '\0'; p++)
    if (p[0] == '%' && p[1] == 'B')
      {
        /* The month named by the catalogue, a "%" in it kept literal. */
        g_autoptr(GString) month = g_string_new (month_name (g_date_time_get_month (date)));

        g_string_replace (month, "%", "%%", 0);
        g_string_append (with_month, month->str);
        p++;
      }
    else if (p[0] == '%' && p[1] != '\0')
      {
        g_string_append_len (with_month, p, 2);
        p++;
      }
    else
      g_string_append_c (with_month, *p);
  return g_date_time_format (date, with_month->str);
}

/**
 * mtc_seconds_describe:
 * @seconds: a length of time, such as a time-out
 *
 * Returns: (transfer full): "0.4 seconds", "1 second", "10 seconds" in
 *   English; "0,4 Sekunden", "1 Sekunde" in German
 */
char *
mtc_seconds_describe (double seconds)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  /* TRANSLATORS: the decimal separator of your language, as in "0.4 seconds"
   * (German: ","). */
  const char *separator = C_("decimal separator", ".");
  g_autoptr(GString) text = g_string_new (NULL);
  gulong count;

  /* At most one decimal: a time-out is 0.4 or 10 seconds, never 0.4000001. */
  seconds = (gint64) (MAX (seconds, 0) * 10 + 0.5) / 10.0;
  g_ascii_formatd (number, sizeof number, "%.1f", seconds);
  for (const char *p = number; *p != '\0'; p++)
    if (*p == '.' && g_str_has_prefix (p, ".0") && p[2] == '\0')
      break;
    else if (*p == '.')
      g_string_append (text, separator);
    else
      g_string_append_c (text, *p);
  /* A fraction takes the form the number 2 takes: "0.4 seconds",
   * "0,4 Sekunden" (and the genitive singular of Slavic languages). */
  count = seconds < 1e9 && seconds == (gulong) seconds ? (gulong) seconds : 2;
  /* TRANSLATORS: a length of time; %s is a number such as 0.4 or 10,
   * written with the decimal separator above. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s second", "%s seconds", count), text->str);
}
