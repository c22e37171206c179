/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-report.h"

/* The verdict as text and as the "verdict" member of the JSON report. */

#define TEXT_WIDTH 78

static void
json_string (GString    *out,
             const char *text)
{
  g_autofree char *escaped = mtc_json_escape (text);

  g_string_append (out, escaped);
}

static void
json_member (GString    *out,
             int         indent,
             const char *key,
             const char *value,
             gboolean    last)
{
  g_string_append_printf (out, "%*s\"%s\": ", indent, "", key);
  json_string (out, value);
  g_string_append (out, last ? "\n" : ",\n");
}

static void
json_bool (GString    *out,
           int         indent,
           const char *key,
           gboolean    value)
{
  g_string_append_printf (out, "%*s\"%s\": %s,\n", indent, "", key, value ? "true" : "false");
}

static const char *
protocol_name (MtcProtocol protocol)
{
  switch (protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return "smtp";
    case MTC_PROTOCOL_IMAP:
      return "imap";
    case MTC_PROTOCOL_POP3:
      return "pop3";
    case MTC_PROTOCOL_HTTPS:
    default:
      return "https";
    }
}

static void
json_settings (GString              *out,
               const MtcVerdictStep *step)
{
  g_string_append (out, "          \"settings\": [");
  for (guint i = 0; i < step->settings->len; i++)
    {
      const MtcMailSetting *setting = g_ptr_array_index (step->settings, i);

      g_string_append (out, i ? ",\n            {" : "\n            {");
      g_string_append_printf (out, "\"role\": \"%s\", \"protocol\": \"%s\", \"server\": ",
                              setting->protocol == MTC_PROTOCOL_SMTP ? "outgoing" : "incoming",
                              protocol_name (setting->protocol));
      json_string (out, setting->host);
      g_string_append_printf (out, ", \"port\": %u, \"security\": \"%s\"}", setting->port,
                              setting->security == MTC_SECURITY_IMPLICIT ? "ssl-tls" : "starttls");
    }
  g_string_append (out, "\n          ],\n");
  json_member (out, 10, "username", step->username, FALSE);
}

/**
 * mtc_verdict_append_json:
 *
 * Appends the `"verdict": {…}` member of the report's JSON (DESIGN.md),
 * indented for the top-level object, without a trailing comma or newline.
 */
void
mtc_verdict_append_json (GString          *out,
                         const MtcVerdict *verdict)
{
  g_return_if_fail (out != NULL && verdict != NULL);

  g_string_append (out, "  \"verdict\": {\n");
  json_member (out, 4, "id", mtc_verdict_id_to_string (verdict->id), FALSE);
  json_member (out, 4, "title", verdict->title, FALSE);
  json_member (out, 4, "explanation", verdict->explanation, FALSE);
  json_member (out, 4, "details", verdict->details, FALSE);
  json_bool (out, 4, "may_stop", verdict->may_stop);
  json_bool (out, 4, "uncertain", verdict->uncertain);
  json_bool (out, 4, "this_computer_cannot_test", verdict->this_computer_cannot_test);
  json_member (out, 4, "client_max_version", mtc_tls_version_to_string (verdict->client_max), FALSE);
  json_member (out, 4, "needed_version", mtc_tls_version_to_string (verdict->needed), FALSE);
  g_string_append (out, "    \"steps\": [");
  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      g_string_append (out, i ? ",\n        {\n" : "\n        {\n");
      json_member (out, 10, "id", step->id, FALSE);
      json_member (out, 10, "title", step->title, FALSE);
      json_member (out, 10, "text", step->text, FALSE);
      json_member (out, 10, "url", step->url, FALSE);
      json_member (out, 10, "client", step->client_id, FALSE);
      json_member (out, 10, "system", step->system_id, FALSE);
      if (step->settings != NULL)
        json_settings (out, step);
      json_bool (out, 10, "has_cost", step->has_cost);
      g_string_append_printf (out, "          \"fixes\": %s\n        }", step->fixes ? "true" : "false");
    }
  g_string_append (out, verdict->steps->len ? "\n    ]\n  }" : "]\n  }");
}

/* Appends @text wrapped at TEXT_WIDTH columns, every line indented. */
static void
append_wrapped (GString    *out,
                const char *text,
                int         indent)
{
  g_auto(GStrv) paragraphs = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (int p = 0; paragraphs[p]; p++)
    {
      g_auto(GStrv) words = g_strsplit (paragraphs[p], " ", -1);
      glong column = 0;

      for (int i = 0; words[i]; i++)
        {
          glong len = g_utf8_strlen (words[i], -1);

          if (*words[i] == '\0')
            continue;
          if (column > 0 && column + 1 + len > TEXT_WIDTH)
            {
              g_string_append_c (out, '\n');
              column = 0;
            }
          if (column == 0)
            {
              g_string_append_printf (out, "%*s", indent, "");
              column = indent;
            }
          else
            {
              g_string_append_c (out, ' ');
              column++;
            }
          g_string_append (out, words[i]);
          column += len;
        }
      g_string_append_c (out, '\n');
    }
}

/**
 * mtc_verdict_to_text:
 *
 * Returns: (transfer full): the verdict for the text report: the finding,
 *   what to do, and the details for support
 */
char *
mtc_verdict_to_text (const MtcVerdict *verdict)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (verdict != NULL, NULL);

  append_wrapped (out, verdict->title, 0);
  g_string_append_c (out, '\n');
  append_wrapped (out, verdict->explanation, 0);
  if (verdict->steps->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("What you can do:"));
      for (guint i = 0; i < verdict->steps->len; i++)
        {
          const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

          g_string_append_printf (out, "\n  %u. %s\n", i + 1, step->title);
          append_wrapped (out, step->text, 5);
          if (step->url != NULL)
            g_string_append_printf (out, "     %s\n", step->url);
          for (guint j = 0; step->settings != NULL && j < step->settings->len; j++)
            {
              g_autofree char *line = mtc_mail_setting_to_text (g_ptr_array_index (step->settings, j));

              g_string_append_printf (out, "     %s\n", line);
            }
          if (step->username != NULL)
            {
              g_autofree char *line = g_strdup_printf (_("User name: %s"), step->username);

              g_string_append_printf (out, "     %s\n", line);
            }
        }
    }
  if (verdict->details != NULL && *verdict->details != '\0')
    {
      g_string_append_printf (out, "\n%s\n", _("Details for support:"));
      append_wrapped (out, verdict->details, 2);
    }
  return g_string_free (out, FALSE);
}
