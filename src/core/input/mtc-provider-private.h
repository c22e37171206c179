/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Inside input only: the profile's fields, shared by the object
 * (mtc-provider.c), the reader of `.provider` files (mtc-provider-file.c)
 * and the registry of built-in profiles (mtc-provider-registry.c).  The
 * public API is mtc-provider.h. */

#include "mtc-provider.h"

G_BEGIN_DECLS

struct _MtcProvider
{
  GObject parent_instance;

  char *id;
  char *name;
  char *origin;             /* the file, for messages */
  GStrv domains;            /* ASCII, lower case */
  GPtrArray *servers;       /* of MtcProviderServer */
  char *webmail_url;
  MtcTlsVersion min_version;
  GDateTime *min_version_since;
  char *expected_issuer;
  char *support;
  char *support_url;
  char *help_title;
  char *help_url;
  gboolean demo;
};

/* Sets the error for a broken profile: ORIGIN names the file, FORMAT is a
 * clause naming the group and the key. */
gboolean mtc_provider_set_broken     (GError      **error,
                                      const char   *origin,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (3, 4);
/* Fills SELF (whose origin is set) from the text of a `.provider` file. */
gboolean mtc_provider_read_key_file  (MtcProvider  *self,
                                      const char   *data,
                                      gsize         length,
                                      GError      **error);

G_END_DECLS
