/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-account.h"
#include "mtc-diagnosis.h"
#include "mtc-knowledge.h"
#include "mtc-provider.h"
#include "mtc-system.h"
#include "mtc-target.h"
#include "mtc-verdict.h"

G_BEGIN_DECLS

/* One check, from what the user gives to the verdict and the report:
 *
 *   input      targets (mtc-target.h), a provider, the demo provider, the
 *              user's side (program, system, this computer or another),
 *              timeout, connections per port, extra trust anchors
 *   prepare    DISCOVERING: the targets become endpoints; the demo servers
 *              start when the demo provider is named
 *   run        PROBING: every endpoint is checked ("endpoint-done" for each);
 *              DECIDING: the verdict
 *
 * The command line and the wizard both run their checks through it. */

typedef enum {
  MTC_CHECK_PHASE_IDLE,
  MTC_CHECK_PHASE_DISCOVERING,
  MTC_CHECK_PHASE_PROBING,
  MTC_CHECK_PHASE_DECIDING,
  MTC_CHECK_PHASE_DONE,
} MtcCheckPhase;

typedef enum {
  MTC_CHECK_ERROR_DEMO,         /* the demo servers could not be started */
} MtcCheckError;

#define MTC_CHECK_ERROR (mtc_check_error_quark ())
GQuark mtc_check_error_quark (void);

#define MTC_TYPE_CHECK (mtc_check_get_type ())
G_DECLARE_FINAL_TYPE (MtcCheck, mtc_check, MTC, CHECK, GObject)

MtcCheck           *mtc_check_new                 (MtcKnowledge        *knowledge);
MtcKnowledge       *mtc_check_get_knowledge       (MtcCheck            *self);

void                mtc_check_set_targets         (MtcCheck            *self,
                                                   const char * const  *targets);
void                mtc_check_set_provider        (MtcCheck            *self,
                                                   MtcProvider         *provider);
void                mtc_check_set_demo            (MtcCheck            *self,
                                                   gboolean             demo);
void                mtc_check_set_demo_delay      (MtcCheck            *self,
                                                   guint                delay_ms);
void                mtc_check_set_user_side       (MtcCheck            *self,
                                                   const MtcUserSide   *user);
void                mtc_check_set_account         (MtcCheck            *self,
                                                   const MtcAccount    *account);
void                mtc_check_set_timeout         (MtcCheck            *self,
                                                   guint                timeout_ms);
void                mtc_check_set_max_connections (MtcCheck            *self,
                                                   guint                max_connections);
void                mtc_check_add_trust_anchor    (MtcCheck            *self,
                                                   GTlsCertificate     *anchor);
gboolean            mtc_check_validate            (MtcCheck            *self,
                                                   GError             **error);

void                mtc_check_prepare_async       (MtcCheck            *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            mtc_check_prepare_finish      (MtcCheck            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void                mtc_check_run_async           (MtcCheck            *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            mtc_check_run_finish          (MtcCheck            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void                mtc_check_decide              (MtcCheck            *self);
void                mtc_check_clear               (MtcCheck            *self);

MtcCheckPhase       mtc_check_get_phase           (MtcCheck            *self);
guint               mtc_check_get_n_done          (MtcCheck            *self);
guint               mtc_check_get_n_total         (MtcCheck            *self);
const MtcTargetSet *mtc_check_get_target_set      (MtcCheck            *self);
GPtrArray          *mtc_check_get_discoveries     (MtcCheck            *self);
GPtrArray          *mtc_check_get_endpoints       (MtcCheck            *self);
const char         *mtc_check_get_help_url        (MtcCheck            *self);
MtcDiagnosis       *mtc_check_get_diagnosis       (MtcCheck            *self);
const MtcVerdict   *mtc_check_get_verdict         (MtcCheck            *self);
gboolean            mtc_check_found_problem       (MtcCheck            *self);
gboolean            mtc_check_get_offline         (MtcCheck            *self);
char               *mtc_check_dup_text_report     (MtcCheck            *self);
char               *mtc_check_dup_json_report     (MtcCheck            *self);

G_END_DECLS
