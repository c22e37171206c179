/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"
#include "mtc-probe.h"

G_BEGIN_DECLS

/* One probe per TLS version plus one with this computer's default settings. */
#define MTC_N_PROBES (MTC_N_TLS_VERSIONS + 1)
#define MTC_DEFAULT_PROBE MTC_N_TLS_VERSIONS

/* What the probes of one endpoint found, and what they are judged by. */
typedef struct {
  const MtcEndpoint *endpoint;
  const char *address;                        /* the address probed, as text */
  MtcProbeOutcome *const *outcomes;           /* MTC_N_PROBES of them, by TLS version then the
                                               * default handshake; NULL where a probe did not run */
  const gboolean *versions_available;         /* MTC_N_TLS_VERSIONS: what this computer's TLS library offers */
  GPtrArray *anchors;                         /* of GTlsCertificate trusted besides the system's, or NULL */
  gint64 start_us;                            /* when the endpoint's first probe started */
} MtcJudgeInput;

MtcEndpointResult *mtc_judge_endpoint (const MtcJudgeInput *in);

G_END_DECLS
