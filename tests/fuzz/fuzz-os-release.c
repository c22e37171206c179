/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-system.h"

/* /etc/os-release: read with its length (as the program reads the file) and
 * as a C string; either a described system or an error. */

#define FUZZ_MAX_INPUT (128 * 1024)

static void
check (MtcSystemInfo *info,
       GError        *error)
{
  if (info == NULL)
    {
      FUZZ_CHECK (error != NULL && error->message != NULL);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (info->family == MTC_OS_FAMILY_LINUX);
  FUZZ_CHECK (info->name != NULL && *info->name != '\0');
  FUZZ_CHECK (g_utf8_validate (info->name, -1, NULL));
  FUZZ_CHECK (info->distro_id != NULL && *info->distro_id != '\0');
  FUZZ_CHECK (g_strcmp0 (info->system_id, "linux") == 0);
  FUZZ_CHECK (info->version == NULL || g_utf8_validate (info->version, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcSystemInfo) info = NULL;
  g_autofree char *text = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;

  info = mtc_system_parse_os_release ((const char *) data, size, &error);
  check (info, error);
  g_clear_pointer (&info, mtc_system_info_free);
  g_clear_error (&error);

  text = fuzz_strndup (data, size);
  info = mtc_system_parse_os_release (text, -1, &error);
  check (info, error);
  return 0;
}
