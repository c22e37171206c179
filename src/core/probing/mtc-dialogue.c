/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-dialogue.h"
#include "mtc-quote.h"

/* Most bytes one reply may have in all. */
#define REPLY_MAX_BYTES (64 * 1024)

struct _MtcLineBuffer {
  GByteArray *data;
  gsize scanned;  /* bytes already known to hold no line end */
};

MtcLineBuffer *
mtc_line_buffer_new (void)
{
  MtcLineBuffer *buffer = g_new0 (MtcLineBuffer, 1);

  buffer->data = g_byte_array_new ();
  return buffer;
}

void
mtc_line_buffer_free (MtcLineBuffer *buffer)
{
  if (buffer == NULL)
    return;
  g_byte_array_unref (buffer->data);
  g_free (buffer);
}

void
mtc_line_buffer_append (MtcLineBuffer *buffer,
                        const guint8  *data,
                        gsize          len)
{
  g_byte_array_append (buffer->data, data, len);
}

char *
mtc_line_buffer_take_line (MtcLineBuffer *buffer,
                           gboolean      *too_long)
{
  const guint8 *start = buffer->data->data;
  const guint8 *nl;
  gsize line_len;
  char *line;

  *too_long = FALSE;
  /* A buffer that never held anything has no data pointer to search. */
  if (buffer->data->len == 0)
    return NULL;
  nl = memchr (start + buffer->scanned, '\n', buffer->data->len - buffer->scanned);
  if (nl == NULL)
    {
      buffer->scanned = buffer->data->len;
      *too_long = buffer->data->len > MTC_LINE_MAX;
      return NULL;
    }
  line_len = nl - start;
  if (line_len > MTC_LINE_MAX)
    {
      *too_long = TRUE;
      return NULL;
    }
  line = g_strndup ((const char *) start, line_len);
  if (line_len > 0 && line[line_len - 1] == '\r')
    line[line_len - 1] = '\0';
  g_byte_array_remove_range (buffer->data, 0, line_len + 1);
  buffer->scanned = 0;
  return line;
}

gsize
mtc_line_buffer_get_pending (MtcLineBuffer *buffer)
{
  return buffer->data->len;
}

const guint8 *
mtc_line_buffer_peek (MtcLineBuffer *buffer,
                      gsize         *len)
{
  *len = buffer->data->len;
  return buffer->data->data;
}

MtcReply *
mtc_reply_new (MtcProtocol protocol,
               const char *imap_tag,
               gboolean    multiline)
{
  MtcReply *reply = g_new0 (MtcReply, 1);

  reply->protocol = protocol;
  reply->imap_tag = g_strdup (imap_tag);
  reply->multiline = multiline;
  reply->lines = g_ptr_array_new_with_free_func (g_free);
  reply->texts = g_ptr_array_new_with_free_func (g_free);
  return reply;
}

void
mtc_reply_free (MtcReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->imap_tag);
  g_ptr_array_unref (reply->lines);
  g_ptr_array_unref (reply->texts);
  g_free (reply);
}

static gboolean
has_word_prefix (const char *line,
                 const char *word,
                 const char **rest)
{
  gsize len = strlen (word);

  if (g_ascii_strncasecmp (line, word, len) != 0)
    return FALSE;
  if (line[len] != '\0' && line[len] != ' ')
    return FALSE;
  *rest = line[len] == ' ' ? line + len + 1 : line + len;
  return TRUE;
}

static MtcReplyState
feed_smtp (MtcReply   *reply,
           const char *line)
{
  int code;
  char sep;

  if (strlen (line) < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2])
      || line[0] < '2' || line[0] > '5')
    return MTC_REPLY_MALFORMED;
  sep = line[3];
  if (sep != '\0' && sep != ' ' && sep != '-')
    return MTC_REPLY_MALFORMED;
  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (reply->lines->len > 1 && code != reply->code)
    return MTC_REPLY_MALFORMED;
  reply->code = code;
  g_ptr_array_add (reply->texts, g_strdup (sep == '\0' ? "" : line + 4));
  if (sep == '-')
    return MTC_REPLY_INCOMPLETE;
  if (code == 421)
    reply->kind = MTC_REPLY_BYE;
  else
    reply->kind = code < 400 ? MTC_REPLY_POSITIVE : MTC_REPLY_NEGATIVE;
  return MTC_REPLY_DONE;
}

static MtcReplyState
imap_status (MtcReply   *reply,
             const char *text,
             gboolean    greeting)
{
  const char *rest;

  if (has_word_prefix (text, "OK", &rest))
    reply->kind = MTC_REPLY_POSITIVE;
  else if (has_word_prefix (text, "NO", &rest) || has_word_prefix (text, "BAD", &rest))
    reply->kind = MTC_REPLY_NEGATIVE;
  else if (has_word_prefix (text, "BYE", &rest))
    reply->kind = MTC_REPLY_BYE;
  else if (greeting && has_word_prefix (text, "PREAUTH", &rest))
    reply->kind = MTC_REPLY_PREAUTH;
  else
    return MTC_REPLY_MALFORMED;
  g_ptr_array_add (reply->texts, g_strdup (rest));
  return MTC_REPLY_DONE;
}

static MtcReplyState
feed_imap (MtcReply   *reply,
           const char *line)
{
  const char *rest;

  if (reply->imap_tag == NULL)
    {
      if (!has_word_prefix (line, "*", &rest))
        return MTC_REPLY_MALFORMED;
      return imap_status (reply, rest, TRUE);
    }
  if (has_word_prefix (line, "*", &rest))
    {
      /* An untagged BYE ends the conversation whatever the tag. */
      if (has_word_prefix (rest, "BYE", &rest))
        {
          reply->kind = MTC_REPLY_BYE;
          g_ptr_array_add (reply->texts, g_strdup (rest));
          return MTC_REPLY_DONE;
        }
      g_ptr_array_add (reply->texts, g_strdup (rest));
      return MTC_REPLY_INCOMPLETE;
    }
  if (has_word_prefix (line, reply->imap_tag, &rest))
    return imap_status (reply, rest, FALSE);
  return MTC_REPLY_MALFORMED;
}

static MtcReplyState
feed_pop3 (MtcReply   *reply,
           const char *line)
{
  const char *rest;

  if (reply->lines->len == 1)
    {
      if (has_word_prefix (line, "+OK", &rest))
        reply->kind = MTC_REPLY_POSITIVE;
      else if (has_word_prefix (line, "-ERR", &rest))
        reply->kind = MTC_REPLY_NEGATIVE;
      else
        return MTC_REPLY_MALFORMED;
      g_ptr_array_add (reply->texts, g_strdup (rest));
      if (reply->multiline && reply->kind == MTC_REPLY_POSITIVE)
        return MTC_REPLY_INCOMPLETE;
      return MTC_REPLY_DONE;
    }
  if (strcmp (line, ".") == 0)
    return MTC_REPLY_DONE;
  /* Byte-stuffed lines start with an extra dot. */
  g_ptr_array_add (reply->texts, g_strdup (line[0] == '.' ? line + 1 : line));
  return MTC_REPLY_INCOMPLETE;
}

MtcReplyState
mtc_reply_feed_line (MtcReply   *reply,
                     const char *line)
{
  gsize len = strlen (line);

  g_return_val_if_fail (reply->state == MTC_REPLY_INCOMPLETE, reply->state);

  reply->bytes += len + 2;
  if (len > MTC_LINE_MAX || reply->lines->len >= MTC_REPLY_MAX_LINES || reply->bytes > REPLY_MAX_BYTES)
    return reply->state = MTC_REPLY_TOO_LONG;
  g_ptr_array_add (reply->lines, g_strdup (line));

  switch (reply->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      reply->state = feed_smtp (reply, line);
      break;
    case MTC_PROTOCOL_IMAP:
      reply->state = feed_imap (reply, line);
      break;
    case MTC_PROTOCOL_POP3:
      reply->state = feed_pop3 (reply, line);
      break;
    case MTC_PROTOCOL_HTTPS:
    default:
      reply->state = MTC_REPLY_MALFORMED;
      break;
    }
  return reply->state;
}

MtcReplyState
mtc_reply_feed (MtcReply      *reply,
                MtcLineBuffer *buffer)
{
  while (reply->state == MTC_REPLY_INCOMPLETE)
    {
      gboolean too_long;
      g_autofree char *line = mtc_line_buffer_take_line (buffer, &too_long);

      if (too_long)
        return reply->state = MTC_REPLY_TOO_LONG;
      if (line == NULL)
        break;
      mtc_reply_feed_line (reply, line);
    }
  return reply->state;
}

static gboolean
words_contain (const char *text,
               const char *word)
{
  g_auto(GStrv) words = g_strsplit_set (text, " []", -1);

  for (int i = 0; words[i]; i++)
    if (g_ascii_strcasecmp (words[i], word) == 0)
      return TRUE;
  return FALSE;
}

/* Capabilities: SMTP EHLO keywords, IMAP CAPABILITY (untagged or as a
 * response code), POP3 CAPA lines. */
gboolean
mtc_reply_has_capability (const MtcReply *reply,
                          const char     *capability)
{
  for (guint i = 0; i < reply->texts->len; i++)
    {
      const char *text = g_ptr_array_index (reply->texts, i);
      const char *rest;
      g_autofree char *first = NULL;

      switch (reply->protocol)
        {
        case MTC_PROTOCOL_SMTP:
          /* The first line of an EHLO reply is the server's name. */
          if (i == 0)
            continue;
          first = g_strndup (text, strcspn (text, " "));
          if (g_ascii_strcasecmp (first, capability) == 0)
            return TRUE;
          break;
        case MTC_PROTOCOL_IMAP:
          if (has_word_prefix (text, "CAPABILITY", &rest) && words_contain (rest, capability))
            return TRUE;
          if (text[0] == '[' && g_ascii_strncasecmp (text, "[CAPABILITY ", 12) == 0)
            {
              g_autofree char *code = g_strndup (text + 12, strcspn (text + 12, "]"));
              if (words_contain (code, capability))
                return TRUE;
            }
          break;
        case MTC_PROTOCOL_POP3:
          if (i == 0)
            continue;
          first = g_strndup (text, strcspn (text, " "));
          if (g_ascii_strcasecmp (first, capability) == 0)
            return TRUE;
          break;
        case MTC_PROTOCOL_HTTPS:
        default:
          break;
        }
    }
  return FALSE;
}

/* Whether a positive capability reply (SMTP EHLO, IMAP CAPABILITY, POP3
 * CAPA) offers a login on this connection as it is: SMTP lists AUTH (RFC
 * 4954); IMAP does unless it says LOGINDISABLED (RFC 3501 6.2.3); POP3
 * lists USER or SASL with a mechanism (RFC 2449 6.3, 6.6). A server that
 * accepts logins only with encryption says so before STARTTLS: Dovecot
 * with disable_plaintext_auth sends LOGINDISABLED and a bare "SASL",
 * Postfix with smtpd_tls_auth_only lists no AUTH. */
MtcLogin
mtc_reply_login_offered (const MtcReply *reply)
{
  switch (reply->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return mtc_reply_has_capability (reply, "AUTH") ? MTC_LOGIN_OFFERED : MTC_LOGIN_NOT_OFFERED;
    case MTC_PROTOCOL_IMAP:
      if (!mtc_reply_has_imap_capabilities (reply))
        return MTC_LOGIN_UNKNOWN;
      return mtc_reply_has_capability (reply, "LOGINDISABLED") ? MTC_LOGIN_NOT_OFFERED : MTC_LOGIN_OFFERED;
    case MTC_PROTOCOL_POP3:
      if (mtc_reply_has_capability (reply, "USER"))
        return MTC_LOGIN_OFFERED;
      for (guint i = 1; i < reply->texts->len; i++)
        {
          const char *text = g_ptr_array_index (reply->texts, i);
          const char *rest;

          if (has_word_prefix (text, "SASL", &rest) && rest[strspn (rest, " ")] != '\0')
            return MTC_LOGIN_OFFERED;
        }
      return MTC_LOGIN_NOT_OFFERED;
    case MTC_PROTOCOL_HTTPS:
    default:
      return MTC_LOGIN_UNKNOWN;
    }
}

gboolean
mtc_reply_has_imap_capabilities (const MtcReply *reply)
{
  for (guint i = 0; i < reply->texts->len; i++)
    {
      const char *text = g_ptr_array_index (reply->texts, i);
      const char *rest;

      if (has_word_prefix (text, "CAPABILITY", &rest) || g_ascii_strncasecmp (text, "[CAPABILITY ", 12) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The server's own words, one reply as one line of sanitised text. */
char *
mtc_reply_get_words (const MtcReply *reply)
{
  g_autoptr(GString) words = g_string_new (NULL);

  for (guint i = 0; i < reply->lines->len && words->len < 400; i++)
    {
      const char *line = g_ptr_array_index (reply->lines, i);
      g_autofree char *clean = mtc_quote_text (line, -1, 200);

      if (words->len > 0)
        g_string_append (words, " / ");
      g_string_append (words, clean);
    }
  return g_string_free (g_steal_pointer (&words), FALSE);
}

/* Words with which servers turn a connection away as one too many from this
 * client (Dovecot, Courier, Exim, Postfix, cPanel's limits). */
static const char *const too_many_words[] = {
  "too many connections",
  "too many concurrent",
  "too many simultaneous",
  "too many open connections",
  "maximum number of connections",
  "connection limit",
};

static gboolean
mentions_too_many (const char *text)
{
  g_autofree char *folded = g_ascii_strdown (text, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (too_many_words); i++)
    if (strstr (folded, too_many_words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Whether a greeting turns the connection away because this client already
 * has too many open: SMTP 421 (unless it speaks of TLS, which is a refusal of
 * the encryption), IMAP "* BYE" with a connection-limit text, POP3 "-ERR" with
 * the response code [IN-USE] or [SYS/TEMP] (RFC 2449, RFC 3206) or such a text. */
gboolean
mtc_reply_says_too_many_connections (const MtcReply *reply)
{
  g_autofree char *words = NULL;

  g_return_val_if_fail (reply != NULL, FALSE);

  if (reply->state != MTC_REPLY_DONE || reply->kind == MTC_REPLY_POSITIVE || reply->kind == MTC_REPLY_PREAUTH)
    return FALSE;
  words = mtc_reply_get_words (reply);
  switch (reply->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      if (reply->code == 421)
        {
          g_autofree char *folded = g_ascii_strdown (words, -1);
          return strstr (folded, "tls") == NULL || mentions_too_many (words);
        }
      return mentions_too_many (words);
    case MTC_PROTOCOL_IMAP:
      return reply->kind == MTC_REPLY_BYE && mentions_too_many (words);
    case MTC_PROTOCOL_POP3:
      for (guint i = 0; i < reply->texts->len; i++)
        {
          const char *text = g_ptr_array_index (reply->texts, i);

          if (g_ascii_strncasecmp (text, "[IN-USE]", 8) == 0 || g_ascii_strncasecmp (text, "[SYS/TEMP]", 10) == 0)
            return TRUE;
        }
      return mentions_too_many (words);
    case MTC_PROTOCOL_HTTPS:
    default:
      return FALSE;
    }
}

/* Whether bytes received where a TLS record was expected are a mail or web
 * server talking in plain text instead. */
gboolean
mtc_looks_like_plaintext_greeting (const guint8 *data,
                                   gsize         len)
{
  static const char * const prefixes[] = { "220", "421", "554", "* OK", "* BYE", "* PREAUTH", "+OK", "-ERR",
                                           "HTTP/", "SSH-", "<" };
  gsize printable = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize plen = strlen (prefixes[i]);
      if (len >= plen && g_ascii_strncasecmp ((const char *) data, prefixes[i], plen) == 0)
        return TRUE;
    }
  for (gsize i = 0; i < len && i < 64; i++)
    if (g_ascii_isprint (data[i]) || data[i] == '\r' || data[i] == '\n')
      printable++;
  return len >= 4 && printable == MIN (len, 64);
}

/* After the handshake: on an implicit-TLS port the server greets first;
 * after STARTTLS the client asks for the capabilities again (RFC 3207 4.2,
 * RFC 3501 6.2.1, RFC 2595 4); over HTTPS a HEAD request. EHLO is the
 * command the plaintext part used (an address literal of this computer). */
MtcInsideTls *
mtc_inside_tls_new (MtcProtocol  protocol,
                    MtcSecurity  security,
                    const char  *host,
                    const char  *ehlo)
{
  MtcInsideTls *inside = g_new0 (MtcInsideTls, 1);

  inside->protocol = protocol;
  inside->security = security;
  inside->lines = mtc_line_buffer_new ();
  if (protocol == MTC_PROTOCOL_HTTPS)
    {
      gboolean ipv6 = host != NULL && strchr (host, ':') != NULL;

      inside->request = g_strdup_printf ("HEAD / HTTP/1.1\r\nHost: %s%s%s\r\nConnection: close\r\n\r\n",
                                         ipv6 ? "[" : "", host != NULL ? host : "", ipv6 ? "]" : "");
      return inside;
    }
  if (security == MTC_SECURITY_IMPLICIT)
    inside->reply = mtc_reply_new (protocol, NULL, FALSE);
  else if (protocol == MTC_PROTOCOL_SMTP)
    {
      inside->request = g_strdup (ehlo != NULL ? ehlo : "EHLO [127.0.0.1]\r\n");
      inside->reply = mtc_reply_new (protocol, NULL, FALSE);
    }
  else if (protocol == MTC_PROTOCOL_IMAP)
    {
      inside->request = g_strdup ("a3 CAPABILITY\r\n");
      inside->reply = mtc_reply_new (protocol, "a3", FALSE);
    }
  else
    {
      inside->request = g_strdup ("CAPA\r\n");
      inside->reply = mtc_reply_new (protocol, NULL, TRUE);
    }
  return inside;
}

void
mtc_inside_tls_free (MtcInsideTls *inside)
{
  if (inside == NULL)
    return;
  g_free (inside->request);
  mtc_line_buffer_free (inside->lines);
  mtc_reply_free (inside->reply);
  g_free (inside->words);
  g_free (inside);
}

static MtcInsideState
feed_http (MtcInsideTls *inside)
{
  gboolean too_long;
  g_autofree char *line = mtc_line_buffer_take_line (inside->lines, &too_long);

  if (too_long)
    return MTC_INSIDE_TOO_LONG;
  if (line == NULL)
    return MTC_INSIDE_WAITING;
  inside->words = mtc_quote_text (line, -1, 120);
  /* Any status line: the web server answered over this TLS session. */
  return g_str_has_prefix (line, "HTTP/") ? MTC_INSIDE_NORMAL : MTC_INSIDE_NOT_PROTOCOL;
}

/* Feeds bytes received inside TLS; returns the state reached (WAITING while
 * more is needed). */
MtcInsideState
mtc_inside_tls_feed (MtcInsideTls *inside,
                     const guint8 *data,
                     gsize         len)
{
  MtcReplyState state;

  if (inside->state != MTC_INSIDE_WAITING)
    return inside->state;
  mtc_line_buffer_append (inside->lines, data, len);
  if (inside->reply == NULL)
    return inside->state = feed_http (inside);

  state = mtc_reply_feed (inside->reply, inside->lines);
  if (state == MTC_REPLY_INCOMPLETE)
    return MTC_INSIDE_WAITING;
  if (inside->reply->lines->len > 0)
    inside->words = mtc_reply_get_words (inside->reply);
  else
    {
      gsize pending;
      const guint8 *rest = mtc_line_buffer_peek (inside->lines, &pending);

      inside->words = mtc_quote_text ((const char *) rest, MIN (pending, 200), 120);
    }
  switch (state)
    {
    case MTC_REPLY_DONE:
      if (inside->reply->kind == MTC_REPLY_PREAUTH)
        inside->state = MTC_INSIDE_PREAUTH;
      else if (inside->reply->kind == MTC_REPLY_POSITIVE)
        {
          inside->state = MTC_INSIDE_NORMAL;
          inside->login = mtc_reply_login_offered (inside->reply);
        }
      else
        inside->state = MTC_INSIDE_REFUSED;
      break;
    case MTC_REPLY_TOO_LONG:
      inside->state = MTC_INSIDE_TOO_LONG;
      break;
    case MTC_REPLY_MALFORMED:
    case MTC_REPLY_INCOMPLETE:
    default:
      inside->state = MTC_INSIDE_NOT_PROTOCOL;
      break;
    }
  return inside->state;
}

/* The conversation ended before a whole greeting or reply: STATE is
 * MTC_INSIDE_CLOSED or MTC_INSIDE_SILENT. Words already received are kept. */
void
mtc_inside_tls_end (MtcInsideTls  *inside,
                    MtcInsideState state)
{
  gsize pending;
  const guint8 *rest;

  if (inside->state != MTC_INSIDE_WAITING)
    return;
  inside->state = state;
  rest = mtc_line_buffer_peek (inside->lines, &pending);
  if (inside->reply != NULL && inside->reply->lines->len > 0)
    inside->words = mtc_reply_get_words (inside->reply);
  else if (pending > 0)
    inside->words = mtc_quote_text ((const char *) rest, MIN (pending, 200), 120);
}
