/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "mtc-address.h"
#include "mtc-discovery.h"
#include "mtc-endpoint.h"
#include "mtc-link.h"
#include "mtc-provider.h"

G_BEGIN_DECLS

/* Any target the user can give, turned into endpoints:
 *
 *   mail-tls-check:?provider=ID&email=ADDRESS   a support link (mtc-link.h)
 *   smtp://host:587, imaps://host, …           an endpoint URL
 *   alice@example.net                           an e-mail address: discovery
 *   macbay-v3                                   a provider ID (built in, or the --provider profile)
 *   mail.example.net                            a bare host: its six mail ports
 *
 * With a provider given (mtc_target_resolver_set_provider(), or a link with
 * both provider and email), an e-mail address is taken as an account at
 * that provider: nothing is discovered and nothing is sent. */

typedef struct {
  GPtrArray *endpoints;       /* of MtcEndpoint, in the targets' order, each endpoint once */
  gboolean demo;              /* the demo provider was named: start the demo servers and add their endpoints */
  MtcProvider *provider;      /* the first provider named or matched, or NULL */
  MtcEmailAddress *email;     /* the first e-mail address given, or NULL */
  GPtrArray *discoveries;     /* of MtcDiscoveryResult, one per address that was looked up (for one
                               * that could not be, its failure: offline, without endpoints) */
  gboolean offline;           /* an address could not be looked up: this computer cannot look up names */
  GPtrArray *ignored_keys;    /* of char*: link keys this version does not know */
} MtcTargetSet;

#define MTC_TYPE_TARGET_RESOLVER (mtc_target_resolver_get_type ())
G_DECLARE_FINAL_TYPE (MtcTargetResolver, mtc_target_resolver, MTC, TARGET_RESOLVER, GObject)

MtcTargetResolver *mtc_target_resolver_new          (void);
void               mtc_target_resolver_set_timeout  (MtcTargetResolver   *self,
                                                     guint                timeout_ms);
void               mtc_target_resolver_set_resolver (MtcTargetResolver   *self,
                                                     GResolver           *resolver);
void               mtc_target_resolver_set_session  (MtcTargetResolver   *self,
                                                     SoupSession         *session);
void               mtc_target_resolver_set_provider (MtcTargetResolver   *self,
                                                     MtcProvider         *provider);
gboolean           mtc_target_resolver_check        (MtcTargetResolver   *self,
                                                     const char * const  *targets,
                                                     GError             **error);
void               mtc_target_resolver_resolve_async  (MtcTargetResolver   *self,
                                                       const char * const  *targets,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
MtcTargetSet      *mtc_target_resolver_resolve_finish (MtcTargetResolver   *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

char              *mtc_target_set_describe          (const MtcTargetSet  *set,
                                                     guint                width);
char              *mtc_target_set_describe_lookups  (const MtcTargetSet  *set);
MtcProviderHints  *mtc_target_set_dup_hints         (const MtcTargetSet  *set);
void               mtc_target_set_free              (MtcTargetSet        *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcTargetSet, mtc_target_set_free)

G_END_DECLS
