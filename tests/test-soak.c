/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>

#include "mtc-prober.h"
#include "mtc-test-util.h"

/* Soak: 500 diagnoses in one process against the loopback demo servers, each
 * with a fresh prober, a well-behaved server reached through a name look-up,
 * and one of the misbehaving cases in turn (every MtcDemoBehaviour on every
 * protocol, names that do not exist, fail or never answer, a closed port).
 * Open file descriptors must come back to where they were after the first
 * diagnosis, every time; resident memory may grow during a warm-up of 100
 * diagnoses (caches, the allocator's arenas), and then by at most
 * RSS_SLACK_KIB until the end.  The figures are printed (TAP comments).
 *
 * Under AddressSanitizer, freed memory sits in a quarantine of up to 256 MiB,
 * so resident memory says nothing about leaks there; the leak checker at
 * exit does, and the descriptor count is checked as always. */

#define N_DIAGNOSES 500
#define WARM_UP 100
#define TIMEOUT_MS 400
#define RSS_SLACK_KIB 2048
#define HOST "mail.soak.test"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  /* Not counting the descriptor of the directory being read. */
  return n - 1;
}

static gsize
resident_kib (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  fields = g_strsplit (statm, " ", -1);
  g_assert_nonnull (fields[1]);
  return g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE) / 1024;
}

/* What the allocator keeps for later is not a leak: give it back first. */
static gsize
measure_kib (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return resident_kib ();
}

/* The bytes malloc() has handed out and not got back, if the C library
 * says (not under AddressSanitizer, whose allocator is its own): with the
 * resident size, it tells a leak from the allocator's fragmentation. */
static char *
describe_allocated (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  if (!UNDER_ASAN)
    return g_strdup_printf (" (%zu KiB allocated)", mallinfo2 ().uordblks / 1024);
#endif
  return g_strdup ("");
}

/* Whether a demo misbehaviour leaves nothing wrong to find on that kind of
 * port: unusual but correct greetings, and misbehaviours of a dialogue the
 * port never has (STARTTLS on an implicit-TLS port, a plaintext greeting on
 * a STARTTLS port, a greeting of the mail protocols on a web server). */
static gboolean
soak_case_is_benign (MtcDemoBehaviour behaviour,
                     MtcProtocol      protocol,
                     MtcSecurity      security)
{
  gboolean implicit = security == MTC_SECURITY_IMPLICIT;
  gboolean web = protocol == MTC_PROTOCOL_HTTPS;

  switch (behaviour)
    {
    case MTC_DEMO_NO_GREETING_CAPABILITY:
    case MTC_DEMO_MULTILINE_GREETING:
      return TRUE;
    case MTC_DEMO_NO_STARTTLS:
    case MTC_DEMO_INJECTION:
      return implicit;
    case MTC_DEMO_PLAINTEXT:
      return !implicit;
    case MTC_DEMO_PREAUTH:
      /* An IMAP greeting: elsewhere the demo greets as usual. */
      return implicit && protocol != MTC_PROTOCOL_IMAP;
    case MTC_DEMO_DIE_MID_DIALOGUE:
      /* Over implicit TLS the only command after the greeting is our farewell. */
      return implicit && !web;
    case MTC_DEMO_LONG_LINE:
      return web;
    default:
      return FALSE;
    }
}

/* Until every server-side connection is closed too (the servers run in
 * this process: their sockets count). */
static void
wait_for_servers (MtcDemoServer *server)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (mtc_demo_server_get_n_open (server) > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (mtc_demo_server_get_n_open (server), ==, 0);
  /* Pending closes and GLib's own clean-up. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_soak (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDemoServer) server = mtc_demo_server_new (&error);
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GPtrArray) normal = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  guint statuses[MTC_N_STATUSES] = { 0 };
  g_autoptr(GArray) benign = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autoptr(GArray) first_status = NULL;
  guint normal_ok = 0, changed = 0;
  guint fds_start = 0;
  gsize rss_start = 0, rss_warm = 0, rss_end = 0;
  gint64 start_us = g_get_monotonic_time ();

  g_assert_no_error (error);
  ca = mtc_demo_server_get_ca (server);
  mtc_demo_server_set_idle_timeout (server, 2000);
  mtc_test_resolver_add (resolver, HOST, "127.0.0.1");
  mtc_test_resolver_add_silent (resolver, "silent.soak.test");
  mtc_test_resolver_add_failure (resolver, "failing.soak.test", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  /* GIO's network monitor, which the prober asks when a name is not found,
   * is one object for the whole process with a socket of its own: made
   * before the count starts, so that the count sees only what a diagnosis
   * leaves behind. */
  g_network_monitor_get_default ();

  for (gsize k = 0; k < G_N_ELEMENTS (mtc_demo_kinds); k++)
    {
      g_autoptr(MtcEndpoint) local = mtc_test_add_service (server, mtc_demo_kinds[k].protocol,
                                                          mtc_demo_kinds[k].security,
                                                          MTC_TLS_1_2, MTC_TLS_1_3, MTC_DEMO_NORMAL);

      g_ptr_array_add (normal, mtc_endpoint_new (local->protocol, local->security, HOST, local->port));
    }
  for (int behaviour = MTC_DEMO_NORMAL + 1; behaviour <= MTC_DEMO_STALL_HANDSHAKE; behaviour++)
    for (gsize k = 0; k < G_N_ELEMENTS (mtc_demo_kinds); k++)
      {
        gboolean fine = soak_case_is_benign (behaviour, mtc_demo_kinds[k].protocol, mtc_demo_kinds[k].security);

        g_array_append_val (benign, fine);
        g_ptr_array_add (cases, mtc_test_add_service (server, mtc_demo_kinds[k].protocol, mtc_demo_kinds[k].security,
                                                    MTC_TLS_1_2, MTC_TLS_1_3, behaviour));
      }
  g_ptr_array_add (cases, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, "nowhere.soak.test", 993));
  g_ptr_array_add (cases, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "silent.soak.test", 587));
  g_ptr_array_add (cases, mtc_endpoint_new (MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, "failing.soak.test", 995));
  g_ptr_array_add (cases, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, "127.0.0.1",
                                            mtc_test_closed_port ()));
  g_array_set_size (benign, cases->len);
  first_status = g_array_new (FALSE, FALSE, sizeof (MtcStatus));

  for (guint i = 0; i < N_DIAGNOSES; i++)
    {
      g_autoptr(MtcProber) prober = mtc_prober_new ();
      g_autoptr(GPtrArray) endpoints = g_ptr_array_new ();
      g_autoptr(MtcDiagnosis) diagnosis = NULL;
      MtcEndpointResult *first, *second;

      mtc_prober_set_timeout (prober, TIMEOUT_MS);
      mtc_prober_set_trust_anchor (prober, ca);
      mtc_prober_set_resolver (prober, G_RESOLVER (resolver));
      g_ptr_array_add (endpoints, g_ptr_array_index (normal, i % normal->len));
      g_ptr_array_add (endpoints, g_ptr_array_index (cases, i % cases->len));

      diagnosis = mtc_test_run_prober (prober, endpoints, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (diagnosis->results->len, ==, 2);
      first = g_ptr_array_index (diagnosis->results, 0);
      second = g_ptr_array_index (diagnosis->results, 1);
      normal_ok += first->status == MTC_STATUS_OK;
      statuses[second->status]++;
      /* A misbehaving server is never "ok", a benign one always is; and a
       * case gives the same status every time it comes round. */
      if (g_array_index (benign, gboolean, i % cases->len))
        g_assert_cmpstr (mtc_status_to_string (second->status), ==, "ok");
      else
        {
          if (second->status == MTC_STATUS_OK)
            {
              g_autofree char *url = mtc_endpoint_to_url (second->endpoint);
              g_test_message ("case %u (%s) reported ok", i % cases->len, url);
            }
          g_assert_cmpstr (mtc_status_to_string (second->status), !=, "ok");
          g_assert_nonnull (second->detail);
        }
      if (i < cases->len)
        g_array_append_val (first_status, second->status);
      else if (g_array_index (first_status, MtcStatus, i % cases->len) != second->status)
        {
          g_test_message ("case %u: %s, first %s", i % cases->len, mtc_status_to_string (second->status),
                          mtc_status_to_string (g_array_index (first_status, MtcStatus, i % cases->len)));
          changed++;
        }
      g_clear_pointer (&diagnosis, mtc_diagnosis_unref);
      g_clear_object (&prober);
      wait_for_servers (server);

      if (i == 0)
        {
          g_autofree char *allocated = NULL;

          fds_start = count_open_fds ();
          rss_start = measure_kib ();
          allocated = describe_allocated ();
          g_test_message ("after diagnosis 1: %u open descriptors, %" G_GSIZE_FORMAT " KiB resident%s", fds_start,
                          rss_start, allocated);
        }
      else if ((i + 1) % WARM_UP == 0)
        {
          guint fds = count_open_fds ();
          gsize rss = measure_kib ();
          g_autofree char *allocated = describe_allocated ();

          g_test_message ("after diagnosis %u: %u open descriptors, %" G_GSIZE_FORMAT " KiB resident%s, %"
                          G_GINT64_FORMAT " s", i + 1, fds, rss, allocated,
                          (g_get_monotonic_time () - start_us) / G_USEC_PER_SEC);
          g_assert_cmpuint (fds, ==, fds_start);
          if (i + 1 == WARM_UP)
            rss_warm = rss;
          rss_end = rss;
        }
    }

  g_test_message ("well-behaved server ok in %u of %u diagnoses", normal_ok, N_DIAGNOSES);
  for (int s = 0; s < MTC_N_STATUSES; s++)
    if (statuses[s] > 0)
      g_test_message ("misbehaving case %s: %u", mtc_status_to_string (s), statuses[s]);
  g_test_message ("resident memory: %" G_GSIZE_FORMAT " KiB after 1, %" G_GSIZE_FORMAT " KiB after %d, %"
                  G_GSIZE_FORMAT " KiB after %d (growth after the warm-up: %" G_GSSIZE_FORMAT " KiB)",
                  rss_start, rss_warm, WARM_UP, rss_end, N_DIAGNOSES, (gssize) rss_end - (gssize) rss_warm);

  /* Every status a misbehaving server can cause was seen, and the
   * well-behaved server stayed fine (a little slack for a loaded machine). */
  g_assert_cmpuint (statuses[MTC_STATUS_TIMEOUT], >, 0);
  g_assert_cmpuint (statuses[MTC_STATUS_DNS_ERROR], >, 0);
  g_assert_cmpuint (statuses[MTC_STATUS_INJECTION], >, 0);
  g_assert_cmpuint (statuses[MTC_STATUS_TLS_ERROR], >, 0);
  g_assert_cmpuint (normal_ok, >=, N_DIAGNOSES * 95 / 100);
  g_assert_cmpuint (changed, <=, N_DIAGNOSES * 2 / 100);
  if (UNDER_ASAN)
    g_test_message ("AddressSanitizer: resident memory not checked (its quarantine holds freed memory)");
  else
    g_assert_cmpint ((gssize) rss_end - (gssize) rss_warm, <=, RSS_SLACK_KIB);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mtc/soak/500-diagnoses", test_soak);
  return g_test_run ();
}
