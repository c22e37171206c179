/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-verdict.h"

G_BEGIN_DECLS

/* What the files of the verdict layer share: the analysis of a diagnosis,
 * and the evidence, details and steps the rules in mtc-verdict.c use. */

typedef enum {
  ROLE_SEND,
  ROLE_RECEIVE,
  ROLE_WEB,
  N_ROLES,
} Role;

/* What the decision looks at, worked out once. */
typedef struct {
  const MtcDiagnosis *diagnosis;
  const MtcUserSide *user;
  const MtcProviderHints *hints;
  MtcKnowledge *knowledge;
  GDateTime *now;

  guint n[N_ROLES];
  gboolean reached[N_ROLES];         /* some endpoint answered at all */
  gboolean working[N_ROLES];         /* some endpoint works with some TLS version */
  MtcTlsVersion lowest[N_ROLES];     /* oldest version a working endpoint accepts */
  gboolean any_mail;

  const MtcKnowledgeFact *fact;      /* the user's program on the user's system, or NULL */
  MtcTlsVersion client_max;
  MtcClientAbility ability;          /* where client_max comes from */
  char *ability_source;              /* read: what it was read from, for the details; or NULL */
  const MtcAccount *account;         /* the program's account, its servers probed as set, or NULL */
  char *client_name;
  char *system_name;
  const char *family;
} Analysis;

/* mtc-verdict-analysis.c */
Role role_of (const MtcEndpointResult *result);
gboolean is_blocking_failure (MtcStatus status);
gboolean result_working (const MtcEndpointResult *result);
gboolean accepts_up_to (const MtcEndpointResult *result,
                        MtcTlsVersion            max);
gboolean hidden_by_local_policy (const Analysis          *a,
                                 const MtcEndpointResult *result,
                                 MtcTlsVersion            max);
gboolean role_ok_for (const Analysis *a,
                      Role            role,
                      MtcTlsVersion   max);
gboolean role_matters (const Analysis *a,
                       Role            role);
gboolean contains_casefold (const char *haystack,
                            const char *needle);
char *version_label (MtcTlsVersion version);
void analyse (Analysis *a);
MtcTlsVersion needed_version (const Analysis *a);

gboolean client_uncertain (const Analysis *a);

/* mtc-verdict-settings.c */
MtcVerdict *verdict_new (MtcVerdictId id);
MtcVerdict *decide_wrong_settings (const Analysis *a);

/* mtc-verdict-evidence.c */
const MtcCertInfo *clock_evidence (const Analysis *a);
const MtcEndpointResult *interception_evidence (const Analysis *a);
gboolean injection_evidence (const Analysis *a);
char *starttls_expected (const Analysis          *a,
                         const MtcEndpointResult *result);
gboolean stripping_evidence (const Analysis *a);

/* mtc-verdict-details.c */
void append_line (GString    *out,
                  const char *line);
void append_accepted (const Analysis *a,
                      GString        *out);
void append_client_fact (const Analysis *a,
                         GString        *out);
void append_client_ability (const Analysis *a,
                            GString        *out);
void append_endpoint_problems (const Analysis *a,
                               GString        *out,
                               gboolean        with_certificates);

/* mtc-verdict-steps.c */
void step_free (MtcVerdictStep *step);
void mail_setting_free (MtcMailSetting *setting);
MtcVerdictStep *step_new (const char *id,
                          char       *title,
                          char       *text);
MtcVerdictStep *make_webmail_step (const Analysis *a,
                                   MtcTlsVersion   needed);
MtcVerdictStep *make_support_step (const Analysis *a);
MtcVerdictStep *make_upgrade_step (const Analysis *a,
                                   MtcTlsVersion   needed,
                                   gboolean        prepare);
MtcVerdictStep *make_other_client_step (const Analysis *a,
                                        MtcTlsVersion   needed);
MtcVerdictStep *make_settings_step (const Analysis *a,
                                    MtcTlsVersion   max,
                                    gboolean        implicit_only);
MtcVerdictStep *make_fix_clock_step (const Analysis *a);
MtcVerdictStep *make_antivirus_step (void);
MtcVerdictStep *make_other_network_step (void);
MtcVerdictStep *make_check_connection_step (void);
void add_step (MtcVerdict     *verdict,
               MtcVerdictStep *step);

G_END_DECLS
