/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mtc-address.h"

G_BEGIN_DECLS

/* Support links: a provider's help article links
 *
 *     mail-tls-check:?provider=ID&email=ADDRESS
 *
 * and the wizard (or `--check`) opens preconfigured.  The grammar is strict
 * (README, "Support links"): the scheme (any case), ":?", then key=value
 * pairs joined by "&"; values percent-encoded (UTF-8); "+" is a plus sign;
 * no "//", path or "#".  Known keys: provider, email — at least one, each at
 * most once.  Unknown keys are ignored (a newer link still works in an
 * older program) but reported, and must be well-formed too. */

#define MTC_LINK_SCHEME "mail-tls-check"
#define MTC_LINK_MAX_LENGTH 2048
#define MTC_LINK_KEY_MAX_LENGTH 32

typedef struct {
  char *provider_id;       /* a syntactically valid provider ID, or NULL */
  MtcEmailAddress *email;  /* a checked address, or NULL */
  GStrv ignored_keys;      /* keys this version does not know; never NULL */
} MtcLinkRequest;

GType           mtc_link_request_get_type (void) G_GNUC_CONST;
gboolean        mtc_link_is_link          (const char           *text);
MtcLinkRequest *mtc_link_parse            (const char           *uri,
                                           GError              **error);
char           *mtc_link_build            (const char           *provider_id,
                                           const char           *email);
MtcLinkRequest *mtc_link_request_copy     (const MtcLinkRequest *request);
void            mtc_link_request_free     (MtcLinkRequest       *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcLinkRequest, mtc_link_request_free)

G_END_DECLS
