/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-verdict-enums.h"
#include "mtc-verdict-private.h"

/* The rules: which verdict the analysis leads to, in the order they are
 * asked (decide), each verdict with its title, explanation, details and
 * steps; and the public API. */

MtcVerdict *
verdict_new (MtcVerdictId id)
{
  MtcVerdict *verdict = g_new0 (MtcVerdict, 1);

  verdict->id = id;
  verdict->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  verdict->client_max = MTC_TLS_UNKNOWN;
  verdict->needed = MTC_TLS_UNKNOWN;
  verdict->client_ability = MTC_CLIENT_ABILITY_UNKNOWN;
  return verdict;
}

/* Nothing answered.  Only what was found is said: a mistyped name only
 * where the person typed the servers herself (an endpoint without a
 * source); none at all when there were no servers to try, because the
 * address's servers could not be looked up (discovery offline). */
static MtcVerdict *
decide_offline (const Analysis *a)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_OFFLINE);
  g_autoptr(GString) details = g_string_new (NULL);
  gboolean all_names = TRUE;
  gboolean typed = FALSE;

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (result->status != MTC_STATUS_DNS_ERROR)
        all_names = FALSE;
      if (result->endpoint->source == NULL)
        typed = TRUE;
    }
  if (a->diagnosis->results->len == 0)
    {
      verdict->title = g_strdup (_("This Computer Cannot Reach the Internet Right Now"));
      verdict->explanation = g_strdup (_("This computer cannot look up names on the internet right now, so the "
                                         "servers of your provider could not be found. Most likely it is not "
                                         "connected to the internet. Check that other web pages open, then check "
                                         "again."));
    }
  else
    {
      verdict->title = g_strdup (_("This Computer Cannot Reach Your Provider at All"));
      if (all_names && typed)
        verdict->explanation = g_strdup (_("The names of the servers could not be looked up. Either this computer "
                                           "is not connected to the internet right now, or a server name was "
                                           "mistyped. Check that other web pages open and that the names are "
                                           "right, then check again."));
      else if (all_names)
        verdict->explanation = g_strdup (_("The names of your provider’s servers could not be looked up. Most "
                                           "likely this computer is not connected to the internet right now. "
                                           "Check that other web pages open, then check again."));
      else
        verdict->explanation = g_strdup (_("None of your provider’s servers answered. Most likely this computer is "
                                           "not connected to the internet right now, or a firewall stops every "
                                           "connection. Check that other web pages open, then check again."));
    }
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_check_connection_step ());
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_clock_wrong (const Analysis    *a,
                    const MtcCertInfo *evidence)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_CLOCK_WRONG);
  g_autoptr(GDateTime) now_utc = g_date_time_to_utc (a->now);
  g_autofree char *today = g_date_time_format (now_utc, "%Y-%m-%d");
  g_autofree char *now_text = g_date_time_format (now_utc, "%Y-%m-%d %H:%M UTC");
  g_autofree char *from = evidence->not_before ? g_date_time_format (evidence->not_before, "%Y-%m-%d") : g_strdup ("?");
  g_autofree char *until = evidence->not_after ? g_date_time_format (evidence->not_after, "%Y-%m-%d") : g_strdup ("?");

  verdict->title = g_strdup (_("This Computer’s Clock Is Wrong"));
  /* TRANSLATORS: %s is a date such as 2009-01-03 */
  verdict->explanation = g_strdup_printf (_("This computer thinks today is %s. Security certificates are valid only "
                                            "for a certain time, so with a wrong date your provider’s servers look "
                                            "untrustworthy and mail programs refuse to connect. Set the right date "
                                            "and time, then try again."), today);
  /* TRANSLATORS: "This computer’s clock: <date>. The certificate of <subject> is valid from <date> to <date>." */
  verdict->details = g_strdup_printf (_("This computer’s clock: %s. The certificate of %s is valid from %s to %s."),
                                      now_text, evidence->subject ? evidence->subject : "?", from, until);
  add_step (verdict, make_fix_clock_step (a));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_intercepted (const Analysis          *a,
                    const MtcEndpointResult *evidence)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_TLS_INTERCEPTED);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *url = mtc_endpoint_to_url (evidence->endpoint);
  g_autofree char *line = NULL;

  verdict->title = g_strdup (_("A Program on This Computer Steps Into Your Mail Connections"));
  verdict->explanation = g_strdup (_("Your provider’s mail servers answered with a security certificate that does "
                                     "not come from your provider. This usually happens when antivirus or internet "
                                     "security software checks e-mail by stepping into the encrypted connection, or "
                                     "when a company network does the same. Many mail programs then refuse to "
                                     "connect or report a certificate error; turning off the mail scanning usually "
                                     "fixes it."));
  if (evidence->certificate->errors == 0)
    {
      /* Trusted by this computer, so not among the problems listed below. */
      /* TRANSLATORS: "<server>: certificate issued by <issuer>" */
      line = g_strdup_printf (_("%s: certificate issued by %s"), url, evidence->certificate->issuer);
      append_line (details, line);
      g_clear_pointer (&line, g_free);
    }
  if (a->hints != NULL && a->hints->expected_issuer != NULL)
    {
      line = g_strdup_printf (_("Expected an issuer containing “%s”."), a->hints->expected_issuer);
      append_line (details, line);
    }
  append_endpoint_problems (a, details, TRUE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_antivirus_step ());
  add_step (verdict, make_webmail_step (a, needed_version (a)));
  add_step (verdict, make_support_step (a));
  return verdict;
}

/* @injection: a reply to STARTTLS came with data nobody asked for;
 * otherwise STARTTLS was missing where it should be. */
static MtcVerdict *
decide_tampered (const Analysis *a,
                 gboolean        injection)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_STARTTLS_STRIPPED);
  g_autoptr(GString) details = g_string_new (NULL);
  MtcVerdictStep *settings = make_settings_step (a, a->client_max, TRUE);

  if (injection)
    {
      verdict->title = g_strdup (_("Something on the Way Injects Data Into Your Mail Connections"));
      verdict->explanation = g_strdup_printf ("%s %s",
                                              _("Just as your mail connection was about to switch to encryption, "
                                                "data arrived that nobody had asked for. That is what happens when "
                                                "something on your way to the server rewrites mail traffic: the "
                                                "network you are on, a router, or a security program on this "
                                                "computer; rarely, the server itself is at fault."),
                                              settings != NULL
                                              ? _("The connections that are encrypted from the very first moment "
                                                  "are not affected: switch your mail program to them with the "
                                                  "settings below.")
                                              : _("Until this is cleared up, use another network, and send the "
                                                  "report to your provider’s support."));
    }
  else
    {
      verdict->title = g_strdup (_("Something on the Way Tampers With Your Mail Connections"));
      verdict->explanation = g_strdup (_("On the usual mail ports, something between this computer and your "
                                         "provider removed or changed the step that switches the connection to "
                                         "encryption. On the ports that are encrypted from the very first moment, "
                                         "everything works. Switch your mail program to those ports with the "
                                         "settings below, and be careful with the network you are on."));
    }
  append_endpoint_problems (a, details, FALSE);
  for (guint i = 0; !injection && i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
      g_autofree char *why = NULL;

      if (result->status == MTC_STATUS_NO_STARTTLS && (why = starttls_expected (a, result)) != NULL)
        append_line (details, why);
    }
  if (injection)
    append_line (details, _("Data arrived after the reply to STARTTLS and before the encryption began (response "
                            "injection)."));
  else
    append_line (details, _("STARTTLS was missing where it should be offered."));
  if (settings != NULL)
    append_line (details, _("Implicit TLS, encrypted from the first byte, works (RFC 8314)."));
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);

  if (settings != NULL)
    add_step (verdict, settings);
  else if (injection && (a->working[ROLE_WEB] || (a->hints != NULL && a->hints->webmail_url != NULL)))
    add_step (verdict, make_webmail_step (a, needed_version (a)));
  add_step (verdict, make_other_network_step ());
  if (injection)
    add_step (verdict, make_antivirus_step ());
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_port_blocked (const Analysis *a,
                     gboolean        send_blocked,
                     gboolean        receive_blocked)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_PORT_BLOCKED);
  g_autoptr(GString) details = g_string_new (NULL);
  const char *first;

  if (send_blocked && receive_blocked)
    first = a->reached[ROLE_WEB] ? _("Your provider’s website answers, but connections to its mail servers do not "
                                     "get through.")
                                 : _("Connections to your provider’s mail servers do not get through.");
  else if (send_blocked)
    first = _("Receiving mail works, but connections for sending mail do not get through.");
  else
    first = _("Sending mail works, but connections for receiving mail do not get through.");

  verdict->title = g_strdup (_("Your Network Blocks the Way to the Mail Servers"));
  verdict->explanation = g_strdup_printf ("%s %s", first,
                                          _("That usually means the network you are using blocks them – common in "
                                            "hotels, offices and public Wi-Fi – or a firewall or security program on "
                                            "this computer does. Your account and your mail program are probably "
                                            "fine."));
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_webmail_step (a, needed_version (a)));
  add_step (verdict, make_other_network_step ());
  add_step (verdict, make_support_step (a));
  return verdict;
}

/* @cannot_test: this computer's policy does not bind the program in question,
 * it only kept the check from knowing.  @program_needs_old: the program's own
 * limit (not the servers') is what could not be tested. */
static MtcVerdict *
decide_locally_disabled (const Analysis *a,
                         gboolean        cannot_test,
                         gboolean        program_needs_old)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_LOCALLY_DISABLED);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *line = NULL;
  GString *missing = g_string_new (NULL);

  verdict->this_computer_cannot_test = cannot_test;
  verdict->client_max = a->client_max;
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    if (!a->diagnosis->local->versions_available[v])
      g_string_append_printf (missing, "%sTLS %s", missing->len ? ", " : "", mtc_tls_version_to_string (v));

  if (!cannot_test)
    {
      verdict->title = g_strdup (_("This Computer’s Own Security Rules Block the Connection"));
      verdict->explanation = g_strdup (_("Your provider’s servers only offer an older kind of encryption, and this "
                                         "computer forbids it on purpose, because it is no longer considered safe. "
                                         "That is why the connection fails, even though nothing is broken. The "
                                         "lasting fix is on your provider’s side: ask them to offer current "
                                         "encryption."));
    }
  else
    {
      verdict->title = g_strdup (_("This Computer Cannot Test What Your Mail Program Needs"));
      if (program_needs_old && a->client_name != NULL && a->system_name != NULL)
        /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan needs an older kind of encryption. …" */
        verdict->explanation = g_strdup_printf (_("%s on %s needs an older kind of encryption. This computer’s own "
                                                  "security rules forbid that kind, so this check could not find out "
                                                  "whether your provider still accepts it. Run the check on the "
                                                  "computer that has the problem, or ask your provider’s support."),
                                                a->client_name, a->system_name);
      else
        verdict->explanation = g_strdup (_("Your provider’s servers turned down every kind of encryption this "
                                           "computer allows itself. They may still accept an older kind, but this "
                                           "computer’s own security rules forbid it, so this check could not test "
                                           "that. Your mail program may follow rules of its own and still connect; "
                                           "to be sure, run the check on another computer or ask your provider’s "
                                           "support."));
    }
  /* TRANSLATORS: %s lists TLS versions, e.g. "TLS 1.0, TLS 1.1" */
  line = g_strdup_printf (_("This computer’s TLS library does not offer %s (a system policy such as "
                            "/etc/gnutls/config), so these versions were not tested."), missing->str);
  g_string_free (missing, TRUE);
  append_line (details, line);
  append_accepted (a, details);
  append_client_fact (a, details);
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  if (!cannot_test)
    add_step (verdict, make_webmail_step (a, MTC_TLS_UNKNOWN));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_server_problem (const Analysis *a,
                       gboolean        certificate)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_SERVER_PROBLEM);
  g_autoptr(GString) details = g_string_new (NULL);

  verdict->title = g_strdup (_("Your Provider’s Mail Server Has a Problem"));
  if (certificate)
    verdict->explanation = g_strdup (_("This check reached your provider’s mail servers, but their security "
                                       "certificate is not in order. Mail programs rightly refuse such a "
                                       "connection, because they cannot be sure they are talking to your provider. "
                                       "This is not caused by your computer, and you cannot fix it from here: "
                                       "please send the report to your provider’s support."));
  else
    verdict->explanation = g_strdup (_("This check reached your provider’s mail servers, but they did not answer the "
                                       "way working mail servers do. This is not caused by your computer or your "
                                       "mail program, and you cannot fix it from here. Please send the report to "
                                       "your provider’s support: it tells them exactly what went wrong."));
  append_endpoint_problems (a, details, TRUE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);
  add_step (verdict, make_support_step (a));
  if (a->working[ROLE_WEB] || (a->hints != NULL && a->hints->webmail_url != NULL))
    add_step (verdict, make_webmail_step (a, needed_version (a)));
  return verdict;
}

/* @stated: the servers still accepted the program's version in this check,
 * but the provider states a higher minimum. */
static MtcVerdict *
decide_client_too_old (const Analysis *a,
                       MtcTlsVersion   needed,
                       gboolean        stated)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_CLIENT_TOO_OLD);
  g_autoptr(GString) details = g_string_new (NULL);
  MtcVerdictStep *upgrade = make_upgrade_step (a, needed, FALSE);
  MtcVerdictStep *webmail = make_webmail_step (a, needed);
  g_autofree char *finding = NULL;

  verdict->client_max = a->client_max;
  verdict->needed = needed;
  verdict->uncertain = client_uncertain (a);
  if (stated)
    {
      verdict->title = g_strdup (client_uncertain (a)
                                 ? _("Your Mail Program Is Probably Too Old for Your Provider’s Servers")
                                 : _("Your Mail Program Is Too Old for Your Provider’s Servers"));
      /* TRANSLATORS: "Apple Mail on OS X 10.11 El Capitan uses an older kind of encryption than …" */
      finding = g_strdup_printf (client_uncertain (a)
                                 ? _("As far as is known, %s on %s uses an older kind of encryption than your "
                                     "provider accepts. In this check the servers still let it through, but your "
                                     "provider states that it turns that kind away when you log in, and a check "
                                     "without your password cannot see that step. Nothing is wrong with your "
                                     "account or your password.")
                                 : _("%s on %s uses an older kind of encryption than your provider accepts. In this "
                                     "check the servers still let it through, but your provider states that it "
                                     "turns that kind away when you log in, and a check without your password "
                                     "cannot see that step. Nothing is wrong with your account or your password."),
                                 a->client_name, a->system_name);
    }
  else if (client_uncertain (a))
    {
      verdict->title = g_strdup (_("Your Mail Program Is Probably Too Old for Your Provider’s Servers"));
      /* TRANSLATORS: "… As far as is known, Apple Mail on OS X 10.11 El Capitan knows only an older kind …" */
      finding = g_strdup_printf (_("Your provider’s mail servers now accept only a newer, safer kind of encryption. "
                                   "As far as is known, %s on %s knows only an older kind, so the servers would "
                                   "turn it away, and all you see is that the connection failed. Nothing is wrong "
                                   "with your account or your password."), a->client_name, a->system_name);
    }
  else
    {
      verdict->title = g_strdup (_("Your Mail Program Is Too Old for Your Provider’s Servers"));
      /* TRANSLATORS: "… Apple Mail on OS X 10.11 El Capitan knows only an older kind …" */
      finding = g_strdup_printf (_("Your provider’s mail servers now accept only a newer, safer kind of encryption. "
                                   "%s on %s knows only an older kind, so the servers turn it away, and all you see "
                                   "is that the connection failed. Nothing is wrong with your account or your "
                                   "password."), a->client_name, a->system_name);
    }
  verdict->explanation = g_strdup_printf ("%s %s", finding,
                                          webmail == NULL || !webmail->fixes
                                          ? _("The suggested steps show the lasting fixes.")
                                          : webmail->client_id != NULL
                                          ? _("Webmail works in another browser, and the suggested steps show the "
                                              "lasting fixes.")
                                          : _("Webmail works right away, and the suggested steps show the lasting "
                                              "fixes."));
  append_accepted (a, details);
  if (stated)
    {
      g_autofree char *accepted = version_label (a->client_max);
      g_autofree char *minimum = version_label (needed);
      g_autofree char *line = NULL;

      /* TRANSLATORS: %s is a TLS version, e.g. "TLS 1.0" */
      line = g_strdup_printf (_("In this check the servers still accepted %s."), accepted);
      append_line (details, line);
      g_clear_pointer (&line, g_free);
      /* TRANSLATORS: %s is a TLS version, e.g. "TLS 1.2" */
      line = g_strdup_printf (_("The provider’s profile states that it accepts %s and newer. A provider can turn "
                                "older versions away when you log in, after the encryption has started, where a "
                                "check without a password cannot see it; the provider’s statement counts."), minimum);
      append_line (details, line);
    }
  append_client_fact (a, details);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);

  /* Webmail first where it works right away; in another browser after an
   * update that fixes it; on another device only after the fixes. */
  if (webmail != NULL && webmail->fixes && webmail->client_id == NULL)
    add_step (verdict, g_steal_pointer (&webmail));
  if (upgrade != NULL && upgrade->fixes)
    add_step (verdict, g_steal_pointer (&upgrade));
  if (webmail != NULL && webmail->fixes)
    add_step (verdict, g_steal_pointer (&webmail));
  add_step (verdict, make_other_client_step (a, needed));
  add_step (verdict, g_steal_pointer (&upgrade));
  add_step (verdict, g_steal_pointer (&webmail));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide_all_good (const Analysis *a)
{
  MtcVerdict *verdict = verdict_new (MTC_VERDICT_ALL_GOOD);
  g_autoptr(GString) details = g_string_new (NULL);
  GString *explanation = g_string_new (NULL);
  MtcTlsVersion needed = needed_version (a);
  gboolean known = a->client_max != MTC_TLS_UNKNOWN;

  verdict->client_max = a->client_max;
  verdict->needed = needed;
  verdict->uncertain = !known || client_uncertain (a);
  /* It works only through a version the provider may switch off: TLS older
   * than 1.2, or older than the minimum the provider announced. */
  verdict->may_stop = known && (a->client_max < MTC_TLS_1_2
                                || (a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN
                                    && a->client_max < a->hints->min_version));

  if (known)
    {
      verdict->title = g_strdup (_("Your Provider’s Servers Work With Your Mail Program"));
      /* TRANSLATORS: %s is the title of the step with the settings, "Check Your Mail Program’s Settings" */
      g_string_append_printf (explanation, _("This check reached your provider’s mail servers, and they accept the "
                                             "encryption your mail program uses. So the cause of a problem lies "
                                             "elsewhere: most often a mistyped password, or a server name, port or "
                                             "security setting that does not match. Compare your mail program’s "
                                             "settings with those in the step “%s”."),
                              _("Check Your Mail Program’s Settings"));
    }
  else
    {
      verdict->title = g_strdup (_("Your Provider’s Mail Servers Are Working"));
      /* TRANSLATORS: %s is the title of the step with the settings, "Check Your Mail Program’s Settings" */
      g_string_append_printf (explanation, _("This check reached your provider’s mail servers, and they work. So the "
                                             "cause of a problem lies elsewhere: most often a mistyped password, or a "
                                             "server name, port or security setting that does not match. Compare "
                                             "your mail program’s settings with those in the step “%s”."),
                              _("Check Your Mail Program’s Settings"));
      if (needed != MTC_TLS_UNKNOWN && needed >= MTC_TLS_1_2)
        {
          g_string_append_c (explanation, ' ');
          g_string_append (explanation, _("This check does not know what your mail program can do: a very old one "
                                          "may lack the encryption your provider requires, and webmail shows "
                                          "quickly whether your account itself works."));
        }
    }
  if (verdict->may_stop)
    {
      g_string_append_c (explanation, ' ');
      /* TRANSLATORS: %s is a mail program, e.g. "Apple Mail" */
      g_string_append_printf (explanation, _("It works today only because your provider still accepts the older "
                                             "encryption that %s uses; it may stop doing so at any time, as many "
                                             "providers already have."), a->client_name);
    }
  verdict->explanation = g_string_free (explanation, FALSE);

  append_accepted (a, details);
  append_client_fact (a, details);
  append_endpoint_problems (a, details, FALSE);
  verdict->details = g_string_free (g_steal_pointer (&details), FALSE);

  add_step (verdict, make_settings_step (a, a->client_max, FALSE));
  if (verdict->may_stop)
    {
      MtcTlsVersion future = MAX (MTC_TLS_1_2, a->hints != NULL ? a->hints->min_version : MTC_TLS_UNKNOWN);
      MtcVerdictStep *upgrade = make_upgrade_step (a, future, TRUE);

      if (upgrade != NULL && upgrade->fixes)
        add_step (verdict, g_steal_pointer (&upgrade));
      add_step (verdict, make_other_client_step (a, future));
      add_step (verdict, g_steal_pointer (&upgrade));
    }
  else if (!known && needed != MTC_TLS_UNKNOWN && needed >= MTC_TLS_1_2)
    add_step (verdict, make_webmail_step (a, needed));
  add_step (verdict, make_support_step (a));
  return verdict;
}

static MtcVerdict *
decide (Analysis *a)
{
  const MtcCertInfo *clock_cert = NULL;
  const MtcEndpointResult *intercepted = NULL;
  gboolean blocked[N_ROLES] = { FALSE };
  gboolean any_reached = FALSE;
  gboolean certificate_problem = FALSE;
  MtcVerdict *settings;

  for (int r = 0; r < N_ROLES; r++)
    any_reached |= a->reached[r];
  if (!any_reached)
    return decide_offline (a);

  clock_cert = clock_evidence (a);
  if (clock_cert != NULL)
    return decide_clock_wrong (a, clock_cert);

  intercepted = interception_evidence (a);
  if (intercepted != NULL)
    return decide_intercepted (a, intercepted);

  /* Injection is tampering wherever it shows, next to clean ports or not;
   * a missing STARTTLS only where it should be there. */
  if (injection_evidence (a))
    return decide_tampered (a, TRUE);
  if (stripping_evidence (a))
    return decide_tampered (a, FALSE);

  for (int r = ROLE_SEND; r <= ROLE_RECEIVE; r++)
    {
      gboolean all_blocking = a->n[r] > 0;
      int other = r == ROLE_SEND ? ROLE_RECEIVE : ROLE_SEND;

      for (guint i = 0; i < a->diagnosis->results->len; i++)
        {
          const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

          if (role_of (result) == (Role) r && !is_blocking_failure (result->status))
            all_blocking = FALSE;
        }
      blocked[r] = all_blocking && (a->reached[other] || a->reached[ROLE_WEB]);
    }
  if (blocked[ROLE_SEND] || blocked[ROLE_RECEIVE])
    return decide_port_blocked (a, blocked[ROLE_SEND], blocked[ROLE_RECEIVE]);

  /* The mail program's own settings, read from its files and probed as
   * set, stop the mail while the provider's servers work.  Below what
   * stops every connection whatever the settings (nothing reached, the
   * clock, a program stepping in, tampering, a network that blocks all of
   * a kind), because changing a setting does not help there; above this
   * computer's policy, the servers' problems and an old program, because
   * those are judged from the provider's servers, which work, and because
   * Thunderbird's own TLS limits would otherwise read as a program too old. */
  settings = decide_wrong_settings (a);
  if (settings != NULL)
    return settings;

  /* This computer's own TLS policy kept it from reaching (or testing) what
   * the servers might still accept. */
  for (int r = 0; r < N_ROLES; r++)
    {
      if (!role_matters (a, r) || a->working[r])
        continue;
      for (guint i = 0; i < a->diagnosis->results->len; i++)
        {
          const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);
          gboolean limited_here;

          if (role_of (result) != (Role) r || !hidden_by_local_policy (a, result, MTC_TLS_UNKNOWN))
            continue;
          /* A program with its own TLS library (Thunderbird) is not bound by
           * this computer's policy: then the check only cannot tell. */
          limited_here = a->user != NULL && a->user->this_computer
                         && (a->fact == NULL || g_strcmp0 (a->fact->tls_library, "gnutls") == 0);
          return decide_locally_disabled (a, !limited_here, FALSE);
        }
    }
  if (a->client_max != MTC_TLS_UNKNOWN
      && !(a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN && a->hints->min_version > a->client_max))
    for (int r = 0; r < N_ROLES; r++)
      {
        if (!role_matters (a, r) || role_ok_for (a, r, a->client_max))
          continue;
        for (guint i = 0; i < a->diagnosis->results->len; i++)
          {
            const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

            if (role_of (result) == (Role) r && result_working (result)
                && hidden_by_local_policy (a, result, a->client_max))
              return decide_locally_disabled (a, TRUE, TRUE);
          }
      }

  for (guint i = 0; i < a->diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (a->diagnosis->results, i);

      if (result->certificate != NULL && result->certificate->errors != 0)
        certificate_problem = TRUE;
    }
  if (certificate_problem)
    return decide_server_problem (a, TRUE);
  for (int r = 0; r < N_ROLES; r++)
    if (role_matters (a, r) && !a->working[r])
      return decide_server_problem (a, FALSE);

  if (a->client_max != MTC_TLS_UNKNOWN)
    {
      MtcTlsVersion needed = MTC_TLS_UNKNOWN;
      gboolean too_old = FALSE;

      for (int r = 0; r < N_ROLES; r++)
        if (role_matters (a, r) && !role_ok_for (a, r, a->client_max))
          {
            too_old = TRUE;
            needed = MAX (needed, a->lowest[r]);
          }
      if (too_old)
        return decide_client_too_old (a, needed, FALSE);
      /* The provider states a minimum above what the program speaks: it may
       * turn the old version away at login, after the handshake, where a
       * check without a password cannot see it.  The statement counts. */
      if (a->hints != NULL && a->hints->min_version != MTC_TLS_UNKNOWN && a->client_max < a->hints->min_version)
        return decide_client_too_old (a, a->hints->min_version, TRUE);
    }

  return decide_all_good (a);
}

const char *
mtc_verdict_id_to_string (MtcVerdictId id)
{
  g_return_val_if_fail (id < MTC_N_VERDICTS, NULL);
  return mtc_enum_get_nick (MTC_TYPE_VERDICT_ID, id);
}

/**
 * mtc_verdict_decide_at:
 * @diagnosis: what the prober found; without any result when no servers
 *   could be looked up (this computer is offline)
 * @user: (nullable): the user's system and mail program
 * @hints: (nullable): what the provider's profile says
 * @knowledge: the knowledge base
 * @now: the time to judge certificates against (tests); this computer's
 *   clock is what the certificates were checked with
 *
 * Returns: (transfer full): the verdict
 */
MtcVerdict *
mtc_verdict_decide_at (const MtcDiagnosis     *diagnosis,
                       const MtcUserSide      *user,
                       const MtcProviderHints *hints,
                       MtcKnowledge           *knowledge,
                       GDateTime              *now)
{
  Analysis a = { 0 };
  MtcVerdict *verdict;

  g_return_val_if_fail (diagnosis != NULL && diagnosis->local != NULL, NULL);
  g_return_val_if_fail (MTC_IS_KNOWLEDGE (knowledge), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  a.diagnosis = diagnosis;
  a.user = user;
  a.hints = hints;
  a.knowledge = knowledge;
  a.now = now;
  analyse (&a);
  verdict = decide (&a);
  if (verdict->client_max == MTC_TLS_UNKNOWN)
    verdict->client_max = a.client_max;
  if (verdict->needed == MTC_TLS_UNKNOWN)
    verdict->needed = needed_version (&a);
  verdict->client_ability = verdict->client_max == MTC_TLS_UNKNOWN ? MTC_CLIENT_ABILITY_UNKNOWN : a.ability;
  g_free (a.ability_source);
  g_free (a.client_name);
  g_free (a.system_name);
  return verdict;
}

/* Returns: (transfer full): the verdict, judged at the current time */
MtcVerdict *
mtc_verdict_decide (const MtcDiagnosis     *diagnosis,
                    const MtcUserSide      *user,
                    const MtcProviderHints *hints,
                    MtcKnowledge           *knowledge)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return mtc_verdict_decide_at (diagnosis, user, hints, knowledge, now);
}

void
mtc_verdict_free (MtcVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->title);
  g_free (verdict->explanation);
  g_free (verdict->details);
  g_ptr_array_unref (verdict->steps);
  g_free (verdict);
}

/* Returns: (nullable) (transfer none): the step with @step_id */
const MtcVerdictStep *
mtc_verdict_get_step (const MtcVerdict *verdict,
                      const char       *step_id)
{
  g_return_val_if_fail (verdict != NULL, NULL);
  for (guint i = 0; i < verdict->steps->len; i++)
    {
      const MtcVerdictStep *step = g_ptr_array_index (verdict->steps, i);

      if (g_strcmp0 (step->id, step_id) == 0)
        return step;
    }
  return NULL;
}
