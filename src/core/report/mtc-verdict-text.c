/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-enums.h"
#include "mtc-verdict-enums.h"
#include "mtc-report.h"
#include "mtc-report-private.h"

/* The verdict as text and as the "verdict" member of the JSON report. */

#define TEXT_WIDTH MTC_REPORT_WIDTH

static void
add_bool (JsonBuilder *builder,
          const char  *key,
          gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

static void
add_settings (JsonBuilder          *builder,
              const MtcVerdictStep *step)
{
  json_builder_set_member_name (builder, "settings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < step->settings->len; i++)
    {
      const MtcMailSetting *setting = g_ptr_array_index (step->settings, i);

      json_builder_begin_object (builder);
      mtc_json_add_string (builder, "role", setting->protocol == MTC_PROTOCOL_SMTP ? "outgoing" : "incoming");
      mtc_json_add_string (builder, "protocol", mtc_enum_get_nick (MTC_TYPE_PROTOCOL, setting->protocol));
      mtc_json_add_string (builder, "server", setting->host);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, setting->port);
      mtc_json_add_string (builder, "security", setting->security == MTC_SECURITY_IMPLICIT ? "ssl-tls" : "starttls");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  mtc_json_add_string (builder, "username", step->username);
}

/* Adds the member "verdict" of the report's JSON (README.md, "JSON") to the object
 * @builder is in. */
void
mtc_verdict_add_json (JsonBuilder      *builder,
                      const MtcVerdict *verdict)
{
  json_builder_set_member_name (builder, "verdict");
  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "id", mtc_verdict_id_to_string (verdict->id));
  mtc_json_add_string (builder, "title", verdict->title);
  mtc_json_add_string (builder, "explanation", verdict->explanation);
  mtc_json_add_string (builder, "details", verdict->details);
  add_bool (builder, "may_stop", verdict->may_stop);
  add_bool (builder, "uncertain", verdict->uncertain);
  add_bool (builder, "this_computer_cannot_test", verdict->this_computer_cannot_test);
  mtc_json_add_string (builder, "client_max_version", mtc_tls_version_to_string (verdict->client_max));
  mtc_json_add_string (builder, "needed_version", mtc_tls_version_to_string (verdict->needed));
  mtc_json_add_string (builder, "client_ability", mtc_enum_get_nick (MTC_TYPE_CLIENT_ABILITY, verdict->client_ability));
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      json_builder_begin_object (builder);
      mtc_json_add_string (builder, "id", step->id);
      mtc_json_add_string (builder, "title", step->title);
      mtc_json_add_string (builder, "text", step->text);
      mtc_json_add_string (builder, "url", step->url);
      mtc_json_add_string (builder, "client", step->client_id);
      mtc_json_add_string (builder, "system", step->system_id);
      if (step->settings != NULL)
        add_settings (builder, step);
      if (step->change != NULL)
        mtc_json_add_string (builder, "change", step->change);
      add_bool (builder, "has_cost", step->has_cost);
      add_bool (builder, "fixes", step->fixes);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * mtc_verdict_to_json:
 *
 * Returns: (transfer full): a JSON object with the one member "verdict", as
 *   in the report's JSON
 */
char *
mtc_verdict_to_json (const MtcVerdict *verdict)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (verdict != NULL, NULL);

  json_builder_begin_object (builder);
  mtc_verdict_add_json (builder, verdict);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return mtc_json_to_text (root);
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

  mtc_text_append_wrapped (out, NULL, 0, TEXT_WIDTH, verdict->title);
  g_string_append_c (out, '\n');
  mtc_text_append_wrapped (out, NULL, 0, TEXT_WIDTH, verdict->explanation);
  if (verdict->steps->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("What you can do:"));
      for (guint i = 0; i < verdict->steps->len; i++)
        {
          const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

          g_string_append_printf (out, "\n  %u. %s\n", i + 1, step->title);
          mtc_text_append_wrapped (out, NULL, 5, TEXT_WIDTH, step->text);
          if (step->url != NULL)
            g_string_append_printf (out, "     %s\n", step->url);
          for (guint j = 0; step->settings != NULL && j < step->settings->len; j++)
            {
              g_autofree char *line = mtc_mail_setting_to_text (g_ptr_array_index (step->settings, j));

              mtc_text_append_wrapped (out, "     ", 7, TEXT_WIDTH, line);
            }
          if (step->username != NULL)
            {
              g_autofree char *line = g_strdup_printf (_("User name: %s"), step->username);

              mtc_text_append_wrapped (out, "     ", 7, TEXT_WIDTH, line);
            }
        }
    }
  if (verdict->details != NULL && *verdict->details != '\0')
    {
      g_string_append_printf (out, "\n%s\n", _("Details for support:"));
      mtc_text_append_wrapped (out, NULL, 2, TEXT_WIDTH, verdict->details);
    }
  return g_string_free (out, FALSE);
}
