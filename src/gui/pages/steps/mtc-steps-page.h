/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-page.h"

G_BEGIN_DECLS

#define MTC_TYPE_STEPS_PAGE (mtc_steps_page_get_type ())
G_DECLARE_FINAL_TYPE (MtcStepsPage, mtc_steps_page, MTC, STEPS_PAGE, MtcPage)

MtcPage *mtc_steps_page_new (MtcSession *session);

G_END_DECLS
