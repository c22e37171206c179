/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <glib-unix.h>

#include "mtc-demo-server.h"

/* The demo provider as a process of its own: prints its endpoint URLs one a
 * line, then serves until SIGTERM or SIGINT.  With --misbehave it serves the
 * misbehaving servers of the tests instead: the MtcDemoBehaviours from
 * NORMAL to STALL_HANDSHAKE, each on every kind of service (mtc_demo_kinds[]:
 * SMTP, SMTPS, IMAP, IMAPS, POP3, POP3S, HTTPS), in that order, so that line
 * 7 * BEHAVIOUR + KIND + 1 is that service. */

static GPtrArray *
start_misbehaving (MtcDemoServer  *server,
                   const char     *address,
                   gboolean        legacy,
                   GError        **error)
{
  g_autoptr (GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);

  for (int behaviour = MTC_DEMO_NORMAL; behaviour <= MTC_DEMO_STALL_HANDSHAKE; behaviour++)
    for (gsize i = 0; i < G_N_ELEMENTS (mtc_demo_kinds); i++)
      {
        MtcDemoServiceConfig config = {
          .protocol = mtc_demo_kinds[i].protocol,
          .security = mtc_demo_kinds[i].security,
          .min_version = legacy ? MTC_TLS_1_0 : MTC_TLS_1_2,
          .max_version = MTC_TLS_1_3,
          .legacy_ciphers = legacy,
          .behaviour = behaviour,
        };
        guint16 port = mtc_demo_server_add_service (server, &config, address, 0, error);

        if (port == 0)
          return NULL;
        g_ptr_array_add (endpoints, mtc_endpoint_new (config.protocol, config.security, address, port));
      }
  return g_steal_pointer (&endpoints);
}

static gboolean
quit_signalled_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *ca_file = NULL;
  g_autofree char *stats_file = NULL;
  g_autofree char *address = NULL;
  g_autofree char *ca_pem = NULL;
  gboolean legacy = FALSE;
  gboolean misbehave = FALSE;
  int base_port = 0;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "Listen on ADDR (default 127.0.0.1)", "ADDR" },
    { "base-port", 0, 0, G_OPTION_ARG_INT, &base_port,
      "Listen on ports N to N+6 (default 0: free ports)", "N" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "Write the demo CA certificate (PEM) to PATH", "PATH" },
    { "legacy", 0, 0, G_OPTION_ARG_NONE, &legacy,
      "Accept TLS 1.0 to 1.3 with legacy ciphers instead of TLS 1.2 and newer only", NULL },
    { "stats", 0, 0, G_OPTION_ARG_FILENAME, &stats_file,
      "On exit, write to PATH for each endpoint the most connections that were open at once and how many "
      "were accepted", "PATH" },
    { "misbehave", 0, 0, G_OPTION_ARG_NONE, &misbehave,
      "Serve every misbehaviour of the test servers on every protocol instead of the demo provider", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- serve the Mail TLS Check demo provider");
  g_autoptr (GError) error = NULL;
  g_autoptr (MtcDemoServer) server = NULL;
  g_autoptr (GPtrArray) endpoints = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  guint sigterm_id;
  guint sigint_id;

  /* stdout is for the URLs only */
  g_log_writer_default_set_use_stderr (TRUE);

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("%s: unexpected argument “%s”\n", g_get_prgname (), argv[1]);
      return 2;
    }
  if (base_port < 0 || base_port > G_MAXUINT16 - 6)
    {
      g_printerr ("%s: --base-port must be between 0 and %d\n", g_get_prgname (), G_MAXUINT16 - 6);
      return 2;
    }
  if (misbehave && base_port != 0)
    {
      g_printerr ("%s: --misbehave listens on free ports; --base-port does not go with it\n", g_get_prgname ());
      return 2;
    }

  server = mtc_demo_server_new (&error);
  if (server == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  if (misbehave)
    endpoints = start_misbehaving (server, address != NULL ? address : "127.0.0.1", legacy, &error);
  else
    endpoints = mtc_demo_server_start_provider_full (server, address != NULL ? address : "127.0.0.1",
                                                     (guint16) base_port, legacy, &error);
  if (endpoints == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1;
    }

  if (ca_file != NULL)
    {
      ca_pem = mtc_demo_server_get_ca_pem (server);
      if (!g_file_set_contents (ca_file, ca_pem, -1, &error))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return 1;
        }
    }

  for (guint i = 0; i < endpoints->len; i++)
    {
      g_autofree char *url = mtc_endpoint_to_url (g_ptr_array_index (endpoints, i));

      printf ("%s\n", url);
    }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_signalled_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_signalled_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  if (stats_file != NULL)
    {
      g_autoptr (GString) stats = g_string_new ("# endpoint, most connections open at once, connections accepted (all)\n");

      for (guint i = 0; i < endpoints->len; i++)
        {
          const MtcEndpoint *endpoint = g_ptr_array_index (endpoints, i);
          g_autofree char *url = mtc_endpoint_to_url (endpoint);

          g_string_append_printf (stats, "%s %u %u\n", url,
                                  mtc_demo_server_get_max_concurrent (server, endpoint->port),
                                  mtc_demo_server_get_n_accepted (server));
        }
      if (!g_file_set_contents (stats_file, stats->str, -1, &error))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          mtc_demo_server_stop (server);
          return 1;
        }
    }

  mtc_demo_server_stop (server);
  return 0;
}
