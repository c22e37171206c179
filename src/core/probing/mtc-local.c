/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gnutls/gnutls.h>

#include "mtc-local.h"
#include "mtc-tls-probe.h"

/* What this computer is and what its own TLS library allows. */
MtcLocalInfo *
mtc_local_info_detect (void)
{
  MtcLocalInfo *info = mtc_local_info_new ();

  info->os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
  if (info->os == NULL)
    info->os = g_get_os_info (G_OS_INFO_KEY_NAME);
  if (info->os == NULL)
    info->os = g_strdup ("unknown");
  info->tls_library = g_strdup_printf ("GnuTLS %s", gnutls_check_version (NULL));
  mtc_tls_probe_local_versions (info->versions_available);
  return info;
}
