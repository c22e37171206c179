/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MTC_ERROR (mtc_error_quark ())

typedef enum {
  MTC_ERROR_INVALID_TARGET,
  MTC_ERROR_FAILED,
  MTC_ERROR_INVALID_PROVIDER,   /* a provider profile file is broken */
  MTC_ERROR_NOT_FOUND,          /* discovery found no mail servers */
  MTC_ERROR_OFFLINE,            /* discovery could not ask: this computer cannot look up names */
} MtcError;

GQuark mtc_error_quark (void);

gboolean mtc_set_invalid_target (GError    **error,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (2, 3);

typedef enum {
  MTC_PROTOCOL_SMTP,
  MTC_PROTOCOL_IMAP,
  MTC_PROTOCOL_POP3,
  MTC_PROTOCOL_HTTPS,
} MtcProtocol;

typedef enum {
  MTC_SECURITY_STARTTLS,
  MTC_SECURITY_IMPLICIT,
} MtcSecurity;

/* Longest target text accepted; anything longer is refused outright. */
#define MTC_TARGET_MAX_LENGTH 1024

typedef struct {
  MtcProtocol protocol;
  MtcSecurity security;
  char *host;          /* ASCII form for DNS (punycode) or an IP literal without brackets */
  char *host_display;  /* the same host as a person writes it (Unicode) */
  guint16 port;
  char *source;        /* where the endpoint came from, or NULL */
  char *configured_in; /* the mail program (knowledge-base client id) whose account settings name this
                        * endpoint exactly so, or NULL: probed as that program is set to use it */
} MtcEndpoint;

GType        mtc_endpoint_get_type     (void) G_GNUC_CONST;
MtcEndpoint *mtc_endpoint_new          (MtcProtocol  protocol,
                                        MtcSecurity  security,
                                        const char  *host,
                                        guint16      port);
MtcEndpoint *mtc_endpoint_copy         (const MtcEndpoint *endpoint);
void         mtc_endpoint_free         (MtcEndpoint *endpoint);
const char  *mtc_endpoint_get_scheme   (const MtcEndpoint *endpoint);
char        *mtc_endpoint_to_url       (const MtcEndpoint *endpoint);
char        *mtc_endpoint_to_ascii_url (const MtcEndpoint *endpoint);
gboolean     mtc_endpoint_is_ip_literal (const MtcEndpoint *endpoint);
const char  *mtc_endpoint_describe_role (const MtcEndpoint *endpoint);
char        *mtc_host_to_display       (const char *host);

MtcEndpoint *mtc_endpoint_parse        (const char  *text,
                                        GError     **error);
gboolean     mtc_target_is_endpoint_url (const char *text);
GPtrArray   *mtc_target_parse_host     (const char  *text,
                                        GError     **error);
GPtrArray   *mtc_target_parse          (const char  *text,
                                        GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcEndpoint, mtc_endpoint_free)

G_END_DECLS
