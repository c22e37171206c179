/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-accounts-report.h"
#include "mtc-quote.h"
#include "mtc-report-private.h"

/* The accounts of the mail programs on this computer in words and as JSON
 * (README, "JSON": the shape of --accounts --json).  Everything here came
 * from files on this computer: it is quoted before it is shown.  An account
 * carries no password, so none can be shown. */

#define QUOTE_MAX 200

static char *
quote (const char *text)
{
  return text != NULL ? mtc_quote_text (text, -1, QUOTE_MAX) : NULL;
}

/* Thunderbird's security.tls.version numbers: 1 TLS 1.0 … 4 TLS 1.3. */
static const char *
tls_limit_to_string (guint limit)
{
  static const char *const names[] = { NULL, "1.0", "1.1", "1.2", "1.3" };

  return limit < G_N_ELEMENTS (names) ? names[limit] : NULL;
}

static const char *
security_words (MtcAccountSecurity security)
{
  switch (security)
    {
    case MTC_ACCOUNT_SECURITY_NONE:
      /* TRANSLATORS: a server's connection security as set in the mail program */
      return _("no encryption");
    case MTC_ACCOUNT_SECURITY_STARTTLS:
      return "STARTTLS";
    case MTC_ACCOUNT_SECURITY_SSL_TLS:
      return "SSL/TLS";
    case MTC_ACCOUNT_SECURITY_UNKNOWN:
    default:
      /* TRANSLATORS: a server's connection security as set in the mail program */
      return _("security not known");
    }
}

static char *
describe_server (const MtcAccountServer *server,
                 gboolean                incoming)
{
  g_autofree char *host = NULL;

  if (server == NULL)
    return g_strdup (incoming ? _("no incoming server") : _("no outgoing server"));
  host = quote (server->host);
  if (server->port == 0)
    return g_strdup_printf (incoming
                            /* TRANSLATORS: %1$s a server name, %2$s its security ("SSL/TLS") */
                            ? _("receives from %1$s, the program’s standard port, %2$s")
                            : _("sends through %1$s, the program’s standard port, %2$s"),
                            host, security_words (server->security));
  return g_strdup_printf (incoming
                          /* TRANSLATORS: %1$s a server name, %2$u a port, %3$s its security ("SSL/TLS") */
                          ? _("receives from %1$s, port %2$u, %3$s")
                          : _("sends through %1$s, port %2$u, %3$s"),
                          host, server->port, security_words (server->security));
}

char *
mtc_account_describe (const MtcAccount *account)
{
  g_autofree char *address = quote (account->address);
  g_autofree char *name = quote (account->display_name);
  g_autofree char *incoming = describe_server (account->incoming, TRUE);
  g_autofree char *outgoing = describe_server (account->outgoing, FALSE);
  const char *who = address != NULL && *address != '\0' ? address : name;

  if (who == NULL || *who == '\0')
    /* TRANSLATORS: %1$s a mail program, then where it receives and sends mail:
     * "In Evolution: receives from …, port 993, SSL/TLS; sends through …" */
    return g_strdup_printf (_("In %1$s: %2$s; %3$s"), mtc_account_program_name (account->program),
                            incoming, outgoing);
  if (account->incoming == NULL && account->outgoing == NULL)
    /* TRANSLATORS: %1$s a mail program, %2$s the account's e-mail address; the program
     * keeps the servers of some providers (Gmail in Geary) to itself */
    return g_strdup_printf (_("In %1$s: %2$s — its settings file names no servers"),
                            mtc_account_program_name (account->program), who);
  /* TRANSLATORS: %1$s a mail program, %2$s the account's e-mail address, then where
   * it receives and sends mail: "In Thunderbird: alice@example.net — receives from
   * imap.example.net, port 993, SSL/TLS; sends through smtp.example.net, port 587, STARTTLS" */
  return g_strdup_printf (_("In %1$s: %2$s — %3$s; %4$s"), mtc_account_program_name (account->program), who,
                          incoming, outgoing);
}

char *
mtc_account_describe_version (const MtcAccount *account)
{
  g_autofree char *version = NULL;

  if (account->program_version == NULL)
    return NULL;
  version = quote (account->program_version);
  /* TRANSLATORS: %1$s a mail program, %2$s its version */
  return g_strdup_printf (_("Version: %1$s %2$s, as its settings say."),
                          mtc_account_program_name (account->program), version);
}

static void
append_account (GString          *out,
                const MtcAccount *account)
{
  g_autofree char *line = mtc_account_describe (account);
  g_autofree char *file = quote (account->file);
  g_autofree char *from = g_strdup_printf (_("Read from %s."), file);
  const char *min = tls_limit_to_string (account->tls_version_min);
  const char *max = tls_limit_to_string (account->tls_version_max);

  mtc_text_append_wrapped (out, NULL, 2, MTC_REPORT_WIDTH, line);
  if (account->program_version != NULL)
    {
      g_autofree char *text = mtc_account_describe_version (account);

      mtc_text_append_wrapped (out, "  ", 2, MTC_REPORT_WIDTH, text);
    }
  if (min != NULL || max != NULL)
    {
      g_autofree char *text = NULL;

      if (min != NULL && max != NULL)
        /* TRANSLATORS: %1$s and %2$s are TLS versions ("1.2") */
        text = g_strdup_printf (_("Its settings allow TLS %1$s to TLS %2$s only."), min, max);
      else if (min != NULL)
        text = g_strdup_printf (_("Its settings allow TLS %s and newer only."), min);
      else
        text = g_strdup_printf (_("Its settings allow TLS %s and older only."), max);
      mtc_text_append_wrapped (out, "  ", 2, MTC_REPORT_WIDTH, text);
    }
  mtc_text_append_wrapped (out, "  ", 2, MTC_REPORT_WIDTH, from);
}

char *
mtc_accounts_report_to_text (GPtrArray *accounts,
                             GPtrArray *problems)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (accounts->len == 0)
    mtc_text_append_wrapped (out, NULL, 0, MTC_REPORT_WIDTH,
                             _("No mail program accounts were found on this computer."));
  else
    mtc_text_append_wrapped (out, NULL, 0, MTC_REPORT_WIDTH,
                             g_dngettext (GETTEXT_PACKAGE, "One mail program account was found on this computer:",
                                          "These mail program accounts were found on this computer:",
                                          accounts->len));
  for (guint i = 0; i < accounts->len; i++)
    {
      g_string_append_c (out, '\n');
      append_account (out, accounts->pdata[i]);
    }
  if (problems != NULL && problems->len > 0)
    {
      g_string_append_c (out, '\n');
      mtc_text_append_wrapped (out, NULL, 0, MTC_REPORT_WIDTH,
                               g_dngettext (GETTEXT_PACKAGE, "One settings file could not be read:",
                                            "Some settings files could not be read:", problems->len));
      for (guint i = 0; i < problems->len; i++)
        mtc_text_append_wrapped (out, "- ", 2, MTC_REPORT_WIDTH, problems->pdata[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  g_autofree char *quoted = quote (value);

  mtc_json_add_string (builder, name, quoted);
}

static void
add_server (JsonBuilder            *builder,
            const char             *name,
            const MtcAccountServer *server)
{
  static const char *const protocols[] = {
    [MTC_ACCOUNT_SERVER_SMTP] = "smtp",
    [MTC_ACCOUNT_SERVER_IMAP] = "imap",
    [MTC_ACCOUNT_SERVER_POP3] = "pop3",
  };

  json_builder_set_member_name (builder, name);
  if (server == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  mtc_json_add_string (builder, "protocol", protocols[server->kind]);
  add_string (builder, "host", server->host);
  json_builder_set_member_name (builder, "port");
  if (server->port == 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, server->port);
  mtc_json_add_string (builder, "security", mtc_account_security_to_string (server->security));
  json_builder_end_object (builder);
}

char *
mtc_accounts_report_to_json (GPtrArray *accounts,
                             GPtrArray *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, MTC_JSON_SCHEMA);
  mtc_json_add_string (builder, "program_version", PACKAGE_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    {
      const MtcAccount *account = accounts->pdata[i];
      g_autofree char *description = mtc_account_describe (account);

      json_builder_begin_object (builder);
      add_string (builder, "program", account->program);
      add_string (builder, "program_name", mtc_account_program_name (account->program));
      add_string (builder, "program_version", account->program_version);
      add_string (builder, "address", account->address);
      add_string (builder, "display_name", account->display_name);
      add_string (builder, "file", account->file);
      add_server (builder, "incoming", account->incoming);
      add_server (builder, "outgoing", account->outgoing);
      mtc_json_add_string (builder, "tls_version_min", tls_limit_to_string (account->tls_version_min));
      mtc_json_add_string (builder, "tls_version_max", tls_limit_to_string (account->tls_version_max));
      mtc_json_add_string (builder, "description", description);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    json_builder_add_string_value (builder, problems->pdata[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return mtc_json_to_text (root);
}
