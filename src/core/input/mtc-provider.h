/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"
#include "mtc-endpoint.h"

G_BEGIN_DECLS

/* What a provider profile says; every field may be empty. */
typedef struct {
  char *provider_name;
  char *webmail_url;
  MtcTlsVersion min_version;     /* the provider's stated minimum, or MTC_TLS_UNKNOWN */
  char *expected_issuer;         /* a part of the certificate issuer, e.g. "Let's Encrypt" */
  char *support_contact;         /* a web address or an e-mail address */
  GPtrArray *starttls_published; /* of char *: ASCII URLs (mtc_endpoint_to_ascii_url) of the STARTTLS
                                  * endpoints the provider itself publishes, or NULL */
} MtcProviderHints;

MtcProviderHints *mtc_provider_hints_new  (void);
void              mtc_provider_hints_free (MtcProviderHints *hints);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcProviderHints, mtc_provider_hints_free)

/* A provider profile: what a mail provider publishes about its servers, read
 * from a `.provider` file (GKeyFile; its keys are described at the top of
 * data/providers/macbay-v3.provider, and README.md, "Provider profiles",
 * says what they count for).  The profiles shipped with the program live in
 * the GResource; a profile from a file is loaded with
 * mtc_provider_new_from_file(). */

/* Longest provider ID; IDs are lower-case ASCII letters, digits and "-". */
#define MTC_PROVIDER_ID_MAX_LENGTH 64
/* A profile file larger than this is refused without being parsed. */
#define MTC_PROVIDER_FILE_MAX_SIZE (64 * 1024)

typedef struct {
  MtcEndpoint *endpoint;   /* its source names the profile */
  gboolean candidate;      /* not published by the provider: a convention the probe confirms or refutes */
  char *note;              /* why a candidate is listed (localised), or NULL */
} MtcProviderServer;

#define MTC_TYPE_PROVIDER (mtc_provider_get_type ())
G_DECLARE_FINAL_TYPE (MtcProvider, mtc_provider, MTC, PROVIDER, GObject)

MtcProvider  *mtc_provider_new_from_data        (const char    *data,
                                                 gssize         length,
                                                 const char    *origin,
                                                 GError       **error);
MtcProvider  *mtc_provider_new_from_file        (const char    *path,
                                                 GError       **error);
MtcProvider  *mtc_provider_lookup               (const char    *id,
                                                 GError       **error);
MtcProvider  *mtc_provider_load                 (const char    *id_or_path,
                                                 GError       **error);
GPtrArray    *mtc_provider_list_builtin         (GError       **error);
MtcProvider  *mtc_provider_find_for_domain      (GPtrArray     *providers,
                                                 const char    *domain);
gboolean      mtc_provider_id_is_valid          (const char    *id);

const char   *mtc_provider_get_id               (MtcProvider   *self);
const char   *mtc_provider_get_name             (MtcProvider   *self);
const char   *mtc_provider_get_origin           (MtcProvider   *self);
const char * const *mtc_provider_get_domains    (MtcProvider   *self);
gboolean      mtc_provider_matches_domain       (MtcProvider   *self,
                                                 const char    *domain);
GPtrArray    *mtc_provider_get_servers          (MtcProvider   *self);
const char   *mtc_provider_get_webmail_url      (MtcProvider   *self);
MtcTlsVersion mtc_provider_get_min_version      (MtcProvider   *self);
GDateTime    *mtc_provider_get_min_version_since (MtcProvider  *self);
const char   *mtc_provider_get_expected_issuer  (MtcProvider   *self);
const char   *mtc_provider_get_support          (MtcProvider   *self);
const char   *mtc_provider_get_support_url      (MtcProvider   *self);
const char   *mtc_provider_get_help_title       (MtcProvider   *self);
const char   *mtc_provider_get_help_url         (MtcProvider   *self);
gboolean      mtc_provider_is_demo              (MtcProvider   *self);
gboolean      mtc_provider_has_candidates       (MtcProvider   *self);

GPtrArray    *mtc_provider_dup_endpoints        (MtcProvider   *self);
MtcProviderHints *mtc_provider_dup_hints        (MtcProvider   *self);

G_END_DECLS
