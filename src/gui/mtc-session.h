/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-account.h"
#include "mtc-diagnosis.h"
#include "mtc-knowledge.h"
#include "mtc-system.h"
#include "mtc-verdict.h"

G_BEGIN_DECLS

/* Everything the wizard's pages share: who the provider is, which computer
 * and mail program are in question, the diagnosis and the verdict. */
#define MTC_TYPE_SESSION (mtc_session_get_type ())
G_DECLARE_FINAL_TYPE (MtcSession, mtc_session, MTC, SESSION, GObject)

MtcSession          *mtc_session_new                (gboolean        demo);
gboolean             mtc_session_get_demo           (MtcSession     *self);
MtcKnowledge        *mtc_session_get_knowledge      (MtcSession     *self);
const MtcSystemInfo *mtc_session_get_this_system    (MtcSession     *self);
const char          *mtc_session_get_detected_client (MtcSession    *self);

const char          *mtc_session_get_email          (MtcSession     *self);
void                 mtc_session_set_email          (MtcSession     *self,
                                                     const char     *email);
const char          *mtc_session_get_provider_id    (MtcSession     *self);
void                 mtc_session_set_provider_id    (MtcSession     *self,
                                                     const char     *provider_id);
const char          *mtc_session_get_servers        (MtcSession     *self);
void                 mtc_session_set_servers        (MtcSession     *self,
                                                     const char     *servers);
const char          *mtc_session_get_client_id      (MtcSession     *self);
void                 mtc_session_set_client_id      (MtcSession     *self,
                                                     const char     *client_id);
const char          *mtc_session_get_system_id      (MtcSession     *self);
void                 mtc_session_set_system_id      (MtcSession     *self,
                                                     const char     *system_id);
gboolean             mtc_session_get_other_computer (MtcSession     *self);
void                 mtc_session_set_other_computer (MtcSession     *self,
                                                     gboolean        other);

GPtrArray           *mtc_session_get_accounts       (MtcSession     *self);
GPtrArray           *mtc_session_get_account_problems (MtcSession   *self);
const MtcAccount    *mtc_session_get_account        (MtcSession     *self);
void                 mtc_session_set_account        (MtcSession     *self,
                                                     const MtcAccount *account);

GPtrArray           *mtc_session_parse_servers      (const char     *text,
                                                     GError        **error);
gboolean             mtc_session_validate_email     (const char     *text,
                                                     GError        **error);
void                 mtc_session_prepare_async      (MtcSession          *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean             mtc_session_prepare_finish     (MtcSession          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
GPtrArray           *mtc_session_get_endpoints      (MtcSession     *self);

void                 mtc_session_check_async        (MtcSession          *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean             mtc_session_check_finish       (MtcSession          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void                 mtc_session_refresh_verdict    (MtcSession     *self);
guint                mtc_session_get_n_done         (MtcSession     *self);
guint                mtc_session_get_n_total        (MtcSession     *self);
MtcDiagnosis        *mtc_session_get_diagnosis      (MtcSession     *self);
const MtcVerdict    *mtc_session_get_verdict        (MtcSession     *self);
const char          *mtc_session_get_help_url       (MtcSession     *self);
char                *mtc_session_build_report       (MtcSession     *self);
char                *mtc_session_describe_system    (MtcSession     *self,
                                                     const char     *system_id);

G_END_DECLS
