/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "mtc-cli.h"
#include "mtc-demo-server.h"
#include "mtc-endpoint.h"
#include "mtc-hosts-resolver.h"
#include "mtc-prober.h"
#include "mtc-provider.h"
#include "mtc-target.h"
#include "mtc-report.h"
#include "mtc-knowledge.h"
#include "mtc-system.h"
#include "mtc-verdict.h"

typedef struct {
  GMainLoop *loop;
  GCancellable *cancellable;
  MtcDiagnosis *diagnosis;
  GError *error;
  gboolean json;
  guint n_done;
  guint n_total;
  gboolean progress;
} CliRun;

static void
usage_error (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Run “%s --help” to see how to use it.\n"), g_get_prgname ());
}

static gboolean
parse_timeout (const char *text,
               guint      *out_ms,
               GError    **error)
{
  char *end = NULL;
  double seconds;

  if (text == NULL || *text == '\0')
    goto invalid;
  seconds = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(seconds >= 0.1 && seconds <= 600))
    goto invalid;
  *out_ms = (guint) (seconds * 1000 + 0.5);
  return TRUE;

invalid:
  g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
               _("The timeout “%s” is not a number of seconds between 0.1 and 600."), text ? text : "");
  return FALSE;
}

static gboolean
parse_max_connections (const char *text,
                       guint      *out,
                       GError    **error)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, MTC_PROBER_MAX_PER_SERVICE, &value, NULL))
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET,
                   _("The number of connections “%s” is not a whole number between 1 and %d."), text ? text : "",
                   MTC_PROBER_MAX_PER_SERVICE);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static void
endpoint_finished_cb (MtcProber         *prober,
                      guint              index,
                      MtcEndpointResult *result,
                      CliRun            *run)
{
  run->n_done++;
  if (run->progress)
    {
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

      /* TRANSLATORS: progress on the terminal, e.g. "3 of 7 checked: imaps://mail.example.net:993" */
      g_printerr ("\r\033[K%s", "");
      g_printerr (_("%u of %u checked: %s"), run->n_done, run->n_total, url);
      if (run->n_done == run->n_total)
        g_printerr ("\r\033[K");
    }
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliRun *run = user_data;

  run->diagnosis = mtc_prober_run_finish (MTC_PROBER (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

typedef struct {
  GMainLoop *loop;
  MtcTargetSet *set;
  GError *error;
} TargetsRun;

static void
targets_resolved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TargetsRun *targets_run = user_data;

  targets_run->set = mtc_target_resolver_resolve_finish (MTC_TARGET_RESOLVER (source), result,
                                                         &targets_run->error);
  g_main_loop_quit (targets_run->loop);
}

/* Turns the targets into endpoints: e-mail addresses are looked up
 * (discovery), provider IDs and support links name a profile. */
static MtcTargetSet *
resolve_targets (MtcTargetResolver  *resolver,
                 const char * const *targets,
                 GError            **error)
{
  TargetsRun targets_run = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  mtc_target_resolver_resolve_async (resolver, targets, NULL, targets_resolved_cb, &targets_run);
  g_main_loop_run (targets_run.loop);
  g_main_loop_unref (targets_run.loop);
  if (targets_run.error != NULL)
    g_propagate_error (error, targets_run.error);
  return targets_run.set;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  CliRun *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The ids --client and --system accept: mail programs (not browsers), systems. */
static GStrv
list_ids (MtcKnowledge *knowledge,
          gboolean      clients)
{
  g_auto(GStrv) all = clients ? mtc_knowledge_list_clients (knowledge) : mtc_knowledge_list_systems (knowledge);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (int i = 0; all[i]; i++)
    if (!clients || mtc_knowledge_get_client_kind (knowledge, all[i]) == MTC_CLIENT_KIND_MAIL)
      g_strv_builder_add (builder, all[i]);
  return g_strv_builder_end (builder);
}

/* --list-clients, --list-systems: "id<TAB>name" a line. */
static void
print_ids (MtcKnowledge *knowledge,
           gboolean      clients)
{
  g_auto(GStrv) ids = list_ids (knowledge, clients);

  for (int i = 0; ids[i]; i++)
    {
      g_autofree char *name = clients ? mtc_knowledge_get_client_name (knowledge, ids[i])
                                      : mtc_knowledge_get_system_name (knowledge, ids[i]);

      g_print ("%s\t%s\n", ids[i], name);
    }
}

/* Checks --client and --system against the knowledge base; a message that
 * lists the valid ids when one is unknown. */
static gboolean
check_id (MtcKnowledge *knowledge,
          gboolean      clients,
          const char   *id)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *message = NULL;

  ids = list_ids (knowledge, clients);
  if (id == NULL || g_strv_contains ((const char * const *) ids, id))
    return TRUE;
  valid = g_strjoinv (", ", ids);
  message = clients ? g_strdup_printf (_("The mail program “%s” is not known. Use one of: %s."), id, valid)
                    : g_strdup_printf (_("The system “%s” is not known. Use one of: %s."), id, valid);
  usage_error (message);
  return FALSE;
}

/* The detected side, with --client and --system applied; another system
 * than this one means another computer, whose TLS policy this one cannot know. */
static MtcUserSide *
user_side_new (MtcKnowledge *knowledge,
               const char   *client,
               const char   *system)
{
  MtcUserSide *user = mtc_user_side_detect (knowledge);

  if (client != NULL)
    {
      g_free (user->client_id);
      user->client_id = g_strdup (client);
    }
  if (system != NULL && g_strcmp0 (system, user->system_id) != 0)
    {
      g_free (user->system_id);
      user->system_id = g_strdup (system);
      g_clear_pointer (&user->mac_model, g_free);
      user->this_computer = FALSE;
    }
  return user;
}

int
mtc_cli_run (int    argc,
             char **argv)
{
  gboolean check = FALSE;
  gboolean json = FALSE;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  gboolean list_clients = FALSE;
  gboolean list_systems = FALSE;
  g_autofree char *client = NULL;
  g_autofree char *system = NULL;
  g_autoptr(MtcKnowledge) knowledge = NULL;
  g_autoptr(MtcUserSide) user = NULL;
  g_autofree char *timeout_text = NULL;
  g_autofree char *max_connections_text = NULL;
  guint max_connections = MTC_PROBER_MAX_PER_SERVICE;
  g_autofree char *ca_file = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *provider_arg = NULL;
  g_autoptr(MtcProvider) provider = NULL;
  g_autoptr(MtcTargetResolver) target_resolver = NULL;
  g_autoptr(MtcTargetSet) target_set = NULL;
  g_autoptr(GPtrArray) utf8_targets = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) targets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  g_autoptr(MtcProber) prober = NULL;
  g_autoptr(MtcDemoServer) demo_server = NULL;
  guint timeout_ms = MTC_PROBER_DEFAULT_TIMEOUT_MS;
  CliRun run = { 0 };
  guint sigint_id, sigterm_id;
  int status;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check, N_("Check the given servers in the terminal"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust certificates from the authority in this PEM file (a provider’s private one)"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_text, N_("Longest wait for one server, in seconds (default 10)"),
      N_("SECONDS") },
    { "max-connections", 0, 0, G_OPTION_ARG_STRING, &max_connections_text,
      N_("At most this many connections at once to one server port, 1 to 4 (default 4)"), N_("N") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("Language of the report: de or en"), "de|en" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_("Check the built-in demo provider"), NULL },
    { "provider", 0, 0, G_OPTION_ARG_FILENAME, &provider_arg,
      N_("Check this provider: a provider ID or a .provider file; e-mail addresses are then accounts there"),
      N_("ID|FILE") },
    { "client", 0, 0, G_OPTION_ARG_STRING, &client,
      N_("The mail program in question (default: this computer’s; see --list-clients)"), N_("ID") },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system,
      N_("The system it runs on, when that is another computer (see --list-systems)"), N_("ID") },
    { "list-clients", 0, 0, G_OPTION_ARG_NONE, &list_clients, N_("List the mail programs --client knows"), NULL },
    { "list-systems", 0, 0, G_OPTION_ARG_NONE, &list_systems, N_("List the systems --system knows"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the program’s version"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &targets, NULL, N_("TARGET…") },
    { NULL }
  };

  /* TRANSLATORS: the summary at the top of --help */
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Checks which TLS versions a mail provider’s servers accept and whether this "
                                  "computer can reach them.\n\nTARGET is a server address such as "
                                  "smtp://mail.example.net:587, imaps://mail.example.net, "
                                  "https://webmail.example.net:2096, or a bare server name, which stands for its "
                                  "six standard mail ports; an e-mail address, whose servers are looked up; a "
                                  "provider ID such as macbay-v3; or a support link such as "
                                  "mail-tls-check:?provider=macbay-v3.\n\nExit status: 0 nothing wrong found, 1 a "
                                  "problem was found (or no servers were found for an e-mail address), 2 bad usage "
                                  "or input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  if (version)
    {
      g_print ("mail-tls-check %s\n", PACKAGE_VERSION);
      return MTC_EXIT_OK;
    }
  if (lang != NULL && strcmp (lang, "de") != 0 && strcmp (lang, "en") != 0)
    {
      g_autofree char *message = g_strdup_printf (_("The language “%s” is not available; use de or en."), lang);
      usage_error (message);
      return MTC_EXIT_USAGE;
    }
  if (timeout_text != NULL && !parse_timeout (timeout_text, &timeout_ms, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  if (max_connections_text != NULL && !parse_max_connections (max_connections_text, &max_connections, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  knowledge = mtc_knowledge_new_default (&error);
  if (knowledge == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return MTC_EXIT_USAGE;
    }
  if (list_clients || list_systems)
    {
      if (list_clients)
        print_ids (knowledge, TRUE);
      if (list_systems)
        print_ids (knowledge, FALSE);
      return MTC_EXIT_OK;
    }
  if (!check_id (knowledge, TRUE, client) || !check_id (knowledge, FALSE, system))
    return MTC_EXIT_USAGE;
  user = user_side_new (knowledge, client, system);

  if (!check && targets == NULL && provider_arg == NULL)
    demo = TRUE;
  if (targets == NULL && !demo && provider_arg == NULL)
    {
      usage_error (_("Say what to check: an e-mail address, a server address, a server name, a provider, or "
                     "--demo."));
      return MTC_EXIT_USAGE;
    }

  for (int i = 0; targets && targets[i]; i++)
    {
      g_autofree char *arg = g_locale_to_utf8 (targets[i], -1, NULL, NULL, NULL);

      if (arg == NULL)
        {
          usage_error (_("A target is not valid text in this computer’s character set."));
          return MTC_EXIT_USAGE;
        }
      g_ptr_array_add (utf8_targets, g_steal_pointer (&arg));
    }
  g_ptr_array_add (utf8_targets, NULL);

  /* A testing hook (MTC_HOSTS_FILE); nothing happens without it. */
  if (!mtc_hosts_resolver_install_from_environment (&error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  if (provider_arg != NULL && (provider = mtc_provider_load (provider_arg, &error)) == NULL)
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  target_resolver = mtc_target_resolver_new ();
  mtc_target_resolver_set_timeout (target_resolver, timeout_ms);
  mtc_target_resolver_set_provider (target_resolver, provider);
  if (!mtc_target_resolver_check (target_resolver, (const char * const *) utf8_targets->pdata, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  target_set = resolve_targets (target_resolver, (const char * const *) utf8_targets->pdata, &error);
  if (target_set == NULL)
    {
      if (!g_error_matches (error, MTC_ERROR, MTC_ERROR_NOT_FOUND))
        {
          usage_error (error->message);
          return MTC_EXIT_USAGE;
        }
      g_printerr ("%s\n", error->message);
      return MTC_EXIT_PROBLEM;
    }
  for (guint i = 0; i < target_set->endpoints->len; i++)
    g_ptr_array_add (endpoints, mtc_endpoint_copy (g_ptr_array_index (target_set->endpoints, i)));
  if (target_set->demo)
    demo = TRUE;

  prober = mtc_prober_new ();
  mtc_prober_set_timeout (prober, timeout_ms);
  mtc_prober_set_max_connections (prober, max_connections);
  if (ca_file != NULL)
    {
      g_autoptr(GTlsCertificate) anchor = g_tls_certificate_new_from_file (ca_file, &error);

      if (anchor == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("The certificate authority in “%s” cannot be used: %s"),
                                                      ca_file, error->message);
          usage_error (message);
          return MTC_EXIT_USAGE;
        }
      mtc_prober_add_trust_anchor (prober, anchor);
    }

  if (demo)
    {
      g_autoptr(GPtrArray) demo_endpoints = NULL;
      g_autoptr(GTlsCertificate) ca = NULL;

      demo_server = mtc_demo_server_new (&error);
      if (demo_server != NULL)
        demo_endpoints = mtc_demo_server_start_provider (demo_server, &error);
      if (demo_endpoints == NULL)
        {
          g_printerr (_("The built-in demo provider could not be started: %s\n"), error->message);
          return MTC_EXIT_USAGE;
        }
      ca = mtc_demo_server_get_ca (demo_server);
      mtc_prober_add_trust_anchor (prober, ca);
      g_ptr_array_extend_and_steal (endpoints, g_steal_pointer (&demo_endpoints));
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.json = json;
  run.n_total = endpoints->len;
  run.progress = isatty (fileno (stderr)) && !json;
  g_signal_connect (prober, "endpoint-finished", G_CALLBACK (endpoint_finished_cb), &run);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, &run);

  mtc_prober_run_async (prober, endpoints, run.cancellable, run_done_cb, &run);
  g_main_loop_run (run.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (prober, &run);

  if (run.diagnosis == NULL)
    {
      g_printerr ("%s\n", run.error->message);
      status = MTC_EXIT_USAGE;
    }
  else
    {
      g_autoptr(MtcProviderHints) hints = target_set ? mtc_target_set_dup_hints (target_set) : NULL;
      g_autoptr(MtcVerdict) verdict = mtc_verdict_decide (run.diagnosis, user, hints, knowledge);
      g_autofree char *found = target_set && !json ? mtc_target_set_describe (target_set, 78) : NULL;
      g_autofree char *text = json ? mtc_report_to_json_with_verdict (run.diagnosis, verdict)
                                   : mtc_report_to_text_with_verdict (run.diagnosis, verdict, found);

      fputs (text, stdout);
      fflush (stdout);
      status = mtc_diagnosis_has_problem (run.diagnosis) || verdict->id != MTC_VERDICT_ALL_GOOD ? MTC_EXIT_PROBLEM
                                                                                                : MTC_EXIT_OK;
    }

  if (demo_server != NULL)
    mtc_demo_server_stop (demo_server);
  g_clear_pointer (&run.diagnosis, mtc_diagnosis_unref);
  g_clear_error (&run.error);
  g_clear_object (&run.cancellable);
  g_main_loop_unref (run.loop);
  return status;
}
