/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

MtcLocalInfo *mtc_local_info_detect (void);

G_END_DECLS
