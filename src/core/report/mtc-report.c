/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-numbers.h"
#include "mtc-report.h"
#include "mtc-report-private.h"

/* The longest line of the servers' details in the text report. */
#define DETAIL_WIDTH MTC_REPORT_WIDTH

/* Member @key: the string @value, or null. */
void
mtc_json_add_string (JsonBuilder *builder,
                     const char  *key,
                     const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *key,
          GDateTime   *date)
{
  g_autofree char *text = date ? g_date_time_format_iso8601 (date) : NULL;

  mtc_json_add_string (builder, key, text);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *key,
          const char * const *strv)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (int i = 0; strv && strv[i]; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_certificate (JsonBuilder       *builder,
                 const MtcCertInfo *cert)
{
  g_auto(GStrv) errors = NULL;

  json_builder_set_member_name (builder, "certificate");
  if (cert == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  errors = mtc_certificate_flags_to_strv (cert->errors);
  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "subject", cert->subject);
  mtc_json_add_string (builder, "issuer", cert->issuer);
  add_date (builder, "not_before", cert->not_before);
  add_date (builder, "not_after", cert->not_after);
  add_strv (builder, "dns_names", (const char * const *) cert->dns_names);
  add_strv (builder, "errors", (const char * const *) errors);
  json_builder_end_object (builder);
}

static void
add_endpoint (JsonBuilder             *builder,
              const MtcEndpointResult *result)
{
  g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "url", url);
  mtc_json_add_string (builder, "host", result->endpoint->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, result->endpoint->port);
  mtc_json_add_string (builder, "source", result->endpoint->source);
  mtc_json_add_string (builder, "configured_in", result->endpoint->configured_in);
  mtc_json_add_string (builder, "address", result->address);
  json_builder_set_member_name (builder, "address_failures");
  json_builder_begin_array (builder);
  for (guint f = 0; result->address_failures != NULL && f < result->address_failures->len; f++)
    {
      const MtcAddressFailure *failure = g_ptr_array_index (result->address_failures, f);

      json_builder_begin_object (builder);
      mtc_json_add_string (builder, "address", failure->address);
      mtc_json_add_string (builder, "status", mtc_status_to_string (failure->status));
      mtc_json_add_string (builder, "detail", failure->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  mtc_json_add_string (builder, "status", mtc_status_to_string (result->status));
  mtc_json_add_string (builder, "detail", result->detail);
  mtc_json_add_string (builder, "server_words", result->server_words);
  if (result->login != MTC_LOGIN_UNKNOWN)
    mtc_json_add_string (builder, "login", mtc_login_to_string (result->login));
  if (result->login_without_tls != MTC_LOGIN_UNKNOWN)
    mtc_json_add_string (builder, "login_without_tls", mtc_login_to_string (result->login_without_tls));

  json_builder_set_member_name (builder, "versions");
  json_builder_begin_object (builder);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    mtc_json_add_string (builder, mtc_tls_version_to_string (v), mtc_version_result_to_string (result->versions[v]));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "version_details");
  json_builder_begin_object (builder);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    mtc_json_add_string (builder, mtc_tls_version_to_string (v), result->version_details[v]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "version_reasons");
  json_builder_begin_object (builder);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    mtc_json_add_string (builder, mtc_tls_version_to_string (v), result->version_reasons[v]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "negotiated");
  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "version", mtc_tls_version_to_string (result->negotiated_version));
  mtc_json_add_string (builder, "cipher", result->negotiated_cipher);
  mtc_json_add_string (builder, "error", result->negotiated_error);
  json_builder_end_object (builder);

  add_certificate (builder, result->certificate);
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, result->elapsed_ms);
  json_builder_end_object (builder);
}

/* The JSON text of @root, indented by two spaces, with a final newline. */
char *
mtc_json_to_text (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

char *
mtc_report_to_json (const MtcDiagnosis *diagnosis)
{
  return mtc_report_to_json_full (diagnosis, NULL, NULL);
}

/* The report's JSON with the "verdict" block (README.md, "JSON") when @verdict is set. */
char *
mtc_report_to_json_with_verdict (const MtcDiagnosis *diagnosis,
                                 const MtcVerdict   *verdict)
{
  return mtc_report_to_json_full (diagnosis, verdict, NULL);
}

/* "user": the person's side as the report names it, or null. */
static void
add_user (JsonBuilder       *builder,
          const MtcUserSide *user)
{
  json_builder_set_member_name (builder, "user");
  if (user == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "email_address", user->email_address);
  mtc_json_add_string (builder, "client", user->client_id);
  mtc_json_add_string (builder, "system", user->system_id);
  json_builder_set_member_name (builder, "this_computer");
  json_builder_add_boolean_value (builder, user->this_computer);
  json_builder_end_object (builder);
}

/* The whole report as JSON (README.md, "JSON"); @verdict and @context may be NULL. */
char *
mtc_report_to_json_full (const MtcDiagnosis     *diagnosis,
                         const MtcVerdict       *verdict,
                         const MtcReportContext *context)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, MTC_JSON_SCHEMA);
  mtc_json_add_string (builder, "program_version", PACKAGE_VERSION);
  add_date (builder, "checked_at", context != NULL ? context->checked_at : NULL);
  add_user (builder, context != NULL ? context->user : NULL);
  mtc_json_add_string (builder, "help_url", context != NULL ? context->help_url : NULL);
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, diagnosis->elapsed_ms);
  json_builder_set_member_name (builder, "local");
  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "os", diagnosis->local->os);
  mtc_json_add_string (builder, "tls_library", diagnosis->local->tls_library);
  json_builder_set_member_name (builder, "versions_available");
  json_builder_begin_array (builder);
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (diagnosis->local->versions_available[v])
      json_builder_add_string_value (builder, mtc_tls_version_to_string (v));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "endpoints");
  json_builder_begin_array (builder);
  for (guint i = 0; i < diagnosis->results->len; i++)
    add_endpoint (builder, g_ptr_array_index (diagnosis->results, i));
  json_builder_end_array (builder);
  if (context != NULL && context->discoveries != NULL)
    {
      json_builder_set_member_name (builder, "discoveries");
      json_builder_add_value (builder, json_node_copy (context->discoveries));
    }
  if (verdict != NULL)
    mtc_verdict_add_json (builder, verdict);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return mtc_json_to_text (root);
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

/* "  Label:", then @text in the column after the labels. */
static void
append_labelled (GString    *out,
                 const char *label,
                 glong       label_width,
                 const char *text)
{
  g_autoptr(GString) first = g_string_new ("  ");

  append_padded (first, label, label_width);
  /* One word too long for the column (an address): on a line of its own. */
  if (strchr (text, ' ') == NULL && label_width + 2 + g_utf8_strlen (text, -1) > DETAIL_WIDTH)
    {
      g_string_append_printf (out, "  %s\n", label);
      mtc_text_append_wrapped (out, NULL, 4, DETAIL_WIDTH, text);
      return;
    }
  mtc_text_append_wrapped (out, first->str, label_width + 2, DETAIL_WIDTH, text);
}

/* "7 checked in less than a second", after "Servers:". */
static void
append_count (GString            *out,
              const MtcDiagnosis *diagnosis)
{
  guint n = diagnosis->results->len;
  gint64 seconds = (diagnosis->elapsed_ms + 500) / 1000;
  g_autofree char *duration = NULL;

  if (diagnosis->elapsed_ms < 1000)
    duration = g_strdup (_("less than a second"));
  else
    duration = mtc_seconds_describe (seconds);
  /* TRANSLATORS: after "Servers:"; %s is "less than a second" or "12 seconds" */
  g_string_append_printf (out, ngettext ("%u checked in %s", "%u checked in %s", n), n, duration);
}

/* The check itself: when, by which version, for whom, from where. */
static void
append_header (GString                *out,
               const MtcDiagnosis     *diagnosis,
               const MtcReportContext *context)
{
  const MtcUserSide *user = context != NULL ? context->user : NULL;
  const char *labels[] = { _("Date of the check:"), _("E-mail address:"), _("Mail program:"),
                           _("Checked from:"), _("Servers:"), _("Help article:") };
  glong width = 0;
  g_autofree char *available = mtc_tls_versions_describe (diagnosis->local->versions_available);
  g_autofree char *from = NULL;
  g_autoptr(GString) count = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    width = MAX (width, g_utf8_strlen (labels[i], -1) + 1);

  /* TRANSLATORS: the title of the text report; %s is the program's version */
  g_string_append_printf (out, _("Report of Mail TLS Check %s"), PACKAGE_VERSION);
  g_string_append_c (out, '\n');
  if (context != NULL && context->checked_at != NULL)
    {
      /* TRANSLATORS: the date and time of the check, a strftime() format (GDateTime); %Z is the time zone */
      g_autofree char *date = g_date_time_format (context->checked_at, _("%Y-%m-%d %H:%M %Z"));

      append_labelled (out, labels[0], width, date);
    }
  if (user != NULL && user->email_address != NULL)
    append_labelled (out, labels[1], width, user->email_address);
  if (user != NULL)
    {
      g_autofree char *client = user->client_id != NULL && context->knowledge != NULL
                                ? mtc_knowledge_get_client_name (context->knowledge, user->client_id) : NULL;
      g_autofree char *system = user->system_id != NULL && context->knowledge != NULL
                                ? mtc_knowledge_get_system_name (context->knowledge, user->system_id) : NULL;
      g_autofree char *program = NULL;

      /* A program the knowledge base does not list, read from its account (Claws Mail). */
      if (client == NULL && user->client_id != NULL)
        client = g_strdup (mtc_account_program_name (user->client_id));
      if (client != NULL && system != NULL)
        /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan" */
        program = g_strdup_printf (_("%s on %s"), client, system);
      else if (client != NULL)
        /* TRANSLATORS: a mail program whose system was not given */
        program = g_strdup_printf (_("%s, system not given"), client);
      else if (system != NULL)
        /* TRANSLATORS: %s is a system; the mail program was not given */
        program = g_strdup_printf (_("not given, on %s"), system);
      else
        program = g_strdup (_("not given"));
      if (user->this_computer)
        {
          /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan, on the computer that ran the check" */
          g_autofree char *text = g_strdup_printf (_("%s, on the computer that ran the check"), program);

          append_labelled (out, labels[2], width, text);
        }
      else
        {
          /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan, on another computer than the one that ran
           * the check" */
          g_autofree char *text = g_strdup_printf (_("%s, on another computer than the one that ran the check"),
                                                   program);

          append_labelled (out, labels[2], width, text);
        }
    }
  if (*available != '\0')
    /* TRANSLATORS: "a computer with Debian GNU/Linux 12 (bookworm) and GnuTLS 3.7.9, which can test TLS 1.0,
     * TLS 1.1, TLS 1.2 and TLS 1.3" */
    from = g_strdup_printf (_("a computer with %s and %s, which can test %s"), diagnosis->local->os,
                            diagnosis->local->tls_library, available);
  else
    /* TRANSLATORS: "a computer with Debian GNU/Linux 12 (bookworm) and GnuTLS 3.7.9, which can test no TLS
     * version" */
    from = g_strdup_printf (_("a computer with %s and %s, which can test no TLS version"), diagnosis->local->os,
                            diagnosis->local->tls_library);
  append_labelled (out, labels[3], width, from);
  append_count (count, diagnosis);
  append_labelled (out, labels[4], width, count->str);
  if (context != NULL && context->help_url != NULL)
    append_labelled (out, labels[5], width, context->help_url);
}

/* A cell of the table: the version's result in a word; "–" when it was not tested. */
static const char *
cell_word (MtcVersionResult result)
{
  return result == MTC_VERSION_NOT_TESTED ? "–" : mtc_version_result_describe (result);
}

/* The table: a server a row, its status and the four versions.  A server
 * whose address is too long for its column has a line of its own. */
static void
append_table (GString            *out,
              const MtcDiagnosis *diagnosis,
              GPtrArray          *urls)
{
  const char *head_server = _("Server");
  const char *head_status = _("Status");
  glong server_width = g_utf8_strlen (head_server, -1);
  glong status_width = g_utf8_strlen (head_status, -1);
  glong cell_width = 7;         /* "TLS 1.0" */
  glong cells_width;
  gboolean untested = FALSE;

  for (int r = MTC_VERSION_NOT_TESTED; r <= MTC_VERSION_ERROR; r++)
    cell_width = MAX (cell_width, g_utf8_strlen (cell_word (r), -1));
  cell_width += 2;
  cells_width = cell_width * MTC_N_TLS_VERSIONS - 2;
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      server_width = MAX (server_width, g_utf8_strlen (g_ptr_array_index (urls, i), -1));
      status_width = MAX (status_width, g_utf8_strlen (mtc_status_describe (result->status), -1));
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        untested |= result->versions[v] == MTC_VERSION_NOT_TESTED;
    }
  server_width = MIN (server_width, MAX (MTC_REPORT_WIDTH - cells_width - status_width - 4, 12));

  if (diagnosis->results->len == 0)
    {
      g_string_append_printf (out, "%s\n", _("No server was checked: none could be found."));
      return;
    }
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
      const char *url = g_ptr_array_index (urls, i);

      if (g_utf8_strlen (url, -1) > server_width)
        {
          g_string_append_printf (out, "%s\n", url);
          append_padded (out, "", server_width + 2);
        }
      else
        append_padded (out, url, server_width + 2);
      append_padded (out, mtc_status_describe (result->status), status_width + 2);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        append_padded (out, cell_word (result->versions[v]), v + 1 < MTC_N_TLS_VERSIONS ? cell_width : 0);
      g_string_append_c (out, '\n');
    }
  if (untested)
    /* TRANSLATORS: the legend of the table's "–" */
    g_string_append_printf (out, "%s\n", _("– not tested"));
}

/* The table, then each server's details. */
static void
append_servers (GString            *out,
                const MtcDiagnosis *diagnosis,
                MtcKnowledge       *knowledge)
{
  g_autoptr(GPtrArray) column_servers = g_ptr_array_new_with_free_func (g_free);
  const char *labels[] = { _("Result:"), _("Server said:"), _("Connects with:"), _("Certificate:"), _("Issued by:"),
                           /* TRANSLATORS: a label in the details: TLS and a version number, such as 1.2 */
                           _("Valid until:"), _("Problems:"), _("TLS %s:") };
  glong label_width = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    label_width = MAX (label_width, g_utf8_strlen (labels[i], -1) + 1);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      g_ptr_array_add (column_servers, mtc_endpoint_to_url (result->endpoint));
    }
  append_table (out, diagnosis, column_servers);

  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      const MtcCertInfo *cert = result->certificate;
      g_autoptr(GString) head = g_string_new (NULL);

      g_string_append_printf (head, "%s — %s", mtc_endpoint_describe_role (result->endpoint),
                              (const char *) g_ptr_array_index (column_servers, i));
      if (result->address != NULL && g_strcmp0 (result->address, result->endpoint->host) != 0)
        g_string_append_printf (head, " (%s)", result->address);
      if (result->endpoint->configured_in != NULL)
        {
          g_autofree char *program = knowledge != NULL
                                     ? mtc_knowledge_get_client_name (knowledge, result->endpoint->configured_in)
                                     : NULL;

          g_string_append (head, " — ");
          /* TRANSLATORS: after a server in the report: "Outgoing mail — smtp://mail.example.net:465 — as set in
           * Thunderbird"; %s is the mail program whose settings name it so */
          g_string_append_printf (head, _("as set in %s"),
                                  program != NULL ? program
                                                  : mtc_account_program_name (result->endpoint->configured_in));
        }
      g_string_append_c (out, '\n');
      mtc_text_append_wrapped (out, NULL, 0, MTC_REPORT_WIDTH, head->str);
      if (result->detail != NULL)
        {
          g_autofree char *common = result->status == MTC_STATUS_TLS_ERROR
                                    ? mtc_describe_common_failure (result) : NULL;

          append_labelled (out, labels[0], label_width, common != NULL ? common : result->detail);
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
            /* TRANSLATORS: a line of the details: one network address of the server (IPv4 or IPv6), and
             * what happened there */
            text = g_strdup_printf (_("Address %s: %s"), failure->address, failure->detail);
          append_labelled (out, labels[0], label_width, text);
        }
      if (result->server_words != NULL)
        append_labelled (out, labels[1], label_width, result->server_words);
      if (result->negotiated_version != MTC_TLS_UNKNOWN)
        {
          g_autofree char *text = g_strdup_printf ("TLS %s, %s", mtc_tls_version_to_string (result->negotiated_version),
                                                   result->negotiated_cipher ? result->negotiated_cipher : "?");
          append_labelled (out, labels[2], label_width, text);
        }
      else if (result->negotiated_error != NULL && result->status == MTC_STATUS_OK)
        append_labelled (out, labels[2], label_width, result->negotiated_error);
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        if (result->status == MTC_STATUS_OK && result->versions[v] != MTC_VERSION_ACCEPTED
            && result->version_details[v] != NULL)
          {
            /* TRANSLATORS: a label in the details: TLS and a version number, such as 1.2 */
            g_autofree char *label = g_strdup_printf (_("TLS %s:"), mtc_tls_version_to_string (v));
            append_labelled (out, label, label_width, result->version_details[v]);
          }
      if (cert != NULL)
        {
          g_autofree char *problems = mtc_certificate_flags_describe (cert->errors);
          g_autofree char *until = cert->not_after ? mtc_date_describe (cert->not_after) : NULL;

          append_labelled (out, labels[3], label_width, cert->subject ? cert->subject : "?");
          append_labelled (out, labels[4], label_width, cert->issuer ? cert->issuer : "?");
          if (until != NULL)
            append_labelled (out, labels[5], label_width, until);
          if (*problems != '\0')
            append_labelled (out, labels[6], label_width, problems);
        }
    }
}

char *
mtc_report_to_text (const MtcDiagnosis *diagnosis)
{
  return mtc_report_to_text_full (diagnosis, NULL, NULL);
}

/* The whole report for a person and for support: the verdict first, then
 * where the servers came from (FOUND, may be NULL), then the diagnosis. */
char *
mtc_report_to_text_with_verdict (const MtcDiagnosis *diagnosis,
                                 const MtcVerdict   *verdict,
                                 const char         *found)
{
  MtcReportContext context = { .found = found };

  return mtc_report_to_text_full (diagnosis, verdict, &context);
}

/**
 * mtc_report_to_text_full:
 * @verdict: (nullable): the verdict
 * @context: (nullable): what the report says about the check itself
 *
 * The report for a person and for support, in lines of at most
 * %MTC_REPORT_WIDTH characters where no single word is longer: the check
 * itself (date, version, the person's program and system, the computer it
 * ran on), the verdict, where the servers came from, the table, each
 * server's details.
 *
 * Returns: (transfer full): the text
 */
char *
mtc_report_to_text_full (const MtcDiagnosis     *diagnosis,
                         const MtcVerdict       *verdict,
                         const MtcReportContext *context)
{
  GString *out = g_string_new (NULL);

  append_header (out, diagnosis, context);
  g_string_append_c (out, '\n');
  if (verdict != NULL)
    {
      g_autofree char *words = mtc_verdict_to_text (verdict);

      g_string_append_printf (out, "%s\n", words);
    }
  if (context != NULL && context->found != NULL && *context->found != '\0')
    g_string_append_printf (out, "%s\n", context->found);
  append_servers (out, diagnosis, context != NULL ? context->knowledge : NULL);
  return g_string_free (out, FALSE);
}
