/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mtc-system.h"

/* The parsers of the user's side, on fixture files in tests/data. */

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

typedef struct {
  const char *file;
  const char *name;
  const char *version;
  const char *distro_id;
} OsReleaseCase;

static const OsReleaseCase os_release_cases[] = {
  { "os-release-debian-12", "Debian GNU/Linux 12 (bookworm)", "12", "debian" },
  { "os-release-ubuntu-22.04", "Ubuntu 22.04.4 LTS", "22.04", "ubuntu" },
  { "os-release-fedora-39", "Fedora Linux 39 (Workstation Edition)", "39", "fedora" },
  { "os-release-arch", "Arch Linux", NULL, "arch" },
  { "os-release-alpine", "Alpine Linux v3.19", "3.19.1", "alpine" },
  { "os-release-opensuse-tumbleweed", "openSUSE Tumbleweed", "20240310", "opensuse-tumbleweed" },
  /* No PRETTY_NAME: NAME and VERSION, with every kind of quoting undone. */
  { "os-release-quoting", "Example \"Quoted\" OS 1.0 \"Bean\" $HOME `x` \\ end", "1.0", "example os" },
  /* The broken PRETTY_NAME line is skipped; NAME still names the system. */
  { "os-release-broken-quote", "Debian", NULL, "debian" },
};

static void
test_os_release (gconstpointer data)
{
  const OsReleaseCase *c = data;
  gsize length;
  g_autofree char *text = read_fixture (c->file, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcSystemInfo) info = mtc_system_parse_os_release (text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (info->family, ==, MTC_OS_FAMILY_LINUX);
  g_assert_cmpstr (info->name, ==, c->name);
  g_assert_cmpstr (info->version, ==, c->version);
  g_assert_cmpstr (info->distro_id, ==, c->distro_id);
  g_assert_cmpstr (info->system_id, ==, "linux");
  g_assert_null (info->mac_model);
}

static void
test_os_release_broken (void)
{
  static const char * const files[] = {
    "os-release-broken-garbage",
    "os-release-broken-no-name",
    "os-release-broken-latin1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      gsize length;
      g_autofree char *text = read_fixture (files[i], &length);
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcSystemInfo) info = mtc_system_parse_os_release (text, length, &error);

      g_test_message ("%s", files[i]);
      g_assert_null (info);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MtcSystemInfo) info = mtc_system_parse_os_release ("", 0, &error);

    g_assert_null (info);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
  {
    /* NUL-terminated text with length -1 works the same. */
    g_autoptr(GError) error = NULL;
    g_autoptr(MtcSystemInfo) info = mtc_system_parse_os_release ("ID=void\n", -1, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (info->name, ==, "void");
  }
}

typedef struct {
  const char *file;
  const char *version;
  const char *build;
  const char *system_id;
  const char *name;
} PlistCase;

static const PlistCase plist_cases[] = {
  { "SystemVersion-10.6.plist", "10.6.8", "10K549", "macos-10.6", "Mac OS X 10.6.8 (10K549)" },
  { "SystemVersion-10.7.plist", "10.7.5", "11G63", "macos-10.7", "Mac OS X 10.7.5 (11G63)" },
  { "SystemVersion-10.8.plist", "10.8.5", "12F45", "macos-10.8", "Mac OS X 10.8.5 (12F45)" },
  { "SystemVersion-10.9.plist", "10.9.5", "13F34", "macos-10.9", "Mac OS X 10.9.5 (13F34)" },
  { "SystemVersion-10.10.plist", "10.10.5", "14F27", "macos-10.10", "Mac OS X 10.10.5 (14F27)" },
  { "SystemVersion-10.11.plist", "10.11.6", "15G31", "macos-10.11", "Mac OS X 10.11.6 (15G31)" },
  { "SystemVersion-10.12.plist", "10.12.6", "16G29", "macos-10.12", "Mac OS X 10.12.6 (16G29)" },
  { "SystemVersion-10.13.plist", "10.13.6", "17G66", "macos-10.13", "Mac OS X 10.13.6 (17G66)" },
  { "SystemVersion-10.14.plist", "10.14.6", "18G103", "macos-10.14", "Mac OS X 10.14.6 (18G103)" },
  { "SystemVersion-11.plist", "11.7.10", "20G1427", "macos-11", "macOS 11.7.10 (20G1427)" },
  { "SystemVersion-14.plist", "14.4.1", "23E224", "macos-14", "macOS 14.4.1 (23E224)" },
  /* What macOS 11 shows programs built for older systems. */
  { "SystemVersion-10.16-compat.plist", "10.16", "20D64", "macos-11", "Mac OS X 10.16 (20D64)" },
  /* Values of other types and nested dictionaries are skipped. */
  { "SystemVersion-nested.plist", "10.9.5", "13F1911", "macos-10.9", "macOS 10.9.5 (13F1911)" },
};

static void
test_plist (gconstpointer data)
{
  const PlistCase *c = data;
  gsize length;
  g_autofree char *text = read_fixture (c->file, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcSystemInfo) info = mtc_system_parse_system_version_plist (text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (info->family, ==, MTC_OS_FAMILY_MACOS);
  g_assert_cmpstr (info->version, ==, c->version);
  g_assert_cmpstr (info->build, ==, c->build);
  g_assert_cmpstr (info->system_id, ==, c->system_id);
  g_assert_cmpstr (info->name, ==, c->name);
}

static void
test_plist_broken (void)
{
  static const struct {
    const char *file;
    int code;
    const char *words;
  } cases[] = {
    { "SystemVersion-broken-truncated.plist", G_IO_ERROR_INVALID_DATA, "cannot be read" },
    { "SystemVersion-broken-no-version.plist", G_IO_ERROR_INVALID_DATA, "no ProductVersion" },
    { "SystemVersion-broken-bad-version.plist", G_IO_ERROR_INVALID_DATA, "El Capitan" },
    { "SystemVersion-broken-not-plist.plist", G_IO_ERROR_INVALID_DATA, "not a property list" },
    { "SystemVersion-broken-binary.plist", G_IO_ERROR_NOT_SUPPORTED, "binary" },
    { "os-release-debian-12", G_IO_ERROR_INVALID_DATA, "cannot be read" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length;
      g_autofree char *text = read_fixture (cases[i].file, &length);
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcSystemInfo) info = mtc_system_parse_system_version_plist (text, length, &error);

      g_test_message ("%s: %s", cases[i].file, error ? error->message : "(no error)");
      g_assert_null (info);
      g_assert_error (error, G_IO_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

static void
test_macos_ids (void)
{
  static const struct {
    const char *version;
    const char *id;
  } cases[] = {
    { "10.6.8", "macos-10.6" },
    { "10.11", "macos-10.11" },
    { "10.11.6", "macos-10.11" },
    { "10.15.7", "macos-10.15" },
    { "10.16", "macos-11" },
    { "11.0.1", "macos-11" },
    { "14.4.1", "macos-14" },
    { "26.1", "macos-26" },
    { "10", NULL },
    { "9.2.2", NULL },
    { "10.17", NULL },
    { "", NULL },
    { "ten", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = mtc_system_id_for_macos_version (cases[i].version);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

static void
test_windows (void)
{
  static const struct {
    guint major, minor, build;
    gboolean server;
    const char *id;
    const char *name;
  } cases[] = {
    { 6, 1, 7601, FALSE, "windows-7", "Windows 7 (build 7601)" },
    { 6, 2, 9200, FALSE, "windows-8", "Windows 8 (build 9200)" },
    { 6, 3, 9600, FALSE, "windows-8.1", "Windows 8.1 (build 9600)" },
    { 10, 0, 19045, FALSE, "windows-10", "Windows 10 (build 19045)" },
    { 10, 0, 22000, FALSE, "windows-11", "Windows 11 (build 22000)" },
    { 10, 0, 26100, FALSE, "windows-11", "Windows 11 (build 26100)" },
    { 6, 0, 6002, FALSE, NULL, "Windows Vista (build 6002)" },
    { 5, 1, 2600, FALSE, NULL, "Windows XP (build 2600)" },
    { 6, 1, 7601, TRUE, NULL, "Windows Server 6.1 (build 7601)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MtcSystemInfo) info = mtc_system_info_new_windows (cases[i].major, cases[i].minor, cases[i].build,
                                                                   cases[i].server);
      g_autofree char *version = g_strdup_printf ("%u.%u.%u", cases[i].major, cases[i].minor, cases[i].build);

      g_assert_cmpint (info->family, ==, MTC_OS_FAMILY_WINDOWS);
      g_assert_cmpstr (info->system_id, ==, cases[i].id);
      g_assert_cmpstr (info->name, ==, cases[i].name);
      g_assert_cmpstr (info->version, ==, version);
    }
}

/* Every system id the parsers produce is one the knowledge base knows. */
static void
test_ids_known (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_default (&error);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (plist_cases); i++)
    g_assert_true (mtc_knowledge_has_system (knowledge, plist_cases[i].system_id));
  g_assert_true (mtc_knowledge_has_system (knowledge, "linux"));
  for (guint major = 6; major <= 10; major++)
    for (guint minor = 0; minor <= 3; minor++)
      {
        g_autoptr(MtcSystemInfo) info = mtc_system_info_new_windows (major, minor, 22621, FALSE);

        if (info->system_id != NULL)
          g_assert_true (mtc_knowledge_has_system (knowledge, info->system_id));
      }
}

static void
test_detect (void)
{
  g_autoptr(MtcSystemInfo) info = mtc_system_detect ();

  g_assert_nonnull (info);
  g_assert_nonnull (info->name);
#if defined(__linux__)
  if (!g_file_test ("/etc/os-release", G_FILE_TEST_EXISTS) && !g_file_test ("/usr/lib/os-release", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this system has no os-release file");
      return;
    }
  g_assert_cmpint (info->family, ==, MTC_OS_FAMILY_LINUX);
  g_assert_cmpstr (info->system_id, ==, "linux");
#endif
}

/* The mailto: handler of the fixture's XDG data directory is Evolution. */
static void
test_user_side (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcKnowledge) knowledge = mtc_knowledge_new_default (&error);
  g_autoptr(MtcUserSide) user = NULL;
  g_autofree char *app_id = mtc_system_default_mail_app_id ();

  g_assert_no_error (error);
  g_assert_cmpstr (app_id, ==, "org.gnome.Evolution.desktop");
  user = mtc_user_side_detect (knowledge);
  g_assert_true (user->this_computer);
  g_assert_cmpstr (user->client_id, ==, "evolution");
  g_assert_null (user->email_address);
#if defined(__linux__)
  if (g_file_test ("/etc/os-release", G_FILE_TEST_EXISTS) || g_file_test ("/usr/lib/os-release", G_FILE_TEST_EXISTS))
    g_assert_cmpstr (user->system_id, ==, "linux");
#endif
}

int
main (int    argc,
      char **argv)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *data_home = g_build_filename (srcdir ? srcdir : ".", "data", "xdg-data", NULL);
  g_autofree char *empty = g_dir_make_tmp ("mtc-test-system-XXXXXX", NULL);
  int status;

  /* Before GIO reads them: only the fixture's programs and defaults. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  g_setenv ("XDG_CONFIG_HOME", empty, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", empty, TRUE);
  g_unsetenv ("XDG_CURRENT_DESKTOP");
  /* GIO's answer from those fixtures, not the test suite's fixed one. */
  g_unsetenv ("MTC_DEFAULT_MAIL_APP");

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (os_release_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/system/os-release/%s", os_release_cases[i].file);
      g_test_add_data_func (path, &os_release_cases[i], test_os_release);
    }
  g_test_add_func ("/mtc/system/os-release/broken", test_os_release_broken);
  for (gsize i = 0; i < G_N_ELEMENTS (plist_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mtc/system/plist/%s", plist_cases[i].file);
      g_test_add_data_func (path, &plist_cases[i], test_plist);
    }
  g_test_add_func ("/mtc/system/plist/broken", test_plist_broken);
  g_test_add_func ("/mtc/system/macos-ids", test_macos_ids);
  g_test_add_func ("/mtc/system/windows", test_windows);
  g_test_add_func ("/mtc/system/ids-known", test_ids_known);
  g_test_add_func ("/mtc/system/detect", test_detect);
  g_test_add_func ("/mtc/system/user-side", test_user_side);

  status = g_test_run ();
  if (empty != NULL)
    g_rmdir (empty);
  return status;
}
