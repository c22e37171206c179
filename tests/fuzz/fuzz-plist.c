/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "mtc-system.h"

/* macOS's SystemVersion.plist: read with its length and as a C string;
 * either a Mac system with a numeric version or an error.  The version goes
 * on to mtc_system_id_for_macos_version(), which is fed the raw text too. */

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
  FUZZ_CHECK (info->family == MTC_OS_FAMILY_MACOS);
  FUZZ_CHECK (info->version != NULL && g_ascii_isdigit (info->version[0]));
  FUZZ_CHECK (info->name != NULL && g_utf8_validate (info->name, -1, NULL));
  FUZZ_CHECK (info->system_id == NULL || g_str_has_prefix (info->system_id, "macos-"));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcSystemInfo) info = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;

  fuzz_set_up ();
  if (size > FUZZ_MAX_INPUT)
    return 0;

  info = mtc_system_parse_system_version_plist ((const char *) data, size, &error);
  check (info, error);
  g_clear_pointer (&info, mtc_system_info_free);
  g_clear_error (&error);

  text = fuzz_strndup (data, size);
  info = mtc_system_parse_system_version_plist (text, -1, &error);
  check (info, error);

  if (size <= 64)
    {
      id = mtc_system_id_for_macos_version (text);
      FUZZ_CHECK (id == NULL || g_str_has_prefix (id, "macos-"));
    }
  return 0;
}
