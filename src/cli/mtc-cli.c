/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "mtc-accounts.h"
#include "mtc-accounts-report.h"
#include "mtc-check.h"
#include "mtc-cli.h"
#include "mtc-endpoint.h"
#include "mtc-hosts-resolver.h"
#include "mtc-knowledge.h"
#include "mtc-prober.h"
#include "mtc-provider.h"
#include "mtc-report.h"
#include "mtc-system.h"

/* The command line: options in, a check run by MtcCheck, its report out.
 * Exit statuses and messages are a contract (README, tests/test-cli.py). */

/* mtc_cli_run()'s steps return an exit status, or this to go on. */
#define GO_ON (-1)

typedef struct {
  gboolean check;
  gboolean json;
  gboolean demo;
  gboolean version;
  gboolean list_clients;
  gboolean list_systems;
  gboolean accounts;
  char *account;
  char *client;
  char *system;
  char *timeout_text;
  char *max_connections_text;
  char *ca_file;
  char *lang;
  char *provider_arg;
  GStrv targets;
  guint timeout_ms;
  guint max_connections;
} CliOptions;

static void
cli_options_clear (CliOptions *options)
{
  g_free (options->account);
  g_free (options->client);
  g_free (options->system);
  g_free (options->timeout_text);
  g_free (options->max_connections_text);
  g_free (options->ca_file);
  g_free (options->lang);
  g_free (options->provider_arg);
  g_strfreev (options->targets);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliOptions, cli_options_clear)

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

/* Reads the options; GO_ON, or the exit status of bad usage. */
static int
parse_options (CliOptions  *options,
               int         *argc,
               char      ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &options->check, N_("Check the given servers in the terminal"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, N_("Print the result as JSON"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      N_("Also trust certificates from the authority in this PEM file (a provider’s private one)"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &options->timeout_text,
      N_("Longest wait for one server, in seconds (default 10)"), N_("SECONDS") },
    { "max-connections", 0, 0, G_OPTION_ARG_STRING, &options->max_connections_text,
      N_("At most this many connections at once to one server port, 1 to 4 (default 4)"), N_("N") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &options->lang, N_("Language of the report: de or en"), "de|en" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options->demo, N_("Check the built-in demo provider"), NULL },
    { "provider", 0, 0, G_OPTION_ARG_FILENAME, &options->provider_arg,
      N_("Check this provider: a provider ID or a .provider file; e-mail addresses are then accounts there"),
      N_("ID|FILE") },
    { "client", 0, 0, G_OPTION_ARG_STRING, &options->client,
      N_("The mail program in question (default: this computer’s; see --list-clients)"), N_("ID") },
    { "system", 0, 0, G_OPTION_ARG_STRING, &options->system,
      N_("The system it runs on, when that is another computer (see --list-systems)"), N_("ID") },
    { "list-clients", 0, 0, G_OPTION_ARG_NONE, &options->list_clients, N_("List the mail programs --client knows"),
      NULL },
    { "list-systems", 0, 0, G_OPTION_ARG_NONE, &options->list_systems, N_("List the systems --system knows"), NULL },
    { "accounts", 0, 0, G_OPTION_ARG_NONE, &options->accounts,
      N_("List the accounts of the mail programs on this computer (never a password)"), NULL },
    { "account", 0, 0, G_OPTION_ARG_STRING, &options->account,
      N_("Check this account of a mail program on this computer exactly as it is set up there, and say which "
         "setting to change (see --accounts)"), N_("ADDRESS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version, N_("Show the program’s version"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->targets, NULL, N_("TARGET…") },
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
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  return GO_ON;
}

/* --lang, --timeout and --max-connections: their values in range. */
static int
check_values (CliOptions *options)
{
  g_autoptr(GError) error = NULL;

  if (options->lang != NULL && strcmp (options->lang, "de") != 0 && strcmp (options->lang, "en") != 0)
    {
      g_autofree char *message = g_strdup_printf (_("The language “%s” is not available; use de or en."),
                                                  options->lang);
      usage_error (message);
      return MTC_EXIT_USAGE;
    }
  if (options->timeout_text != NULL && !parse_timeout (options->timeout_text, &options->timeout_ms, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  if (options->max_connections_text != NULL
      && !parse_max_connections (options->max_connections_text, &options->max_connections, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  return GO_ON;
}

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


/* --list-clients and --list-systems, when asked for: an exit status. */
static int
print_listings (CliOptions   *options,
                MtcKnowledge *knowledge)
{
  if (!options->list_clients && !options->list_systems)
    return GO_ON;
  if (options->list_clients)
    print_ids (knowledge, TRUE);
  if (options->list_systems)
    print_ids (knowledge, FALSE);
  return MTC_EXIT_OK;
}

/* --accounts, when asked for: what the mail programs on this computer are
 * set up with, and the settings files that could not be read; exit status 0,
 * also when there are none. */
static int
print_accounts (CliOptions *options)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *text = NULL;

  if (!options->accounts)
    return GO_ON;
  accounts = mtc_accounts_find (NULL, &problems);
  text = options->json ? mtc_accounts_report_to_json (accounts, problems)
                       : mtc_accounts_report_to_text (accounts, problems);
  fputs (text, stdout);
  fflush (stdout);
  return MTC_EXIT_OK;
}

/* --account: the account of that address (case does not matter) among
 * those the mail programs on this computer have, the first when several
 * programs have one; a sentence listing the addresses found when none
 * matches.  Its address becomes the target when no other is given, so
 * that the provider's servers are looked up beside the account's own. */
static int
find_account (CliOptions  *options,
              MtcAccount **out_account)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  g_autofree char *wanted = NULL;
  g_autofree char *list = NULL;
  g_autofree char *message = NULL;

  if (options->account == NULL)
    return GO_ON;
  wanted = g_utf8_casefold (options->account, -1);
  accounts = mtc_accounts_find (NULL, &problems);
  for (guint i = 0; i < accounts->len; i++)
    {
      MtcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *address = account->address != NULL ? g_utf8_casefold (account->address, -1) : NULL;

      if (address == NULL)
        continue;
      if (g_strcmp0 (address, wanted) == 0)
        {
          *out_account = mtc_account_copy (account);
          if (options->targets == NULL)
            {
              options->targets = g_new0 (char *, 2);
              options->targets[0] = g_strdup (account->address);
            }
          return GO_ON;
        }
      g_ptr_array_add (addresses, account->address);
    }
  g_ptr_array_add (addresses, NULL);
  list = g_strjoinv (", ", (char **) addresses->pdata);
  if (*list != '\0')
    /* TRANSLATORS: "No mail program on this computer has an account for x@example.net. Accounts found:
     * alice@example.net, bob@example.org." */
    message = g_strdup_printf (_("No mail program on this computer has an account for %s. Accounts found: %s."),
                               options->account, list);
  else
    /* TRANSLATORS: %s is an e-mail address */
    message = g_strdup_printf (_("No mail program on this computer has an account for %s; no accounts were "
                                 "found at all."), options->account);
  usage_error (message);
  return MTC_EXIT_USAGE;
}

/* The targets as UTF-8; without any, the demo provider unless --check
 * asks for servers. */
static int
convert_targets (CliOptions *options,
                 GStrv      *out_targets)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!options->check && options->targets == NULL && options->provider_arg == NULL && options->account == NULL)
    options->demo = TRUE;
  if (options->targets == NULL && !options->demo && options->provider_arg == NULL)
    {
      usage_error (_("Say what to check: an e-mail address, a server address, a server name, a provider, or "
                     "--demo."));
      return MTC_EXIT_USAGE;
    }
  for (int i = 0; options->targets && options->targets[i]; i++)
    {
      g_autofree char *arg = g_locale_to_utf8 (options->targets[i], -1, NULL, NULL, NULL);

      if (arg == NULL)
        {
          usage_error (_("A target is not valid text in this computer’s character set."));
          return MTC_EXIT_USAGE;
        }
      g_strv_builder_add (builder, arg);
    }
  *out_targets = g_strv_builder_end (builder);
  return GO_ON;
}

/* The check the options describe, its targets' form checked. */
static int
set_up_check (CliOptions  *options,
              MtcCheck    *check,
              MtcUserSide *user)
{
  g_autoptr(MtcAccount) account = NULL;
  g_auto(GStrv) targets = NULL;
  g_autoptr(MtcProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = find_account (options, &account)) != GO_ON
      || (status = convert_targets (options, &targets)) != GO_ON)
    return status;
  /* A testing hook (MTC_HOSTS_FILE); nothing happens without it. */
  if (!mtc_hosts_resolver_install_from_environment (&error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  if (options->provider_arg != NULL && (provider = mtc_provider_load (options->provider_arg, &error)) == NULL)
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  mtc_check_set_targets (check, (const char * const *) targets);
  mtc_check_set_provider (check, provider);
  mtc_check_set_demo (check, options->demo);
  mtc_check_set_timeout (check, options->timeout_ms);
  mtc_check_set_max_connections (check, options->max_connections);
  mtc_check_set_user_side (check, user);
  mtc_check_set_account (check, account);
  if (!mtc_check_validate (check, &error))
    {
      usage_error (error->message);
      return MTC_EXIT_USAGE;
    }
  return GO_ON;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

/* Runs the main loop until an operation gives *result. */
static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* With --json, a failed discovery as JSON too (README, "JSON"): the
 * schema, no endpoints, and the error's id and words. */
static void
print_json_error (const char *id,
                  const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, MTC_JSON_SCHEMA);
  json_builder_set_member_name (builder, "endpoints");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Discovery: an address whose servers cannot be found is a finding (1),
 * not bad usage.  One that could not be looked up at all (offline) is no
 * error here: the check goes on to the verdict "offline". */
static int
prepare (MtcCheck *check,
         gboolean  json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mtc_check_prepare_async (check, NULL, got_result_cb, &result);
  wait_for (&result);
  if (mtc_check_prepare_finish (check, result, &error))
    return GO_ON;
  if (g_error_matches (error, MTC_ERROR, MTC_ERROR_NOT_FOUND))
    {
      if (json)
        print_json_error ("not-found", error->message);
      else
        g_printerr ("%s\n", error->message);
      return MTC_EXIT_PROBLEM;
    }
  if (g_error_matches (error, MTC_CHECK_ERROR, MTC_CHECK_ERROR_DEMO))
    g_printerr (_("The built-in demo provider could not be started: %s\n"), error->message);
  else
    usage_error (error->message);
  return MTC_EXIT_USAGE;
}

/* --ca-file: a provider's private authority. */
static int
add_ca_file (MtcCheck   *check,
             const char *ca_file)
{
  g_autoptr(GTlsCertificate) anchor = NULL;
  g_autoptr(GError) error = NULL;

  if (ca_file == NULL)
    return GO_ON;
  anchor = g_tls_certificate_new_from_file (ca_file, &error);
  if (anchor == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The certificate authority in “%s” cannot be used: %s"),
                                                  ca_file, error->message);
      usage_error (message);
      return MTC_EXIT_USAGE;
    }
  mtc_check_add_trust_anchor (check, anchor);
  return GO_ON;
}

static void
endpoint_done_cb (MtcCheck          *check,
                  guint              index,
                  MtcEndpointResult *result,
                  guint              n_done,
                  guint              n_total,
                  gpointer           user_data)
{
  g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

  /* TRANSLATORS: progress on the terminal, e.g. "3 of 7 checked: imaps://mail.example.net:993" */
  g_printerr ("\r\033[K%s", "");
  g_printerr (_("%u of %u checked: %s"), n_done, n_total, url);
  if (n_done == n_total)
    g_printerr ("\r\033[K");
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

/* The probes and the verdict; Ctrl+C and SIGTERM stop the probes.  The
 * progress goes to a terminal, unless the output is JSON. */
static int
run (MtcCheck *check,
     gboolean  progress)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gulong progress_id = 0;
  guint sigint_id, sigterm_id;

  if (progress)
    progress_id = g_signal_connect (check, "endpoint-done", G_CALLBACK (endpoint_done_cb), NULL);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);
  mtc_check_run_async (check, cancellable, got_result_cb, &result);
  wait_for (&result);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_signal_handler (&progress_id, check);

  if (!mtc_check_run_finish (check, result, &error))
    {
      g_printerr ("%s\n", error->message);
      return MTC_EXIT_USAGE;
    }
  return GO_ON;
}

/* The report on standard output; 1 when it found a problem. */
static int
print_report (MtcCheck *check,
              gboolean  json)
{
  g_autofree char *text = json ? mtc_check_dup_json_report (check) : mtc_check_dup_text_report (check);

  fputs (text, stdout);
  fflush (stdout);
  return mtc_check_found_problem (check) ? MTC_EXIT_PROBLEM : MTC_EXIT_OK;
}

int
mtc_cli_run (int    argc,
             char **argv)
{
  g_auto(CliOptions) options = {
    .timeout_ms = MTC_PROBER_DEFAULT_TIMEOUT_MS,
    .max_connections = MTC_PROBER_MAX_PER_SERVICE,
  };
  g_autoptr(MtcKnowledge) knowledge = NULL;
  g_autoptr(MtcUserSide) user = NULL;
  g_autoptr(MtcCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = parse_options (&options, &argc, &argv)) != GO_ON)
    return status;
  if (options.version)
    {
      g_print ("mail-tls-check %s\n", PACKAGE_VERSION);
      return MTC_EXIT_OK;
    }
  if ((status = check_values (&options)) != GO_ON
      || (status = print_accounts (&options)) != GO_ON)
    return status;
  knowledge = mtc_knowledge_new_default (&error);
  if (knowledge == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return MTC_EXIT_USAGE;
    }
  if ((status = print_listings (&options, knowledge)) != GO_ON)
    return status;
  if (!check_id (knowledge, TRUE, options.client) || !check_id (knowledge, FALSE, options.system))
    return MTC_EXIT_USAGE;
  user = user_side_new (knowledge, options.client, options.system);

  check = mtc_check_new (knowledge);
  if ((status = set_up_check (&options, check, user)) != GO_ON
      || (status = prepare (check, options.json)) != GO_ON
      || (status = add_ca_file (check, options.ca_file)) != GO_ON
      || (status = run (check, isatty (fileno (stderr)) && !options.json)) != GO_ON)
    return status;
  return print_report (check, options.json);
}
