/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-demo-server-private.h"

/* What the servers say: the start of every connection (and the misbehaviours
 * right after accept), the greetings, and the commands of SMTP, IMAP and
 * POP3 and the requests of HTTP, one line at a time.  The misbehaviours
 * that are words of the dialogue live here too:
 *  - at once after accept, in plaintext: SILENT, CLOSE, OTHER_SERVICE, HTTP,
 *    PLAINTEXT (which then speaks the STARTTLS variant's dialogue), and the
 *    connection limits;
 *  - where the greeting is (inside TLS on an implicit-TLS port): BUSY,
 *    LONG_LINE, PREAUTH, NO_GREETING_CAPABILITY, MULTILINE_GREETING;
 *  - in the dialogue: NO_STARTTLS, INJECTION, INJECTION_HIDDEN, STARTTLS_250,
 *    DIE_MID_DIALOGUE.
 * Those where TLS starts are in mtc-demo-misbehaviour.c. */

#define LONG_LINE_LENGTH 100000

#define IMAP_CAPABILITIES "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+"

static const char webmail_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mail TLS Check demo webmail</title></head>\n"
  "<body><h1>Mail TLS Check demo webmail</h1><p>This is the demo provider's webmail.</p></body></html>\n";

/* Helpers */

static gboolean
may_start_tls (Connection *conn)
{
  return conn->session == NULL && conn->mode == MODE_LINES
         && (conn->config.security == MTC_SECURITY_STARTTLS || conn->config.behaviour == MTC_DEMO_PLAINTEXT)
         && conn->config.behaviour != MTC_DEMO_NO_STARTTLS
         && conn->config.behaviour != MTC_DEMO_PREAUTH;
}

/* Whether this dialogue is still in plaintext although TLS is expected first. */
static gboolean
needs_tls_first (Connection *conn)
{
  return conn->session == NULL && conn->config.behaviour != MTC_DEMO_NO_STARTTLS && !conn->config.plain_login;
}

static char *
imap_capabilities (Connection *conn)
{
  if (may_start_tls (conn))
    return g_strdup (needs_tls_first (conn) ? IMAP_CAPABILITIES " STARTTLS LOGINDISABLED"
                                            : IMAP_CAPABILITIES " STARTTLS AUTH=PLAIN");
  return g_strdup (IMAP_CAPABILITIES " AUTH=PLAIN");
}

static void
send_long_line (Connection *conn)
{
  guint8 *line = g_malloc (LONG_LINE_LENGTH);

  memset (line, 'A', LONG_LINE_LENGTH);
  conn->mode = MODE_DISCARD;
  mtc_demo_connection_send (conn, g_bytes_new_take (line, LONG_LINE_LENGTH), NEXT_CONTINUE);
}

/* The words of servers that limit connections per client address. */
static void
send_turn_away (Connection *conn)
{
  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "421 4.7.0 Too many connections from your host\r\n");
      break;
    case MTC_PROTOCOL_IMAP:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "* BYE Too many connections\r\n");
      break;
    case MTC_PROTOCOL_POP3:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "-ERR [IN-USE] Too many connections\r\n");
      break;
    case MTC_PROTOCOL_HTTPS:
    default:
      mtc_demo_connection_close (conn);
      break;
    }
}

/* A STARTTLS OK that fills a 4096-byte read exactly, and behind it, in the
 * same write, a forged TLS alert (handshake_failure): only a look at the
 * socket itself finds these bytes before the client's hello. */
static void
send_hidden_injection (Connection *conn)
{
  static const char alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
  GByteArray *reply = g_byte_array_new ();
  const char *start = "220 2.0.0 Ready to start TLS ";

  g_byte_array_append (reply, (const guint8 *) start, strlen (start));
  while (reply->len < 4096 - 2)
    g_byte_array_append (reply, (const guint8 *) "x", 1);
  g_byte_array_append (reply, (const guint8 *) "\r\n", 2);
  g_byte_array_append (reply, (const guint8 *) alert, sizeof alert);
  mtc_demo_connection_send (conn, g_byte_array_free_to_bytes (reply), NEXT_START_TLS);
}

static void
split_command (const char  *line,
               char       **out_word,
               const char **out_rest)
{
  const char *space = strchr (line, ' ');

  *out_word = space != NULL ? g_strndup (line, space - line) : g_strdup (line);
  *out_rest = space != NULL ? space + 1 : "";
}

static void
smtp_command (Connection *conn,
              const char *line)
{
  g_autofree char *verb = NULL;
  const char *args;
  gboolean tls_offered = may_start_tls (conn);

  split_command (line, &verb, &args);

  if (*line == '\0')
    mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "500 5.5.2 Error: bad syntax\r\n");
  else if (g_ascii_strcasecmp (verb, "EHLO") == 0)
    {
      if (*args == '\0')
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "501 5.5.4 Syntax: EHLO hostname\r\n");
      else
        mtc_demo_connection_send_printf (conn, NEXT_CONTINUE,
                                         "250-" SERVER_NAME "\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
                                         "%s%s250 8BITMIME\r\n",
                                         tls_offered ? "250-STARTTLS\r\n" : "",
                                         needs_tls_first (conn) || conn->config.relay_only ? "" : "250-AUTH PLAIN LOGIN\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "HELO") == 0)
    {
      if (*args == '\0')
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "501 5.5.4 Syntax: HELO hostname\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "250 " SERVER_NAME "\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "STARTTLS") == 0)
    {
      if (conn->session != NULL)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "554 5.5.1 Error: TLS already active\r\n");
      else if (!tls_offered)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "454 4.7.0 TLS not available\r\n");
      else if (*args != '\0')
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "501 5.5.4 Syntax: STARTTLS\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION)
        mtc_demo_connection_send_text (conn, NEXT_START_TLS, "220 2.0.0 Ready to start TLS\r\n250 injected\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_LATE)
        mtc_demo_connection_send_text (conn, NEXT_LATE_INJECTION, "220 2.0.0 Ready to start TLS\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_HIDDEN)
        send_hidden_injection (conn);
      else if (conn->config.behaviour == MTC_DEMO_STARTTLS_250)
        mtc_demo_connection_send_text (conn, NEXT_START_TLS, "250 2.0.0 Ok, go ahead\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_START_TLS, "220 2.0.0 Ready to start TLS\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "QUIT") == 0)
    {
      mtc_demo_connection_count_polite (conn);
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "221 2.0.0 Bye\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "NOOP") == 0 || g_ascii_strcasecmp (verb, "RSET") == 0)
    mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "250 2.0.0 Ok\r\n");
  else if (g_ascii_strcasecmp (verb, "AUTH") == 0 || g_ascii_strcasecmp (verb, "MAIL") == 0
           || g_ascii_strcasecmp (verb, "RCPT") == 0 || g_ascii_strcasecmp (verb, "DATA") == 0)
    {
      if (needs_tls_first (conn))
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "530 5.7.0 Must issue a STARTTLS command first\r\n");
      else if (g_ascii_strcasecmp (verb, "AUTH") == 0)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "535 5.7.8 Error: authentication failed\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "530 5.7.0 Authentication required\r\n");
    }
  else
    mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "502 5.5.2 Error: command not recognized\r\n");
}

static void
imap_command (Connection *conn,
              const char *line)
{
  g_autofree char *tag = NULL;
  g_autofree char *command = NULL;
  g_autofree char *capabilities = NULL;
  const char *rest;
  const char *args;

  split_command (line, &tag, &rest);
  if (*tag == '\0' || *rest == '\0' || strcmp (tag, "*") == 0 || strcmp (tag, "+") == 0)
    {
      mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "* BAD Error in IMAP command received by server.\r\n");
      return;
    }
  split_command (rest, &command, &args);

  if (g_ascii_strcasecmp (command, "CAPABILITY") == 0)
    {
      capabilities = imap_capabilities (conn);
      mtc_demo_connection_send_printf (conn, NEXT_CONTINUE, "* CAPABILITY %s\r\n%s OK Capability completed.\r\n",
                                       capabilities, tag);
    }
  else if (g_ascii_strcasecmp (command, "STARTTLS") == 0)
    {
      if (conn->session != NULL)
        mtc_demo_connection_send_printf (conn, NEXT_CONTINUE, "%s BAD TLS is already active.\r\n", tag);
      else if (conn->config.behaviour == MTC_DEMO_PREAUTH)
        mtc_demo_connection_send_printf (conn, NEXT_CONTINUE,
                                         "%s BAD STARTTLS not allowed in authenticated state\r\n", tag);
      else if (!may_start_tls (conn))
        mtc_demo_connection_send_printf (conn, NEXT_CONTINUE, "%s BAD STARTTLS not supported\r\n", tag);
      else if (conn->config.behaviour == MTC_DEMO_INJECTION)
        mtc_demo_connection_send_printf (conn, NEXT_START_TLS,
                                         "%s OK Begin TLS negotiation now.\r\n* OK injected\r\n", tag);
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_LATE)
        mtc_demo_connection_send_printf (conn, NEXT_LATE_INJECTION, "%s OK Begin TLS negotiation now.\r\n", tag);
      else
        mtc_demo_connection_send_printf (conn, NEXT_START_TLS, "%s OK Begin TLS negotiation now.\r\n", tag);
    }
  else if (g_ascii_strcasecmp (command, "LOGOUT") == 0)
    {
      mtc_demo_connection_count_polite (conn);
      mtc_demo_connection_send_printf (conn, NEXT_CLOSE, "* BYE Logging out\r\n%s OK Logout completed.\r\n", tag);
    }
  else if (g_ascii_strcasecmp (command, "NOOP") == 0)
    mtc_demo_connection_send_printf (conn, NEXT_CONTINUE, "%s OK NOOP completed.\r\n", tag);
  else if (g_ascii_strcasecmp (command, "ID") == 0)
    mtc_demo_connection_send_printf (conn, NEXT_CONTINUE,
                                     "* ID (\"name\" \"Mail TLS Check demo\")\r\n%s OK ID completed.\r\n", tag);
  else if (g_ascii_strcasecmp (command, "LOGIN") == 0 || g_ascii_strcasecmp (command, "AUTHENTICATE") == 0)
    {
      if (needs_tls_first (conn) && conn->config.behaviour != MTC_DEMO_PREAUTH)
        mtc_demo_connection_send_printf (conn, NEXT_CONTINUE,
                                         "%s NO [PRIVACYREQUIRED] Plaintext authentication disallowed "
                                         "on non-secure (SSL/TLS) connections.\r\n", tag);
      else
        mtc_demo_connection_send_printf (conn, NEXT_CONTINUE,
                                         "%s NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", tag);
    }
  else
    mtc_demo_connection_send_printf (conn, NEXT_CONTINUE, "%s BAD Error in IMAP command\r\n", tag);
}

static void
pop3_command (Connection *conn,
              const char *line)
{
  g_autofree char *verb = NULL;
  const char *args;
  gboolean tls_offered = may_start_tls (conn);

  split_command (line, &verb, &args);

  if (g_ascii_strcasecmp (verb, "CAPA") == 0)
    mtc_demo_connection_send_printf (conn, NEXT_CONTINUE,
                                     "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n"
                                     "%s%s\r\n.\r\n",
                                     tls_offered ? "STLS\r\n" : "",
                                     needs_tls_first (conn) ? "SASL" : "USER\r\nSASL PLAIN");
  else if (g_ascii_strcasecmp (verb, "STLS") == 0)
    {
      if (conn->session != NULL)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "-ERR [IN-USE] TLS is already active.\r\n");
      else if (!tls_offered)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "-ERR STLS not supported\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION)
        mtc_demo_connection_send_text (conn, NEXT_START_TLS, "+OK Begin TLS negotiation now.\r\n+OK injected\r\n");
      else if (conn->config.behaviour == MTC_DEMO_INJECTION_LATE)
        mtc_demo_connection_send_text (conn, NEXT_LATE_INJECTION, "+OK Begin TLS negotiation now.\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_START_TLS, "+OK Begin TLS negotiation now.\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "QUIT") == 0)
    {
      mtc_demo_connection_count_polite (conn);
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "+OK Logging out.\r\n");
    }
  else if (g_ascii_strcasecmp (verb, "USER") == 0 || g_ascii_strcasecmp (verb, "PASS") == 0
           || g_ascii_strcasecmp (verb, "AUTH") == 0 || g_ascii_strcasecmp (verb, "APOP") == 0)
    {
      if (needs_tls_first (conn))
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "-ERR [AUTH] Plaintext authentication disallowed on "
                                       "non-secure (SSL/TLS) connections.\r\n");
      else if (g_ascii_strcasecmp (verb, "USER") == 0)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "+OK\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "-ERR [AUTH] Authentication failed.\r\n");
    }
  else
    mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "-ERR Unknown command.\r\n");
}

static gboolean
is_request_line (const char *line,
                 gboolean   *out_head)
{
  g_auto (GStrv) parts = g_strsplit (line, " ", -1);

  if (g_strv_length (parts) != 3 || *parts[0] == '\0' || !g_str_has_prefix (parts[2], "HTTP/1."))
    return FALSE;
  for (const char *c = parts[0]; *c != '\0'; c++)
    if (!g_ascii_isupper (*c))
      return FALSE;
  *out_head = strcmp (parts[0], "HEAD") == 0;
  return TRUE;
}

static void
http_line (Connection *conn,
           const char *line)
{
  gboolean head = FALSE;

  if (!conn->request_line_seen)
    {
      if (*line == '\0')
        return;   /* RFC 9112: ignore empty lines before the request line */
      if (!is_request_line (line, &head))
        {
          mtc_demo_dialogue_send_bad_request (conn);
          return;
        }
      conn->request_line_seen = TRUE;
      conn->head_request = head;
      return;
    }
  if (*line != '\0')
    return;

  /* A whole request ends the conversation as politely as QUIT does: the
   * server closes after its answer. */
  mtc_demo_connection_count_polite (conn);
  if (conn->config.behaviour == MTC_DEMO_BUSY)
    mtc_demo_connection_send_text (conn, NEXT_CLOSE,
                                   "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 60\r\n"
                                   "Connection: close\r\n\r\n");
  else
    mtc_demo_connection_send_printf (conn, NEXT_CLOSE,
                                     "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %"
                                     G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n%s",
                                     strlen (webmail_page), conn->head_request ? "" : webmail_page);
}

/* Private API */

void
mtc_demo_dialogue_start (Connection *conn)
{
  switch (conn->config.behaviour)
    {
    case MTC_DEMO_CLOSE:
      mtc_demo_connection_close (conn);
      return;
    case MTC_DEMO_SILENT:
      conn->mode = MODE_DISCARD;
      mtc_demo_connection_read (conn);
      return;
    case MTC_DEMO_OTHER_SERVICE:
      conn->mode = MODE_CLOSE_ON_DATA;
      mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
      return;
    case MTC_DEMO_HTTP:
      mtc_demo_dialogue_send_bad_request (conn);
      return;
    case MTC_DEMO_CONNECTION_LIMIT_RESET:
      if (conn->over_limit)
        {
          mtc_demo_connection_reset (conn);
          return;
        }
      break;
    case MTC_DEMO_CONNECTION_LIMIT_HOST:
      if (conn->over_limit && conn->config.protocol == MTC_PROTOCOL_SMTP)
        {
          /* Exim's own words, before any TLS. */
          mtc_demo_connection_send_text (conn, NEXT_CLOSE,
                                         "421 Too many concurrent SMTP connections from this IP address; "
                                         "please try again later.\r\n");
          return;
        }
      if (conn->over_limit)
        {
          send_turn_away (conn);
          return;
        }
      break;
    default:
      break;
    }

  if (conn->config.security == MTC_SECURITY_IMPLICIT && conn->config.behaviour != MTC_DEMO_PLAINTEXT)
    mtc_demo_tls_start (conn);
  else
    mtc_demo_dialogue_greet (conn);
}

void
mtc_demo_dialogue_greet (Connection *conn)
{
  g_autofree char *capabilities = NULL;

  conn->greeted = TRUE;
  conn->once_delay_ms += conn->config.greeting_delay_ms;

  if (conn->config.behaviour == MTC_DEMO_LONG_LINE)
    {
      send_long_line (conn);
      return;
    }
  if (conn->over_limit)
    {
      send_turn_away (conn);
      return;
    }

  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      if (conn->config.behaviour == MTC_DEMO_BUSY)
        mtc_demo_connection_send_printf (conn, NEXT_CLOSE,
                                         "421 4.7.0 " SERVER_NAME " Error: too many connections from %s\r\n",
                                         conn->peer);
      else if (conn->config.behaviour == MTC_DEMO_MULTILINE_GREETING)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE,
                                       "220-" SERVER_NAME " ESMTP\r\n220-Welcome to the demo\r\n220 Ready\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "220 " SERVER_NAME " ESMTP Mail TLS Check demo\r\n");
      break;

    case MTC_PROTOCOL_IMAP:
      if (conn->config.behaviour == MTC_DEMO_BUSY)
        mtc_demo_connection_send_text (conn, NEXT_CLOSE, "* BYE Too many connections from your IP address\r\n");
      else if (conn->config.behaviour == MTC_DEMO_PREAUTH || conn->config.behaviour == MTC_DEMO_PREAUTH_OLD_REFUSED)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, conn->session == NULL
                                       ? "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] Logged in as demo\r\n"
                                       : "* PREAUTH [CAPABILITY IMAP4rev1] Logged in as demo\r\n");
      else if (conn->config.behaviour == MTC_DEMO_NO_GREETING_CAPABILITY)
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "* OK Mail TLS Check demo ready.\r\n");
      else
        {
          capabilities = imap_capabilities (conn);
          mtc_demo_connection_send_printf (conn, NEXT_CONTINUE, "* OK [CAPABILITY %s] Mail TLS Check demo ready.\r\n",
                                           capabilities);
        }
      break;

    case MTC_PROTOCOL_POP3:
      if (conn->config.behaviour == MTC_DEMO_BUSY)
        mtc_demo_connection_send_text (conn, NEXT_CLOSE, "-ERR [IN-USE] Too many connections\r\n");
      else
        mtc_demo_connection_send_text (conn, NEXT_CONTINUE, "+OK Mail TLS Check demo ready.\r\n");
      break;

    case MTC_PROTOCOL_HTTPS:
      /* The client speaks first. */
      mtc_demo_connection_continue (conn);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
mtc_demo_dialogue_line (Connection *conn,
                        const char *line)
{
  if (conn->config.behaviour == MTC_DEMO_DIE_MID_DIALOGUE)
    {
      mtc_demo_connection_close (conn);
      return;
    }
  if (mtc_demo_misbehaviour_old_tls_refused (conn))
    {
      mtc_demo_misbehaviour_refuse_inside_tls (conn);
      return;
    }

  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      smtp_command (conn, line);
      break;
    case MTC_PROTOCOL_IMAP:
      imap_command (conn, line);
      break;
    case MTC_PROTOCOL_POP3:
      pop3_command (conn, line);
      break;
    case MTC_PROTOCOL_HTTPS:
      http_line (conn, line);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
mtc_demo_dialogue_send_bad_request (Connection *conn)
{
  mtc_demo_connection_send_text (conn, NEXT_CLOSE,
                                 "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}
