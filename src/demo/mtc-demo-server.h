/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"
#include "mtc-endpoint.h"

G_BEGIN_DECLS

/* How one demo service behaves.  NORMAL imitates a well-run provider; every
 * other value is a way real servers misbehave, for the tests. */
typedef enum {
  MTC_DEMO_NORMAL,
  MTC_DEMO_SILENT,              /* accepts the connection and never says anything */
  MTC_DEMO_CLOSE,               /* accepts and closes at once */
  MTC_DEMO_OTHER_SERVICE,       /* greets as an SSH server would ("SSH-2.0-…") */
  MTC_DEMO_HTTP,                /* answers like a web server: "HTTP/1.1 400 Bad Request" at once */
  MTC_DEMO_BUSY,                /* SMTP 421, IMAP "* BYE", POP3 "-ERR" as greeting, then closes */
  MTC_DEMO_NO_STARTTLS,         /* capabilities without STARTTLS/STLS; STARTTLS command refused */
  MTC_DEMO_INJECTION,           /* the STARTTLS OK and a second reply in one write */
  MTC_DEMO_PREAUTH,             /* IMAP greeting "* PREAUTH" */
  MTC_DEMO_TLS_GARBAGE,         /* after STARTTLS OK (implicit: at once) sends non-TLS bytes */
  MTC_DEMO_PLAINTEXT,           /* an implicit-TLS port that greets in plaintext like a STARTTLS port */
  MTC_DEMO_LONG_LINE,           /* a greeting of 100 000 bytes without a line end */
  MTC_DEMO_DIE_MID_DIALOGUE,    /* greets, then closes when the first command arrives */
  MTC_DEMO_DIE_MID_HANDSHAKE,   /* closes as soon as the ClientHello arrives */
  MTC_DEMO_NO_GREETING_CAPABILITY, /* IMAP greeting without [CAPABILITY …]: client must ask */
  MTC_DEMO_MULTILINE_GREETING,  /* SMTP "220-…" continuation lines before "220 …" */
  MTC_DEMO_STALL_HANDSHAKE,     /* reads the ClientHello and never answers */
  MTC_DEMO_OLD_REFUSED_INSIDE_TLS,  /* completes a TLS 1.0/1.1 handshake, then turns the client away inside
                                     * TLS: SMTP 421 4.7.66 (as Microsoft 365), IMAP "* BYE", POP3 "-ERR" */
  MTC_DEMO_OLD_CLOSED_INSIDE_TLS,   /* completes a TLS 1.0/1.1 handshake, then closes before any word */
  MTC_DEMO_OLD_HELLO_CLOSE,     /* a hello offering nothing from min_version up: closes without a word */
  MTC_DEMO_OLD_HELLO_RESET,     /* … : resets the connection (SO_LINGER 0) */
  MTC_DEMO_OLD_HELLO_HANDSHAKE_FAILURE, /* … : a handshake_failure alert (Dovecot with OpenSSL 3) */
  MTC_DEMO_HELLO_HANDSHAKE_FAILURE,     /* every hello: a handshake_failure alert */
  MTC_DEMO_HTTPS_ON_MAIL_PORT,  /* a web server (TLS, then it waits for a request) whatever the protocol */
  MTC_DEMO_INJECTION_LATE,      /* a second reply 20 ms after the STARTTLS OK, in a write of its own */
  MTC_DEMO_CONNECTION_LIMIT,    /* at most max_per_client connections from one client address at
                                 * once; turns the rest away with the protocol's words at the
                                 * greeting (SMTP 421, IMAP "* BYE", POP3 "-ERR [IN-USE]") */
  MTC_DEMO_CONNECTION_LIMIT_RESET, /* the same limit, but resets the connections beyond it */
  MTC_DEMO_CONNECTION_LIMIT_HOST, /* as Exim: the limit counts the client's connections to every
                                   * service of this mode together, and the turn-away comes in
                                   * plain text before any TLS, on implicit-TLS ports too */
  MTC_DEMO_INJECTION_HIDDEN,    /* SMTP: a STARTTLS OK of exactly 4096 bytes and, in the same write,
                                 * a forged TLS alert record behind it: bytes that wait in the
                                 * socket, not in the client's line buffer */
  MTC_DEMO_STARTTLS_250,        /* SMTP: answers STARTTLS with "250" instead of "220", then starts
                                 * TLS all the same */
  MTC_DEMO_PREAUTH_OLD_REFUSED, /* IMAP over implicit TLS: "* BYE" inside TLS 1.0/1.1, and a
                                 * PREAUTH greeting inside the newer versions */
} MtcDemoBehaviour;

/* Every kind of service a provider offers, in the order the demo provider
 * starts them: SMTP with STARTTLS, SMTPS, IMAP with STARTTLS, IMAPS, POP3
 * with STARTTLS, POP3S, HTTPS. */
typedef struct {
  MtcProtocol protocol;
  MtcSecurity security;
} MtcDemoKind;

#define MTC_DEMO_N_KINDS 7
extern const MtcDemoKind mtc_demo_kinds[MTC_DEMO_N_KINDS];

typedef struct {
  MtcProtocol protocol;
  MtcSecurity security;
  MtcTlsVersion min_version;    /* lowest TLS version the service accepts */
  MtcTlsVersion max_version;    /* highest */
  gboolean legacy_ciphers;      /* also offer 3DES-CBC and the like (for TLS 1.0-only servers) */
  MtcDemoBehaviour behaviour;
  guint delay_ms;               /* wait this long before every reply */
  guint greeting_delay_ms;      /* and this long more before the greeting, as a server that first
                                 * looks up the client's name or pauses on purpose */
  guint max_per_client;         /* MTC_DEMO_CONNECTION_LIMIT*: connections allowed at once */
  gboolean relay_only;          /* SMTP: no login offered, as port 25 of a provider's MX */
  gboolean plain_login;         /* a login offered before STARTTLS too, as before RFC 8314 */
} MtcDemoServiceConfig;

#define MTC_TYPE_DEMO_SERVER (mtc_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (MtcDemoServer, mtc_demo_server, MTC, DEMO_SERVER, GObject)

MtcDemoServer   *mtc_demo_server_new                 (GError              **error);
guint16          mtc_demo_server_add_service         (MtcDemoServer        *self,
                                                      const MtcDemoServiceConfig *config,
                                                      const char           *address,
                                                      guint16               port,
                                                      GError              **error);
GPtrArray       *mtc_demo_server_start_provider      (MtcDemoServer        *self,
                                                      GError              **error);
GPtrArray       *mtc_demo_server_start_provider_full (MtcDemoServer        *self,
                                                      const char           *address,
                                                      guint16               base_port,
                                                      gboolean              legacy,
                                                      GError              **error);
void             mtc_demo_server_set_idle_timeout    (MtcDemoServer        *self,
                                                      guint                 timeout_ms);
GTlsCertificate *mtc_demo_server_get_ca              (MtcDemoServer        *self);
char            *mtc_demo_server_get_ca_pem          (MtcDemoServer        *self);
guint            mtc_demo_server_get_n_accepted      (MtcDemoServer        *self);
guint            mtc_demo_server_get_n_open          (MtcDemoServer        *self);
guint            mtc_demo_server_get_n_polite        (MtcDemoServer        *self);
guint            mtc_demo_server_get_max_concurrent  (MtcDemoServer        *self,
                                                      guint16               port);
void             mtc_demo_server_set_provider_delay  (MtcDemoServer        *self,
                                                      guint                 delay_ms);
GStrv            mtc_demo_server_dup_server_names    (MtcDemoServer        *self);
void             mtc_demo_server_stop                (MtcDemoServer        *self);

G_END_DECLS
