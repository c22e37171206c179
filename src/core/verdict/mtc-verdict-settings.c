/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-verdict-private.h"

/* The verdict wrong-settings: the mail program's account (read from its
 * own files) was probed exactly as set, and one of its settings is what
 * stops the mail while the provider's servers work.  Each finding becomes
 * one step with the exact change, in the program's own words where its
 * source gave them.
 *
 * Thunderbird's labels are its en-US strings and their German translation:
 *   mozilla/releases-comm-central mail/locales/en-US/chrome/messenger/
 *     AccountManager.dtd (accountManagerTitle.label "Account Settings"),
 *     am-server-top.dtd (serverSettings.label "Server Settings",
 *     serverName.label "Server Name:", port.label "Port:",
 *     connectionSecurity.label "Connection security:", connectionSecurityType-0/2/3
 *     "None", "STARTTLS", "SSL/TLS"), smtpEditOverlay.dtd (the same fields of
 *     the outgoing server), prefs.properties (prefPanel-smtp "Outgoing Server (SMTP)");
 *   mail/locales/en-US/messenger/preferences/preferences.ftl
 *     (config-editor-button "Config Editor…");
 *   thunderbird/thunderbird-l10n de/… the same files ("Konten-Einstellungen",
 *     "Server-Einstellungen", "Postausgangs-Server (SMTP)", "Server:", "Port:",
 *     "Verbindungssicherheit:", "Keine", "Konfiguration bearbeiten…").
 * For Evolution, Geary and Claws Mail no source for their labels was found:
 * their steps say the setting plainly, without a menu path.  The
 * preferences security.tls.version.min/.max take 1 (TLS 1.0) to 4 (TLS 1.3). */

typedef enum {
  CHANGE_SECURITY,   /* the port speaks the other kind of encryption */
  CHANGE_NONE,       /* no encryption set where the provider requires it */
  CHANGE_PORT,       /* a port that does not get through, or offers no login, where another works */
  CHANGE_HOST,       /* a server name that does not resolve where the provider's does */
  CHANGE_TLS_MAX,    /* security.tls.version.max below what the servers accept */
  CHANGE_TLS_MIN,    /* security.tls.version.min above it */
} ChangeKind;

typedef struct {
  ChangeKind kind;
  const MtcAccountServer *server;      /* NULL for the TLS preferences */
  const MtcEndpointResult *configured; /* the probe as set, or NULL */
  const MtcEndpointResult *working;    /* what works instead, or NULL */
  guint pref_value;                    /* the TLS preferences: the value to set */
} Change;

static gboolean
implicit_port (guint16 port)
{
  return port == 465 || port == 993 || port == 995;
}

static gboolean
starttls_port (guint16 port)
{
  return port == 25 || port == 587 || port == 143 || port == 110;
}

static MtcSecurity
endpoint_security (MtcAccountSecurity security)
{
  return security == MTC_ACCOUNT_SECURITY_SSL_TLS ? MTC_SECURITY_IMPLICIT : MTC_SECURITY_STARTTLS;
}

static gboolean
same_host (const MtcEndpoint *endpoint,
           const char        *host)
{
  g_autofree char *ascii = host != NULL ? g_hostname_to_ascii (host) : NULL;

  return ascii != NULL && g_ascii_strcasecmp (endpoint->host, ascii) == 0;
}

/* The probe of @server as the program is set to use it. */
static const MtcEndpointResult *
configured_result (const Analysis         *a,
                   const MtcAccountServer *server,
                   MtcProtocol             protocol)
{
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      const MtcEndpoint *endpoint = result->endpoint;

      if (endpoint->configured_in != NULL && endpoint->protocol == protocol
          && endpoint->port == mtc_account_server_get_port (server)
          && endpoint->security == endpoint_security (server->security) && same_host (endpoint, server->host))
        return result;
    }
  return NULL;
}

/* A working server of @protocol to use instead of @configured: on the same
 * host and port with the other kind of encryption when @same_port; else
 * the one that changes least (the same port and encryption, then the same
 * host), encrypted from the first byte first (RFC 8314). */
static const MtcEndpointResult *
working_instead (const Analysis          *a,
                 const MtcEndpointResult *configured,
                 gboolean                 same_port)
{
  const MtcEndpointResult *best = NULL;
  int best_score = G_MAXINT;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      const MtcEndpoint *endpoint = result->endpoint;
      gboolean host = g_ascii_strcasecmp (endpoint->host, configured->endpoint->host) == 0;
      int score;

      /* A server that offers mail programs no login is no way to send. */
      if (result == configured || endpoint->protocol != configured->endpoint->protocol || !result_working (result)
          || result->login == MTC_LOGIN_NOT_OFFERED)
        continue;
      if (same_port && (!host || endpoint->port != configured->endpoint->port
                        || endpoint->security == configured->endpoint->security))
        continue;
      score = (endpoint->port == configured->endpoint->port && endpoint->security == configured->endpoint->security
               ? 0 : 4)
              + (host ? 0 : 2) + (endpoint->security == MTC_SECURITY_IMPLICIT ? 0 : 1);
      if (score < best_score)
        {
          best = result;
          best_score = score;
        }
    }
  return best;
}

static void
add_change (GArray                  *changes,
            ChangeKind               kind,
            const MtcAccountServer  *server,
            const MtcEndpointResult *configured,
            const MtcEndpointResult *working)
{
  Change change = { kind, server, configured, working, 0 };

  g_array_append_val (changes, change);
}

/* The server offers a login only after STARTTLS: before it, none (SMTP's
 * AUTH, POP3's USER or SASL mechanisms), or IMAP's LOGINDISABLED; SMTP
 * must offer one inside TLS, or it offers mail programs none at all. */
static gboolean
login_needs_tls (const MtcEndpointResult *result)
{
  if (result->login_without_tls != MTC_LOGIN_NOT_OFFERED)
    return FALSE;
  return result->endpoint->protocol != MTC_PROTOCOL_SMTP || result->login == MTC_LOGIN_OFFERED;
}

static void
find_server_changes (const Analysis         *a,
                     const MtcAccountServer *server,
                     GArray                 *changes)
{
  static const MtcProtocol protocols[] = {
    [MTC_ACCOUNT_SERVER_SMTP] = MTC_PROTOCOL_SMTP,
    [MTC_ACCOUNT_SERVER_IMAP] = MTC_PROTOCOL_IMAP,
    [MTC_ACCOUNT_SERVER_POP3] = MTC_PROTOCOL_POP3,
  };
  const MtcEndpointResult *configured;
  const MtcEndpointResult *instead;
  guint16 port;

  if (server == NULL || (guint) server->kind >= G_N_ELEMENTS (protocols)
      || (configured = configured_result (a, server, protocols[server->kind])) == NULL)
    return;
  port = configured->endpoint->port;

  if (result_working (configured))
    {
      /* Encryption works, but the server offers mail programs no login, as
       * port 25 of a provider's incoming mail servers (meant for other
       * servers, RFC 5321), while a way meant for mail programs works
       * (RFC 6409, RFC 8314): sending would be refused. */
      if (configured->login == MTC_LOGIN_NOT_OFFERED
          && (instead = working_instead (a, configured, FALSE)) != NULL)
        add_change (changes, CHANGE_PORT, server, configured, instead);
      /* Encryption works there, but the program is set not to use it, and
       * the server offers a login only with it, or the provider states
       * that it requires it. */
      else if (server->security == MTC_ACCOUNT_SECURITY_NONE
               && (login_needs_tls (configured) || (a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN)))
        add_change (changes, CHANGE_NONE, server, configured, configured);
      return;
    }
  if (configured->status == MTC_STATUS_DNS_ERROR)
    {
      if ((instead = working_instead (a, configured, FALSE)) != NULL)
        add_change (changes, CHANGE_HOST, server, configured, instead);
      return;
    }
  /* The same port speaks the other kind, as probed. */
  if ((instead = working_instead (a, configured, TRUE)) != NULL)
    {
      add_change (changes, CHANGE_SECURITY, server, configured, instead);
      return;
    }
  instead = working_instead (a, configured, FALSE);
  if (instead == NULL)
    return;
  /* A port that by its number speaks the other kind (RFC 8314), while the
   * provider's servers answer: the setting, not the network. */
  if ((configured->endpoint->security == MTC_SECURITY_STARTTLS && implicit_port (port))
      || (configured->endpoint->security == MTC_SECURITY_IMPLICIT && starttls_port (port)))
    add_change (changes, CHANGE_SECURITY, server, configured, NULL);
  else if (is_blocking_failure (configured->status))
    add_change (changes, CHANGE_PORT, server, configured, instead);
}

/* Thunderbird's own limits against what the servers the program needs accept. */
static void
find_tls_pref_changes (const Analysis *a,
                       GArray         *changes)
{
  const MtcAccount *account = a->account;
  MtcTlsVersion needed = MTC_TLS_UNKNOWN;
  MtcTlsVersion newest = MTC_TLS_UNKNOWN;
  gboolean any = FALSE;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (!role_matters (a, role_of (result)) || !result_working (result))
        continue;
      any = TRUE;
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        if (result->versions[v] == MTC_VERSION_ACCEPTED)
          newest = MAX (newest, (MtcTlsVersion) v);
    }
  if (!any)
    return;
  for (int r = 0; r < N_ROLES; r++)
    if (role_matters (a, r) && a->working[r])
      needed = MAX (needed, a->lowest[r]);
  if (a->hints != NULL)
    needed = MAX (needed, a->hints->min_version);

  if (account->tls_version_max >= 1 && account->tls_version_max <= MTC_N_TLS_VERSIONS
      && needed != MTC_TLS_UNKNOWN && (MtcTlsVersion) (account->tls_version_max - 1) < needed)
    {
      Change change = { CHANGE_TLS_MAX, NULL, NULL, NULL, MTC_N_TLS_VERSIONS };

      g_array_append_val (changes, change);
    }
  if (account->tls_version_min >= 1 && account->tls_version_min <= MTC_N_TLS_VERSIONS
      && newest != MTC_TLS_UNKNOWN && (MtcTlsVersion) (account->tls_version_min - 1) > newest)
    {
      Change change = { CHANGE_TLS_MIN, NULL, NULL, NULL, (guint) newest + 1 };

      g_array_append_val (changes, change);
    }
}

static gboolean
is_thunderbird (const Analysis *a)
{
  return g_strcmp0 (a->account->program, "thunderbird") == 0;
}

static const char *
program_name (const Analysis *a)
{
  return a->client_name != NULL ? a->client_name : mtc_account_program_name (a->account->program);
}

/* A connection security as the program names it. */
static const char *
security_word (MtcSecurity security)
{
  if (security == MTC_SECURITY_IMPLICIT)
    return "SSL/TLS";
  return "STARTTLS";
}

/* The new values of @change's server: host, port, security. */
static void
new_values (const Change  *change,
            const char   **host,
            guint16       *port,
            MtcSecurity   *security)
{
  const MtcEndpoint *configured = change->configured->endpoint;

  *host = configured->host_display != NULL ? configured->host_display : configured->host;
  *port = configured->port;
  *security = configured->security;
  if (change->working != NULL)
    {
      const MtcEndpoint *working = change->working->endpoint;

      *host = working->host_display != NULL ? working->host_display : working->host;
      *port = working->port;
      *security = working->security;
    }
  else if (change->kind == CHANGE_SECURITY)
    *security = configured->security == MTC_SECURITY_IMPLICIT ? MTC_SECURITY_STARTTLS : MTC_SECURITY_IMPLICIT;
}

/* "Server Name: …\nPort: …\nConnection security: …": the fields that change,
 * in Thunderbird's words; for other programs the plain words. */
static char *
change_lines (const Analysis *a,
              const Change   *change)
{
  const MtcEndpoint *configured = change->configured->endpoint;
  GString *out = g_string_new (NULL);
  const char *host;
  guint16 port;
  MtcSecurity security;
  gboolean tb = is_thunderbird (a);

  new_values (change, &host, &port, &security);
  if (!same_host (configured, host))
    g_string_append_printf (out, "%s %s\n",
                            /* TRANSLATORS: Thunderbird's own label (serverName.label); German Thunderbird: "Server:" */
                            tb ? C_("Thunderbird", "Server Name:") : _("Server:"), host);
  if (port != configured->port)
    g_string_append_printf (out, "%s %u\n",
                            /* TRANSLATORS: Thunderbird's own label (port.label); German Thunderbird: "Port:" */
                            tb ? C_("Thunderbird", "Port:") : _("Port:"), port);
  if (security != configured->security || change->kind == CHANGE_NONE)
    g_string_append_printf (out, "%s %s\n",
                            /* TRANSLATORS: Thunderbird's own label (connectionSecurity.label); German
                             * Thunderbird: "Verbindungssicherheit:" */
                            tb ? C_("Thunderbird", "Connection security:") : _("Security:"),
                            security_word (security));
  if (out->len > 0)
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* Where to change it: Thunderbird's menu path, or the plain words. */
static char *
where_text (const Analysis *a,
            const Change   *change)
{
  gboolean outgoing = change->server->kind == MTC_ACCOUNT_SERVER_SMTP;
  const MtcEndpoint *configured = change->configured->endpoint;
  const char *host = configured->host_display != NULL ? configured->host_display : configured->host;

  if (is_thunderbird (a) && outgoing)
    /* TRANSLATORS: "In Thunderbird, open “Account Settings” › “Outgoing Server (SMTP)”, select the server
     * smtp.example.net and edit it:" — the quoted words are Thunderbird's own labels, as the next messages */
    return g_strdup_printf (_("In Thunderbird, open “%s” › “%s”, select the server %s and edit it:"),
                            /* TRANSLATORS: Thunderbird's own label (accountManagerTitle.label); German
                             * Thunderbird: "Konten-Einstellungen" */
                            C_("Thunderbird", "Account Settings"),
                            /* TRANSLATORS: Thunderbird's own label (prefPanel-smtp); German Thunderbird:
                             * "Postausgangs-Server (SMTP)" */
                            C_("Thunderbird", "Outgoing Server (SMTP)"), host);
  if (is_thunderbird (a))
    /* TRANSLATORS: "In Thunderbird, open “Account Settings” › “Server Settings” of the account alice@example.net:" */
    return g_strdup_printf (_("In Thunderbird, open “%s” › “%s” of the account %s:"),
                            C_("Thunderbird", "Account Settings"),
                            /* TRANSLATORS: Thunderbird's own label (serverSettings.label); German Thunderbird:
                             * "Server-Einstellungen" */
                            C_("Thunderbird", "Server Settings"),
                            /* The address only where the report names it anyway. */
                            a->user->email_address != NULL
                            && g_strcmp0 (a->user->email_address, a->account->address) == 0
                            ? a->account->address : host);
  if (outgoing)
    /* TRANSLATORS: "In Evolution, change the outgoing mail server smtp.example.net of your account:" */
    return g_strdup_printf (_("In %s, change the outgoing mail server %s of your account:"), program_name (a), host);
  /* TRANSLATORS: "In Evolution, change the incoming mail server imap.example.net of your account:" */
  return g_strdup_printf (_("In %s, change the incoming mail server %s of your account:"), program_name (a), host);
}

/* Why, in one plain sentence for the explanation: no jargon there, the
 * exact words are in the step. */
static char *
reason_text (const Change *change)
{
  gboolean sending = change->server != NULL && change->server->kind == MTC_ACCOUNT_SERVER_SMTP;

  switch (change->kind)
    {
    case CHANGE_SECURITY:
      return g_strdup (sending ? _("For sending mail, your mail program is set to another kind of encryption than "
                                   "the server expects there.")
                               : _("For receiving mail, your mail program is set to another kind of encryption "
                                   "than the server expects there."));
    case CHANGE_NONE:
      return g_strdup (sending ? _("Your mail program is set to send mail without encryption, but your provider "
                                   "requires it.")
                               : _("Your mail program is set to receive mail without encryption, but your "
                                   "provider requires it."));
    case CHANGE_PORT:
      if (sending && result_working (change->configured) && change->configured->endpoint->port == 25)
        return g_strdup (_("Your mail program sends mail through port 25. There your provider’s server only takes "
                           "mail from other mail servers and offers mail programs no login, while the way meant "
                           "for them works."));
      if (sending && result_working (change->configured))
        return g_strdup (_("The way your mail program uses for sending mail offers it no login, while another "
                           "way to the same provider works."));
      if (sending && change->configured->endpoint->port == 25)
        return g_strdup (_("Your mail program sends mail through port 25, which many networks block for mail "
                           "programs, while the way meant for them works."));
      return g_strdup (sending ? _("The way your mail program uses for sending mail does not get through from "
                                   "here, while another way to the same provider works.")
                               : _("The way your mail program uses for receiving mail does not get through from "
                                   "here, while another way to the same provider works."));
    case CHANGE_HOST:
      return g_strdup (sending ? _("The name of the server for sending mail in your mail program does not exist, "
                                   "while your provider’s servers answer.")
                               : _("The name of the server for receiving mail in your mail program does not exist, "
                                   "while your provider’s servers answer."));
    case CHANGE_TLS_MAX:
      return g_strdup (_("Thunderbird is set, in its advanced configuration, not to use the newer encryption your "
                         "provider requires."));
    case CHANGE_TLS_MIN:
    default:
      return g_strdup (_("Thunderbird is set, in its advanced configuration, to require newer encryption than "
                         "your provider’s servers offer."));
    }
}

static MtcVerdictStep *
make_change_step (const Analysis *a,
                  const Change   *change)
{
  MtcVerdictStep *step;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (change->kind == CHANGE_TLS_MAX || change->kind == CHANGE_TLS_MIN)
    {
      const char *pref = change->kind == CHANGE_TLS_MAX ? "security.tls.version.max" : "security.tls.version.min";

      /* TRANSLATORS: %s is a Thunderbird setting such as security.tls.version.max; do not translate it */
      title = g_strdup_printf (_("Correct the Setting %s"), pref);
      /* TRANSLATORS: "In Thunderbird’s settings, click “Config Editor…”, search for security.tls.version.max and
       * set it to 4." — the quoted words are Thunderbird's own button */
      text = g_strdup_printf (_("In Thunderbird’s settings, click “%s”, search for %s and set it to %u. Then "
                                "restart Thunderbird."),
                              /* TRANSLATORS: Thunderbird's own button (config-editor-button); German Thunderbird:
                               * "Konfiguration bearbeiten…" */
                              C_("Thunderbird", "Config Editor…"), pref, change->pref_value);
      step = step_new ("change-setting", g_strdup (title), g_strdup (text));
      step->change = g_strdup_printf ("%s = %u", pref, change->pref_value);
      step->client_id = g_strdup (a->account->program);
      return step;
    }

  {
    g_autofree char *where = where_text (a, change);
    g_autofree char *lines = change_lines (a, change);
    g_auto(GStrv) parts = g_strsplit (lines, "\n", -1);
    GString *what = g_string_new (where);
    const char *host;
    guint16 port;
    MtcSecurity security;
    MtcMailSetting *setting;

    new_values (change, &host, &port, &security);
    for (guint i = 0; parts[i] != NULL; i++)
      {
        const char *colon = g_strrstr (parts[i], ": ");
        g_autofree char *field = colon != NULL ? g_strndup (parts[i], colon - parts[i]) : g_strdup (parts[i]);

        /* TRANSLATORS: " set “Connection security” to “SSL/TLS”" — one of the changes after the colon */
        g_string_append_printf (what, i == 0 ? _(" set “%s” to “%s”") : _(", “%s” to “%s”"), field,
                                colon != NULL ? colon + 2 : "");
      }
    g_string_append_c (what, '.');
    g_string_append_c (what, ' ');
    g_string_append (what, _("Your password stays the same."));

    if (change->kind == CHANGE_SECURITY || change->kind == CHANGE_NONE)
      /* TRANSLATORS: "Change Connection Security to SSL/TLS" */
      title = g_strdup_printf (_("Change the Connection Security to %s"), security_word (security));
    else if (change->kind == CHANGE_PORT)
      /* TRANSLATORS: %u is a port number */
      title = g_strdup_printf (_("Change the Port to %u"), port);
    else
      /* TRANSLATORS: %s is a server name */
      title = g_strdup_printf (_("Change the Server Name to %s"), host);
    step = step_new ("change-setting", g_strdup (title), g_string_free (what, FALSE));
    step->change = g_steal_pointer (&lines);
    step->client_id = g_strdup (a->account->program);
    setting = g_new0 (MtcMailSetting, 1);
    setting->protocol = change->configured->endpoint->protocol;
    setting->security = security;
    setting->host = g_strdup (host);
    setting->port = port;
    step->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_setting_free);
    g_ptr_array_add (step->settings, setting);
    return step;
  }
}

/* For support: which probe was the program's, and what works instead; why
 * it failed is in the endpoint's own problem line. */
static void
append_change_details (const Analysis *a,
                       const Change   *change,
                       GString        *details)
{
  g_autofree char *url = NULL;
  g_autofree char *instead = NULL;
  g_autofree char *line = NULL;

  if (change->configured == NULL)
    return;
  url = mtc_endpoint_to_url (change->configured->endpoint);
  if (change->working != NULL && change->working != change->configured)
    {
      instead = mtc_endpoint_to_url (change->working->endpoint);
      /* TRANSLATORS: "As set in Thunderbird: smtp://mail.example.net:465; smtps://mail.example.net:465 works
       * instead." */
      line = g_strdup_printf (_("As set in %s: %s; %s works instead."), program_name (a), url, instead);
    }
  else
    /* TRANSLATORS: "As set in Thunderbird: imap://mail.example.net:143." */
    line = g_strdup_printf (_("As set in %s: %s."), program_name (a), url);
  append_line (details, line);
}

/* Returns: (transfer full) (nullable): wrong-settings, when a setting of
 * the account read from the mail program stops the mail; NULL otherwise. */
MtcVerdict *
decide_wrong_settings (const Analysis *a)
{
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GString) details = NULL;
  GString *explanation;
  MtcVerdict *verdict;

  if (a->account == NULL)
    return NULL;
  changes = g_array_new (FALSE, FALSE, sizeof (Change));
  find_server_changes (a, a->account->outgoing, changes);
  find_server_changes (a, a->account->incoming, changes);
  if (is_thunderbird (a))
    find_tls_pref_changes (a, changes);
  if (changes->len == 0)
    return NULL;

  verdict = verdict_new (MTC_VERDICT_WRONG_SETTINGS);
  verdict->client_max = a->client_max;
  details = g_string_new (NULL);
  /* TRANSLATORS: %s is a mail program, e.g. "Thunderbird" */
  verdict->title = g_strdup_printf (_("A Setting in %s Needs to Change"), program_name (a));
  explanation = g_string_new (NULL);
  /* TRANSLATORS: %s is a mail program, e.g. "Thunderbird" */
  g_string_append_printf (explanation, _("This check read how %s is set up on this computer and tried the servers "
                                         "exactly that way. Your provider’s servers work, but a setting does not "
                                         "match them."), program_name (a));
  for (guint i = 0; i < changes->len; i++)
    {
      const Change *change = &g_array_index (changes, Change, i);
      g_autofree char *reason = reason_text (change);

      /* Two reasons at most, to keep it short; every change has its step. */
      if (i < 2)
        g_string_append_printf (explanation, " %s", reason);
      append_change_details (a, change, details);
      add_step (verdict, make_change_step (a, change));
    }
  g_string_append_c (explanation, ' ');
  g_string_append (explanation, _("Nothing is wrong with your account or your password."));
  verdict->explanation = g_string_free (explanation, FALSE);
  append_client_ability (a, details);
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_support_step (a));
  return verdict;
}
