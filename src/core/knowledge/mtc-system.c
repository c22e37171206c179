/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#ifdef G_OS_WIN32
#include <windows.h>
#endif
#ifdef __APPLE__
#include <sys/types.h>
#include <sys/sysctl.h>
#endif

#include "mtc-system.h"

#define OS_RELEASE_PATH "/etc/os-release"
#define OS_RELEASE_FALLBACK_PATH "/usr/lib/os-release"
#define SYSTEM_VERSION_PLIST_PATH "/System/Library/CoreServices/SystemVersion.plist"

/* Longest file the parsers accept: these files are a few hundred bytes. */
#define MAX_FILE_SIZE (64 * 1024)

typedef struct {
  int depth;
  gboolean in_key;
  gboolean in_string;
  GString *text;
  char *key;               /* the last <key> of the top-level dictionary, until its value */
  char *product_name;
  char *product_version;
  char *build;
} PlistState;

static gboolean
check_text (const char  *text,
            gssize      *length,
            const char  *what,
            GError     **error)
{
  if (*length < 0)
    *length = strlen (text);
  if (*length > MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is too long to be genuine", what);
      return FALSE;
    }
  if (!g_utf8_validate_len (text, *length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not valid UTF-8 text", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_version (const char *text)
{
  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  return TRUE;
}

/* The value of one os-release assignment with shell quoting undone; NULL when
 * the quoting is broken (an unterminated quote). */
static char *
unquote_os_release_value (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  while (*p != '\0' && !g_ascii_isspace (*p))
    {
      if (*p == '"')
        {
          for (p++; *p != '"'; p++)
            {
              if (*p == '\0')
                goto broken;
              if (*p == '\\' && p[1] != '\0' && strchr ("\"\\$`", p[1]) != NULL)
                p++;
              g_string_append_c (out, *p);
            }
          p++;
        }
      else if (*p == '\'')
        {
          for (p++; *p != '\''; p++)
            {
              if (*p == '\0')
                goto broken;
              g_string_append_c (out, *p);
            }
          p++;
        }
      else if (*p == '\\' && p[1] != '\0')
        {
          g_string_append_c (out, p[1]);
          p += 2;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);

broken:
  g_string_free (out, TRUE);
  return NULL;
}

static void
plist_start_element (GMarkupParseContext  *context,
                     const char           *element,
                     const char          **attribute_names,
                     const char          **attribute_values,
                     gpointer              user_data,
                     GError              **error)
{
  PlistState *state = user_data;

  state->depth++;
  if (state->depth == 1 && strcmp (element, "plist") != 0)
    g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "the file is not a property list");
  else if (state->depth == 2 && strcmp (element, "dict") != 0)
    g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "the property list holds no dictionary");
  else if (state->depth == 3)
    {
      g_string_truncate (state->text, 0);
      state->in_key = strcmp (element, "key") == 0;
      state->in_string = strcmp (element, "string") == 0 && state->key != NULL;
      if (!state->in_key && !state->in_string)
        g_clear_pointer (&state->key, g_free);  /* a value of another type */
    }
}

static void
plist_end_element (GMarkupParseContext  *context,
                   const char           *element,
                   gpointer              user_data,
                   GError              **error)
{
  PlistState *state = user_data;

  if (state->depth == 3 && state->in_key)
    {
      g_free (state->key);
      state->key = g_strdup (g_strstrip (state->text->str));
    }
  else if (state->depth == 3 && state->in_string)
    {
      char **target = NULL;

      if (g_strcmp0 (state->key, "ProductName") == 0)
        target = &state->product_name;
      else if (g_strcmp0 (state->key, "ProductVersion") == 0)
        target = &state->product_version;
      else if (g_strcmp0 (state->key, "ProductBuildVersion") == 0)
        target = &state->build;
      if (target != NULL)
        {
          g_free (*target);
          *target = g_strdup (g_strstrip (state->text->str));
        }
      g_clear_pointer (&state->key, g_free);
    }
  if (state->depth == 3)
    state->in_key = state->in_string = FALSE;
  state->depth--;
}

static void
plist_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 length,
            gpointer              user_data,
            GError              **error)
{
  PlistState *state = user_data;

  if (state->in_key || state->in_string)
    g_string_append_len (state->text, text, length);
}

MtcSystemInfo *
mtc_system_info_new (void)
{
  return g_new0 (MtcSystemInfo, 1);
}

void
mtc_system_info_free (MtcSystemInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->version);
  g_free (info->build);
  g_free (info->distro_id);
  g_free (info->mac_model);
  g_free (info->system_id);
  g_free (info);
}

/**
 * mtc_system_parse_os_release:
 * @text: the contents of /etc/os-release
 * @length: its length, or -1 when NUL-terminated
 *
 * Reads the freedesktop.org os-release format: KEY=value lines with shell
 * quoting, comments starting with #.  Lines that do not parse are skipped, as
 * the format asks; a file with nothing usable is an error.
 *
 * Returns: (transfer full): the system, or %NULL with @error set
 */
MtcSystemInfo *
mtc_system_parse_os_release (const char  *text,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(MtcSystemInfo) info = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = NULL;
  const char *name, *pretty, *version, *id;

  g_return_val_if_fail (text != NULL, NULL);
  if (!check_text (text, &length, "The os-release file", error))
    return NULL;
  copy = g_strndup (text, length);
  lines = g_strsplit (copy, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *equals = strchr (line, '=');
      char *value;
      gboolean valid_key = equals != NULL && equals != line;

      if (*line == '\0' || *line == '#')
        continue;
      for (char *p = line; valid_key && p < equals; p++)
        valid_key = g_ascii_isalnum (*p) || *p == '_';
      if (!valid_key)
        continue;
      *equals = '\0';
      value = unquote_os_release_value (equals + 1);
      if (value == NULL)
        continue;
      g_hash_table_replace (values, g_strdup (line), value);
    }

  name = g_hash_table_lookup (values, "NAME");
  pretty = g_hash_table_lookup (values, "PRETTY_NAME");
  version = g_hash_table_lookup (values, "VERSION");
  id = g_hash_table_lookup (values, "ID");
  if ((name == NULL || *name == '\0') && (pretty == NULL || *pretty == '\0') && (id == NULL || *id == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The os-release file names no system (no NAME, PRETTY_NAME or ID)");
      return NULL;
    }

  info = mtc_system_info_new ();
  info->family = MTC_OS_FAMILY_LINUX;
  if (pretty != NULL && *pretty != '\0')
    info->name = g_strdup (pretty);
  else if (name != NULL && *name != '\0' && version != NULL && *version != '\0')
    info->name = g_strdup_printf ("%s %s", name, version);
  else if (name != NULL && *name != '\0')
    info->name = g_strdup (name);
  else
    info->name = g_strdup (id);
  version = g_hash_table_lookup (values, "VERSION_ID");
  info->version = version != NULL && *version != '\0' ? g_strdup (version) : NULL;
  info->distro_id = g_strdup (id != NULL && *id != '\0' ? id : "linux");
  info->system_id = g_strdup ("linux");
  return g_steal_pointer (&info);
}

/**
 * mtc_system_id_for_macos_version:
 * @version: a macOS version such as "10.6.8", "10.16" or "14.2.1"
 *
 * 10.16 is what macOS 11 and newer tell programs built for older systems,
 * so it stands for macOS 11.
 *
 * Returns: (transfer full) (nullable): "macos-10.6", "macos-11", …
 */
char *
mtc_system_id_for_macos_version (const char *version)
{
  g_auto(GStrv) parts = NULL;
  guint64 major, minor;

  if (!is_version (version))
    return NULL;
  parts = g_strsplit (version, ".", -1);
  major = g_ascii_strtoull (parts[0], NULL, 10);
  minor = parts[1] != NULL ? g_ascii_strtoull (parts[1], NULL, 10) : 0;
  if (major == 10 && minor == 16)
    return g_strdup ("macos-11");
  if (major == 10 && parts[1] != NULL && minor < 16)
    return g_strdup_printf ("macos-10.%" G_GUINT64_FORMAT, minor);
  if (major >= 11 && major < 100)
    return g_strdup_printf ("macos-%" G_GUINT64_FORMAT, major);
  return NULL;
}

/**
 * mtc_system_parse_system_version_plist:
 * @text: the contents of /System/Library/CoreServices/SystemVersion.plist
 * @length: its length, or -1 when NUL-terminated
 *
 * Reads ProductName, ProductVersion and ProductBuildVersion from the XML
 * property list.  Binary property lists are refused with a clear error.
 *
 * Returns: (transfer full): the system, or %NULL with @error set
 */
MtcSystemInfo *
mtc_system_parse_system_version_plist (const char  *text,
                                       gssize       length,
                                       GError     **error)
{
  static const GMarkupParser parser = {
    plist_start_element,
    plist_end_element,
    plist_text,
    NULL,
    NULL,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MtcSystemInfo) info = NULL;
  PlistState state = { 0 };
  gboolean ok;

  g_return_val_if_fail (text != NULL, NULL);
  if (length < 0)
    length = strlen (text);
  if (length >= 6 && memcmp (text, "bplist", 6) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "SystemVersion.plist is a binary property list, which this program does not read");
      return NULL;
    }
  if (!check_text (text, &length, "SystemVersion.plist", error))
    return NULL;

  state.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);
  ok = g_markup_parse_context_parse (context, text, length, &local_error)
       && g_markup_parse_context_end_parse (context, &local_error);
  if (ok && state.product_version == NULL)
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "it has no ProductVersion");
  else if (ok && !is_version (state.product_version))
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "its ProductVersion “%s” is not a version",
                 state.product_version);

  if (local_error == NULL)
    {
      const char *product = state.product_name != NULL && *state.product_name != '\0' ? state.product_name : "macOS";

      info = mtc_system_info_new ();
      info->family = MTC_OS_FAMILY_MACOS;
      info->version = g_steal_pointer (&state.product_version);
      if (state.build != NULL && *state.build != '\0')
        info->build = g_steal_pointer (&state.build);
      info->name = info->build != NULL ? g_strdup_printf ("%s %s (%s)", product, info->version, info->build)
                                       : g_strdup_printf ("%s %s", product, info->version);
      info->system_id = mtc_system_id_for_macos_version (info->version);
    }
  else
    {
      /* GMarkup quotes an invalid name's first character with "%c", cutting a
       * multi-byte character in half: keep the message valid UTF-8. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "SystemVersion.plist cannot be read: %s", message);
    }

  g_string_free (state.text, TRUE);
  g_free (state.key);
  g_free (state.product_name);
  g_free (state.product_version);
  g_free (state.build);
  return g_steal_pointer (&info);
}

/**
 * mtc_system_info_new_windows:
 * @major: dwMajorVersion as RtlGetVersion() reports it
 * @minor: dwMinorVersion
 * @build: dwBuildNumber
 * @server: a server edition (wProductType is not VER_NT_WORKSTATION)
 *
 * Windows 11 still says 10.0; its build numbers start at 22000.
 *
 * Returns: (transfer full): the system
 */
MtcSystemInfo *
mtc_system_info_new_windows (guint    major,
                             guint    minor,
                             guint    build,
                             gboolean server)
{
  MtcSystemInfo *info = mtc_system_info_new ();
  const char *name = NULL;
  const char *id = NULL;

  info->family = MTC_OS_FAMILY_WINDOWS;
  info->version = g_strdup_printf ("%u.%u.%u", major, minor, build);
  info->build = g_strdup_printf ("%u", build);
  if (major == 6 && minor == 1)
    name = "Windows 7", id = "windows-7";
  else if (major == 6 && minor == 2)
    name = "Windows 8", id = "windows-8";
  else if (major == 6 && minor == 3)
    name = "Windows 8.1", id = "windows-8.1";
  else if (major == 10 && minor == 0 && build >= 22000)
    name = "Windows 11", id = "windows-11";
  else if (major == 10 && minor == 0)
    name = "Windows 10", id = "windows-10";
  else if (major == 6 && minor == 0)
    name = "Windows Vista";
  else if (major == 5)
    name = "Windows XP";

  if (server)
    info->name = g_strdup_printf ("Windows Server %u.%u (build %u)", major, minor, build);
  else if (name != NULL)
    info->name = g_strdup_printf ("%s (build %u)", name, build);
  else
    info->name = g_strdup_printf ("Windows %u.%u (build %u)", major, minor, build);
  /* The knowledge base describes desktop Windows only. */
  info->system_id = server ? NULL : g_strdup (id);
  return info;
}

#ifdef G_OS_WIN32
typedef LONG (WINAPI *RtlGetVersionFunc) (PRTL_OSVERSIONINFOW info);

/* The real version: GetVersionEx() answers with whatever the program's
 * manifest claims to support, RtlGetVersion() does not. */
static MtcSystemInfo *
detect_windows (void)
{
  RTL_OSVERSIONINFOEXW version = { 0 };
  HMODULE ntdll = GetModuleHandleW (L"ntdll.dll");
  RtlGetVersionFunc rtl_get_version;

  if (ntdll == NULL)
    return NULL;
  rtl_get_version = (RtlGetVersionFunc) (void (*) (void)) GetProcAddress (ntdll, "RtlGetVersion");
  if (rtl_get_version == NULL)
    return NULL;
  version.dwOSVersionInfoSize = sizeof version;
  if (rtl_get_version ((PRTL_OSVERSIONINFOW) &version) != 0)
    return NULL;
  return mtc_system_info_new_windows (version.dwMajorVersion, version.dwMinorVersion, version.dwBuildNumber,
                                      version.wProductType != VER_NT_WORKSTATION);
}
#endif

#ifdef __APPLE__
static char *
sysctl_string (const char *name)
{
  char buffer[256];
  size_t size = sizeof buffer;

  if (sysctlbyname (name, buffer, &size, NULL, 0) != 0 || size == 0 || size > sizeof buffer)
    return NULL;
  buffer[size - 1] = '\0';
  return g_utf8_validate (buffer, -1, NULL) ? g_strdup (buffer) : NULL;
}

static MtcSystemInfo *
detect_macos (void)
{
  g_autofree char *contents = NULL;
  gsize length;
  MtcSystemInfo *info = NULL;

  if (g_file_get_contents (SYSTEM_VERSION_PLIST_PATH, &contents, &length, NULL))
    info = mtc_system_parse_system_version_plist (contents, length, NULL);
  if (info == NULL)
    return NULL;
  /* Programs built for old systems are shown "10.16" on macOS 11 and newer;
   * the kernel knows the real version (10.13.4 and newer). */
  if (g_strcmp0 (info->version, "10.16") == 0)
    {
      g_autofree char *real = sysctl_string ("kern.osproductversion");

      if (is_version (real) && g_strcmp0 (real, "10.16") != 0)
        {
          g_free (info->version);
          info->version = g_steal_pointer (&real);
          g_free (info->system_id);
          info->system_id = mtc_system_id_for_macos_version (info->version);
          g_free (info->name);
          info->name = info->build ? g_strdup_printf ("macOS %s (%s)", info->version, info->build)
                                   : g_strdup_printf ("macOS %s", info->version);
        }
    }
  info->mac_model = sysctl_string ("hw.model");
  return info;
}
#endif

#if !defined(G_OS_WIN32) && !defined(__APPLE__)
static MtcSystemInfo *
detect_os_release (void)
{
  static const char * const paths[] = { OS_RELEASE_PATH, OS_RELEASE_FALLBACK_PATH };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (paths[i], &contents, &length, NULL))
        return mtc_system_parse_os_release (contents, length, NULL);
    }
  return NULL;
}
#endif

/**
 * mtc_system_detect:
 *
 * Returns: (transfer full): what this computer runs; family
 *   %MTC_OS_FAMILY_UNKNOWN and no system id when it cannot be told
 */
MtcSystemInfo *
mtc_system_detect (void)
{
  MtcSystemInfo *info;

#if defined(G_OS_WIN32)
  info = detect_windows ();
#elif defined(__APPLE__)
  info = detect_macos ();
#else
  info = detect_os_release ();
#endif
  if (info == NULL)
    {
      info = mtc_system_info_new ();
      info->name = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
      if (info->name == NULL)
        info->name = g_strdup ("unknown");
    }
  return info;
}

/**
 * mtc_system_default_mail_app_id:
 *
 * Returns: (transfer full) (nullable): the id of the program that opens
 *   mailto: links, as GIO reports it (a desktop-file id on Linux)
 */
char *
mtc_system_default_mail_app_id (void)
{
  g_autoptr(GAppInfo) app = g_app_info_get_default_for_uri_scheme ("mailto");

  if (app == NULL)
    return NULL;
  if (g_app_info_get_id (app) != NULL)
    return g_strdup (g_app_info_get_id (app));
  return g_strdup (g_app_info_get_executable (app));
}

MtcUserSide *
mtc_user_side_new (void)
{
  return g_new0 (MtcUserSide, 1);
}

void
mtc_user_side_free (MtcUserSide *user)
{
  if (user == NULL)
    return;
  g_free (user->system_id);
  g_free (user->client_id);
  g_free (user->mac_model);
  g_free (user->email_address);
  mtc_account_free (user->account);
  g_free (user);
}

MtcUserSide *
mtc_user_side_copy (const MtcUserSide *user)
{
  MtcUserSide *copy = mtc_user_side_new ();

  g_return_val_if_fail (user != NULL, copy);
  copy->system_id = g_strdup (user->system_id);
  copy->client_id = g_strdup (user->client_id);
  copy->mac_model = g_strdup (user->mac_model);
  copy->email_address = g_strdup (user->email_address);
  copy->this_computer = user->this_computer;
  copy->account = user->account != NULL ? mtc_account_copy (user->account) : NULL;
  return copy;
}

/**
 * mtc_user_side_detect:
 *
 * This computer's system, Mac model and default mail program, in the
 * knowledge base's terms (NULL where the knowledge base has no id for it).
 *
 * Returns: (transfer full): the user's side, with @this_computer set
 */
MtcUserSide *
mtc_user_side_detect (MtcKnowledge *knowledge)
{
  g_autoptr(MtcSystemInfo) info = mtc_system_detect ();
  g_autoptr(GAppInfo) app = g_app_info_get_default_for_uri_scheme ("mailto");
  MtcUserSide *user = mtc_user_side_new ();

  g_return_val_if_fail (MTC_IS_KNOWLEDGE (knowledge), user);

  user->this_computer = TRUE;
  if (mtc_knowledge_has_system (knowledge, info->system_id))
    user->system_id = g_strdup (info->system_id);
  user->mac_model = g_steal_pointer (&info->mac_model);
  if (app != NULL)
    {
      user->client_id = mtc_knowledge_client_for_app_id (knowledge, g_app_info_get_id (app));
      if (user->client_id == NULL)
        user->client_id = mtc_knowledge_client_for_app_id (knowledge, g_app_info_get_executable (app));
    }
  return user;
}
