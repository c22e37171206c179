/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mtc-prober.h"
#include "mtc-test-util.h"

/* Faults: servers that die in the middle of the dialogue, of a reply or of
 * the TLS handshake, or reset the connection; DNS that fails, answers
 * nothing or never answers; peers that stop reading; a wall clock that
 * jumps.  Each ends in a clear status with a detail, and within a bounded
 * time (generous: this is about hangs, not speed).
 *
 * The servers that the demo servers cannot imitate are scripted here: each
 * connection runs the same few steps (send, read a line, read anything,
 * close, reset, stall). */

#define TIMEOUT_MS 1000
/* All connections wait together and no probe waits again for a server that
 * let one deadline pass: a diagnosis takes at most one deadline and a bit,
 * whatever went wrong; one that waited for a deadline took at least most of it. */
#define BOUND_MS (13 * TIMEOUT_MS / 10)
#define LOWER_BOUND_MS (9 * TIMEOUT_MS / 10)

#define V12 MTC_TLS_1_2
#define V13 MTC_TLS_1_3

/* ------------------------------------------------------------ scripted servers */

typedef enum {
  STEP_SEND,        /* write TEXT */
  STEP_READ_LINE,   /* read until a line end */
  STEP_READ_ANY,    /* read at least one byte (a ClientHello, say) */
  STEP_CLOSE,       /* close politely (FIN) */
  STEP_RESET,       /* close with a reset (RST) */
  STEP_STALL,       /* keep the connection open, read nothing, say nothing */
  STEP_END,
} StepKind;

typedef struct {
  StepKind kind;
  const char *text;
  gsize length;     /* of TEXT; 0: strlen */
} Step;

typedef struct {
  GSocketService *service;
  const Step *steps;
  GPtrArray *connections;   /* of ScriptConnection, owned */
  guint16 port;
} ScriptServer;

typedef struct {
  ScriptServer *server;
  GSocketConnection *connection;
  GCancellable *cancellable;
  guint step;
  guint8 buffer[4096];
} ScriptConnection;

static void run_step (ScriptConnection *conn);

static void
script_connection_free (ScriptConnection *conn)
{
  g_cancellable_cancel (conn->cancellable);
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  g_object_unref (conn->connection);
  g_object_unref (conn->cancellable);
  g_free (conn);
}

static void
script_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ScriptConnection *conn = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    return;
  conn->step++;
  run_step (conn);
}

static void
script_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ScriptConnection *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    return;
  if (conn->server->steps[conn->step].kind == STEP_READ_LINE && memchr (conn->buffer, '\n', n) == NULL)
    {
      run_step (conn);
      return;
    }
  conn->step++;
  run_step (conn);
}

static void
run_step (ScriptConnection *conn)
{
  const Step *step = &conn->server->steps[conn->step];
  GSocket *socket = g_socket_connection_get_socket (conn->connection);

  switch (step->kind)
    {
    case STEP_SEND:
      g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (conn->connection)), step->text,
                                       step->length ? step->length : strlen (step->text), G_PRIORITY_DEFAULT,
                                       conn->cancellable, script_written_cb, conn);
      break;
    case STEP_READ_LINE:
    case STEP_READ_ANY:
      g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (conn->connection)), conn->buffer,
                                 sizeof conn->buffer, G_PRIORITY_DEFAULT, conn->cancellable, script_read_cb, conn);
      break;
    case STEP_RESET:
      {
        struct linger linger = { 1, 0 };

        g_assert_true (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger) == 0);
      }
      G_GNUC_FALLTHROUGH;
    case STEP_CLOSE:
      g_socket_close (socket, NULL);
      break;
    case STEP_STALL:
    case STEP_END:
    default:
      break;
    }
}

static gboolean
script_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    gpointer           user_data)
{
  ScriptServer *server = user_data;
  ScriptConnection *conn = g_new0 (ScriptConnection, 1);

  conn->server = server;
  conn->connection = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  g_ptr_array_add (server->connections, conn);
  run_step (conn);
  return TRUE;
}

/* A server on 127.0.0.1 that runs STEPS on every connection; RCVBUF > 0
 * sets the receive buffer of its connections (the kernel's minimum is a few
 * KiB). */
static ScriptServer *
script_server_new (const Step *steps,
                   int         rcvbuf)
{
  ScriptServer *server = g_new0 (ScriptServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                            &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  /* Set before listen(): accepted sockets inherit it. */
  if (rcvbuf > 0)
    g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error));
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_socket_set_listen_backlog (socket, 64);
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  server->steps = steps;
  server->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) script_connection_free);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_socket (G_SOCKET_LISTENER (server->service), socket, NULL, &error));
  g_signal_connect (server->service, "incoming", G_CALLBACK (script_incoming_cb), server);
  g_socket_service_start (server->service);
  return server;
}

static void
script_server_free (ScriptServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_signal_handlers_disconnect_by_data (server->service, server);
  g_object_unref (server->service);
  g_ptr_array_unref (server->connections);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScriptServer, script_server_free)

/* ------------------------------------------------------------ an empty resolver */

/* A name service that answers with nothing at all: no address, and no error
 * either.  GLib's own resolver never does; another GResolver might. */
#define TYPE_EMPTY_RESOLVER (empty_resolver_get_type ())
G_DECLARE_FINAL_TYPE (EmptyResolver, empty_resolver, EMPTY, RESOLVER, GResolver)

struct _EmptyResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (EmptyResolver, empty_resolver, G_TYPE_RESOLVER)

static void
empty_resolver_lookup_by_name_async (GResolver           *resolver,
                                     const char          *hostname,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_pointer (task, NULL, NULL);
}

static GList *
empty_resolver_lookup_by_name_finish (GResolver    *resolver,
                                      GAsyncResult *result,
                                      GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
empty_resolver_class_init (EmptyResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name_async = empty_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = empty_resolver_lookup_by_name_finish;
}

static void
empty_resolver_init (EmptyResolver *self)
{
}

/* ------------------------------------------------------------ fixture */

typedef struct {
  MtcDemoServer *server;
  MtcProber *prober;
  GPtrArray *endpoints;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;

  fixture->server = mtc_demo_server_new (&error);
  g_assert_no_error (error);
  fixture->prober = mtc_prober_new ();
  ca = mtc_demo_server_get_ca (fixture->server);
  mtc_prober_set_trust_anchor (fixture->prober, ca);
  mtc_prober_set_timeout (fixture->prober, TIMEOUT_MS);
  fixture->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mtc_demo_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->prober);
  g_ptr_array_unref (fixture->endpoints);
}

/* Runs the prober on the fixture's endpoints, asserting a bounded time and,
 * for every result, a status and the words that go with it. */
static MtcDiagnosis *
run (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  MtcDiagnosis *diagnosis = mtc_test_run_prober (fixture->prober, fixture->endpoints, NULL, &error);
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  g_assert_cmpuint (diagnosis->results->len, ==, fixture->endpoints->len);
  g_test_message ("%u endpoints in %" G_GINT64_FORMAT " ms", fixture->endpoints->len, elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, BOUND_MS);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);
      g_autofree char *url = mtc_endpoint_to_url (result->endpoint);

      g_test_message ("%s: %s — %s", url, mtc_status_to_string (result->status), result->detail);
      g_assert_cmpint (result->status, >=, MTC_STATUS_OK);
      g_assert_cmpint (result->status, <, MTC_N_STATUSES);
      if (result->status != MTC_STATUS_OK)
        {
          g_assert_nonnull (result->detail);
          g_assert_true (g_utf8_validate (result->detail, -1, NULL));
          g_assert_false (mtc_endpoint_result_any_accepted (result));
        }
    }
  return diagnosis;
}

static MtcStatus
status_of (MtcDiagnosis *diagnosis,
           guint         index)
{
  return ((MtcEndpointResult *) g_ptr_array_index (diagnosis->results, index))->status;
}

static const char *
detail_of (MtcDiagnosis *diagnosis,
           guint         index)
{
  return ((MtcEndpointResult *) g_ptr_array_index (diagnosis->results, index))->detail;
}

/* ------------------------------------------------------------ servers that die */

/* The demo servers' mode: greets, then closes when the first command
 * arrives (STARTTLS ports: the dialogue is where it happens). */
static void
test_die_mid_dialogue (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (mtc_demo_kinds); i++)
    if (mtc_demo_kinds[i].security == MTC_SECURITY_STARTTLS)
      g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, mtc_demo_kinds[i].protocol,
                                                                 mtc_demo_kinds[i].security, V12, V13,
                                                                 MTC_DEMO_DIE_MID_DIALOGUE));
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, i)), ==, "busy");
      g_assert_nonnull (strstr (detail_of (diagnosis, i), "hung up"));
    }
}

/* Closes as soon as the ClientHello arrives, on every kind of port. */
static void
test_die_mid_handshake (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (mtc_demo_kinds); i++)
    g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, mtc_demo_kinds[i].protocol,
                                                               mtc_demo_kinds[i].security, V12, V13,
                                                               MTC_DEMO_DIE_MID_HANDSHAKE));
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, i)), ==, "tls-error");
}

/* Scripted deaths the demo servers do not have: in the middle of a
 * multi-line greeting, with a reset after the EHLO, and inside a TLS record
 * (a record header that announces more than ever comes). */
static const Step die_mid_reply[] = {
  { STEP_SEND, "220-mail.example.test ESMTP\r\n220-still greeting\r\n220" }, { STEP_CLOSE }, { STEP_END },
};
static const Step reset_after_ehlo[] = {
  { STEP_SEND, "220 mail.example.test ESMTP\r\n" }, { STEP_READ_LINE }, { STEP_RESET }, { STEP_END },
};
static const Step reset_at_once[] = {
  { STEP_RESET }, { STEP_END },
};
/* A handshake record of 0x4000 bytes, of which eleven come. */
static const Step die_mid_record[] = {
  { STEP_READ_ANY }, { STEP_SEND, "\x16\x03\x03\x40\x00\x02\x00\x00\x46\x03\x03", 11 }, { STEP_CLOSE }, { STEP_END },
};
static const Step die_mid_record_after_starttls[] = {
  { STEP_SEND, "220 mail.example.test ESMTP\r\n" }, { STEP_READ_LINE },
  { STEP_SEND, "250-mail.example.test\r\n250 STARTTLS\r\n" }, { STEP_READ_LINE },
  { STEP_SEND, "220 2.0.0 Ready to start TLS\r\n" }, { STEP_READ_ANY },
  { STEP_SEND, "\x16\x03\x03\x40\x00\x02\x00\x00\x46\x03\x03", 11 }, { STEP_CLOSE }, { STEP_END },
};

static void
test_scripted_deaths (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ScriptServer) mid_reply = script_server_new (die_mid_reply, 0);
  g_autoptr(ScriptServer) after_ehlo = script_server_new (reset_after_ehlo, 0);
  g_autoptr(ScriptServer) at_once = script_server_new (reset_at_once, 0);
  g_autoptr(ScriptServer) mid_record = script_server_new (die_mid_record, 0);
  g_autoptr(ScriptServer) mid_record_starttls = script_server_new (die_mid_record_after_starttls, 0);
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         mid_reply->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         after_ehlo->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         at_once->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, "127.0.0.1",
                                                         at_once->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, "127.0.0.1",
                                                         mid_record->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         mid_record_starttls->port));
  diagnosis = run (fixture);
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 0)), ==, "busy");
  g_assert_nonnull (strstr (detail_of (diagnosis, 0), "middle of a reply"));
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 1)), ==, "busy");
  /* A reset before any greeting is a server that turns connections away. */
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 2)), ==, "refused");
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 3)), ==, "tls-error");
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 4)), ==, "tls-error");
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 5)), ==, "tls-error");
}

/* ------------------------------------------------------------ DNS */

static void
test_dns_fails (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MtcTestResolver) resolver = mtc_test_resolver_new ();
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  mtc_test_resolver_add_silent (resolver, "silent.faults.test");
  mtc_test_resolver_add_failure (resolver, "failing.faults.test", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  mtc_test_resolver_add_failure (resolver, "broken.faults.test", G_RESOLVER_ERROR_INTERNAL);
  mtc_prober_set_resolver (fixture->prober, G_RESOLVER (resolver));

  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS,
                                                         "nowhere.faults.test", 587));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT,
                                                         "silent.faults.test", 993));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT,
                                                         "failing.faults.test", 995));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT,
                                                         "broken.faults.test", 443));
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, i)), ==, "dns-error");
  g_assert_nonnull (strstr (detail_of (diagnosis, 0), "does not exist"));
  g_assert_nonnull (strstr (detail_of (diagnosis, 1), "no answer"));
  /* The silent name service ended with the deadline, not long after. */
  g_assert_cmpint (diagnosis->elapsed_ms, >=, LOWER_BOUND_MS);
  g_assert_nonnull (strstr (detail_of (diagnosis, 2), "could not be looked up"));
  g_assert_nonnull (strstr (detail_of (diagnosis, 3), "could not be looked up"));
}

static void
test_dns_empty_answer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GResolver) resolver = g_object_new (TYPE_EMPTY_RESOLVER, NULL);
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  mtc_prober_set_resolver (fixture->prober, resolver);
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT,
                                                         "empty.faults.test", 465));
  diagnosis = run (fixture);
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 0)), ==, "dns-error");
}

/* ------------------------------------------------------------ peers that stop reading */

/* Greets, then reads nothing and answers nothing: our EHLO (or CAPA, or
 * the IMAP STARTTLS) goes unread. */
static const Step greet_then_deaf_smtp[] = {
  { STEP_SEND, "220 mail.example.test ESMTP\r\n" }, { STEP_STALL }, { STEP_END },
};
static const Step greet_then_deaf_imap[] = {
  { STEP_SEND, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n" }, { STEP_STALL }, { STEP_END },
};
/* Reads the EHLO, answers, and stops reading before STARTTLS. */
static const Step deaf_before_starttls[] = {
  { STEP_SEND, "220 mail.example.test ESMTP\r\n" }, { STEP_READ_LINE },
  { STEP_SEND, "250-mail.example.test\r\n250 STARTTLS\r\n" }, { STEP_STALL }, { STEP_END },
};
/* Says STARTTLS is fine and then never reads the ClientHello. */
static const Step deaf_after_starttls[] = {
  { STEP_SEND, "+OK ready\r\n" }, { STEP_READ_LINE }, { STEP_SEND, "+OK\r\nSTLS\r\n.\r\n" }, { STEP_READ_LINE },
  { STEP_SEND, "+OK begin TLS\r\n" }, { STEP_STALL }, { STEP_END },
};
/* Never reads at all (with the smallest receive buffer the kernel allows,
 * where the ClientHello may not even fit). */
static const Step deaf[] = {
  { STEP_STALL }, { STEP_END },
};

static void
test_stops_reading (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ScriptServer) smtp = script_server_new (greet_then_deaf_smtp, 0);
  g_autoptr(ScriptServer) imap = script_server_new (greet_then_deaf_imap, 0);
  g_autoptr(ScriptServer) before = script_server_new (deaf_before_starttls, 0);
  g_autoptr(ScriptServer) after = script_server_new (deaf_after_starttls, 0);
  g_autoptr(ScriptServer) tiny = script_server_new (deaf, 1);
  g_autoptr(ScriptServer) tiny_https = script_server_new (deaf, 1);
  g_autoptr(MtcDiagnosis) diagnosis = NULL;

  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         smtp->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         imap->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         before->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, "127.0.0.1",
                                                         after->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, "127.0.0.1",
                                                         tiny->port));
  g_ptr_array_add (fixture->endpoints, mtc_endpoint_new (MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, "127.0.0.1",
                                                         tiny_https->port));
  diagnosis = run (fixture);
  for (guint i = 0; i < diagnosis->results->len; i++)
    g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, i)), ==, "timeout");
  g_assert_nonnull (strstr (detail_of (diagnosis, 0), "stopped answering"));
  g_assert_cmpint (diagnosis->elapsed_ms, >=, LOWER_BOUND_MS);
}

/* ------------------------------------------------------------ a jumping clock */

/* Deadlines run on the monotonic clock (g_timeout_source_new(), and
 * g_get_monotonic_time() for the elapsed times), so that a wall clock that
 * jumps — a user setting the date, an NTP step, a virtual machine resumed —
 * neither fires them early nor holds them back.  The test runs a diagnosis
 * in a child process under libfaketime, whose wall clock jumps forward by
 * days and back by hours while the probes wait for silent servers: the
 * statuses and the time taken are those of a steady clock.  (The jumps stay
 * within the demo certificate's validity, so that the certificates pass;
 * a wall clock far off is the verdict's "clock-wrong", tested there.) */

#define CLOCK_CHILD_ENV "MTC_FAULTS_CLOCK_FILE"

static char *
find_libfaketime (void)
{
  static const char * const dirs[] = { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                                       "/usr/lib/i386-linux-gnu", "/usr/lib64", "/usr/lib" };
  const char *override = g_getenv ("MTC_LIBFAKETIME");

  if (override != NULL)
    return g_file_test (override, G_FILE_TEST_EXISTS) ? g_strdup (override) : NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "faketime", "libfaketimeMT.so.1", NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return NULL;
}

typedef struct {
  const char *path;
  const char *spec;
} ClockJump;

static gboolean
jump_clock_cb (gpointer user_data)
{
  ClockJump *jump = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (jump->path, jump->spec, -1, &error));
  return G_SOURCE_REMOVE;
}

/* In the child: the clock file names the jumps. */
static void
test_clock_child (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *path = g_getenv (CLOCK_CHILD_ENV);
  static ClockJump jumps[] = { { NULL, "+3d" }, { NULL, "-2h" }, { NULL, "+1d" } };
  g_autoptr(MtcDiagnosis) diagnosis = NULL;
  gint64 real_start = g_get_real_time ();
  gint64 monotonic_start = g_get_monotonic_time ();
  gint64 skew_s;

  /* Whatever the clock does, this process does not hang. */
  alarm (60);
  for (gsize i = 0; i < G_N_ELEMENTS (jumps); i++)
    {
      jumps[i].path = path;
      g_timeout_add (150 + 250 * i, jump_clock_cb, &jumps[i]);
    }
  /* Two well-behaved servers, two silent ones (at the greeting and in the
   * handshake): they wait for the deadline while the clock jumps. */
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP,
                                                             MTC_SECURITY_STARTTLS, V12, V13, MTC_DEMO_NORMAL));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_IMAP,
                                                             MTC_SECURITY_IMPLICIT, V12, V13, MTC_DEMO_NORMAL));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_SMTP,
                                                             MTC_SECURITY_STARTTLS, V12, V13, MTC_DEMO_SILENT));
  g_ptr_array_add (fixture->endpoints, mtc_test_add_service (fixture->server, MTC_PROTOCOL_POP3,
                                                             MTC_SECURITY_IMPLICIT, V12, V13,
                                                             MTC_DEMO_STALL_HANDSHAKE));
  diagnosis = run (fixture);
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 0)), ==, "ok");
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 1)), ==, "ok");
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 2)), ==, "timeout");
  g_assert_cmpstr (mtc_status_to_string (status_of (diagnosis, 3)), ==, "timeout");
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (((MtcEndpointResult *) g_ptr_array_index (diagnosis->results, i))->certificate->errors, ==, 0);
  /* The silent ones waited one timeout by the steady clock. */
  g_assert_cmpint (((MtcEndpointResult *) g_ptr_array_index (diagnosis->results, 2))->elapsed_ms, >=,
                   TIMEOUT_MS - 50);
  g_assert_cmpint (diagnosis->elapsed_ms, <, BOUND_MS);

  /* The wall clock did jump (a day ahead by now): faketime was at work. */
  skew_s = ((g_get_real_time () - real_start) - (g_get_monotonic_time () - monotonic_start)) / G_USEC_PER_SEC;
  g_test_message ("wall clock ahead of the steady clock by %" G_GINT64_FORMAT " s", skew_s);
  g_assert_cmpint (skew_s, >, 20 * 60 * 60);
}

static char *self_path;

static void
test_clock_jump (void)
{
  g_autofree char *libfaketime = find_libfaketime ();
  g_autofree char *dir = NULL;
  g_autofree char *clock_file = NULL;
  g_autofree char *asan = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();

  if (libfaketime == NULL)
    {
      g_test_skip ("libfaketime is not installed (Debian: faketime); without it, see the comment above "
                   "test_clock_child()");
      return;
    }
  dir = g_dir_make_tmp ("mtc-faults-XXXXXX", &error);
  g_assert_no_error (error);
  clock_file = g_build_filename (dir, "clock", NULL);
  g_assert_true (g_file_set_contents (clock_file, "+0", -1, &error));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", libfaketime, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_TIMESTAMP_FILE", clock_file, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_NO_CACHE", "1", TRUE);
  /* Only the wall clock: the monotonic clock never jumps. */
  g_subprocess_launcher_setenv (launcher, "FAKETIME_DONT_FAKE_MONOTONIC", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, CLOCK_CHILD_ENV, clock_file, TRUE);
  /* AddressSanitizer wants to be the first library; libfaketime is. */
  asan = g_strconcat (g_getenv ("ASAN_OPTIONS") ? g_getenv ("ASAN_OPTIONS") : "",
                      g_getenv ("ASAN_OPTIONS") ? ":" : "", "verify_asan_link_order=0", NULL);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "-p", "/mtc/faults/clock-jump-child", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("child:\n%s", out);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  /* It really ran the test, and did not skip it. */
  g_assert_nonnull (strstr (out, "ok 1 /mtc/faults/clock-jump-child"));
  g_assert_null (strstr (out, "# SKIP"));
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 30000);

  g_unlink (clock_file);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mtc/faults/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("die-mid-dialogue", test_die_mid_dialogue);
  ADD ("die-mid-handshake", test_die_mid_handshake);
  ADD ("scripted-deaths", test_scripted_deaths);
  ADD ("dns-fails", test_dns_fails);
  ADD ("dns-empty-answer", test_dns_empty_answer);
  ADD ("stops-reading", test_stops_reading);
  /* Only in the child that /mtc/faults/clock-jump starts. */
  if (g_getenv (CLOCK_CHILD_ENV) != NULL)
    ADD ("clock-jump-child", test_clock_child);
#undef ADD
  g_test_add_func ("/mtc/faults/clock-jump", test_clock_jump);
  return g_test_run ();
}
