/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-dialogue.h"

/* Feeds TEXT in pieces of CHUNK bytes, as a network would. */
static MtcReplyState
feed_text (MtcReply      *reply,
           MtcLineBuffer *buffer,
           const char    *text,
           gsize          chunk)
{
  gsize len = strlen (text);
  MtcReplyState state = MTC_REPLY_INCOMPLETE;

  for (gsize off = 0; off < len && state == MTC_REPLY_INCOMPLETE; off += chunk)
    {
      mtc_line_buffer_append (buffer, (const guint8 *) text + off, MIN (chunk, len - off));
      state = mtc_reply_feed (reply, buffer);
    }
  return state;
}

static MtcReplyState
parse (MtcProtocol  protocol,
       const char  *tag,
       gboolean     multiline,
       const char  *text,
       MtcReply   **out_reply)
{
  g_autoptr(MtcLineBuffer) buffer = mtc_line_buffer_new ();
  MtcReply *reply = mtc_reply_new (protocol, tag, multiline);
  MtcReplyState state = feed_text (reply, buffer, text, 3);

  if (out_reply)
    *out_reply = reply;
  else
    mtc_reply_free (reply);
  return state;
}

static void
test_line_buffer (void)
{
  g_autoptr(MtcLineBuffer) buffer = mtc_line_buffer_new ();
  g_autofree char *big = g_strnfill (MTC_LINE_MAX + 10, 'A');
  gboolean too_long;
  char *line;

  mtc_line_buffer_append (buffer, (const guint8 *) "one\r\ntwo\nthr", 12);
  line = mtc_line_buffer_take_line (buffer, &too_long);
  g_assert_cmpstr (line, ==, "one");
  g_free (line);
  line = mtc_line_buffer_take_line (buffer, &too_long);
  g_assert_cmpstr (line, ==, "two");
  g_free (line);
  g_assert_null (mtc_line_buffer_take_line (buffer, &too_long));
  g_assert_false (too_long);
  g_assert_cmpuint (mtc_line_buffer_get_pending (buffer), ==, 3);
  mtc_line_buffer_append (buffer, (const guint8 *) "ee\r\n", 4);
  line = mtc_line_buffer_take_line (buffer, &too_long);
  g_assert_cmpstr (line, ==, "three");
  g_free (line);
  g_assert_cmpuint (mtc_line_buffer_get_pending (buffer), ==, 0);

  /* A line without end that grows past the bound is reported as such. */
  mtc_line_buffer_append (buffer, (const guint8 *) big, strlen (big));
  g_assert_null (mtc_line_buffer_take_line (buffer, &too_long));
  g_assert_true (too_long);
}

static void
test_smtp (void)
{
  MtcReply *reply = NULL;

  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "220 mx ESMTP ready\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->code, ==, 220);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_POSITIVE);
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "220-mx ESMTP\r\n220-Welcome\r\n220 Ready\r\n", &reply),
                   ==, MTC_REPLY_DONE);
  g_assert_cmpuint (reply->lines->len, ==, 3);
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "220\r\n", NULL), ==, MTC_REPLY_DONE);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "220-a\r\n250 b\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "HTTP/1.1 400 Bad Request\r\n", NULL), ==,
                   MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "SSH-2.0-OpenSSH_9.2\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "22\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "220x\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "999 what\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "\x16\x03\x01\x02\x05\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "220-still going\r\n", NULL), ==, MTC_REPLY_INCOMPLETE);

  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "421 4.7.0 Too many connections\r\n", &reply), ==,
                   MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_BYE);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "554 5.7.1 No SMTP service here\r\n", &reply), ==,
                   MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_NEGATIVE);
  g_clear_pointer (&reply, mtc_reply_free);
  /* 4xx other than 421 is a refusal too (RFC 5321 4.2.1), not a yes. */
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "454 4.7.0 TLS not available due to local problem\r\n",
                          &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_NEGATIVE);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "354 Start mail input\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_POSITIVE);
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE,
                          "250-mx.example.net\r\n250-PIPELINING\r\n250-starttls\r\n250 8BITMIME\r\n", &reply),
                   ==, MTC_REPLY_DONE);
  g_assert_true (mtc_reply_has_capability (reply, "STARTTLS"));
  g_assert_false (mtc_reply_has_capability (reply, "AUTH"));
  g_clear_pointer (&reply, mtc_reply_free);

  /* The server's name on the first line is no capability, nor is a longer keyword. */
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, "250-STARTTLS\r\n250 STARTTLSX\r\n", &reply), ==,
                   MTC_REPLY_DONE);
  g_assert_false (mtc_reply_has_capability (reply, "STARTTLS"));
  g_clear_pointer (&reply, mtc_reply_free);
}

static void
test_imap (void)
{
  MtcReply *reply = NULL;

  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, NULL, FALSE,
                          "* OK [CAPABILITY IMAP4rev1 LITERAL+ STARTTLS LOGINDISABLED] Dovecot ready.\r\n", &reply),
                   ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_POSITIVE);
  g_assert_true (mtc_reply_has_imap_capabilities (reply));
  g_assert_true (mtc_reply_has_capability (reply, "STARTTLS"));
  g_assert_false (mtc_reply_has_capability (reply, "IDLE"));
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, NULL, FALSE, "* OK ready\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_false (mtc_reply_has_imap_capabilities (reply));
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, NULL, FALSE, "* PREAUTH logged in\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_PREAUTH);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, NULL, FALSE, "* BYE too many\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_BYE);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, NULL, FALSE, "220 smtp here\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, NULL, FALSE, "* HELLO\r\n", NULL), ==, MTC_REPLY_MALFORMED);

  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, "a1", FALSE,
                          "* CAPABILITY IMAP4rev1 STARTTLS\r\n* OK noise\r\na1 OK done\r\n", &reply),
                   ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_POSITIVE);
  g_assert_true (mtc_reply_has_capability (reply, "starttls"));
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, "a2", FALSE, "a2 BAD no\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_NEGATIVE);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, "a2", FALSE, "a1 OK wrong tag\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, "a2", FALSE, "a2 MAYBE\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_IMAP, "a2", FALSE, "* BYE shutting down\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_BYE);
  g_clear_pointer (&reply, mtc_reply_free);
}

static void
test_pop3 (void)
{
  MtcReply *reply = NULL;

  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, FALSE, "+OK Dovecot ready.\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_POSITIVE);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, FALSE, "-ERR [IN-USE] busy\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_NEGATIVE);
  g_clear_pointer (&reply, mtc_reply_free);
  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, FALSE, "OK\r\n", NULL), ==, MTC_REPLY_MALFORMED);
  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, FALSE, "+OKAY\r\n", NULL), ==, MTC_REPLY_MALFORMED);

  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, TRUE, "+OK\r\nCAPA\r\nTOP\r\n..odd\r\nSTLS\r\n.\r\n", &reply), ==,
                   MTC_REPLY_DONE);
  g_assert_true (mtc_reply_has_capability (reply, "STLS"));
  g_assert_true (mtc_reply_has_capability (reply, ".odd"));
  g_assert_false (mtc_reply_has_capability (reply, "SASL"));
  g_clear_pointer (&reply, mtc_reply_free);

  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, TRUE, "+OK\r\nTOP\r\n", NULL), ==, MTC_REPLY_INCOMPLETE);
  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, TRUE, "-ERR unknown command\r\n", &reply), ==, MTC_REPLY_DONE);
  g_assert_cmpint (reply->kind, ==, MTC_REPLY_NEGATIVE);
  g_clear_pointer (&reply, mtc_reply_free);
}

static void
test_bounds (void)
{
  g_autoptr(GString) many = g_string_new (NULL);
  g_autofree char *long_line = NULL;
  g_autofree char *long_reply = NULL;

  for (int i = 0; i < MTC_REPLY_MAX_LINES + 5; i++)
    g_string_append (many, "250-x\r\n");
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, many->str, NULL), ==, MTC_REPLY_TOO_LONG);

  long_line = g_strnfill (MTC_LINE_MAX + 100, 'A');
  long_reply = g_strconcat ("220 ", long_line, "\r\n", NULL);
  g_assert_cmpint (parse (MTC_PROTOCOL_SMTP, NULL, FALSE, long_reply, NULL), ==, MTC_REPLY_TOO_LONG);
  g_assert_cmpint (parse (MTC_PROTOCOL_POP3, NULL, FALSE, long_line, NULL), ==, MTC_REPLY_TOO_LONG);
}

static void
test_garbage (void)
{
  /* Random bytes in every protocol: never a crash, never an accepted reply
   * unless it really is one. */
  GRand *rand = g_rand_new_with_seed (20261127);

  for (int round = 0; round < 2000; round++)
    {
      guint8 data[300];
      gsize len = g_rand_int_range (rand, 1, sizeof data);
      MtcProtocol protocol = g_rand_int_range (rand, MTC_PROTOCOL_SMTP, MTC_PROTOCOL_POP3 + 1);
      g_autoptr(MtcLineBuffer) buffer = mtc_line_buffer_new ();
      g_autoptr(MtcReply) reply = mtc_reply_new (protocol, round % 2 ? "a1" : NULL, round % 3 == 0);
      g_autofree char *words = NULL;

      for (gsize i = 0; i < len; i++)
        data[i] = g_rand_int_range (rand, 0, 256);
      mtc_line_buffer_append (buffer, data, len);
      mtc_reply_feed (reply, buffer);
      words = mtc_reply_get_words (reply);
      g_assert_true (g_utf8_validate (words, -1, NULL));
    }
  g_rand_free (rand);
}

static void
test_sanitize (void)
{
  g_autofree char *a = mtc_quote_text ("220 ok\x1b[31mred\x07", -1, 100);
  g_autofree char *b = mtc_quote_text ("caf\xc3\xa9 \xff\xfe", -1, 100);
  g_autofree char *c = mtc_quote_text ("abcdefghij", -1, 4);

  g_assert_cmpstr (a, ==, "220 ok?[31mred?");
  g_assert_true (g_str_has_prefix (b, "café "));
  g_assert_null (strchr (b, '\xff'));
  g_assert_cmpstr (c, ==, "abc…");

  /* Nothing that reorders or breaks the line: a right-to-left override, a
   * zero-width space, a line separator.  And nothing received at all. */
  {
    g_autofree char *d = mtc_quote_text ("220 \u202Eten.live\u202C x\u200By\u2028z", -1, 100);
    g_autofree char *e = mtc_quote_text (NULL, 0, 100);

    g_assert_cmpstr (d, ==, "220 ?ten.live? x?y?z");
    g_assert_cmpstr (e, ==, "");
  }

  g_assert_true (mtc_looks_like_plaintext_greeting ((const guint8 *) "220 mx ESMTP\r\n", 14));
  g_assert_true (mtc_looks_like_plaintext_greeting ((const guint8 *) "* OK ready", 10));
  g_assert_true (mtc_looks_like_plaintext_greeting ((const guint8 *) "+OK", 3));
  g_assert_false (mtc_looks_like_plaintext_greeting ((const guint8 *) "\x15\x03\x03\x00\x02\x02\x46", 7));
  g_assert_false (mtc_looks_like_plaintext_greeting ((const guint8 *) "\x16\x03\x03\x00\x5a\x02", 6));
  g_assert_false (mtc_looks_like_plaintext_greeting ((const guint8 *) "", 0));
}

typedef struct {
  MtcProtocol protocol;
  MtcSecurity security;
  const char *request;      /* expected, or NULL */
  const char *input;
  MtcInsideState state;
} InsideCase;

/* What is asked right after the handshake, and how the answer is read. */
/* Whether a capability reply offers a login, on the replies real servers
 * sent (tests/real/servers.sh's Dovecot 2.3 with disable_plaintext_auth,
 * Postfix 3.7 with TLS enforced on 587 and as shipped on 25), before
 * STARTTLS and after it, and on the usual forms beside them. */
static void
test_login_offered (void)
{
  static const struct {
    MtcProtocol protocol;
    const char *tag;
    gboolean multiline;
    const char *text;
    MtcLogin login;
  } cases[] = {
    /* Dovecot, before STARTTLS: LOGINDISABLED in the greeting's capabilities. */
    { MTC_PROTOCOL_IMAP, NULL, FALSE, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
      "STARTTLS LOGINDISABLED] Mail TLS Check real-server test (mtc-real-modern) ready.\r\n", MTC_LOGIN_NOT_OFFERED },
    { MTC_PROTOCOL_IMAP, "a1", FALSE, "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
      "LOGINDISABLED\r\na1 OK Pre-login capabilities listed, post-login capabilities have more.\r\n",
      MTC_LOGIN_NOT_OFFERED },
    { MTC_PROTOCOL_IMAP, "a1", FALSE, "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN\r\na1 OK done\r\n",
      MTC_LOGIN_OFFERED },
    /* A greeting without capabilities says nothing. */
    { MTC_PROTOCOL_IMAP, NULL, FALSE, "* OK ready\r\n", MTC_LOGIN_UNKNOWN },
    /* Dovecot's POP3 before STLS: a bare SASL, no USER. */
    { MTC_PROTOCOL_POP3, NULL, TRUE, "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\n"
      "AUTH-RESP-CODE\r\nSTLS\r\nSASL\r\n.\r\n", MTC_LOGIN_NOT_OFFERED },
    { MTC_PROTOCOL_POP3, NULL, TRUE, "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", MTC_LOGIN_OFFERED },
    { MTC_PROTOCOL_POP3, NULL, TRUE, "+OK\r\nTOP\r\nSASL PLAIN LOGIN\r\n.\r\n", MTC_LOGIN_OFFERED },
    /* Postfix before STARTTLS on 587 (and on 25): no AUTH. */
    { MTC_PROTOCOL_SMTP, NULL, FALSE, "250-mail.real.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n"
      "250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 CHUNKING\r\n",
      MTC_LOGIN_NOT_OFFERED },
    { MTC_PROTOCOL_SMTP, NULL, FALSE, "250-mail.real.test\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n"
      "250 CHUNKING\r\n", MTC_LOGIN_OFFERED },
    /* The server's own name on the first line is no capability. */
    { MTC_PROTOCOL_SMTP, NULL, FALSE, "250-AUTH\r\n250 8BITMIME\r\n", MTC_LOGIN_NOT_OFFERED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MtcReply *reply = NULL;

      g_assert_cmpint (parse (cases[i].protocol, cases[i].tag, cases[i].multiline, cases[i].text, &reply), ==,
                       MTC_REPLY_DONE);
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (mtc_login_to_string (mtc_reply_login_offered (reply)), ==,
                       mtc_login_to_string (cases[i].login));
      mtc_reply_free (reply);
    }
}

static void
test_inside_tls (void)
{
  static const InsideCase cases[] = {
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, NULL, "220 mx ESMTP\r\n", MTC_INSIDE_NORMAL },
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, NULL, "421 4.7.66 TLS 1.0 and 1.1 are not supported.\r\n",
      MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "EHLO [192.0.2.1]\r\n", "250-mx\r\n250 AUTH PLAIN\r\n",
      MTC_INSIDE_NORMAL },
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "EHLO [192.0.2.1]\r\n", "554 5.7.1 go away\r\n", MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, "EHLO [192.0.2.1]\r\n", "454 4.7.0 TLS 1.0 not accepted\r\n",
      MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, NULL, "* OK ready\r\n", MTC_INSIDE_NORMAL },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, NULL, "* BYE not with TLS 1.0\r\n", MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, NULL, "* PREAUTH hello\r\n", MTC_INSIDE_PREAUTH },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, NULL, "HTTP/1.1 400 Bad Request\r\n", MTC_INSIDE_NOT_PROTOCOL },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, "a3 CAPABILITY\r\n", "* CAPABILITY IMAP4rev1\r\na3 OK\r\n",
      MTC_INSIDE_NORMAL },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, "a3 CAPABILITY\r\n", "* BYE no\r\n", MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, "a3 CAPABILITY\r\n", "a3 NO no\r\n", MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, "CAPA\r\n", "+OK\r\nUSER\r\n.\r\n", MTC_INSIDE_NORMAL },
    { MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, "CAPA\r\n", "-ERR TLS 1.0 is off\r\n", MTC_INSIDE_REFUSED },
    { MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, NULL, "+OK ready\r\n", MTC_INSIDE_NORMAL },
    { MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, "HEAD / HTTP/1.1\r\nHost: mail.example.net\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 200 OK\r\n", MTC_INSIDE_NORMAL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const InsideCase *c = &cases[i];
      g_autoptr(MtcInsideTls) inside = mtc_inside_tls_new (c->protocol, c->security, "mail.example.net",
                                                           "EHLO [192.0.2.1]\r\n");
      gsize len = strlen (c->input);
      MtcInsideState state = MTC_INSIDE_WAITING;

      g_assert_cmpstr (inside->request, ==, c->request);
      /* Byte by byte: the answer may come in pieces. */
      for (gsize j = 0; j < len && state == MTC_INSIDE_WAITING; j++)
        state = mtc_inside_tls_feed (inside, (const guint8 *) c->input + j, 1);
      g_assert_cmpint (state, ==, c->state);
      g_assert_nonnull (inside->words);
    }

  /* A close or silence before a whole answer keeps what came. */
  {
    g_autoptr(MtcInsideTls) inside = mtc_inside_tls_new (MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, NULL, NULL);

    g_assert_cmpint (mtc_inside_tls_feed (inside, (const guint8 *) "220-mx", 6), ==, MTC_INSIDE_WAITING);
    mtc_inside_tls_end (inside, MTC_INSIDE_CLOSED);
    g_assert_cmpint (inside->state, ==, MTC_INSIDE_CLOSED);
    g_assert_cmpstr (inside->words, ==, "220-mx");
  }
  {
    g_autoptr(MtcInsideTls) inside = mtc_inside_tls_new (MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, NULL, NULL);

    mtc_inside_tls_end (inside, MTC_INSIDE_SILENT);
    g_assert_cmpint (inside->state, ==, MTC_INSIDE_SILENT);
    g_assert_null (inside->words);
  }
  /* An IPv6 literal in the Host header has brackets. */
  {
    g_autoptr(MtcInsideTls) inside = mtc_inside_tls_new (MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, "::1", NULL);

    g_assert_nonnull (strstr (inside->request, "Host: [::1]\r\n"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mtc/dialogue/line-buffer", test_line_buffer);
  g_test_add_func ("/mtc/dialogue/smtp", test_smtp);
  g_test_add_func ("/mtc/dialogue/imap", test_imap);
  g_test_add_func ("/mtc/dialogue/pop3", test_pop3);
  g_test_add_func ("/mtc/dialogue/bounds", test_bounds);
  g_test_add_func ("/mtc/dialogue/garbage", test_garbage);
  g_test_add_func ("/mtc/dialogue/sanitize", test_sanitize);
  g_test_add_func ("/mtc/dialogue/inside-tls", test_inside_tls);
  g_test_add_func ("/mtc/dialogue/login-offered", test_login_offered);
  return g_test_run ();
}
