/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A testing hook: a resolver that answers the names of a hosts-format file
 * itself ("ADDRESS NAME…" a line, "#" comments) and passes every other
 * question (other names, SRV, MX, reverse look-ups) to the resolver it wraps.
 * With the environment variable MTC_HOSTS_FILE set,
 * mtc_hosts_resolver_install_from_environment() makes it the default
 * resolver, so that the prober and libsoup (autoconfig) both use it.  Without
 * that variable nothing changes. */

#define MTC_HOSTS_FILE_ENV "MTC_HOSTS_FILE"
#define MTC_HOSTS_FILE_MAX_SIZE (1024 * 1024)

#define MTC_TYPE_HOSTS_RESOLVER (mtc_hosts_resolver_get_type ())
G_DECLARE_FINAL_TYPE (MtcHostsResolver, mtc_hosts_resolver, MTC, HOSTS_RESOLVER, GResolver)

MtcHostsResolver *mtc_hosts_resolver_new            (GResolver        *fallback);
gboolean          mtc_hosts_resolver_load_data      (MtcHostsResolver *self,
                                                     const char       *data,
                                                     gsize             length,
                                                     const char       *origin,
                                                     GError          **error);
gboolean          mtc_hosts_resolver_load_file      (MtcHostsResolver *self,
                                                     const char       *path,
                                                     GError          **error);
gboolean          mtc_hosts_resolver_install_from_environment (GError **error);
gboolean          mtc_testing_hooks_active          (void);

G_END_DECLS
