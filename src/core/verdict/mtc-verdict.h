/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"
#include "mtc-knowledge.h"
#include "mtc-provider.h"
#include "mtc-system.h"

G_BEGIN_DECLS

/* The verdict: the diagnosis, the user's side and the knowledge base put
 * together into one finding in plain words, with ranked steps.  The GType of
 * MtcVerdictId is in the generated "mtc-verdict-enums.h"; its nicks are the
 * verdicts' names. */

typedef enum {
  MTC_VERDICT_ALL_GOOD,
  MTC_VERDICT_CLIENT_TOO_OLD,
  MTC_VERDICT_PORT_BLOCKED,
  MTC_VERDICT_OFFLINE,
  MTC_VERDICT_TLS_INTERCEPTED,
  MTC_VERDICT_CLOCK_WRONG,
  MTC_VERDICT_SERVER_PROBLEM,
  MTC_VERDICT_STARTTLS_STRIPPED,
  MTC_VERDICT_LOCALLY_DISABLED,
  MTC_VERDICT_WRONG_SETTINGS,
  MTC_N_VERDICTS, /*< skip >*/
} MtcVerdictId;

/* Where the verdict's idea of what the mail program can speak comes from:
 * nothing; the knowledge base, from the program's name and the system;
 * or the program's own files (its version, its TLS settings) and, for a
 * program that uses this computer's TLS library, this computer's. */
typedef enum {
  MTC_CLIENT_ABILITY_UNKNOWN,
  MTC_CLIENT_ABILITY_ASSUMED,
  MTC_CLIENT_ABILITY_READ,
} MtcClientAbility;

/* One server setting to type into a mail program. */
typedef struct {
  MtcProtocol protocol;
  MtcSecurity security;
  char *host;                    /* as a person writes it */
  guint16 port;
} MtcMailSetting;

typedef struct {
  char *id;           /* webmail, upgrade, other-client, settings, change-setting, fix-clock, antivirus,
                         other-network, check-connection, support */
  char *title;        /* header capitalisation */
  char *text;         /* plain sentences */
  char *url;          /* or NULL */
  char *client_id;    /* other-client: the program; webmail: the browser to use, when not the usual one */
  char *system_id;    /* upgrade: the system to upgrade to, or NULL */
  gboolean fixes;     /* the step is expected to solve the problem */
  gboolean has_cost;  /* e.g. a program without security updates */
  GPtrArray *settings; /* of MtcMailSetting, or NULL */
  char *username;     /* with settings: what to enter as user name */
  char *change;       /* change-setting: the exact change, one "field: value" a line, in the mail
                         program's own words (what "Copy Settings" copies), or NULL */
} MtcVerdictStep;

typedef struct {
  MtcVerdictId id;
  char *title;         /* one short heading, header capitalisation */
  char *explanation;   /* three or four plain sentences */
  char *details;       /* the technical words, for support */
  GPtrArray *steps;    /* of MtcVerdictStep, best first */
  gboolean may_stop;   /* works today only because the provider still accepts TLS older than 1.2 */
  gboolean uncertain;  /* rests on a fact the knowledge base marks uncertain, or on none */
  gboolean this_computer_cannot_test; /* this computer's TLS policy kept the check from knowing */
  MtcTlsVersion client_max;  /* what the user's program speaks, or MTC_TLS_UNKNOWN */
  MtcTlsVersion needed;      /* the oldest version the mail servers accept, or MTC_TLS_UNKNOWN */
  MtcClientAbility client_ability; /* whether client_max was read from the program or assumed */
} MtcVerdict;

const char           *mtc_verdict_id_to_string    (MtcVerdictId id);

MtcVerdict           *mtc_verdict_decide          (const MtcDiagnosis     *diagnosis,
                                                   const MtcUserSide      *user,
                                                   const MtcProviderHints *hints,
                                                   MtcKnowledge           *knowledge);
MtcVerdict           *mtc_verdict_decide_at       (const MtcDiagnosis     *diagnosis,
                                                   const MtcUserSide      *user,
                                                   const MtcProviderHints *hints,
                                                   MtcKnowledge           *knowledge,
                                                   GDateTime              *now);
void                  mtc_verdict_free            (MtcVerdict *verdict);
const MtcVerdictStep *mtc_verdict_get_step        (const MtcVerdict *verdict,
                                                   const char       *step_id);
char                 *mtc_mail_setting_to_text    (const MtcMailSetting *setting);
const char           *mtc_report_privacy_note     (const char           *email_address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcVerdict, mtc_verdict_free)

G_END_DECLS
