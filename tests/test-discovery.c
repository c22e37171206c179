/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Discovery against loopback web servers and a test resolver.  Longer than
 * 800 lines because every source (autoconfig, ISPDB, SRV, MX, common names)
 * and the race over them share one fixture: the web servers, their
 * certificate, the routes and the requests they saw. */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "mtc-discovery.h"
#include "mtc-target.h"
#include "mtc-test-util.h"

/* What the loopback web server answers for one host and path. */
typedef enum {
  SERVE_VALID,
  SERVE_VALID_OTHER,        /* a second valid file, to tell which one won */
  SERVE_TEXT_PLAIN,
  SERVE_MALFORMED,
  SERVE_HUGE,               /* 10 MiB, announced by Content-Length */
  SERVE_HUGE_CHUNKED,       /* 10 MiB, chunked, no length given */
  SERVE_ENTITY_BOMB,
  SERVE_HTML,
  SERVE_REDIRECT_LOOP,
  SERVE_REDIRECT_MOVED,     /* 301 to /moved, which serves VALID */
  SERVE_REDIRECT_TO_HTTP,   /* to the same file over http */
  SERVE_SLOW,               /* never answers */
  SERVE_NO_SERVERS,
  SERVE_NOTHING,            /* no route: 404 */
} Serve;

typedef struct {
  MtcTestResolver *resolver;
  GResolver *saved_default;
  SoupServer *http;
  SoupServer *https;
  guint16 http_port;
  guint16 https_port;
  GHashTable *routes;       /* "host path" → Serve */
  GPtrArray *requests;      /* "scheme host path?query" of every request */
  GPtrArray *paused;        /* SoupServerMessage */
  GTlsDatabase *database;   /* trusts the https server's certificate */
  MtcDiscovery *discovery;
  char *tmp_ca;
} Fixture;

#define DOMAIN "example.test"
#define AUTOCONFIG_HOST "autoconfig." DOMAIN
#define AUTOCONFIG_PATH "/mail/config-v1.1.xml"
#define WELL_KNOWN_PATH "/.well-known/autoconfig/mail/config-v1.1.xml"
/* The loopback stand-in of Thunderbird's provider database (ISPDB). */
#define ISPDB_HOST "ispdb.example.test"
#define ISPDB_PATH "/v1.1/"
/* The deadline of the tests about deadlines; the others allow a long one,
 * so that a slow run (valgrind) does not turn a success into a timeout. */
#define TIMEOUT_MS 600
#define LONG_TIMEOUT_MS 20000

static const char valid_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<clientConfig version=\"1.1\">\n"
  "  <emailProvider id=\"example.test\">\n"
  "    <domain>example.test</domain>\n"
  "    <displayName>Example Mail</displayName>\n"
  "    <incomingServer type=\"imap\">\n"
  "      <hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>\n"
  "      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>\n"
  "    </incomingServer>\n"
  "    <incomingServer type=\"pop3\">\n"
  "      <hostname><![CDATA[pop.example.test]]></hostname><port>110</port><socketType>plain</socketType>\n"
  "    </incomingServer>\n"
  "    <incomingServer type=\"exchange\"><hostname>ews.example.test</hostname><port>443</port>"
  "<socketType>SSL</socketType></incomingServer>\n"
  "    <outgoingServer type=\"smtp\">\n"
  "      <hostname>smtp.example.test</hostname><port>587</port><socketType>STARTTLS</socketType>\n"
  "    </outgoingServer>\n"
  "    <outgoingServer type=\"smtp\">\n"
  "      <hostname>smtp.example.test</hostname><port>99999</port><socketType>SSL</socketType>\n"
  "    </outgoingServer>\n"
  "  </emailProvider>\n"
  "  <webMail><loginPage url=\"https://webmail.example.test/\"/></webMail>\n"
  "</clientConfig>\n";

static const char other_xml[] =
  "<clientConfig><emailProvider id=\"x\"><incomingServer type=\"imap\"><hostname>other.example.test</hostname>"
  "<port>143</port><socketType>STARTTLS</socketType></incomingServer></emailProvider></clientConfig>";

static const char entity_bomb[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE lolz [\n"
  " <!ENTITY lol \"lol\">\n"
  " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
  " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
  " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
  " <!ENTITY lol9 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
  "]>\n"
  "<clientConfig><emailProvider><displayName>&lol9;</displayName><incomingServer type=\"imap\">"
  "<hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType></incomingServer>"
  "</emailProvider></clientConfig>\n";

/* ------------------------------------------------------------ certificates */

/* A self-signed certificate for NAMES, trusted as its own anchor. */
static GTlsCertificate *
make_certificate (const char *const *names,
                  char              **out_pem)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  unsigned char serial[8];
  time_t now = time (NULL);
  gnutls_datum_t cert_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  g_autofree char *both = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = (unsigned char) g_random_int_range (1, 256);
  serial[0] &= 0x7f;
  g_assert_cmpint (gnutls_x509_crt_set_version (crt, 3), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_activation_time (crt, now - 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_expiration_time (crt, now + 24 * 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_dn (crt, "CN=Discovery Test,O=Mail TLS Check", NULL), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, key), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_basic_constraints (crt, 1, -1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN),
                   ==, 0);
  for (int i = 0; names[i] != NULL; i++)
    g_assert_cmpint (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, names[i], strlen (names[i]),
                                                           GNUTLS_FSAN_APPEND), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem), ==, 0);

  *out_pem = g_strndup ((const char *) cert_pem.data, cert_pem.size);
  both = g_strdup_printf ("%.*s%.*s", (int) cert_pem.size, cert_pem.data, (int) key_pem.size, key_pem.data);
  gnutls_free (cert_pem.data);
  gnutls_free (key_pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);

  certificate = g_tls_certificate_new_from_pem (both, -1, &error);
  g_assert_no_error (error);
  return certificate;
}

/* ------------------------------------------------------------ the web server */

static char *
route_key (const char *host,
           const char *path)
{
  return g_strdup_printf ("%s %s", host, path);
}

static void
add_route (Fixture    *fixture,
           const char *host,
           const char *path,
           Serve       serve)
{
  g_hash_table_insert (fixture->routes, route_key (host, path), GINT_TO_POINTER (serve + 1));
}

static void
respond (SoupServerMessage *msg,
         const char        *content_type,
         const char        *body,
         gsize              length)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, length);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autofree char *key = route_key (g_uri_get_host (uri), path);
  gpointer found = g_hash_table_lookup (fixture->routes, key);
  gboolean https = server == fixture->https;

  g_ptr_array_add (fixture->requests, g_strdup_printf ("%s %s %s?%s", https ? "https" : "http",
                                                       g_uri_get_host (uri), path,
                                                       g_uri_get_query (uri) ? g_uri_get_query (uri) : ""));
  if (found == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  switch ((Serve) (GPOINTER_TO_INT (found) - 1))
    {
    case SERVE_VALID:
      respond (msg, "application/xml", valid_xml, strlen (valid_xml));
      break;
    case SERVE_VALID_OTHER:
      respond (msg, "text/xml", other_xml, strlen (other_xml));
      break;
    case SERVE_TEXT_PLAIN:
      respond (msg, "text/plain", valid_xml, strlen (valid_xml));
      break;
    case SERVE_MALFORMED:
      respond (msg, "text/xml", "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>x</port>", 70);
      break;
    case SERVE_HUGE:
    case SERVE_HUGE_CHUNKED:
      {
        g_autoptr(GString) huge = g_string_new ("<clientConfig><emailProvider><displayName>");
        SoupMessageBody *body = soup_server_message_get_response_body (msg);

        while (huge->len < 10 * 1024 * 1024)
          g_string_append (huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_message_headers_set_content_type (response_headers, "text/xml", NULL);
        if (GPOINTER_TO_INT (found) - 1 == SERVE_HUGE_CHUNKED)
          soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
        soup_message_body_append (body, SOUP_MEMORY_COPY, huge->str, huge->len);
        soup_message_body_complete (body);
      }
      break;
    case SERVE_ENTITY_BOMB:
      respond (msg, "text/xml", entity_bomb, strlen (entity_bomb));
      break;
    case SERVE_HTML:
      respond (msg, "text/html", valid_xml, strlen (valid_xml));
      break;
    case SERVE_REDIRECT_LOOP:
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
      soup_message_headers_replace (response_headers, "Location", path);
      break;
    case SERVE_REDIRECT_MOVED:
      soup_server_message_set_status (msg, SOUP_STATUS_MOVED_PERMANENTLY, NULL);
      soup_message_headers_replace (response_headers, "Location", "/moved");
      break;
    case SERVE_REDIRECT_TO_HTTP:
      {
        g_autofree char *target = g_strdup_printf ("http://%s:%u%s", g_uri_get_host (uri), fixture->http_port, path);

        soup_server_message_set_status (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL);
        soup_message_headers_replace (response_headers, "Location", target);
      }
      break;
    case SERVE_SLOW:
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
      break;
    case SERVE_NO_SERVERS:
      respond (msg, "text/xml", "<clientConfig><emailProvider/></clientConfig>", 45);
      break;
    default:
      g_assert_not_reached ();
    }
}

static guint16
listen_on_loopback (SoupServer *server,
                    gboolean    https)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint16 port;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | (https ? SOUP_SERVER_LISTEN_HTTPS : 0), &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

/* The ISPDB stand-in is on the https server (never the real one). */
static void
set_ispdb_port (Fixture *fixture)
{
  g_autofree char *url = g_strdup_printf ("https://" ISPDB_HOST ":%u" ISPDB_PATH, fixture->https_port);

  mtc_discovery_set_ispdb_url (fixture->discovery, url);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->resolver = mtc_test_resolver_new ();
  fixture->saved_default = g_resolver_get_default ();
  /* libsoup resolves through the default resolver. */
  g_resolver_set_default (G_RESOLVER (fixture->resolver));
  fixture->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->requests = g_ptr_array_new_with_free_func (g_free);
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->http = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->http, NULL, server_cb, fixture, NULL);
  fixture->http_port = listen_on_loopback (fixture->http, FALSE);

  fixture->discovery = mtc_discovery_new ();
  mtc_discovery_set_resolver (fixture->discovery, G_RESOLVER (fixture->resolver));
  mtc_discovery_set_timeout (fixture->discovery, LONG_TIMEOUT_MS);
  /* No https server unless a test starts one: a closed port refuses at once. */
  fixture->https_port = mtc_test_closed_port ();
  mtc_discovery_set_autoconfig_ports (fixture->discovery, fixture->https_port, fixture->http_port);
  set_ispdb_port (fixture);
}

static void
start_https (Fixture *fixture)
{
  static const char *const names[] = { AUTOCONFIG_HOST, DOMAIN, ISPDB_HOST, NULL };
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  certificate = make_certificate (names, &pem);
  fixture->https = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (fixture->https, NULL, server_cb, fixture, NULL);
  fixture->https_port = listen_on_loopback (fixture->https, TRUE);
  mtc_discovery_set_autoconfig_ports (fixture->discovery, fixture->https_port, fixture->http_port);
  set_ispdb_port (fixture);

  fd = g_file_open_tmp ("mtc-ca-XXXXXX.pem", &fixture->tmp_ca, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (fixture->tmp_ca, pem, -1, NULL));
  fixture->database = g_tls_file_database_new (fixture->tmp_ca, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < fixture->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (fixture->paused, i);

      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (msg);
    }
  /* Let the client side close its connections before the servers go. */
  g_clear_object (&fixture->discovery);
  mtc_test_iterate (100);
  soup_server_disconnect (fixture->http);
  g_clear_object (&fixture->http);
  if (fixture->https != NULL)
    soup_server_disconnect (fixture->https);
  g_clear_object (&fixture->https);
  g_clear_object (&fixture->database);
  if (fixture->tmp_ca != NULL)
    g_unlink (fixture->tmp_ca);
  g_free (fixture->tmp_ca);
  mtc_test_iterate (20);
  g_resolver_set_default (fixture->saved_default);
  g_clear_object (&fixture->saved_default);
  g_clear_object (&fixture->resolver);
  g_hash_table_unref (fixture->routes);
  g_ptr_array_unref (fixture->requests);
  g_ptr_array_unref (fixture->paused);
}

/* ------------------------------------------------------------ running */

typedef struct {
  GMainLoop *loop;
  MtcDiscoveryResult *result;
  GError *error;
} RunResult;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunResult *run = user_data;

  run->result = mtc_discovery_run_finish (MTC_DISCOVERY (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static MtcDiscoveryResult *
discover_full (Fixture       *fixture,
               const char    *address,
               GCancellable  *cancellable,
               gint64        *out_elapsed_ms,
               GError       **error)
{
  RunResult run = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  gint64 start = g_get_monotonic_time ();

  mtc_discovery_run_async (fixture->discovery, address, cancellable, run_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (out_elapsed_ms != NULL)
    *out_elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  if (run.error != NULL)
    {
      g_test_message ("discovery of %s: %s", address, run.error->message);
      g_propagate_error (error, run.error);
    }
  return run.result;
}

static MtcDiscoveryResult *
discover (Fixture    *fixture,
          const char *address)
{
  g_autoptr(GError) error = NULL;
  MtcDiscoveryResult *result = discover_full (fixture, address, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    if (result->notes[i] != NULL)
      g_test_message ("%s: %s", mtc_discovery_source_to_string (i), result->notes[i]);
  return result;
}

/* Discovery that finds nothing: returns the message, which says what each
 * source answered. */
static char *
discover_nothing (Fixture    *fixture,
                  const char *address,
                  gint64     *out_elapsed_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDiscoveryResult) result = discover_full (fixture, address, NULL, out_elapsed_ms, &error);

  g_assert_null (result);
  g_assert_error (error, MTC_ERROR, MTC_ERROR_NOT_FOUND);
  return g_strdup (error->message);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” not found in: %s", part, text);
}

static void
assert_urls (GPtrArray          *endpoints,
             const char * const *urls)
{
  for (guint i = 0; i < endpoints->len; i++)
    {
      g_autofree char *url = mtc_endpoint_to_url (g_ptr_array_index (endpoints, i));

      g_test_message ("endpoint %u: %s (%s)", i, url, ((MtcEndpoint *) g_ptr_array_index (endpoints, i))->source);
      g_assert_nonnull (urls[i]);
      g_assert_cmpstr (url, ==, urls[i]);
    }
  g_assert_null (urls[endpoints->len]);
}

static void
add_autoconfig_names (Fixture *fixture)
{
  mtc_test_resolver_add (fixture->resolver, AUTOCONFIG_HOST, "127.0.0.1");
  mtc_test_resolver_add (fixture->resolver, DOMAIN, "127.0.0.1");
}

/* ------------------------------------------------------------ autoconfig */

static void
test_autoconfig_valid (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char *const urls[] = {
    "smtp://smtp.example.test:587", "imaps://imap.example.test:993", "pop3://pop.example.test:110",
    "https://webmail.example.test:443", NULL
  };
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autofree char *expected_source = g_strdup_printf ("autoconfig http://" AUTOCONFIG_HOST ":%u" AUTOCONFIG_PATH,
                                                      fixture->http_port);
  g_autofree char *expected_request = g_strdup_printf ("http " AUTOCONFIG_HOST " " AUTOCONFIG_PATH
                                                       "?emailaddress=alice%%40" DOMAIN);

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID);
  result = discover (fixture, "alice@Example.TEST");

  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
  g_assert_false (result->guess);
  g_assert_null (result->provider);
  /* Sending first; the port 99999 entry and the exchange server are skipped. */
  assert_urls (result->endpoints, urls);
  for (guint i = 0; i < result->endpoints->len; i++)
    {
      MtcEndpoint *endpoint = g_ptr_array_index (result->endpoints, i);

      assert_contains (endpoint->source, expected_source);
      /* The address is not repeated in the report. */
      g_assert_null (strstr (endpoint->source, "alice"));
    }
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 2))->source, "no encryption");
  /* What the verdict takes as evidence that STARTTLS belongs there: the
   * STARTTLS entries, not the one that says no encryption. */
  g_assert_nonnull (result->starttls_published);
  g_assert_cmpuint (result->starttls_published->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->starttls_published, 0), ==, "smtp://smtp.example.test:587");
  g_assert_cmpstr (result->display_name, ==, "Example Mail");
  g_assert_cmpstr (result->webmail_url, ==, "https://webmail.example.test/");
  g_assert_cmpstr (result->username, ==, "alice@example.test");
  g_assert_cmpstr (result->address->address, ==, "alice@example.test");

  /* The address went only into the autoconfig query. */
  g_assert_true (g_ptr_array_find_with_equal_func (fixture->requests, expected_request, g_str_equal, NULL));
}

static void
test_autoconfig_well_known (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autofree char *expected = g_strdup_printf ("autoconfig http://" DOMAIN ":%u" WELL_KNOWN_PATH, fixture->http_port);

  add_autoconfig_names (fixture);
  add_route (fixture, DOMAIN, WELL_KNOWN_PATH, SERVE_TEXT_PLAIN);
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, expected);
}

/* The autoconfig host wins over the well-known path even when it answers later. */
static void
test_autoconfig_priority (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char *const urls[] = {
    "smtp://smtp.example.test:587", "imaps://imap.example.test:993", "pop3://pop.example.test:110",
    "https://webmail.example.test:443", NULL
  };
  g_autoptr(MtcDiscoveryResult) result = NULL;

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID);
  add_route (fixture, DOMAIN, WELL_KNOWN_PATH, SERVE_VALID_OTHER);
  result = discover (fixture, "alice@example.test");
  assert_urls (result->endpoints, urls);
}

static void
test_autoconfig_https (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autofree char *expected = NULL;

  start_https (fixture);
  session = soup_session_new_with_options ("tls-database", fixture->database, NULL);
  mtc_discovery_set_session (fixture->discovery, session);
  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID);
  result = discover (fixture, "alice@example.test");

  expected = g_strdup_printf ("autoconfig https://" AUTOCONFIG_HOST ":%u" AUTOCONFIG_PATH, fixture->https_port);
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, expected);
  /* https answered: nothing went out over http. */
  for (guint i = 0; i < fixture->requests->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->requests, i), "https "));
}

/* Without the test CA the certificate is not trusted: http is tried next. */
static void
test_autoconfig_https_untrusted (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;

  start_https (fixture);
  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID);
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, "autoconfig http://");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_AUTOCONFIG], "certificate is not trusted");
}

static void
test_autoconfig_redirect (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autofree char *expected = g_strdup_printf ("autoconfig http://" AUTOCONFIG_HOST ":%u/moved", fixture->http_port);

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_REDIRECT_MOVED);
  add_route (fixture, AUTOCONFIG_HOST, "/moved", SERVE_VALID);
  result = discover (fixture, "alice@example.test");
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, expected);
}

/* https is never left for http by a redirect. */
static void
test_autoconfig_redirect_downgrade (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *message = NULL;

  start_https (fixture);
  session = soup_session_new_with_options ("tls-database", fixture->database, NULL);
  mtc_discovery_set_session (fixture->discovery, session);
  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_REDIRECT_TO_HTTP);
  message = discover_nothing (fixture, "alice@example.test", NULL);
  assert_contains (message, "from a secure to an insecure address");
}

typedef struct {
  Serve serve;
  const char *expect;
} Failure;

/* ------------------------------------------------------------ ISPDB */

/* The ISPDB stand-in over trusted https; the provider has no autoconfig
 * file (its names do not exist). */
static void
start_ispdb (Fixture *fixture)
{
  g_autoptr(SoupSession) session = NULL;

  start_https (fixture);
  session = soup_session_new_with_options ("tls-database", fixture->database, NULL);
  mtc_discovery_set_session (fixture->discovery, session);
  mtc_test_resolver_add (fixture->resolver, ISPDB_HOST, "127.0.0.1");
}

/* The requests that reached the ISPDB stand-in, in order. */
static GPtrArray *
ispdb_requests (Fixture *fixture)
{
  GPtrArray *requests = g_ptr_array_new ();

  for (guint i = 0; i < fixture->requests->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->requests, i), "https " ISPDB_HOST " "))
      g_ptr_array_add (requests, g_ptr_array_index (fixture->requests, i));
  return requests;
}

/* No autoconfig file: the ISPDB's file for the domain gives the servers,
 * each saying so; only the domain was sent, never the address. */
static void
test_ispdb_domain (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *const urls[] = {
    "smtp://smtp.example.test:587", "imaps://imap.example.test:993", "pop3://pop.example.test:110",
    "https://webmail.example.test:443", NULL
  };
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *expected = NULL;

  start_ispdb (fixture);
  add_route (fixture, ISPDB_HOST, ISPDB_PATH DOMAIN, SERVE_VALID);
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_ISPDB);
  g_assert_cmpstr (mtc_discovery_source_to_string (result->source), ==, "ispdb");
  assert_urls (result->endpoints, urls);
  expected = g_strdup_printf ("Thunderbird’s provider database (ISPDB) https://" ISPDB_HOST ":%u" ISPDB_PATH DOMAIN,
                              fixture->https_port);
  for (guint i = 0; i < result->endpoints->len; i++)
    assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, i))->source, expected);
  g_assert_cmpstr (result->display_name, ==, "Example Mail");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_ISPDB], "4 servers");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_AUTOCONFIG], "no such record");
  requests = ispdb_requests (fixture);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (requests, 0), ==, "https " ISPDB_HOST " " ISPDB_PATH DOMAIN "?");
  for (guint i = 0; i < fixture->requests->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->requests, i), "https " ISPDB_HOST))
      g_assert_null (strstr (g_ptr_array_index (fixture->requests, i), "alice"));
}

/* The provider's own file comes first, even when the ISPDB has one. */
static void
test_ispdb_after_autoconfig (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;

  start_ispdb (fixture);
  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID_OTHER);
  add_route (fixture, ISPDB_HOST, ISPDB_PATH DOMAIN, SERVE_VALID);
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
  g_assert_cmpstr (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->host, ==, "other.example.test");
}

/* The ISPDB has nothing for the domain: the file for the registered domain
 * of its mail server (MX) gives the servers, as in Thunderbird. */
static void
test_ispdb_mx_domain (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *expected = NULL;

  start_ispdb (fixture);
  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 20, "backup.mx.other-hoster.net");
  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 10, "mx01.eu.hoster.net");
  add_route (fixture, ISPDB_HOST, ISPDB_PATH "hoster.net", SERVE_VALID_OTHER);
  add_route (fixture, ISPDB_HOST, ISPDB_PATH "other-hoster.net", SERVE_VALID);
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_ISPDB);
  g_assert_cmpuint (result->endpoints->len, ==, 1);
  g_assert_cmpstr (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->host, ==, "other.example.test");
  expected = g_strdup_printf ("Thunderbird’s provider database (ISPDB) https://" ISPDB_HOST ":%u" ISPDB_PATH
                              "hoster.net", fixture->https_port);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, expected);
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_ISPDB], DOMAIN ": the web server answered “404 Not Found”");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_ISPDB],
                   "the mail server mx01.eu.hoster.net belongs to hoster.net");
  requests = ispdb_requests (fixture);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (requests, 0), ==, "https " ISPDB_HOST " " ISPDB_PATH DOMAIN "?");
  g_assert_cmpstr (g_ptr_array_index (requests, 1), ==, "https " ISPDB_HOST " " ISPDB_PATH "hoster.net?");
}

/* The mail server is in the domain itself: the ISPDB is not asked twice
 * for the same domain, and the MX guesses are what is found. */
static void
test_ispdb_mx_same_domain (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  start_ispdb (fixture);
  mtc_test_resolver_add_mx (fixture->resolver, "example.net", 10, "mx01.example.net");
  result = discover (fixture, "alice@example.net");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_MX);
  requests = ispdb_requests (fixture);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (requests, 0), ==, "https " ISPDB_HOST " " ISPDB_PATH "example.net?");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_ISPDB], "404 Not Found");
}

/* What the ISPDB answers that is no file: noted, and nothing found. */
static void
test_ispdb_failure (Fixture       *fixture,
                    gconstpointer  data)
{
  const Failure *failure = data;
  g_autofree char *message = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  start_ispdb (fixture);
  if (failure->serve != SERVE_NOTHING)
    add_route (fixture, ISPDB_HOST, ISPDB_PATH DOMAIN, failure->serve);
  message = discover_nothing (fixture, "alice@example.test", NULL);
  g_test_message ("%s", message);
  url = g_strdup_printf ("https://" ISPDB_HOST ":%u" ISPDB_PATH DOMAIN, fixture->https_port);
  assert_contains (message, "Thunderbird’s provider database (ISPDB): ");
  assert_contains (message, url);
  assert_contains (message, failure->expect);
  requests = ispdb_requests (fixture);
  g_assert_cmpuint (requests->len, ==, 1);
}

static const Failure ispdb_failures[] = {
  { SERVE_MALFORMED, "not a valid autoconfig file" },
  { SERVE_HUGE_CHUNKED, "larger than 256 KiB" },
  { SERVE_HTML, "text/html" },
  { SERVE_NO_SERVERS, "names no mail server" },
  { SERVE_NOTHING, "the web server answered “404 Not Found”" },
};

static const Failure failures[] = {
  { SERVE_MALFORMED, "not a valid autoconfig file" },
  { SERVE_HUGE, "larger than 256 KiB" },
  { SERVE_HUGE_CHUNKED, "larger than 256 KiB" },
  { SERVE_ENTITY_BOMB, "document type declaration" },
  { SERVE_HTML, "text/html" },
  { SERVE_REDIRECT_LOOP, "redirects too many times" },
  { SERVE_SLOW, "no answer within 0.6 seconds" },
  { SERVE_NO_SERVERS, "names no mail server" },
};

static void
test_autoconfig_failure (Fixture       *fixture,
                         gconstpointer  data)
{
  const Failure *failure = data;
  g_autofree char *message = NULL;
  g_autofree char *url = g_strdup_printf ("http://" AUTOCONFIG_HOST ":%u" AUTOCONFIG_PATH, fixture->http_port);
  gint64 elapsed_ms;

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, failure->serve);
  if (failure->serve == SERVE_SLOW)
    mtc_discovery_set_timeout (fixture->discovery, TIMEOUT_MS);
  message = discover_nothing (fixture, "alice@example.test", &elapsed_ms);
  g_test_message ("%s", message);
  assert_contains (message, "No mail servers could be found for “example.test”");
  assert_contains (message, url);
  assert_contains (message, failure->expect);
  /* A redirect loop is followed a bounded number of times: the first
   * request and MTC_AUTOCONFIG_MAX_REDIRECTS more to the looping path. */
  if (failure->serve == SERVE_REDIRECT_LOOP)
    {
      guint looped = 0;

      for (guint i = 0; i < fixture->requests->len; i++)
        if (strstr (g_ptr_array_index (fixture->requests, i), AUTOCONFIG_HOST " " AUTOCONFIG_PATH) != NULL)
          looped++;
      g_assert_cmpuint (looped, <=, MTC_AUTOCONFIG_MAX_REDIRECTS + 1);
    }
  /* The slow server costs one deadline (https fails at once), no more. */
  if (failure->serve == SERVE_SLOW)
    {
      g_assert_cmpint (elapsed_ms, >=, TIMEOUT_MS - 50);
      g_assert_cmpint (elapsed_ms, <, 2 * TIMEOUT_MS + 500);
    }
}

/* A huge file is not read to the end: the download stops past the limit. */
static void
test_autoconfig_huge_is_cheap (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 elapsed_ms;

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_HUGE_CHUNKED);
  add_route (fixture, DOMAIN, WELL_KNOWN_PATH, SERVE_VALID);
  {
    g_autoptr(MtcDiscoveryResult) result = discover_full (fixture, "alice@example.test", NULL, &elapsed_ms, NULL);

    /* The well-known file is used instead. */
    g_assert_nonnull (result);
    g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
    assert_contains (result->notes[MTC_DISCOVERY_SOURCE_AUTOCONFIG], "larger than 256 KiB");
    assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, WELL_KNOWN_PATH);
  }
}

static void
test_autoconfig_international (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autofree char *expected = g_strdup_printf ("http autoconfig.xn--mller-kva.test " AUTOCONFIG_PATH
                                               "?emailaddress=j%%C3%%B6rg%%40xn--mller-kva.test");

  mtc_test_resolver_add (fixture->resolver, "autoconfig.xn--mller-kva.test", "127.0.0.1");
  add_route (fixture, "autoconfig.xn--mller-kva.test", AUTOCONFIG_PATH, SERVE_VALID);
  result = discover (fixture, "jörg@MÜLLER.test");
  g_assert_cmpstr (result->address->address, ==, "jörg@müller.test");
  g_assert_cmpstr (result->address->domain, ==, "xn--mller-kva.test");
  /* %EMAILDOMAIN% in a host name is the ASCII form; the user name shows Unicode. */
  g_assert_cmpstr (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 1))->host, ==, "imap.xn--mller-kva.test");
  g_assert_cmpstr (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 1))->host_display, ==, "imap.müller.test");
  g_assert_cmpstr (result->username, ==, "jörg@müller.test");
  g_assert_true (g_ptr_array_find_with_equal_func (fixture->requests, expected, g_str_equal, NULL));
}

/* ------------------------------------------------------------ profiles */

static void
test_profile_first (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) demo = NULL;
  g_autoptr(MtcDiscoveryResult) custom = NULL;
  g_autoptr(GPtrArray) providers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  MtcProvider *provider;

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID);

  demo = discover (fixture, "alice@demo.mail-tls-check.invalid");
  g_assert_cmpint (demo->source, ==, MTC_DISCOVERY_SOURCE_PROFILE);
  g_assert_true (mtc_provider_is_demo (demo->provider));
  g_assert_cmpuint (demo->endpoints->len, ==, 0);

  provider = mtc_provider_new_from_data ("[Provider]\nId=example\nName=Example\nDomains=example.test\n"
                                         "[Server mail]\nUrls=imaps://mail.example.test\n", -1, "x", &error);
  g_assert_no_error (error);
  g_ptr_array_add (providers, provider);
  mtc_discovery_set_providers (fixture->discovery, providers);
  custom = discover (fixture, "alice@example.test");
  g_assert_cmpint (custom->source, ==, MTC_DISCOVERY_SOURCE_PROFILE);
  g_assert_true (custom->provider == provider);
  g_assert_cmpuint (custom->endpoints->len, ==, 1);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (custom->endpoints, 0))->source, "provider profile example");

  /* A profile answers without any network access. */
  g_assert_cmpuint (mtc_test_resolver_get_n_lookups (fixture->resolver), ==, 0);
  g_assert_cmpuint (fixture->requests->len, ==, 0);
}

/* ------------------------------------------------------------ DNS */

static void
test_srv (Fixture       *fixture,
          gconstpointer  data)
{
  static const char *const urls[] = { "smtp://smtp.example.test:587", "imaps://imap1.example.test:993", NULL };
  g_autoptr(MtcDiscoveryResult) result = NULL;

  mtc_test_resolver_add_srv (fixture->resolver, "_submission._tcp." DOMAIN, "smtp.example.test", 587, 0, 1);
  mtc_test_resolver_add_srv (fixture->resolver, "_imaps._tcp." DOMAIN, "imap2.example.test", 993, 20, 1);
  mtc_test_resolver_add_srv (fixture->resolver, "_imaps._tcp." DOMAIN, "imap1.example.test", 993, 10, 1);
  mtc_test_resolver_add_srv (fixture->resolver, "_pop3s._tcp." DOMAIN, ".", 0, 0, 0);
  mtc_test_resolver_add_srv (fixture->resolver, "_imap._tcp." DOMAIN, "bad host", 143, 0, 0);
  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 10, "mx.example.test");
  result = discover (fixture, "alice@example.test");

  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_SRV);
  g_assert_false (result->guess);
  assert_urls (result->endpoints, urls);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 1))->source,
                   "SRV record _imaps._tcp.example.test");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_SRV], "_pop3s._tcp: not offered");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_SRV], "_imap._tcp: “imap://bad host:143” contains a space");
}

/* Autoconfig is better than SRV even when SRV answers first. */
static void
test_autoconfig_beats_srv (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_VALID);
  mtc_test_resolver_add_srv (fixture->resolver, "_imaps._tcp." DOMAIN, "srv.example.test", 993, 0, 0);
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_AUTOCONFIG);
}

static void
test_mx (Fixture       *fixture,
         gconstpointer  data)
{
  static const char *const urls[] = {
    "smtp://mx0.example.test:587", "smtps://mx0.example.test:465", "imap://mx0.example.test:143",
    "imaps://mx0.example.test:993", "pop3://mx0.example.test:110", "pop3s://mx0.example.test:995", NULL
  };
  g_autoptr(MtcDiscoveryResult) result = NULL;

  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 20, "mx1.example.test");
  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 5, "mx0.example.test");
  mtc_test_resolver_add (fixture->resolver, "mail." DOMAIN, "192.0.2.1");
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_MX);
  g_assert_true (result->guess);
  assert_urls (result->endpoints, urls);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->source, "guess from MX mx0.example.test");
}

static void
test_common_names (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *const urls[] = {
    "smtp://mail.example.test:587", "smtps://mail.example.test:465", "imap://mail.example.test:143",
    "imaps://mail.example.test:993", "pop3://mail.example.test:110", "pop3s://mail.example.test:995",
    "imap://imap.example.test:143", "imaps://imap.example.test:993", NULL
  };
  g_autoptr(MtcDiscoveryResult) result = NULL;

  /* A null MX: the domain receives no mail. */
  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 0, ".");
  mtc_test_resolver_add (fixture->resolver, "imap." DOMAIN, "192.0.2.2");
  mtc_test_resolver_add (fixture->resolver, "mail." DOMAIN, "192.0.2.1");
  result = discover (fixture, "alice@example.test");
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_COMMON_NAMES);
  g_assert_true (result->guess);
  assert_urls (result->endpoints, urls);
  assert_contains (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 6))->source,
                   "guess from the common name imap.example.test");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_MX], "receives no mail");
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_COMMON_NAMES], "smtp.example.test: no such record");
}

static void
test_nxdomain (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *message = NULL;
  gint64 elapsed_ms;

  message = discover_nothing (fixture, "alice@example.test", &elapsed_ms);
  g_test_message ("%s", message);
  assert_contains (message, "No mail servers could be found for “example.test”");
  assert_contains (message, "Autoconfig:");
  assert_contains (message, "SRV records: _submission._tcp: no such record");
  assert_contains (message, "MX record: no such record");
  assert_contains (message, "Common names: mail.example.test: no such record");
  /* Nothing is waited for when every name is missing. */
  g_assert_cmpint (elapsed_ms, <, LONG_TIMEOUT_MS / 4);
}

static void
test_server_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *message = NULL;

  mtc_test_resolver_add_failure (fixture->resolver, DOMAIN, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  message = discover_nothing (fixture, "alice@example.test", NULL);
  assert_contains (message, "MX record: could not be looked up: the name service did not answer");
}

/* Discovery of ADDRESS that finds nothing, with a network monitor that says
 * AVAILABLE: the error is CODE, and it says no typing mistakes when
 * offline.  Returns: what the discovery kept of the sources' notes. */
static MtcDiscoveryResult *
discover_failure (Fixture    *fixture,
                  gboolean    available,
                  const char *address,
                  int         code)
{
  g_autoptr(GNetworkMonitor) monitor = mtc_test_monitor_new (available);
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MtcDiscoveryResult *failure;

  mtc_discovery_set_network_monitor (fixture->discovery, monitor);
  result = discover_full (fixture, address, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MTC_ERROR, code);
  if (code == MTC_ERROR_OFFLINE)
    {
      assert_contains (error->message, "This computer cannot look up names on the internet right now");
      g_assert_null (strstr (error->message, "typing mistakes"));
    }
  else
    assert_contains (error->message, "Check the address for typing mistakes");
  failure = mtc_discovery_dup_failure (fixture->discovery);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->endpoints->len, ==, 0);
  g_assert_cmpstr (failure->address->address, ==, address);
  g_assert_true (failure->offline == (code == MTC_ERROR_OFFLINE));
  return failure;
}

/* Every look-up fails as with a failing name service: offline, whatever
 * the network monitor says, and no source's notes claim a name does not
 * exist. */
static void
test_offline_name_service (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) failure = NULL;

  mtc_test_resolver_fail_all (fixture->resolver, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  failure = discover_failure (fixture, TRUE, "oma.schmidt@example.test", MTC_ERROR_OFFLINE);
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      g_assert_nonnull (failure->notes[i]);
      assert_contains (failure->notes[i], "could not be looked up");
      g_assert_null (strstr (failure->notes[i], "no such record"));
    }
}

/* Every name answered "no such name": the domain has no mail servers, as
 * long as the network monitor does not say the network is gone. */
static void
test_nothing_found_online (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) failure = NULL;

  failure = discover_failure (fixture, TRUE, "oma.schmidt@example.test", MTC_ERROR_NOT_FOUND);
  assert_contains (failure->notes[MTC_DISCOVERY_SOURCE_MX], "no such record");
}

/* "No such name" on a computer whose network monitor says there is no
 * network says nothing about the names (the system's resolver answers so
 * without asking anyone): offline. */
static void
test_offline_no_network (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) failure = NULL;

  failure = discover_failure (fixture, FALSE, "oma.schmidt@example.test", MTC_ERROR_OFFLINE);
  assert_contains (failure->notes[MTC_DISCOVERY_SOURCE_MX],
                   "could not be looked up: this computer has no network connection");
}

/* The monitor is only a hint: a source that got an answer (here the
 * autoconfig server's "not found") means the computer is online. */
static void
test_answer_beats_monitor (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) failure = NULL;

  add_autoconfig_names (fixture);
  failure = discover_failure (fixture, FALSE, "alice@example.test", MTC_ERROR_NOT_FOUND);
  assert_contains (failure->notes[MTC_DISCOVERY_SOURCE_AUTOCONFIG], "404");
}

static void
test_timeouts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *message = NULL;
  gint64 elapsed_ms;

  for (gsize i = 0; i < 6; i++)
    {
      static const char *const services[] = { "submission", "submissions", "imap", "imaps", "pop3", "pop3s" };
      g_autofree char *rrname = g_strdup_printf ("_%s._tcp." DOMAIN, services[i]);

      mtc_test_resolver_add_silent (fixture->resolver, rrname);
    }
  mtc_test_resolver_add_silent (fixture->resolver, DOMAIN);
  mtc_test_resolver_add_silent (fixture->resolver, "mail." DOMAIN);
  mtc_discovery_set_timeout (fixture->discovery, TIMEOUT_MS);
  message = discover_nothing (fixture, "alice@example.test", &elapsed_ms);
  g_test_message ("%s", message);
  assert_contains (message, "SRV records: _submission._tcp: no answer within 0.6 seconds");
  assert_contains (message, "_pop3s._tcp: no answer within 0.6 seconds");
  assert_contains (message, "MX record: no answer within 0.6 seconds");
  assert_contains (message, "smtp.example.test: no such record");
  assert_contains (message, "mail.example.test: no answer within 0.6 seconds");
  g_assert_cmpint (elapsed_ms, >=, TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <, 2 * TIMEOUT_MS + 1000);
}

/* A better source that never answers is waited for, up to its deadline. */
static void
test_timeout_then_mx (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  mtc_test_resolver_add_silent (fixture->resolver, "_imaps._tcp." DOMAIN);
  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 10, "mx.example.test");
  mtc_discovery_set_timeout (fixture->discovery, TIMEOUT_MS);
  result = discover_full (fixture, "alice@example.test", NULL, &elapsed_ms, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_MX);
  assert_contains (result->notes[MTC_DISCOVERY_SOURCE_SRV], "no answer within");
  g_assert_cmpint (elapsed_ms, >=, TIMEOUT_MS - 50);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  add_autoconfig_names (fixture);
  add_route (fixture, AUTOCONFIG_HOST, AUTOCONFIG_PATH, SERVE_SLOW);
  mtc_test_resolver_add_silent (fixture->resolver, DOMAIN);
  mtc_discovery_set_timeout (fixture->discovery, 5000);
  g_timeout_add (100, cancel_cb, cancellable);
  result = discover_full (fixture, "alice@example.test", cancellable, &elapsed_ms, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed_ms, <, 1000);
  g_clear_error (&error);

  g_cancellable_cancel (cancelled);
  result = discover_full (fixture, "alice@example.test", cancelled, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Let the cancelled operations finish before the fixture goes. */
  mtc_test_iterate (50);
}

static void
test_invalid_address (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *const addresses[] = { "alice@", "@@", "@example.test", "alice", "alice@localhost",
                                           "alice@[192.0.2.1]", "al ice@example.test" };

  for (gsize i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcDiscoveryResult) result = discover_full (fixture, addresses[i], NULL, NULL, &error);

      g_assert_null (result);
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
    }
  g_assert_cmpuint (mtc_test_resolver_get_n_lookups (fixture->resolver), ==, 0);
}

/* ------------------------------------------------------------ targets */

typedef struct {
  GMainLoop *loop;
  MtcTargetSet *set;
  GError *error;
} TargetsResult;

static void
targets_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TargetsResult *run = user_data;

  run->set = mtc_target_resolver_resolve_finish (MTC_TARGET_RESOLVER (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static MtcTargetSet *
resolve_targets (MtcTargetResolver  *resolver,
                 const char * const *targets,
                 GError            **error)
{
  TargetsResult run = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  mtc_target_resolver_resolve_async (resolver, targets, NULL, targets_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.set;
}

static void
test_targets (Fixture       *fixture,
              gconstpointer  data)
{
  static const char *const targets[] = {
    "imaps://mail.example.net", "macbay-v3", "mail-tls-check:?provider=demo&email=bob%40example.org&utm=x",
    "alice@example.test", "imaps://mail.example.net:993", NULL
  };
  g_autoptr(MtcTargetResolver) resolver = mtc_target_resolver_new ();
  g_autoptr(MtcTargetSet) set = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcProviderHints) hints = NULL;
  g_autofree char *described = NULL;

  mtc_test_resolver_add_mx (fixture->resolver, DOMAIN, 10, "mx.example.test");
  mtc_target_resolver_set_resolver (resolver, G_RESOLVER (fixture->resolver));
  mtc_target_resolver_set_timeout (resolver, LONG_TIMEOUT_MS);
  set = resolve_targets (resolver, targets, &error);
  g_assert_no_error (error);

  /* The URL (once), macbay's seven, and the six MX guesses. */
  g_assert_cmpuint (set->endpoints->len, ==, 1 + 7 + 6);
  g_assert_true (set->demo);
  g_assert_cmpstr (mtc_provider_get_id (set->provider), ==, "macbay-v3");
  g_assert_cmpstr (set->email->address, ==, "bob@example.org");
  g_assert_cmpuint (set->discoveries->len, ==, 1);
  g_assert_cmpuint (set->ignored_keys->len, ==, 1);
  hints = mtc_target_set_dup_hints (set);
  g_assert_cmpstr (hints->webmail_url, ==, "https://cube.macbay.net:2096");
  described = mtc_target_set_describe (set, 0);
  g_test_message ("%s", described);
  assert_contains (described, "cPanel");
  assert_contains (described, "alice@example.test are a guess");
  assert_contains (described, "“utm”");
}

/* With a provider given, an address is an account there: nothing is looked up. */
static void
test_targets_account (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *const targets[] = { "alice@example.test", "mail-tls-check:?email=bob%40example.org", NULL };
  g_autoptr(MtcTargetResolver) resolver = mtc_target_resolver_new ();
  g_autoptr(MtcProvider) provider = mtc_provider_lookup ("macbay-v3", NULL);
  g_autoptr(MtcTargetSet) set = NULL;
  g_autoptr(GError) error = NULL;

  mtc_target_resolver_set_resolver (resolver, G_RESOLVER (fixture->resolver));
  mtc_target_resolver_set_provider (resolver, provider);
  set = resolve_targets (resolver, targets, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->endpoints->len, ==, 7);
  g_assert_cmpstr (set->email->address, ==, "alice@example.test");
  g_assert_cmpuint (set->discoveries->len, ==, 0);
  g_assert_cmpuint (mtc_test_resolver_get_n_lookups (fixture->resolver), ==, 0);
}

/* The ISPDB's stand-in through the testing hook (MTC_ISPDB_URL, only with
 * MTC_HOSTS_FILE set), as the program's own discovery reads it: the report
 * says where the servers came from.  Without MTC_HOSTS_FILE the hook does
 * nothing: the real address is asked (which the test resolver does not know). */
static void
test_targets_ispdb (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *const targets[] = { "alice@example.test", NULL };
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = NULL;
  g_autofree char *described = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  start_ispdb (fixture);
  add_route (fixture, ISPDB_HOST, ISPDB_PATH DOMAIN, SERVE_VALID);
  session = soup_session_new_with_options ("tls-database", fixture->database, NULL);
  url = g_strdup_printf ("https://" ISPDB_HOST ":%u" ISPDB_PATH, fixture->https_port);
  g_setenv (MTC_ISPDB_URL_ENV, url, TRUE);
  for (int hooks = 1; hooks >= 0; hooks--)
    {
      g_autoptr(MtcTargetResolver) resolver = mtc_target_resolver_new ();
      g_autoptr(MtcTargetSet) set = NULL;
      g_autoptr(GError) error = NULL;
      MtcDiscoveryResult *result;

      if (hooks)
        g_setenv ("MTC_HOSTS_FILE", "/dev/null", TRUE);
      else
        g_unsetenv ("MTC_HOSTS_FILE");
      mtc_target_resolver_set_resolver (resolver, G_RESOLVER (fixture->resolver));
      mtc_target_resolver_set_session (resolver, session);
      mtc_target_resolver_set_timeout (resolver, LONG_TIMEOUT_MS);
      set = resolve_targets (resolver, targets, &error);
      if (!hooks)
        {
          /* The real ISPDB's name, which the test resolver does not know. */
          g_assert_null (set);
          g_assert_error (error, MTC_ERROR, MTC_ERROR_NOT_FOUND);
          assert_contains (error->message, MTC_ISPDB_URL DOMAIN ": no such record");
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (set->discoveries->len, ==, 1);
      result = g_ptr_array_index (set->discoveries, 0);
      g_assert_cmpint (result->source, ==, MTC_DISCOVERY_SOURCE_ISPDB);
      described = mtc_target_set_describe (set, 0);
      g_test_message ("%s", described);
      assert_contains (described, "The servers for alice@example.test come from Thunderbird’s provider database "
                                  "(ISPDB).");
    }
  g_unsetenv (MTC_ISPDB_URL_ENV);
  requests = ispdb_requests (fixture);
  g_assert_cmpuint (requests->len, ==, 1);
}

static void
test_targets_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    const char *target;
    const char *expect;
  } bad[] = {
    { "alice@", "domain after the “@” is missing" },
    { "@@", "more than once" },
    { "imap://:143", "no server name" },
    { "smtp://bad host:99999", "space" },
    { "mail-tls-check:?provider=nope", "does not know the provider “nope”" },
    { "mail-tls-check:provider=demo", "must have the form" },
    { "", "Nothing was given" },
  };
  g_autoptr(MtcTargetResolver) resolver = mtc_target_resolver_new ();

  mtc_target_resolver_set_resolver (resolver, G_RESOLVER (fixture->resolver));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *targets[] = { "imaps://mail.example.net", bad[i].target, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcTargetSet) set = NULL;

      g_assert_false (mtc_target_resolver_check (resolver, targets, &error));
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
      assert_contains (error->message, bad[i].expect);
      g_clear_error (&error);
      set = resolve_targets (resolver, targets, &error);
      g_assert_null (set);
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
    }
  g_assert_cmpuint (mtc_test_resolver_get_n_lookups (fixture->resolver), ==, 0);
}

/* ------------------------------------------------------------ the parser alone */

static void
test_parse (void)
{
  static const struct {
    const char *xml;
    const char *expect;      /* NULL: parses, with one endpoint */
  } cases[] = {
    { "<clientConfig><emailProvider><incomingServer type=\"IMAP\"><hostname>h.example.test</hostname>"
      "<port>993</port><socketType>ssl</socketType></incomingServer></emailProvider></clientConfig>", NULL },
    { "\xEF\xBB\xBF<clientConfig><emailProvider><outgoingServer type=\"smtp\"><hostname> h.example.test "
      "</hostname><port>465</port><socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>",
      NULL },
    { "<html><body>Not here</body></html>", "not an autoconfig file" },
    { "<clientConfig><emailProvider><displayName>&foo;</displayName></emailProvider></clientConfig>",
      "not a valid autoconfig file" },
    { "<!DOCTYPE clientConfig SYSTEM \"file:///etc/passwd\"><clientConfig/>", "document type declaration" },
    { "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>h.example.test</hostname>"
      "<port>993</port><socketType>TLS1.3</socketType></incomingServer></emailProvider></clientConfig>",
      "names no mail server" },
    { "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>h.example.test:993</hostname>"
      "<port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>",
      "names no mail server" },
    { "<clientConfig><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a></a></a></a></a></a></a></a></a></a>"
      "</a></a></a></a></a></a></a></a></a></clientConfig>", "nested too deeply" },
    { "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>h.example.test</hostname>"
      "<port>993</port><socketType>SSL</socketType></incomingServer>", "not a valid autoconfig file" },
    { "", "not a valid autoconfig file" },
    { "\xff\xfe<\0c\0", "not a valid autoconfig file" },
  };
  g_autoptr(MtcEmailAddress) address = mtc_email_address_parse ("alice@example.test", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcDiscoveryResult) result = mtc_discovery_parse_autoconfig (cases[i].xml, strlen (cases[i].xml),
                                                                             address, "https://x/", &error);

      if (cases[i].expect == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (result->endpoints->len, ==, 1);
          g_assert_cmpstr (((MtcEndpoint *) g_ptr_array_index (result->endpoints, 0))->host, ==, "h.example.test");
        }
      else
        {
          g_assert_null (result);
          g_assert_nonnull (error);
          g_test_message ("%s", error->message);
          assert_contains (error->message, cases[i].expect);
        }
    }
}

static void
test_parse_limits (void)
{
  g_autoptr(MtcEmailAddress) address = mtc_email_address_parse ("alice@example.test", NULL);
  g_autoptr(GString) many = g_string_new ("<clientConfig><emailProvider>");
  g_autoptr(GString) long_text = g_string_new ("<clientConfig><emailProvider><displayName>");
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcDiscoveryResult) result = NULL;

  for (int i = 0; i < 40; i++)
    g_string_append_printf (many, "<incomingServer type=\"imap\"><hostname>h%d.example.test</hostname>"
                            "<port>993</port><socketType>SSL</socketType></incomingServer>", i);
  g_string_append (many, "</emailProvider></clientConfig>");
  result = mtc_discovery_parse_autoconfig (many->str, many->len, address, "https://x/", &error);
  g_assert_null (result);
  assert_contains (error->message, "too many servers");
  g_clear_error (&error);

  for (int i = 0; i < 2000; i++)
    g_string_append_c (long_text, 'x');
  g_string_append (long_text, "</displayName></emailProvider></clientConfig>");
  result = mtc_discovery_parse_autoconfig (long_text->str, long_text->len, address, "https://x/", &error);
  g_assert_null (result);
  assert_contains (error->message, "too long");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/mtc/discovery/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("offline/name-service", test_offline_name_service);
  ADD ("offline/nothing-found-online", test_nothing_found_online);
  ADD ("offline/no-network", test_offline_no_network);
  ADD ("offline/answer-beats-monitor", test_answer_beats_monitor);
  ADD ("autoconfig/valid", test_autoconfig_valid);
  ADD ("autoconfig/well-known", test_autoconfig_well_known);
  ADD ("autoconfig/priority", test_autoconfig_priority);
  ADD ("autoconfig/https", test_autoconfig_https);
  ADD ("autoconfig/https-untrusted", test_autoconfig_https_untrusted);
  ADD ("autoconfig/redirect", test_autoconfig_redirect);
  ADD ("autoconfig/redirect-downgrade", test_autoconfig_redirect_downgrade);
  ADD ("autoconfig/huge-then-well-known", test_autoconfig_huge_is_cheap);
  ADD ("autoconfig/international", test_autoconfig_international);
  ADD ("autoconfig/beats-srv", test_autoconfig_beats_srv);
  ADD ("ispdb/domain", test_ispdb_domain);
  ADD ("ispdb/after-autoconfig", test_ispdb_after_autoconfig);
  ADD ("ispdb/mx-domain", test_ispdb_mx_domain);
  ADD ("ispdb/mx-same-domain", test_ispdb_mx_same_domain);
  ADD ("profile-first", test_profile_first);
  ADD ("srv", test_srv);
  ADD ("mx", test_mx);
  ADD ("common-names", test_common_names);
  ADD ("nxdomain", test_nxdomain);
  ADD ("server-failure", test_server_failure);
  ADD ("timeouts", test_timeouts);
  ADD ("timeout-then-mx", test_timeout_then_mx);
  ADD ("cancel", test_cancel);
  ADD ("invalid-address", test_invalid_address);
  ADD ("targets/mixed", test_targets);
  ADD ("targets/account", test_targets_account);
  ADD ("targets/invalid", test_targets_invalid);
  ADD ("targets/ispdb", test_targets_ispdb);
#undef ADD
  {
    static const char *const names[] = { "malformed", "10-mib", "10-mib-chunked", "entity-bomb", "wrong-content-type",
                                         "redirect-loop", "slow", "no-servers" };

    G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (failures));
    for (gsize i = 0; i < G_N_ELEMENTS (failures); i++)
      {
        g_autofree char *path = g_strdup_printf ("/mtc/discovery/autoconfig/%s", names[i]);

        g_test_add (path, Fixture, &failures[i], fixture_set_up, test_autoconfig_failure, fixture_tear_down);
      }
  }
  {
    static const char *const names[] = { "garbage", "10-mib-chunked", "web-page", "no-servers", "404" };

    G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (ispdb_failures));
    for (gsize i = 0; i < G_N_ELEMENTS (ispdb_failures); i++)
      {
        g_autofree char *path = g_strdup_printf ("/mtc/discovery/ispdb/%s", names[i]);

        g_test_add (path, Fixture, &ispdb_failures[i], fixture_set_up, test_ispdb_failure, fixture_tear_down);
      }
  }
  g_test_add_func ("/mtc/discovery/parse/cases", test_parse);
  g_test_add_func ("/mtc/discovery/parse/limits", test_parse_limits);
  return g_test_run ();
}
