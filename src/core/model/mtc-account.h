/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mtc-endpoint.h"

G_BEGIN_DECLS

/* How a mail program is set to secure one server connection, in the terms
 * every mail program offers: none, STARTTLS on a plain connection, or TLS
 * from the first byte ("SSL/TLS"). */
typedef enum {
  MTC_ACCOUNT_SECURITY_UNKNOWN,
  MTC_ACCOUNT_SECURITY_NONE,
  MTC_ACCOUNT_SECURITY_STARTTLS,
  MTC_ACCOUNT_SECURITY_SSL_TLS,
} MtcAccountSecurity;

/* The protocol of an account's server. */
typedef enum {
  MTC_ACCOUNT_SERVER_SMTP,
  MTC_ACCOUNT_SERVER_IMAP,
  MTC_ACCOUNT_SERVER_POP3,
} MtcAccountServerKind;

/* One server as the mail program is set to use it. */
typedef struct {
  MtcAccountServerKind kind;
  char *host;                    /* as written in the program's settings */
  guint16 port;                  /* 0 when the settings leave it to the program's default */
  MtcAccountSecurity security;
} MtcAccountServer;

/* One account of a mail program on this computer: what is needed to check
 * the servers it uses, never a password. */
typedef struct {
  char *program;                 /* knowledge-base client id: "thunderbird", "evolution", … */
  char *program_version;         /* as the program's files state it, or NULL */
  char *address;                 /* the account's e-mail address, or NULL */
  char *display_name;            /* the account's name in the program, or NULL */
  char *file;                    /* the settings file it was read from */
  MtcAccountServer *incoming;    /* or NULL */
  MtcAccountServer *outgoing;    /* or NULL */
  /* The program's own TLS version limits where it has them (Thunderbird's
   * security.tls.version.min / .max: 1 = TLS 1.0 … 4 = TLS 1.3), 0 when not set. */
  guint tls_version_min;
  guint tls_version_max;
} MtcAccount;

GType             mtc_account_get_type          (void) G_GNUC_CONST;
MtcAccount       *mtc_account_new               (const char *program,
                                                 const char *file);
MtcAccount       *mtc_account_copy              (const MtcAccount *account);
void              mtc_account_free              (MtcAccount *account);

MtcAccountServer *mtc_account_server_new        (MtcAccountServerKind kind,
                                                 const char          *host,
                                                 guint16              port,
                                                 MtcAccountSecurity   security);
MtcAccountServer *mtc_account_server_copy       (const MtcAccountServer *server);
void              mtc_account_server_free       (MtcAccountServer *server);

guint16           mtc_account_server_get_port   (const MtcAccountServer *server);
MtcEndpoint      *mtc_account_server_to_endpoint (const MtcAccountServer *server,
                                                  const char             *program);
GPtrArray        *mtc_account_to_endpoints      (const MtcAccount *account);
void              mtc_account_merge_endpoints   (const MtcAccount *account,
                                                 GPtrArray        *endpoints);

/* The program's own name ("Thunderbird", "Claws Mail") for its
 * knowledge-base client id, or the id itself when it is not one of ours. */
const char       *mtc_account_program_name      (const char *program);

/* "none", "starttls", "ssl-tls", "unknown": the names in the JSON report. */
const char       *mtc_account_security_to_string (MtcAccountSecurity security);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcAccount, mtc_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcAccountServer, mtc_account_server_free)

G_END_DECLS
