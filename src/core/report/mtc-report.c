/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-report.h"

/* JSON string literal for TEXT (which must be UTF-8), or null. */
char *
mtc_json_escape (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("null");
  out = g_string_sized_new (strlen (text) + 2);
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_autofree char *escaped = mtc_json_escape (text);
  g_string_append (out, escaped);
}

static void
append_key (GString    *out,
            int         indent,
            const char *key)
{
  g_string_append_printf (out, "%*s\"%s\": ", indent, "", key);
}

static void
append_date (GString   *out,
             GDateTime *date)
{
  g_autofree char *text = date ? g_date_time_format_iso8601 (date) : NULL;
  append_string (out, text);
}

static void
append_strv (GString           *out,
             const char * const *strv)
{
  g_string_append_c (out, '[');
  for (int i = 0; strv && strv[i]; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_string (out, strv[i]);
    }
  g_string_append_c (out, ']');
}

static void
append_certificate (GString           *out,
                    const MtcCertInfo *cert)
{
  g_auto(GStrv) errors = NULL;

  if (cert == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  errors = mtc_certificate_flags_to_strv (cert->errors);
  g_string_append (out, "{\n");
  append_key (out, 8, "subject");
  append_string (out, cert->subject);
  g_string_append (out, ",\n");
  append_key (out, 8, "issuer");
  append_string (out, cert->issuer);
  g_string_append (out, ",\n");
  append_key (out, 8, "not_before");
  append_date (out, cert->not_before);
  g_string_append (out, ",\n");
  append_key (out, 8, "not_after");
  append_date (out, cert->not_after);
  g_string_append (out, ",\n");
  append_key (out, 8, "dns_names");
  append_strv (out, (const char * const *) cert->dns_names);
  g_string_append (out, ",\n");
  append_key (out, 8, "errors");
  append_strv (out, (const char * const *) errors);
  g_string_append (out, "\n      }");
}

static void
append_endpoint (GString                 *out,
                 const MtcEndpointResult *result)
{
  g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

  g_string_append (out, "    {\n");
  append_key (out, 6, "url");
  append_string (out, url);
  g_string_append (out, ",\n");
  append_key (out, 6, "host");
  append_string (out, result->endpoint->host);
  g_string_append (out, ",\n");
  append_key (out, 6, "port");
  g_string_append_printf (out, "%u,\n", result->endpoint->port);
  append_key (out, 6, "source");
  append_string (out, result->endpoint->source);
  g_string_append (out, ",\n");
  append_key (out, 6, "address");
  append_string (out, result->address);
  g_string_append (out, ",\n");
  append_key (out, 6, "address_failures");
  g_string_append (out, "[");
  for (guint f = 0; result->address_failures != NULL && f < result->address_failures->len; f++)
    {
      const MtcAddressFailure *failure = g_ptr_array_index (result->address_failures, f);

      g_string_append (out, f ? ", {\"address\": " : "{\"address\": ");
      append_string (out, failure->address);
      g_string_append (out, ", \"status\": ");
      append_string (out, mtc_status_to_string (failure->status));
      g_string_append (out, ", \"detail\": ");
      append_string (out, failure->detail);
      g_string_append (out, "}");
    }
  g_string_append (out, "],\n");
  append_key (out, 6, "status");
  append_string (out, mtc_status_to_string (result->status));
  g_string_append (out, ",\n");
  append_key (out, 6, "detail");
  append_string (out, result->detail);
  g_string_append (out, ",\n");
  append_key (out, 6, "server_words");
  append_string (out, result->server_words);
  g_string_append (out, ",\n");

  append_key (out, 6, "versions");
  g_string_append (out, "{");
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    g_string_append_printf (out, "%s\"%s\": \"%s\"", v ? ", " : "", mtc_tls_version_to_string (v),
                            mtc_version_result_to_string (result->versions[v]));
  g_string_append (out, "},\n");

  append_key (out, 6, "version_details");
  g_string_append (out, "{\n");
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      append_key (out, 8, mtc_tls_version_to_string (v));
      append_string (out, result->version_details[v]);
      g_string_append (out, v + 1 < MTC_N_TLS_VERSIONS ? ",\n" : "\n");
    }
  g_string_append (out, "      },\n");

  append_key (out, 6, "version_reasons");
  g_string_append (out, "{");
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      g_string_append_printf (out, "%s\"%s\": ", v ? ", " : "", mtc_tls_version_to_string (v));
      append_string (out, result->version_reasons[v]);
    }
  g_string_append (out, "},\n");

  append_key (out, 6, "negotiated");
  g_string_append (out, "{\"version\": ");
  append_string (out, mtc_tls_version_to_string (result->negotiated_version));
  g_string_append (out, ", \"cipher\": ");
  append_string (out, result->negotiated_cipher);
  g_string_append (out, ", \"error\": ");
  append_string (out, result->negotiated_error);
  g_string_append (out, "},\n");

  append_key (out, 6, "certificate");
  append_certificate (out, result->certificate);
  g_string_append (out, ",\n");
  append_key (out, 6, "elapsed_ms");
  g_string_append_printf (out, "%" G_GINT64_FORMAT "\n    }", result->elapsed_ms);
}

char *
mtc_report_to_json (const MtcDiagnosis *diagnosis)
{
  return mtc_report_to_json_with_verdict (diagnosis, NULL);
}

/* The report's JSON with the "verdict" block of DESIGN.md when @verdict is set. */
char *
mtc_report_to_json_with_verdict (const MtcDiagnosis *diagnosis,
                                 const MtcVerdict   *verdict)
{
  GString *out = g_string_new ("{\n");
  gboolean first = TRUE;

  g_string_append_printf (out, "  \"schema\": %d,\n", MTC_JSON_SCHEMA);
  g_string_append_printf (out, "  \"elapsed_ms\": %" G_GINT64_FORMAT ",\n", diagnosis->elapsed_ms);
  g_string_append (out, "  \"local\": {\n");
  append_key (out, 4, "os");
  append_string (out, diagnosis->local->os);
  g_string_append (out, ",\n");
  append_key (out, 4, "tls_library");
  append_string (out, diagnosis->local->tls_library);
  g_string_append (out, ",\n");
  append_key (out, 4, "versions_available");
  g_string_append_c (out, '[');
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (diagnosis->local->versions_available[v])
      {
        g_string_append_printf (out, "%s\"%s\"", first ? "" : ", ", mtc_tls_version_to_string (v));
        first = FALSE;
      }
  g_string_append (out, "]\n  },\n");

  g_string_append (out, "  \"endpoints\": [");
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      g_string_append (out, i ? ",\n" : "\n");
      append_endpoint (out, g_ptr_array_index (diagnosis->results, i));
    }
  g_string_append (out, diagnosis->results->len ? "\n  ]" : "]");
  if (verdict != NULL)
    {
      g_string_append (out, ",\n");
      mtc_verdict_append_json (out, verdict);
    }
  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}

static void
append_padded (GString    *out,
               const char *text,
               glong       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = len; i < width; i++)
    g_string_append_c (out, ' ');
}

static void
append_wrapped (GString    *out,
                const char *label,
                glong       label_width,
                const char *text)
{
  /* Label, then the text wrapped at about 78 columns under itself. */
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  glong column = label_width + 2;

  g_string_append (out, "  ");
  append_padded (out, label, label_width);
  for (int i = 0; words[i]; i++)
    {
      glong len = g_utf8_strlen (words[i], -1);

      if (column + len > 100 && column > label_width + 2)
        {
          g_string_append_c (out, '\n');
          for (glong j = 0; j < label_width + 2; j++)
            g_string_append_c (out, ' ');
          column = label_width + 2;
        }
      else if (i > 0)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
    }
  g_string_append_c (out, '\n');
}

char *
mtc_report_to_text (const MtcDiagnosis *diagnosis)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) column_servers = g_ptr_array_new_with_free_func (g_free);
  const char *head_server = _("Server");
  const char *head_use = _("Used for");
  const char *head_status = _("Status");
  const char *labels[] = { _("Result:"), _("Server said:"), _("Connects with:"), _("Certificate:"), _("Issued by:"),
                           _("Valid until:"), _("Problems:"), _("TLS %s:") };
  glong server_width = g_utf8_strlen (head_server, -1);
  glong use_width = g_utf8_strlen (head_use, -1);
  glong status_width = g_utf8_strlen (head_status, -1);
  glong label_width = 0;
  glong cell_width = 0;
  g_autoptr(GString) available = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    label_width = MAX (label_width, g_utf8_strlen (labels[i], -1) + 1);
  for (int r = MTC_VERSION_NOT_TESTED; r <= MTC_VERSION_ERROR; r++)
    cell_width = MAX (cell_width, g_utf8_strlen (mtc_version_result_describe (r), -1));
  cell_width = MAX (cell_width, 7) + 2;

  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (diagnosis->local->versions_available[v])
      g_string_append_printf (available, "%s%s", available->len ? ", " : "", mtc_tls_version_to_string (v));

  g_string_append_printf (out, ngettext ("Mail TLS Check: %u server checked in %.1f seconds\n",
                                         "Mail TLS Check: %u servers checked in %.1f seconds\n",
                                         diagnosis->results->len),
                          diagnosis->results->len, diagnosis->elapsed_ms / 1000.0);
  g_string_append_printf (out, _("This computer: %s, %s (can test TLS %s)\n\n"), diagnosis->local->os,
                          diagnosis->local->tls_library, available->len ? available->str : "–");

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      char *url = mtc_endpoint_to_url (result->endpoint);

      server_width = MAX (server_width, g_utf8_strlen (url, -1));
      use_width = MAX (use_width, g_utf8_strlen (mtc_endpoint_describe_role (result->endpoint), -1));
      status_width = MAX (status_width, g_utf8_strlen (mtc_status_describe (result->status), -1));
      g_ptr_array_add (column_servers, url);
    }

  append_padded (out, head_use, use_width + 2);
  append_padded (out, head_server, server_width + 2);
  append_padded (out, head_status, status_width + 2);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    {
      g_autofree char *head = g_strdup_printf ("TLS %s", mtc_tls_version_to_string (v));
      append_padded (out, head, v + 1 < MTC_N_TLS_VERSIONS ? cell_width : 0);
    }
  g_string_append_c (out, '\n');

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      append_padded (out, mtc_endpoint_describe_role (result->endpoint), use_width + 2);
      append_padded (out, g_ptr_array_index (column_servers, i), server_width + 2);
      append_padded (out, mtc_status_describe (result->status), status_width + 2);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        append_padded (out, mtc_version_result_describe (result->versions[v]),
                       v + 1 < MTC_N_TLS_VERSIONS ? cell_width : 0);
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      const MtcCertInfo *cert = result->certificate;

      g_string_append_printf (out, "\n%s — %s", mtc_endpoint_describe_role (result->endpoint),
                              (const char *) g_ptr_array_index (column_servers, i));
      if (result->address != NULL && g_strcmp0 (result->address, result->endpoint->host) != 0)
        g_string_append_printf (out, " (%s)", result->address);
      g_string_append_c (out, '\n');
      if (result->detail != NULL)
        {
          g_autofree char *common = result->status == MTC_STATUS_TLS_ERROR
                                    ? mtc_describe_common_failure (result) : NULL;

          append_wrapped (out, labels[0], label_width, common != NULL ? common : result->detail);
        }
      for (guint f = 0; result->address_failures != NULL && f < result->address_failures->len; f++)
        {
          const MtcAddressFailure *failure = g_ptr_array_index (result->address_failures, f);
          g_autofree char *text = NULL;

          if (result->address != NULL)
            /* TRANSLATORS: a server name has several addresses; the first %s did not work, the
             * second did; the last %s says how the first failed */
            text = g_strdup_printf (_("Address %s did not work, so %s was used: %s"), failure->address,
                                    result->address, failure->detail);
          else
            text = g_strdup_printf (_("Address %s: %s"), failure->address, failure->detail);
          append_wrapped (out, labels[0], label_width, text);
        }
      if (result->server_words != NULL)
        append_wrapped (out, labels[1], label_width, result->server_words);
      if (result->negotiated_version != MTC_TLS_UNKNOWN)
        {
          g_autofree char *text = g_strdup_printf ("TLS %s, %s", mtc_tls_version_to_string (result->negotiated_version),
                                                   result->negotiated_cipher ? result->negotiated_cipher : "?");
          append_wrapped (out, labels[2], label_width, text);
        }
      else if (result->negotiated_error != NULL && result->status == MTC_STATUS_OK)
        append_wrapped (out, labels[2], label_width, result->negotiated_error);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        if (result->status == MTC_STATUS_OK && result->versions[v] != MTC_VERSION_ACCEPTED
            && result->version_details[v] != NULL)
          {
            g_autofree char *label = g_strdup_printf (_("TLS %s:"), mtc_tls_version_to_string (v));
            append_wrapped (out, label, label_width, result->version_details[v]);
          }
      if (cert != NULL)
        {
          g_autofree char *problems = mtc_certificate_flags_describe (cert->errors);
          g_autofree char *until = cert->not_after ? g_date_time_format (cert->not_after, "%Y-%m-%d") : NULL;

          append_wrapped (out, labels[3], label_width, cert->subject ? cert->subject : "?");
          append_wrapped (out, labels[4], label_width, cert->issuer ? cert->issuer : "?");
          if (until != NULL)
            append_wrapped (out, labels[5], label_width, until);
          if (*problems != '\0')
            append_wrapped (out, labels[6], label_width, problems);
        }
    }
  return g_string_free (out, FALSE);
}

/* The whole report for a person and for support: the verdict first, then
 * where the servers came from (FOUND, may be NULL), then the diagnosis. */
char *
mtc_report_to_text_with_verdict (const MtcDiagnosis *diagnosis,
                                 const MtcVerdict   *verdict,
                                 const char         *found)
{
  g_autofree char *words = verdict != NULL ? mtc_verdict_to_text (verdict) : NULL;
  g_autofree char *table = mtc_report_to_text (diagnosis);
  GString *out = g_string_new (NULL);

  if (words != NULL)
    g_string_append_printf (out, "%s\n", words);
  if (found != NULL && *found != '\0')
    g_string_append_printf (out, "%s\n", found);
  g_string_append (out, table);
  return g_string_free (out, FALSE);
}

