/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mtc-diagnosis.h"
#include "mtc-endpoint.h"
#include "mtc-quote.h"

G_BEGIN_DECLS

/* Longest line accepted from a server (RFC 5321 allows 512 octets; IMAP
 * capability lines run longer), and the most lines one reply may have. */
#define MTC_LINE_MAX 4096
#define MTC_REPLY_MAX_LINES 128

typedef enum {
  MTC_REPLY_INCOMPLETE,  /* more lines are needed */
  MTC_REPLY_DONE,        /* a whole reply was read */
  MTC_REPLY_MALFORMED,   /* the text does not follow the protocol */
  MTC_REPLY_TOO_LONG,    /* a line or the reply exceeds the bounds */
} MtcReplyState;

typedef enum {
  MTC_REPLY_POSITIVE,    /* SMTP 2xx/3xx, IMAP OK, POP3 +OK */
  MTC_REPLY_NEGATIVE,    /* SMTP 4xx/5xx, IMAP NO/BAD, POP3 -ERR */
  MTC_REPLY_BYE,         /* SMTP 421, IMAP BYE: the server is closing */
  MTC_REPLY_PREAUTH,     /* IMAP PREAUTH greeting */
} MtcReplyKind;

/* Splits a byte stream into lines (CRLF or LF), bounded by MTC_LINE_MAX. */
typedef struct _MtcLineBuffer MtcLineBuffer;

MtcLineBuffer *mtc_line_buffer_new      (void);
void           mtc_line_buffer_free     (MtcLineBuffer *buffer);
void           mtc_line_buffer_append   (MtcLineBuffer *buffer,
                                         const guint8  *data,
                                         gsize          len);
/* Returns a newly allocated line without its line end, or NULL when no
 * complete line is buffered; *too_long is set when the pending line
 * already exceeds MTC_LINE_MAX. */
char          *mtc_line_buffer_take_line (MtcLineBuffer *buffer,
                                          gboolean      *too_long);
gsize          mtc_line_buffer_get_pending (MtcLineBuffer *buffer);
const guint8  *mtc_line_buffer_peek     (MtcLineBuffer *buffer,
                                         gsize         *len);

/* One server reply, fed line by line. */
typedef struct {
  MtcProtocol protocol;
  char *imap_tag;          /* the tag that ends an IMAP reply; NULL for a greeting */
  gboolean multiline;      /* POP3: a multi-line reply ended by "." (CAPA) */
  MtcReplyState state;
  MtcReplyKind kind;
  int code;                /* SMTP reply code */
  GPtrArray *lines;        /* every line received, as sent */
  GPtrArray *texts;        /* text of each line after the code / status word */
  gsize bytes;
} MtcReply;

MtcReply      *mtc_reply_new            (MtcProtocol  protocol,
                                         const char  *imap_tag,
                                         gboolean     multiline);
void           mtc_reply_free           (MtcReply    *reply);
MtcReplyState  mtc_reply_feed_line      (MtcReply    *reply,
                                         const char  *line);
MtcReplyState  mtc_reply_feed           (MtcReply      *reply,
                                         MtcLineBuffer *buffer);
gboolean       mtc_reply_has_capability (const MtcReply *reply,
                                         const char     *capability);
gboolean       mtc_reply_has_imap_capabilities (const MtcReply *reply);
MtcLogin       mtc_reply_login_offered  (const MtcReply *reply);
char          *mtc_reply_get_words      (const MtcReply *reply);
gboolean       mtc_reply_says_too_many_connections (const MtcReply *reply);

/* The conversation right after a TLS handshake: the greeting on an
 * implicit-TLS port, the capabilities asked again after STARTTLS, or the
 * status line of a HEAD request over HTTPS. */
typedef enum {
  MTC_INSIDE_WAITING,       /* nothing complete yet */
  MTC_INSIDE_NORMAL,        /* a normal greeting or reply */
  MTC_INSIDE_REFUSED,       /* SMTP 4xx/5xx, IMAP BYE/NO/BAD, POP3 -ERR */
  MTC_INSIDE_CLOSED,        /* the server closed before a whole greeting or reply */
  MTC_INSIDE_PREAUTH,       /* IMAP PREAUTH greeting */
  MTC_INSIDE_NOT_PROTOCOL,  /* bytes that do not follow the protocol (HTTP on a mail port) */
  MTC_INSIDE_TOO_LONG,      /* beyond the bounds of MtcReply */
  MTC_INSIDE_SILENT,        /* nothing within the time allowed */
} MtcInsideState;

typedef struct {
  MtcProtocol protocol;
  MtcSecurity security;
  char *request;            /* what to send first, or NULL: the server speaks first */
  MtcLineBuffer *lines;
  MtcReply *reply;          /* NULL for HTTPS */
  MtcInsideState state;
  char *words;              /* what the server said, sanitised, or NULL */
  MtcLogin login;           /* whether the reply offers a login (mtc_reply_login_offered) */
} MtcInsideTls;

MtcInsideTls  *mtc_inside_tls_new       (MtcProtocol    protocol,
                                         MtcSecurity    security,
                                         const char    *host,
                                         const char    *ehlo);
void           mtc_inside_tls_free      (MtcInsideTls  *inside);
MtcInsideState mtc_inside_tls_feed      (MtcInsideTls  *inside,
                                         const guint8  *data,
                                         gsize          len);
void           mtc_inside_tls_end       (MtcInsideTls  *inside,
                                         MtcInsideState state);

gboolean       mtc_looks_like_plaintext_greeting (const guint8 *data,
                                                  gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcLineBuffer, mtc_line_buffer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcReply, mtc_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcInsideTls, mtc_inside_tls_free)

G_END_DECLS
