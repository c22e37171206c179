/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-words.h"
#include "mtc-verdict-private.h"

/* The steps that go with a verdict: what a person can do, each with its
 * words, its link, the program or system it names and the settings to type. */

void
mail_setting_free (MtcMailSetting *setting)
{
  g_free (setting->host);
  g_free (setting);
}

void
step_free (MtcVerdictStep *step)
{
  g_free (step->id);
  g_free (step->title);
  g_free (step->text);
  g_free (step->url);
  g_free (step->client_id);
  g_free (step->system_id);
  g_clear_pointer (&step->settings, g_ptr_array_unref);
  g_free (step->username);
  g_free (step->change);
  g_free (step);
}

MtcVerdictStep *
step_new (const char *id,
          char       *title,
          char       *text)
{
  MtcVerdictStep *step = g_new0 (MtcVerdictStep, 1);

  step->id = g_strdup (id);
  step->title = title;
  step->text = text;
  step->fixes = TRUE;
  return step;
}

static const char *
security_label (MtcSecurity security)
{
  /* The words mail programs use in their account settings. */
  return security == MTC_SECURITY_IMPLICIT ? "SSL/TLS" : "STARTTLS";
}

static const char *
setting_role_label (const MtcMailSetting *setting)
{
  switch (setting->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return _("Outgoing mail (SMTP)");
    case MTC_PROTOCOL_IMAP:
      return _("Incoming mail (IMAP)");
    case MTC_PROTOCOL_POP3:
      return _("Incoming mail (POP3)");
    case MTC_PROTOCOL_HTTPS:
    default:
      return _("Webmail");
    }
}

/* One setting as a line to read or to copy. */
char *
mtc_mail_setting_to_text (const MtcMailSetting *setting)
{
  /* TRANSLATORS: "Incoming mail (IMAP): server mail.example.net, port 993, security SSL/TLS" */
  return g_strdup_printf (_("%s: server %s, port %u, security %s"), setting_role_label (setting),
                          setting->host, setting->port, security_label (setting->security));
}


static const MtcEndpointResult *
best_endpoint (const Analysis *a,
               Role            role,
               MtcTlsVersion   max,
               gboolean        implicit_only)
{
  const MtcEndpointResult *best = NULL;
  int best_score = G_MAXINT;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      int score;

      if (role_of (result) != role || !result_working (result) || !accepts_up_to (result, max))
        continue;
      if (implicit_only && result->endpoint->security != MTC_SECURITY_IMPLICIT)
        continue;
      /* RFC 8314: encryption from the first byte is preferred; IMAP over POP3. */
      /* A server that offers mail programs no login only as a last resort. */
      score = (result->endpoint->protocol == MTC_PROTOCOL_POP3 ? 2 : 0)
              + (result->endpoint->security == MTC_SECURITY_STARTTLS ? 1 : 0)
              + (result->login == MTC_LOGIN_NOT_OFFERED ? 8 : 0);
      if (score < best_score)
        {
          best = result;
          best_score = score;
        }
    }
  return best;
}

static GPtrArray *
pick_settings (const Analysis *a,
               MtcTlsVersion   max,
               gboolean        implicit_only)
{
  static const Role roles[] = { ROLE_RECEIVE, ROLE_SEND };
  GPtrArray *settings = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_setting_free);

  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      const MtcEndpointResult *result = best_endpoint (a, roles[i], max, implicit_only);
      MtcMailSetting *setting;

      if (result == NULL)
        continue;
      setting = g_new0 (MtcMailSetting, 1);
      setting->protocol = result->endpoint->protocol;
      setting->security = result->endpoint->security;
      setting->host = g_strdup (result->endpoint->host_display ? result->endpoint->host_display
                                                               : result->endpoint->host);
      setting->port = result->endpoint->port;
      g_ptr_array_add (settings, setting);
    }
  if (settings->len == 0)
    g_clear_pointer (&settings, g_ptr_array_unref);
  return settings;
}

static void
attach_settings (const Analysis *a,
                 MtcVerdictStep *step,
                 MtcTlsVersion   max,
                 gboolean        implicit_only)
{
  step->settings = pick_settings (a, max, implicit_only);
  if (step->settings != NULL)
    step->username = g_strdup (a->user != NULL && a->user->email_address != NULL
                               ? a->user->email_address
                               : _("your full e-mail address"));
}

static char *
webmail_url (const Analysis *a)
{
  if (a->hints != NULL && a->hints->webmail_url != NULL && *a->hints->webmail_url != '\0')
    return g_strdup (a->hints->webmail_url);
  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (role_of (result) == ROLE_WEB && result_working (result))
        return mtc_endpoint_to_url (result->endpoint);
    }
  return NULL;
}

MtcVerdictStep *
make_webmail_step (const Analysis *a,
                   MtcTlsVersion   needed)
{
  g_autofree char *url = webmail_url (a);
  GString *text = g_string_new (NULL);
  MtcVerdictStep *step;

  if (url == NULL && a->n[ROLE_WEB] > 0)
    {
      /* The check found the webmail server broken: do not send people there. */
      g_string_free (text, TRUE);
      return NULL;
    }
  if (url != NULL)
    g_string_append (text, _("Open the address below in your web browser and log in with your e-mail address and "
                             "password. You can read and send mail there right away, without changing anything "
                             "on your computer."));
  else
    g_string_append (text, _("Your provider’s website tells you the address of its webmail. Log in there with your "
                             "e-mail address and password to read and send mail right away."));

  if (a->user != NULL && a->user->system_id != NULL)
    {
      g_auto(GStrv) browsers = mtc_knowledge_clients_on_system (a->knowledge, a->user->system_id,
                                                                MTC_CLIENT_KIND_BROWSER);
      MtcTlsVersion web_needed = a->working[ROLE_WEB] ? a->lowest[ROLE_WEB]
                                 : needed != MTC_TLS_UNKNOWN ? needed : MTC_TLS_1_2;
      g_autoptr(GPtrArray) cannot = g_ptr_array_new_with_free_func (g_free);
      const char *found = NULL;

      for (int i = 0; browsers[i]; i++)
        {
          const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, browsers[i], a->user->system_id);

          /* Only what the knowledge base knows for sure, either way. */
          if (fact == NULL || fact->uncertain || fact->max_tls == MTC_TLS_UNKNOWN)
            continue;
          if (fact->max_tls >= web_needed)
            {
              if (found == NULL)
                found = browsers[i];
            }
          else
            g_ptr_array_add (cannot, mtc_knowledge_get_client_name (a->knowledge, browsers[i]));
        }
      /* The webmail was checked, and a browser of this system cannot reach
       * the versions it accepts: say so, and what can. */
      if (a->working[ROLE_WEB] && cannot->len > 0)
        {
          g_autofree char *names = mtc_join_list (cannot);

          g_string_truncate (text, 0);
          /* TRANSLATORS: "Your provider’s webmail accepts only a newer kind of encryption than Safari on
           * OS X 10.11 El Capitan can use, so it does not open there." */
          g_string_append_printf (text, _("Your provider’s webmail accepts only a newer kind of encryption than %s "
                                          "on %s can use, so it does not open there."), names, a->system_name);
          g_string_append_c (text, ' ');
          if (found == NULL)
            {
              g_string_append (text, _("Open the address below on another device instead, such as a phone, a "
                                       "tablet or a newer computer, and log in there with your e-mail address and "
                                       "password."));
              step = step_new ("webmail", g_strdup (_("Use Webmail on Another Device")), g_string_free (text, FALSE));
              step->url = g_steal_pointer (&url);
              /* Not on this computer: not a fix for it. */
              step->fixes = FALSE;
              return step;
            }
          else
            {
              const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, found, a->user->system_id);
              g_autofree char *browser = mtc_knowledge_get_client_name (a->knowledge, found);

              /* TRANSLATORS: "Firefox runs on OS X 10.11 El Capitan and can open it." */
              g_string_append_printf (text, _("%s runs on %s and can open it."), browser, a->system_name);
              if (fact->client_version != NULL && !fact->client_version_uncertain)
                {
                  g_string_append_c (text, ' ');
                  g_string_append_printf (text, _("Version %s is the newest one for this system."),
                                          fact->client_version);
                }
              if (fact->security_updates_ended)
                {
                  g_string_append_c (text, ' ');
                  g_string_append (text, _("Be aware that this version no longer gets security updates: use it "
                                           "only for your webmail."));
                }
              g_string_append_c (text, ' ');
              g_string_append (text, _("Open the address below in it and log in with your e-mail address and "
                                       "password."));
              /* TRANSLATORS: "Use Webmail in Firefox" */
              step = step_new ("webmail", g_strdup_printf (_("Use Webmail in %s"), browser),
                               g_string_free (text, FALSE));
              step->url = g_steal_pointer (&url);
              step->client_id = g_strdup (found);
              step->has_cost = fact->security_updates_ended;
              return step;
            }
        }
      if (found != NULL)
        {
          const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, found, a->user->system_id);
          g_autofree char *browser = mtc_knowledge_get_client_name (a->knowledge, found);

          g_string_append_c (text, ' ');
          if (fact->security_updates_ended)
            /* TRANSLATORS: "Should your browser fail to open it, Firefox works on OS X 10.10 Yosemite, though …" */
            g_string_append_printf (text, _("Should your browser fail to open it, %s works on %s, though it gets "
                                            "no security updates any more."), browser, a->system_name);
          else
            /* TRANSLATORS: "Should your browser fail to open it, Safari works on OS X 10.11 El Capitan." */
            g_string_append_printf (text, _("Should your browser fail to open it, %s works on %s."), browser,
                                    a->system_name);
        }
      else if (g_strv_length (browsers) == 0 && a->client_max != MTC_TLS_UNKNOWN && a->client_max < MTC_TLS_1_2)
        {
          g_string_append_c (text, ' ');
          /* TRANSLATORS: %s is a system, e.g. "Mac OS X 10.6 Snow Leopard" */
          g_string_append_printf (text, _("If the page does not open, the browser on %s may be too old as well; a "
                                          "phone, a tablet or a newer computer will do."), a->system_name);
        }
    }

  step = step_new ("webmail", g_strdup (_("Use Webmail Now")), g_string_free (text, FALSE));
  step->url = g_steal_pointer (&url);
  return step;
}

/**
 * mtc_report_privacy_note:
 * @email_address: (nullable): the address the report names
 *
 * What the report holds of the person, in the words the support step and
 * the wizard's report card both use.
 *
 * Returns: the sentence
 */
const char *
mtc_report_privacy_note (const char *email_address)
{
  if (email_address != NULL && *email_address != '\0')
    return _("It contains no password; the only personal detail in it is your e-mail address.");
  return _("It contains no password and nothing personal.");
}

MtcVerdictStep *
make_support_step (const Analysis *a)
{
  GString *text = g_string_new (NULL);
  const char *name = a->hints != NULL ? a->hints->provider_name : NULL;
  const char *contact = a->hints != NULL ? a->hints->support_contact : NULL;
  gboolean named = name != NULL && *name != '\0';
  /* Not a webmail the check found broken. */
  g_autofree char *webmail = a->n[ROLE_WEB] > 0 && !a->working[ROLE_WEB] ? NULL : webmail_url (a);
  MtcVerdictStep *step;

  if (named)
    /* TRANSLATORS: %s is the provider's name */
    g_string_append_printf (text, _("Send the report below to the support of %s; it shows exactly what this check "
                                    "found."), name);
  else
    g_string_append (text, _("Send the report below to your provider’s support; it shows exactly what this check "
                             "found."));
  g_string_append_c (text, ' ');
  g_string_append (text, mtc_report_privacy_note (a->user != NULL ? a->user->email_address : NULL));
  g_string_append_c (text, ' ');

  /* Only an address the provider published for its support: never the
   * help article that sent the person here. */
  if (contact != NULL && g_str_has_prefix (contact, "mailto:"))
    /* TRANSLATORS: %s is an e-mail address */
    g_string_append_printf (text, _("The support’s e-mail address is %s."), contact + strlen ("mailto:"));
  else if (contact != NULL && *contact != '\0')
    g_string_append (text, _("You reach the support through the address below."));
  else if (named)
    /* TRANSLATORS: %s is the provider's name */
    g_string_append_printf (text, _("%s has published no support address that this check knows. Contact its "
                                    "support the way you usually do, for example by telephone."), name);
  else
    g_string_append (text, _("This check does not know how to reach your provider’s support. Your provider’s "
                             "website or your contract says how."));
  g_string_append_c (text, ' ');

  /* The mail program may be the very thing that cannot send. */
  if (webmail != NULL)
    /* TRANSLATORS: %s is the webmail's address */
    g_string_append_printf (text, _("If your mail program cannot send, send the report from your webmail at %s: "
                                    "write a new message there and paste the report into it."), webmail);
  else
    g_string_append (text, _("If your mail program cannot send, send the report from another device, such as a "
                             "phone or another computer."));
  g_string_append_c (text, ' ');
  g_string_append (text, _("You can also print it and keep it at hand when you call."));

  step = step_new ("support", g_strdup (_("Ask Your Provider for Help")), g_string_free (text, FALSE));
  step->fixes = FALSE;
  if (contact != NULL && !g_str_has_prefix (contact, "mailto:"))
    step->url = g_strdup (contact);
  return step;
}

/* An update of the system (or of its TLS settings) and whether it helps.
 * @prepare: the program still works; the step gets it ready for when the
 * provider turns old encryption off. */
MtcVerdictStep *
make_upgrade_step (const Analysis *a,
                   MtcTlsVersion   needed,
                   gboolean        prepare)
{
  const char *client = a->user != NULL ? a->user->client_id : NULL;
  const char *system = a->user != NULL ? a->user->system_id : NULL;
  const char *outcome;
  g_autofree char *target = NULL;
  g_autofree char *target_name = NULL;
  g_autofree char *condition = NULL;
  MtcVerdictStep *step;

  if (client == NULL || system == NULL || needed == MTC_TLS_UNKNOWN)
    return NULL;

  outcome = prepare ? _("Your mail then keeps working when your provider turns the older encryption off.")
                    : _("Your mail then works again without changing any settings.");

  /* A fix inside the same system (Windows 7: an update and a registry value). */
  if (a->fact != NULL && a->fact->fix != NULL && a->fact->max_tls_with_fix >= needed)
    {
      step = step_new ("upgrade", mtc_knowledge_get_fix_title (a->knowledge, a->fact->fix),
                       mtc_knowledge_get_fix_text (a->knowledge, a->fact->fix));
      step->url = mtc_knowledge_get_fix_url (a->knowledge, a->fact->fix);
      step->system_id = g_strdup (system);
      /* An attempt, not a promise, where the data says so. */
      step->fixes = !mtc_knowledge_get_fix_uncertain (a->knowledge, a->fact->fix);
      return step;
    }

  if (g_strcmp0 (a->family, "macos") != 0)
    return NULL;

  if (a->user->mac_model != NULL)
    target = mtc_knowledge_newest_system_for_model (a->knowledge, a->user->mac_model, &condition);

  if (target != NULL)
    {
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, client, target);
      gboolean newer = mtc_knowledge_compare_systems (a->knowledge, target, system) > 0;
      gboolean fixes = fact != NULL && fact->max_tls != MTC_TLS_UNKNOWN && fact->max_tls >= needed;
      g_autofree char *target_display = NULL;

      target_name = mtc_knowledge_get_system_name (a->knowledge, target);
      target_display = condition != NULL ? g_strdup_printf ("%s (%s)", target_name, condition) : g_strdup (target_name);
      if (!newer)
        {
          step = step_new ("upgrade", g_strdup (_("This Mac Cannot Get a Newer macOS")),
                           /* TRANSLATORS: "Your Mac (MacBookPro5,5) already runs the newest system it can:
                            * OS X 10.11 El Capitan. …" */
                           g_strdup_printf (_("Your Mac (%s) already runs the newest system it can: %s. An update "
                                              "is therefore not possible; webmail or another mail program is the "
                                              "way to go."), a->user->mac_model, target_display));
          step->fixes = FALSE;
        }
      else if (fixes)
        {
          /* TRANSLATORS: "Update to macOS 10.13 High Sierra" */
          step = step_new ("upgrade", g_strdup_printf (_("Update to %s"), target_name),
                           /* TRANSLATORS: "Your Mac (MacBookPro7,1) can run macOS 10.13 High Sierra, and
                            * Apple Mail there uses the newer encryption. <outcome> Back up …" */
                           g_strdup_printf (_("Your Mac (%s) can run %s, and %s there uses the newer encryption. %s "
                                              "Back up your Mac first, and check that the programs you rely on still "
                                              "run on the newer system."), a->user->mac_model, target_display,
                                            a->client_name, outcome));
        }
      else
        {
          step = step_new ("upgrade", g_strdup (_("An Update Is Not Enough")),
                           /* TRANSLATORS: "Your Mac (…) can run … at most, but Apple Mail there still
                            * cannot use the encryption your provider requires." */
                           g_strdup_printf (_("Your Mac (%s) can run %s at most, but %s there still cannot use the "
                                              "encryption your provider requires."), a->user->mac_model,
                                            target_display, a->client_name));
          step->fixes = FALSE;
        }
      step->system_id = g_steal_pointer (&target);
      return step;
    }

  /* The Mac's model is not known: say from which system on it works. */
  target = mtc_knowledge_first_system_reaching (a->knowledge, client, "macos", needed);
  if (target == NULL || mtc_knowledge_compare_systems (a->knowledge, target, system) <= 0)
    return NULL;
  target_name = mtc_knowledge_get_system_name (a->knowledge, target);
  step = step_new ("upgrade", g_strdup (_("Update macOS If Your Mac Can")),
                   /* TRANSLATORS: "Apple Mail uses the newer encryption from macOS 10.12 Sierra on.
                    * <outcome> Whether …" */
                   g_strdup_printf (_("%s uses the newer encryption from %s on. %s Whether your Mac can install it "
                                      "depends on its model: the Apple menu › About This Mac shows the model, and "
                                      "Apple’s website lists the systems each model can run."),
                                    a->client_name, target_name, outcome));
  step->system_id = g_steal_pointer (&target);
  return step;
}

MtcVerdictStep *
make_other_client_step (const Analysis *a,
                        MtcTlsVersion   needed)
{
  g_auto(GStrv) clients = NULL;
  const MtcKnowledgeFact *best = NULL;
  int best_rank = G_MAXINT;
  g_autofree char *name = NULL;
  GString *text;
  MtcVerdictStep *step;

  if (a->user == NULL || a->user->system_id == NULL || needed == MTC_TLS_UNKNOWN)
    return NULL;
  clients = mtc_knowledge_clients_on_system (a->knowledge, a->user->system_id, MTC_CLIENT_KIND_MAIL);
  for (int i = 0; clients[i]; i++)
    {
      const MtcKnowledgeFact *fact = mtc_knowledge_lookup (a->knowledge, clients[i], a->user->system_id);
      int rank = (fact->security_updates_ended ? 2 : 0) + (fact->uncertain ? 1 : 0);

      if (g_strcmp0 (clients[i], a->user->client_id) == 0 || fact->max_tls < needed)
        continue;
      if (rank < best_rank)
        {
          best = fact;
          best_rank = rank;
        }
    }
  if (best == NULL)
    return NULL;

  name = mtc_knowledge_get_client_name (a->knowledge, best->client);
  text = g_string_new (NULL);
  if (best->uncertain)
    /* TRANSLATORS: "Evolution should work on Linux with your provider’s servers." */
    g_string_append_printf (text, _("%s should work on %s with your provider’s servers."), name, a->system_name);
  else
    /* TRANSLATORS: "Thunderbird runs on OS X 10.11 El Capitan and can use the encryption your provider requires." */
    g_string_append_printf (text, _("%s runs on %s and can use the encryption your provider requires."), name,
                            a->system_name);
  if (best->client_version != NULL && !best->client_version_uncertain)
    {
      g_string_append_c (text, ' ');
      /* TRANSLATORS: "Version 78.14.0 is the newest one for this system." */
      g_string_append_printf (text, _("Version %s is the newest one for this system."), best->client_version);
    }
  if (best->security_updates_ended)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Be aware that this version no longer gets security updates. Treat it as a stopgap, "
                               "use it only for your mail, and be careful with attachments and links."));
    }
  g_string_append_c (text, ' ');
  g_string_append (text, _("Set it up with the settings below; your password stays the same."));

  /* TRANSLATORS: "Use Thunderbird Instead" */
  step = step_new ("other-client", g_strdup_printf (_("Use %s Instead"), name), g_string_free (text, FALSE));
  step->client_id = g_strdup (best->client);
  step->has_cost = best->security_updates_ended;
  attach_settings (a, step, best->max_tls, FALSE);
  return step;
}

MtcVerdictStep *
make_settings_step (const Analysis *a,
                    MtcTlsVersion   max,
                    gboolean        implicit_only)
{
  MtcVerdictStep *step = step_new ("settings", g_strdup (_("Check Your Mail Program’s Settings")),
                                   g_strdup (_("These settings work with your provider’s servers. Compare them "
                                               "with the ones in your mail program’s account settings and correct "
                                               "any that differ; your password stays the same.")));

  attach_settings (a, step, max, implicit_only);
  if (step->settings == NULL)
    {
      step_free (step);
      return NULL;
    }
  /* A port without STARTTLS is a finding about that port, not a problem of
   * its own: the settings leave it out, and say why.  (With @implicit_only
   * the verdict itself says why: tampering on the way.) */
  for (guint i = 0; !implicit_only && i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *expected = NULL;
      g_autofree char *sentence = NULL;
      char *text;

      if (role_of (result) == ROLE_WEB || result->endpoint->security != MTC_SECURITY_STARTTLS
          || result->status != MTC_STATUS_NO_STARTTLS || (expected = starttls_expected (a, result)) != NULL)
        continue;
      /* TRANSLATORS: "Do not use port 143 of mail.example.net: the server offers no encryption there." */
      sentence = g_strdup_printf (_("Do not use port %u of %s: the server offers no encryption there."),
                                  result->endpoint->port,
                                  result->endpoint->host_display ? result->endpoint->host_display
                                                                 : result->endpoint->host);
      text = g_strdup_printf ("%s %s", step->text, sentence);
      g_free (step->text);
      step->text = text;
    }
  return step;
}

MtcVerdictStep *
make_fix_clock_step (const Analysis *a)
{
  const char *how;

  if (g_strcmp0 (a->family, "macos") == 0)
    how = _("Open the Apple menu › System Preferences (System Settings on newer Macs) › Date & Time and turn on "
            "“Set date and time automatically”.");
  else if (g_strcmp0 (a->family, "windows") == 0)
    how = _("Right-click the clock on the taskbar, choose to adjust the date and time, and let Windows set the "
            "time automatically.");
  else
    how = _("Open the system settings › Date & Time and turn on the automatic date and time.");
  return step_new ("fix-clock", g_strdup (_("Set the Date and Time")),
                   g_strdup_printf ("%s %s", how, _("Then run this check again.")));
}

MtcVerdictStep *
make_antivirus_step (void)
{
  return step_new ("antivirus", g_strdup (_("Turn Off Mail Scanning")),
                   g_strdup (_("Open your antivirus or internet security program and turn off its e-mail "
                               "protection, often called “mail scanning”, “e-mail shield” or “SSL scanning”. Your "
                               "mail program keeps its own protection. On a company computer, ask your IT "
                               "department instead.")));
}

MtcVerdictStep *
make_other_network_step (void)
{
  return step_new ("other-network", g_strdup (_("Try Another Network")),
                   g_strdup (_("Connect through another network, for example at home or through your phone’s "
                               "hotspot, and try again. If mail works there, the network you were on blocks it, "
                               "and its administrator can tell you why.")));
}

MtcVerdictStep *
make_check_connection_step (void)
{
  return step_new ("check-connection", g_strdup (_("Check Your Internet Connection")),
                   g_strdup (_("Open any web page. If none opens, restart your router or connect to another "
                               "network, then check again.")));
}

void
add_step (MtcVerdict     *verdict,
          MtcVerdictStep *step)
{
  if (step != NULL)
    g_ptr_array_add (verdict->steps, step);
}
