/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-account.h"
#include "mtc-knowledge.h"

G_BEGIN_DECLS

/* The user's side: which system this computer runs, which Mac it is, which
 * mail program opens mailto: links.  The parsers are pure functions of a
 * file's text so that they can be tested on any system. */

typedef enum {
  MTC_OS_FAMILY_UNKNOWN,
  MTC_OS_FAMILY_LINUX,
  MTC_OS_FAMILY_MACOS,
  MTC_OS_FAMILY_WINDOWS,
} MtcOsFamily;

typedef struct {
  MtcOsFamily family;
  char *name;        /* for people: "Debian GNU/Linux 12 (bookworm)", "Mac OS X 10.6.8 (10K549)" */
  char *version;     /* "12", "10.6.8", "10.0.19045"; NULL when unknown */
  char *build;       /* macOS ProductBuildVersion, the Windows build number, or NULL */
  char *distro_id;   /* os-release ID ("debian"), or NULL */
  char *mac_model;   /* "MacBookPro5,5", or NULL */
  char *system_id;   /* the knowledge base's id ("linux", "macos-10.11", "windows-7"), or NULL */
} MtcSystemInfo;

/* Everything the verdict needs to know about the person's side. */
typedef struct {
  char *system_id;      /* knowledge-base system, or NULL when unknown */
  char *client_id;      /* knowledge-base mail program, or NULL when unknown */
  char *mac_model;      /* or NULL */
  char *email_address;  /* only if the person typed it; the only personal datum in a report */
  gboolean this_computer; /* the checks ran on the computer in question, so its TLS policy counts */
  MtcAccount *account;  /* the mail program's account as read from its settings, or NULL: its servers
                         * were probed as set there, and what the program can do is read from it */
} MtcUserSide;

MtcSystemInfo *mtc_system_info_new               (void);
void           mtc_system_info_free              (MtcSystemInfo *info);

MtcSystemInfo *mtc_system_parse_os_release       (const char  *text,
                                                  gssize       length,
                                                  GError     **error);
MtcSystemInfo *mtc_system_parse_system_version_plist (const char  *text,
                                                  gssize       length,
                                                  GError     **error);
MtcSystemInfo *mtc_system_info_new_windows       (guint        major,
                                                  guint        minor,
                                                  guint        build,
                                                  gboolean     server);
char          *mtc_system_id_for_macos_version   (const char  *version);

MtcSystemInfo *mtc_system_detect                 (void);
char          *mtc_system_default_mail_app_id    (void);

MtcUserSide   *mtc_user_side_new                 (void);
MtcUserSide   *mtc_user_side_copy                (const MtcUserSide *user);
void           mtc_user_side_free                (MtcUserSide *user);
MtcUserSide   *mtc_user_side_detect              (MtcKnowledge *knowledge);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcSystemInfo, mtc_system_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcUserSide, mtc_user_side_free)

G_END_DECLS
