/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-endpoint.h"

static void
test_url_schemes (void)
{
  static const struct {
    const char *text;
    MtcProtocol protocol;
    MtcSecurity security;
    guint16 port;
    const char *url;
  } cases[] = {
    { "smtp://mail.example.net:587", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, 587, "smtp://mail.example.net:587" },
    { "smtp://mail.example.net", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, 587, "smtp://mail.example.net:587" },
    { "smtp://mail.example.net:25", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, 25, "smtp://mail.example.net:25" },
    { "smtps://mail.example.net", MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, 465, "smtps://mail.example.net:465" },
    { "imap://mail.example.net", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, 143, "imap://mail.example.net:143" },
    { "imaps://mail.example.net", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 993, "imaps://mail.example.net:993" },
    { "pop3://mail.example.net", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, 110, "pop3://mail.example.net:110" },
    { "pop3s://mail.example.net", MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, 995, "pop3s://mail.example.net:995" },
    { "https://cube.macbay.net:2096", MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, 2096, "https://cube.macbay.net:2096" },
    { "https://cube.macbay.net:2096/", MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, 2096, "https://cube.macbay.net:2096" },
    { "https://webmail.example.net/login?x=1", MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, 443,
      "https://webmail.example.net:443" },
    { "IMAPS://Mail.Example.NET:993/", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 993, "imaps://mail.example.net:993" },
    { "imaps://mail.example.net.:993", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 993, "imaps://mail.example.net:993" },
    { "imaps://127.0.0.1:1993", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 1993, "imaps://127.0.0.1:1993" },
    { "imaps://[::1]:993", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 993, "imaps://[::1]:993" },
    { "smtp://[2001:DB8::7]", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, 587, "smtp://[2001:db8::7]:587" },
    { "mail.example.net:993", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 993, "imaps://mail.example.net:993" },
    { "mail.example.net:587", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, 587, "smtp://mail.example.net:587" },
    { "cube.macbay.net:2096", MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, 2096, "https://cube.macbay.net:2096" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_parse (cases[i].text, &error);
      g_autofree char *url = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      g_assert_nonnull (endpoint);
      g_assert_cmpint (endpoint->protocol, ==, cases[i].protocol);
      g_assert_cmpint (endpoint->security, ==, cases[i].security);
      g_assert_cmpuint (endpoint->port, ==, cases[i].port);
      url = mtc_endpoint_to_url (endpoint);
      g_assert_cmpstr (url, ==, cases[i].url);
    }
}

static void
test_bare_host (void)
{
  static const guint16 ports[] = { 587, 465, 143, 993, 110, 995 };
  static const char * const schemes[] = { "smtp", "smtps", "imap", "imaps", "pop3", "pop3s" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = mtc_target_parse ("mail.example.net", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 6);
  for (guint i = 0; i < endpoints->len; i++)
    {
      MtcEndpoint *endpoint = g_ptr_array_index (endpoints, i);

      g_assert_cmpstr (endpoint->host, ==, "mail.example.net");
      g_assert_cmpuint (endpoint->port, ==, ports[i]);
      g_assert_cmpstr (mtc_endpoint_get_scheme (endpoint), ==, schemes[i]);
    }

  g_clear_pointer (&endpoints, g_ptr_array_unref);
  endpoints = mtc_target_parse ("::1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 6);
  g_assert_cmpstr (((MtcEndpoint *) endpoints->pdata[0])->host, ==, "::1");

  g_clear_pointer (&endpoints, g_ptr_array_unref);
  endpoints = mtc_target_parse ("[2001:db8::1]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 6);

  g_clear_pointer (&endpoints, g_ptr_array_unref);
  endpoints = mtc_target_parse ("192.0.2.7", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 6);
  g_assert_true (mtc_endpoint_is_ip_literal (endpoints->pdata[3]));
}

static void
test_international (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_parse ("smtp://mail.müller.de", &error);
  g_autofree char *url = NULL;
  g_autofree char *ascii_url = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (endpoint->host, ==, "mail.xn--mller-kva.de");
  g_assert_cmpstr (endpoint->host_display, ==, "mail.müller.de");
  url = mtc_endpoint_to_url (endpoint);
  g_assert_cmpstr (url, ==, "smtp://mail.müller.de:587");
  ascii_url = mtc_endpoint_to_ascii_url (endpoint);
  g_assert_cmpstr (ascii_url, ==, "smtp://mail.xn--mller-kva.de:587");

  /* Punycode given by the user is shown in Unicode as well. */
  endpoints = mtc_target_parse ("xn--mller-kva.de", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((MtcEndpoint *) endpoints->pdata[0])->host_display, ==, "müller.de");

  /* … unless it decodes to control characters ("xn--mail": U+008C U+0094
   * U+0090) or to another name than itself ("xn--55a" decodes to an upper-case
   * letter, which is "xn--65a"): then it is shown as it is probed. */
  {
    g_autoptr(MtcEndpoint) controls = mtc_endpoint_parse ("smtp://xn--mail.example.net", &error);
    g_autoptr(MtcEndpoint) other = mtc_endpoint_parse ("smtp://xn--55a.example.net", &error);
    g_autoptr(MtcEndpoint) made = mtc_endpoint_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, "xn--mail.example", 993);

    g_assert_no_error (error);
    g_assert_cmpstr (controls->host_display, ==, "xn--mail.example.net");
    g_assert_cmpstr (other->host_display, ==, "xn--55a.example.net");
    g_assert_cmpstr (made->host_display, ==, "xn--mail.example");
  }
}

static void
test_bad_input (void)
{
  g_autofree char *long_host = NULL;
  g_autofree char *long_label = NULL;
  g_autofree char *absurd = NULL;
  const struct {
    const char *text;
    const char *expect;   /* a part of the message that names the problem */
  } cases[] = {
    { "", "Nothing" },
    { "smtp://", "no server name" },
    { "smtp://:587", "no server name" },
    { "imap://:143", "no server name" },
    { "smtp://mail.example.net:0", "between 1 and 65535" },
    { "smtp://mail.example.net:65536", "between 1 and 65535" },
    { "smtp://mail.example.net:99999", "between 1 and 65535" },
    { "smtp://mail.example.net:-1", "between 1 and 65535" },
    { "smtp://mail.example.net:58a", "between 1 and 65535" },
    { "smtp://mail.example.net:", "missing" },
    { "smtp://mail.example.net:0000587", "between 1 and 65535" },
    { "ftp://mail.example.net", "ftp" },
    { "gopher://x", "gopher" },
    { "smtp://bad host:99999", "space" },
    { " mail.example.net", "space" },
    { "mail.example.net\t", "space" },
    { "smtp://mail.example.net/inbox", "path" },
    { "smtp://alice@mail.example.net", "@" },
    { "alice@", "@" },
    { "@@", "@" },
    { "alice@example.net", "@" },
    { "smtp://[::1", "]" },
    { "smtp://[mail.example.net]:25", "IPv6" },
    { "smtp://[::1]x", "IPv6" },
    { "smtp://-bad.example.net", "-" },
    { "smtp://a..b", "empty" },
    { "smtp://exa$mple.net", "$" },
    { "mail.example.net:12345", "12345" },
    { "2001:db8::1::993", "brackets" },
    { "smtp://mail.example.net\x01", "control" },
    { "smtp://mail.\xff\xfe.net", "UTF-8" },
    /* Found by fuzzing: IDNA dots alone leave no name at all; a right-to-left
     * override would make the address read differently. */
    { "smtp://\xef\xbc\x8e", "not valid" },
    { "\xe3\x80\x82", "not valid" },
    { "https://webmail.example.net/\xe2\x80\xaeten", "control" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) endpoints = mtc_target_parse (cases[i].text, &error);

      g_test_message ("“%s” → %s", cases[i].text, error ? error->message : "(accepted)");
      g_assert_null (endpoints);
      g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }

  long_label = g_strnfill (64, 'a');
  long_host = g_strdup_printf ("smtp://%s.example.net", long_label);
  absurd = g_strnfill (5000, 'x');
  {
    const char *more[] = { long_host, absurd };
    const char *expect[] = { "too long", "too long" };

    for (gsize i = 0; i < G_N_ELEMENTS (more); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) endpoints = mtc_target_parse (more[i], &error);

        g_assert_null (endpoints);
        g_assert_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET);
        g_assert_nonnull (strstr (error->message, expect[i]));
      }
  }
}

static void
test_copy (void)
{
  g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_new (MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, "xn--mller-kva.de", 995);
  g_autoptr(MtcEndpoint) copy = NULL;

  endpoint->source = g_strdup ("test");
  copy = mtc_endpoint_copy (endpoint);
  g_assert_cmpstr (copy->host, ==, endpoint->host);
  g_assert_cmpstr (copy->host_display, ==, "müller.de");
  g_assert_cmpstr (copy->source, ==, "test");
  g_assert_true (copy->host != endpoint->host);
  g_assert_cmpstr (mtc_endpoint_get_scheme (copy), ==, "pop3s");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mtc/endpoint/url-schemes", test_url_schemes);
  g_test_add_func ("/mtc/endpoint/bare-host", test_bare_host);
  g_test_add_func ("/mtc/endpoint/international", test_international);
  g_test_add_func ("/mtc/endpoint/bad-input", test_bad_input);
  g_test_add_func ("/mtc/endpoint/copy", test_copy);
  return g_test_run ();
}
