/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-endpoint.h"

G_BEGIN_DECLS

/* The enumerations' GTypes are in the generated "mtc-enums.h"; their nicks
 * are the names the JSON report uses. */

typedef enum {
  MTC_TLS_1_0,        /*< nick=1.0 >*/
  MTC_TLS_1_1,        /*< nick=1.1 >*/
  MTC_TLS_1_2,        /*< nick=1.2 >*/
  MTC_TLS_1_3,        /*< nick=1.3 >*/
  MTC_N_TLS_VERSIONS, /*< skip >*/
  MTC_TLS_UNKNOWN = -1, /*< nick=unknown >*/
} MtcTlsVersion;

typedef enum {
  MTC_VERSION_NOT_TESTED,
  MTC_VERSION_ACCEPTED,
  MTC_VERSION_REJECTED,
  MTC_VERSION_ERROR,
} MtcVersionResult;

/* Whether an SMTP server offers mail programs a login (AUTH in its EHLO
 * reply after STARTTLS, RFC 4954). A server for mail between servers
 * (port 25 of a provider's MX) offers none: a mail program cannot send
 * through it. */
typedef enum {
  MTC_LOGIN_UNKNOWN,     /*< nick=unknown >*/
  MTC_LOGIN_OFFERED,     /*< nick=offered >*/
  MTC_LOGIN_NOT_OFFERED, /*< nick=not-offered >*/
} MtcLogin;

/* Ordered from "fine" to "most telling": when probes of one endpoint disagree,
 * the most telling status wins (see mtc_status_rank). */
typedef enum {
  MTC_STATUS_OK,
  MTC_STATUS_REFUSED,
  MTC_STATUS_UNREACHABLE,
  MTC_STATUS_TIMEOUT,
  MTC_STATUS_DNS_ERROR,
  MTC_STATUS_NOT_MAIL_SERVER,
  MTC_STATUS_BUSY,
  MTC_STATUS_NO_STARTTLS,
  MTC_STATUS_INJECTION,
  MTC_STATUS_PREAUTH,
  MTC_STATUS_TLS_ERROR,
  MTC_STATUS_NOT_TLS,
  MTC_N_STATUSES, /*< skip >*/
} MtcStatus;

typedef struct {
  char *subject;
  char *issuer;
  GDateTime *not_before;
  GDateTime *not_after;
  GStrv dns_names;
  GTlsCertificateFlags errors;
  GTlsCertificate *certificate;
} MtcCertInfo;

/* One address of a server name that did not answer when another did, or
 * every address when none did. */
typedef struct {
  char *address;
  MtcStatus status;                              /* REFUSED, UNREACHABLE or TIMEOUT */
  char *detail;                                  /* plain words, translated */
} MtcAddressFailure;

typedef struct {
  MtcEndpoint *endpoint;
  char *address;                                 /* the address connected to, or NULL */
  GPtrArray *address_failures;                   /* of MtcAddressFailure: the server name's other
                                                  * addresses that failed, or NULL */
  MtcStatus status;
  char *detail;                                  /* plain words, translated */
  char *server_words;                            /* the server's own text (sanitised), or NULL */
  MtcVersionResult versions[MTC_N_TLS_VERSIONS];
  char *version_details[MTC_N_TLS_VERSIONS];     /* why a version is rejected / error, or NULL */
  char *version_reasons[MTC_N_TLS_VERSIONS];     /* how each cell was decided, machine-readable: an alert
                                                  * name ("protocol_version", "handshake_failure", …),
                                                  * "closed", "reset", "other-version",
                                                  * "refused-inside-tls", "handshake-done", "timeout",
                                                  * "plaintext", "not-offered-locally", "unreached",
                                                  * or NULL */
  MtcTlsVersion negotiated_version;              /* what this computer's default settings reach */
  char *negotiated_cipher;
  char *negotiated_error;                        /* why the default handshake failed, or NULL */
  MtcCertInfo *certificate;                      /* NULL when no handshake got that far */
  MtcLogin login;                                /* SMTP with STARTTLS: a login offered inside TLS */
  MtcLogin login_without_tls;                    /* STARTTLS: a login offered before it */
  gint64 elapsed_ms;
} MtcEndpointResult;

typedef struct {
  char *os;
  char *tls_library;
  gboolean versions_available[MTC_N_TLS_VERSIONS];
} MtcLocalInfo;

typedef struct _MtcDiagnosis MtcDiagnosis;
struct _MtcDiagnosis {
  gint ref_count;
  MtcLocalInfo *local;
  GPtrArray *results;  /* of MtcEndpointResult, in the order the endpoints were given */
  gint64 elapsed_ms;
};

const char        *mtc_enum_get_nick            (GType       enum_type,
                                                 int         value);
const char        *mtc_tls_version_to_string    (MtcTlsVersion version);
MtcTlsVersion      mtc_tls_version_from_string  (const char *text);
const char        *mtc_version_result_to_string (MtcVersionResult result);
const char        *mtc_login_to_string          (MtcLogin         login);
const char        *mtc_status_to_string         (MtcStatus status);
const char        *mtc_status_describe          (MtcStatus status);
int                mtc_status_rank              (MtcStatus status);
GStrv              mtc_certificate_flags_to_strv (GTlsCertificateFlags flags);

MtcCertInfo       *mtc_cert_info_new_from_certificate (GTlsCertificate     *certificate,
                                                       GTlsCertificateFlags errors);
void               mtc_cert_info_free           (MtcCertInfo *info);

MtcAddressFailure *mtc_address_failure_new      (const char *address,
                                                 MtcStatus   status,
                                                 const char *detail);
void               mtc_address_failure_free     (MtcAddressFailure *failure);

/* A boxed type, so that signals carry an endpoint result typed. */
#define MTC_TYPE_ENDPOINT_RESULT (mtc_endpoint_result_get_type ())
GType              mtc_endpoint_result_get_type (void) G_GNUC_CONST;
MtcEndpointResult *mtc_endpoint_result_new      (const MtcEndpoint *endpoint);
void               mtc_endpoint_result_free     (MtcEndpointResult *result);
MtcEndpointResult *mtc_endpoint_result_copy     (const MtcEndpointResult *result);
gboolean           mtc_endpoint_result_any_accepted (const MtcEndpointResult *result);

MtcLocalInfo      *mtc_local_info_new           (void);
void               mtc_local_info_free          (MtcLocalInfo *info);

GType              mtc_diagnosis_get_type       (void) G_GNUC_CONST;
MtcDiagnosis      *mtc_diagnosis_new            (void);
MtcDiagnosis      *mtc_diagnosis_ref            (MtcDiagnosis *diagnosis);
void               mtc_diagnosis_unref          (MtcDiagnosis *diagnosis);
gboolean           mtc_diagnosis_has_problem    (const MtcDiagnosis *diagnosis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcCertInfo, mtc_cert_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcEndpointResult, mtc_endpoint_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcAddressFailure, mtc_address_failure_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcLocalInfo, mtc_local_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcDiagnosis, mtc_diagnosis_unref)

G_END_DECLS
